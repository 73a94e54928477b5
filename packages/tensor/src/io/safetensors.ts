// The safetensors format (huggingface/safetensors), the way gloss stores weights so PyTorch reads them:
//   [8 bytes: header length N, little-endian u64][N bytes: JSON header][raw little-endian tensor data]
// The header maps each name to { dtype, shape, data_offsets: [begin, end] } (offsets into the data part)
// plus an optional "__metadata__" object of string → string. Pure bytes in, bytes out: no file system here
// (see @gloss/tensor/node for files), so it works in a browser too.
import { Tensor } from '../tensor.js';
import type { DType } from '../dtype.js';
import { ValueError } from '../errors.js';
import { formatShape, sizeOf } from '../shape.js';

/** What decodeSafetensors returns: tensors in file order and the header's "__metadata__". */
export interface Safetensors {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

const WRITE_DTYPE: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };
/** Bytes per element of every safetensors dtype gloss can read, and the gloss dtype it becomes. */
const READ_DTYPE: Record<string, { bytes: number; dtype: DType }> = {
  F64: { bytes: 8, dtype: 'float64' }, F32: { bytes: 4, dtype: 'float32' },
  F16: { bytes: 2, dtype: 'float32' }, BF16: { bytes: 2, dtype: 'float32' },
  I64: { bytes: 8, dtype: 'int32' }, I32: { bytes: 4, dtype: 'int32' }, I16: { bytes: 2, dtype: 'int32' },
  I8: { bytes: 1, dtype: 'int32' }, U8: { bytes: 1, dtype: 'int32' }, BOOL: { bytes: 1, dtype: 'bool' },
};
const MAX_HEADER = 100 * 1024 * 1024; // the reference implementation's limit

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Serializes named tensors (and optional string metadata) to safetensors bytes. Tensors are written in the
 * order given, each 8-byte aligned in practice because the header is space-padded to a multiple of 8.
 * @example
 * const bytes = encodeSafetensors({ 'generator.weight': w }, { format: 'pt' });
 */
export function encodeSafetensors(tensors: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>,
  metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new ValueError('encodeSafetensors', `metadata value of "${k}" must be a string, got ${typeof v}`);
    }
    header.__metadata__ = { ...metadata };
  }
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === '__metadata__') throw new ValueError('encodeSafetensors', 'a tensor may not be named "__metadata__"');
    if (!(t instanceof Tensor)) throw new ValueError('encodeSafetensors', `"${name}" is not a Tensor`);
    const bytes = t.data.byteLength;
    header[name] = { dtype: WRITE_DTYPE[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  const pad = (8 - (headerBytes.length % 8)) % 8;
  if (pad > 0) headerBytes = encoder.encode(json += ' '.repeat(pad));
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const [, t] of entries) {
    const src = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    if (littleEndian) out.set(src, at);
    else writeSwapped(t, out, at);
    at += t.data.byteLength;
  }
  return out;
}

/**
 * Parses safetensors bytes. F32, F64, I32 and BOOL load as they are; F16 and BF16 widen to float32; I64, I16, I8
 * and U8 load as int32 (an I64 value outside the int32 range is refused). Every problem — truncated file, bad
 * header, overlapping or missing data, unknown dtype — is an error naming `source` (a file name, say).
 */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors data'): Safetensors {
  const fail = (why: string): never => { throw new ValueError('decodeSafetensors', `${source}: ${why}`); };
  if (bytes.byteLength < 8) fail(`truncated: ${bytes.byteLength} bytes, but the 8-byte header length alone needs 8`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER)) fail(`header length ${n} is larger than the ${MAX_HEADER}-byte limit (not a safetensors file?)`);
  const headerLen = Number(n);
  if (8 + headerLen > bytes.byteLength) fail(`truncated: the header says it is ${headerLen} bytes but only ${bytes.byteLength - 8} follow`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    fail(`the header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('the header must be a JSON object');
  const dataStart = 8 + headerLen;
  const dataLen = bytes.byteLength - dataStart;
  const metadata: Record<string, string> = {};
  const spans: [number, number, string][] = [];
  const parsed: [string, string, number[], number, number][] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof info !== 'object' || info === null) fail('"__metadata__" must be an object of strings');
      for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`"__metadata__"."${k}" must be a string, got ${JSON.stringify(v)}`);
        metadata[k] = v as string;
      }
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = (info ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof dtype !== 'string' || !(dtype in READ_DTYPE)) {
      fail(`tensor "${name}" has dtype ${JSON.stringify(dtype)}; expected one of ${Object.keys(READ_DTYPE).join(', ')}`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`tensor "${name}" has a bad shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0) || offsets[0] > offsets[1]) {
      fail(`tensor "${name}" has bad data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as number[];
    const want = sizeOf(shape as number[]) * READ_DTYPE[dtype as string].bytes;
    if (end - begin !== want) fail(`tensor "${name}" is ${dtype} ${formatShape(shape as number[])} (${want} bytes) but its data_offsets span ${end - begin} bytes`);
    if (end > dataLen) fail(`truncated: tensor "${name}" ends at data byte ${end} but the file holds ${dataLen} data bytes`);
    spans.push([begin, end, name]);
    parsed.push([name, dtype as string, shape as number[], begin, end]);
  }
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let covered = 0;
  for (const [begin, end, name] of spans) {
    if (begin < covered) fail(`tensor "${name}" overlaps the tensor before it (data bytes ${begin}–${end})`);
    if (begin > covered) fail(`data bytes ${covered}–${begin} belong to no tensor (before "${name}")`);
    covered = end;
  }
  if (covered !== dataLen) fail(`${dataLen - covered} data bytes after the last tensor belong to no tensor`);
  const tensors = new Map<string, Tensor>();
  for (const [name, dtype, shape, begin, end] of parsed) {
    tensors.set(name, readTensor(name, dtype, shape, bytes.subarray(dataStart + begin, dataStart + end), fail));
  }
  return { tensors, metadata };
}

function readTensor(name: string, dtype: string, shape: number[], raw: Uint8Array, fail: (why: string) => never): Tensor {
  const n = sizeOf(shape);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (dtype) {
    case 'F32': {
      const out = new Float32Array(n);
      if (littleEndian) new Uint8Array(out.buffer).set(raw);
      else for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
      return new Tensor(out, shape, 'float32');
    }
    case 'F64': {
      const out = new Float64Array(n);
      if (littleEndian) new Uint8Array(out.buffer).set(raw);
      else for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
      return new Tensor(out, shape, 'float64');
    }
    case 'F16': case 'BF16': {
      const out = new Float32Array(n);
      const bits = new Uint32Array(1);
      const asFloat = new Float32Array(bits.buffer);
      for (let i = 0; i < n; i++) {
        const h = view.getUint16(2 * i, true);
        if (dtype === 'BF16') { bits[0] = h << 16; out[i] = asFloat[0]; } else out[i] = halfToFloat(h);
      }
      return new Tensor(out, shape, 'float32');
    }
    case 'BOOL': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        if (raw[i] > 1) fail(`tensor "${name}" is BOOL but byte ${i} is ${raw[i]}, not 0 or 1`);
        out[i] = raw[i];
      }
      return new Tensor(out, shape, 'bool');
    }
    default: {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        let v: number;
        switch (dtype) {
          case 'I64': {
            const big = view.getBigInt64(8 * i, true);
            if (big > 2147483647n || big < -2147483648n) fail(`tensor "${name}" is I64 and element ${i} (${big}) does not fit in int32`);
            v = Number(big);
            break;
          }
          case 'I32': v = view.getInt32(4 * i, true); break;
          case 'I16': v = view.getInt16(2 * i, true); break;
          case 'I8': v = view.getInt8(i); break;
          default: v = view.getUint8(i); break;
        }
        out[i] = v;
      }
      return new Tensor(out, shape, 'int32');
    }
  }
}

/** IEEE 754 binary16 → number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function writeSwapped(t: Tensor, out: Uint8Array, at: number): void {
  const view = new DataView(out.buffer, out.byteOffset + at, t.data.byteLength);
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    switch (t.dtype) {
      case 'float32': view.setFloat32(4 * i, d[i], true); break;
      case 'float64': view.setFloat64(8 * i, d[i], true); break;
      case 'int32': view.setInt32(4 * i, d[i], true); break;
      case 'bool': view.setUint8(i, d[i]); break;
    }
  }
}

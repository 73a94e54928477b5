import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tensor, decodeSafetensors, encodeSafetensors, tensor } from '../index.js';
import { loadSafetensors, saveSafetensors, writeFileAtomic } from '../node/index.js';

const fixture = new URL('../__fixtures__/reference.safetensors', import.meta.url);

function headerOf(bytes: Uint8Array): { len: number; json: Record<string, unknown> } {
  const len = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { len, json: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len))) };
}

/** Bytes with a hand-written header and data part. */
function raw(header: unknown, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('safetensors', () => {
  it('writes the documented layout: u64 LE header length, space-padded JSON, data in order', () => {
    const a = tensor([[1, 2], [3, 4]]);                       // float32, 16 bytes
    const b = new Tensor(Int32Array.from([7, -8, 9]), [3]);    // int32, 12 bytes
    const bytes = encodeSafetensors({ a, b }, { format: 'pt' });
    const { len, json } = headerOf(bytes);
    expect((8 + len) % 8).toBe(0);
    expect(json).toEqual({
      __metadata__: { format: 'pt' },
      a: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] },
      b: { dtype: 'I32', shape: [3], data_offsets: [16, 28] },
    });
    expect(bytes.length).toBe(8 + len + 28);
    const dv = new DataView(bytes.buffer, 8 + len);
    expect(dv.getFloat32(12, true)).toBe(4);
    expect(dv.getInt32(20, true)).toBe(-8);
  });

  it('round-trips every gloss dtype bit for bit, keeping order and metadata', () => {
    const t = {
      w: new Tensor(Float32Array.from([0.1, -0, Infinity, -3.5e-38]), [2, 2]),
      d: new Tensor(Float64Array.from([Math.PI, -1e300]), [2]),
      i: new Tensor(Int32Array.from([2147483647, -2147483648]), [2, 1]),
      m: new Tensor(Uint8Array.from([1, 0, 1]), [3], 'bool'),
      s: new Tensor(new Float32Array(0), [0, 4]),
    };
    const back = decodeSafetensors(encodeSafetensors(t, { note: 'x' }));
    expect([...back.tensors.keys()]).toEqual(['w', 'd', 'i', 'm', 's']);
    expect(back.metadata).toEqual({ note: 'x' });
    for (const [name, orig] of Object.entries(t)) {
      const got = back.tensors.get(name)!;
      expect(got.dtype).toBe(orig.dtype);
      expect(got.shape).toEqual(orig.shape);
      expect(Object.is(got.data[1], orig.data[1]) || orig.data.length < 2).toBe(true);
      expect(Array.from(got.data)).toEqual(Array.from(orig.data));
    }
  });

  it('reads a file laid out as PyTorch/huggingface write it, widening F16/BF16 and narrowing I64', () => {
    const { tensors, metadata } = decodeSafetensors(fs.readFileSync(fixture));
    expect(metadata).toEqual({ format: 'pt' });
    expect([...tensors.keys()]).toEqual(['a.i64', 'b.f32', 'c.f16', 'd.bf16', 'e.bool', 'f.f64']);
    const get = (n: string) => tensors.get(n)!;
    expect(get('a.i64').dtype).toBe('int32');
    expect(Array.from(get('a.i64').data)).toEqual([0, -1, 2147483647]);
    expect(get('b.f32').shape).toEqual([2, 3]);
    expect(Array.from(get('b.f32').data)).toEqual(Array.from(Float32Array.from([1.5, -2, 3.25, 0, 1e-8, -7])));
    expect(Array.from(get('c.f16').data)).toEqual([1, -0.5, 65504, 2 ** -24]);
    expect(Array.from(get('d.bf16').data)).toEqual([1, -3, 0.15625]);
    expect(get('e.bool').dtype).toBe('bool');
    expect(Array.from(get('e.bool').data)).toEqual([1, 0, 1]);
    expect(get('f.f64').data[0]).toBe(Math.PI);
  });

  it('refuses truncated and malformed input, naming the source and the problem', () => {
    const good = encodeSafetensors({ a: tensor([1, 2, 3]) });
    const src = 'ckpt/model.safetensors';
    expect(() => decodeSafetensors(good.subarray(0, 5), src)).toThrow(/ckpt\/model.safetensors: truncated: 5 bytes/);
    expect(() => decodeSafetensors(good.subarray(0, 20), src)).toThrow(/truncated: the header says it is \d+ bytes/);
    expect(() => decodeSafetensors(good.subarray(0, good.length - 4), src)).toThrow(/truncated: tensor "a" ends at data byte 12/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
    expect(() => decodeSafetensors(huge, src)).toThrow(/header length 1099511627776 is larger/);
    const junk = raw({}); junk[9] = 0x7b; // '{{': not JSON
    expect(() => decodeSafetensors(junk, src)).toThrow(/not valid UTF-8 JSON/);
    expect(() => decodeSafetensors(raw([1, 2]), src)).toThrow(/must be a JSON object/);
    expect(() => decodeSafetensors(raw({ a: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8)), src))
      .toThrow(/tensor "a" has dtype "C64"; expected one of F64, F32/);
    expect(() => decodeSafetensors(raw({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)), src))
      .toThrow(/tensor "a" is F32 \[3\] \(12 bytes\) but its data_offsets span 8 bytes/);
    expect(() => decodeSafetensors(raw({
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
    }, new Uint8Array(12)), src)).toThrow(/tensor "b" overlaps/);
    expect(() => decodeSafetensors(raw({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, new Uint8Array(8)), src))
      .toThrow(/data bytes 0–4 belong to no tensor/);
    expect(() => decodeSafetensors(raw({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(8)), src))
      .toThrow(/4 data bytes after the last tensor/);
    expect(() => decodeSafetensors(raw({ a: { dtype: 'BOOL', shape: [1], data_offsets: [0, 1] } }, Uint8Array.from([2])), src))
      .toThrow(/BOOL but byte 0 is 2/);
    const big = new Uint8Array(8); new DataView(big.buffer).setBigInt64(0, 1n << 40n, true);
    expect(() => decodeSafetensors(raw({ a: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, big), src))
      .toThrow(/element 0 \(1099511627776\) does not fit in int32/);
    expect(() => encodeSafetensors({ a: tensor([1]) }, { n: 3 as unknown as string })).toThrow(/metadata value of "n" must be a string/);
  });

  it('saves and loads files atomically: the old file survives a failed write, no temporary is left', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-st-'));
    try {
      const file = path.join(dir, 'model.safetensors');
      saveSafetensors(file, { w: tensor([1, 2]) });
      expect(Array.from(loadSafetensors(file).tensors.get('w')!.data)).toEqual([1, 2]);
      // A write whose data can't be serialized fails before the rename: the old file is untouched.
      expect(() => writeFileAtomic(file, 42 as unknown as string)).toThrow();
      expect(Array.from(loadSafetensors(file).tensors.get('w')!.data)).toEqual([1, 2]);
      expect(fs.readdirSync(dir)).toEqual(['model.safetensors']);
      expect(() => loadSafetensors(path.join(dir, 'missing.safetensors'))).toThrow(/cannot read .*missing.safetensors: ENOENT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

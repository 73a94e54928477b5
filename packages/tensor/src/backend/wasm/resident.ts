// Operands kept in the kernels' WebAssembly memory between calls (a decoding loop's weights), so a
// matmul that reads one skips copying it in. They sit above every job's scratch: when a job needs
// more memory than lies below them, ensureBytes moves them up first (runtime.ts), so the kernels'
// layouts never have to know about them. The caller promises not to write to a kept array.

/** A kept array: its bytes start at `offset` in the memory; `count` scopes hold it. */
export interface Resident { offset: number; readonly length: number; count: number }

/** The kept arrays of one runtime, in address order from `base` to `end` (bytes, 64-aligned). */
export interface Residents {
  readonly map: Map<Float32Array, Resident>;
  base: number;
  end: number;
}

/** What residents.ts needs of the runtime: its memory and float view (refreshed after a grow). */
export interface ResidentHost {
  readonly memory: WebAssembly.Memory;
  heapF32: Float32Array;
  readonly residents: Residents;
}

const alignUp = (x: number, to: number): number => Math.ceil(x / to) * to;

/** Grows the memory to at least `bytes` and refreshes the float view (the runtime refreshes its others). */
export function growTo(host: ResidentHost, bytes: number): void {
  const have = host.memory.buffer.byteLength;
  if (bytes > have) host.memory.grow(Math.ceil((bytes - have) / 65536));
  if (host.heapF32.buffer !== host.memory.buffer || host.heapF32.length * 4 !== host.memory.buffer.byteLength) {
    host.heapF32 = new Float32Array(host.memory.buffer);
  }
}

/** Moves every kept array by `delta` bytes (growing the memory first when they move up). */
function shift(host: ResidentHost, delta: number): void {
  const r = host.residents;
  if (delta === 0 || r.end === r.base) { r.base += delta; r.end += delta; return; }
  growTo(host, r.end + delta);
  host.heapF32.copyWithin((r.base + delta) / 4, r.base / 4, r.end / 4);
  for (const x of r.map.values()) x.offset += delta;
  r.base += delta;
  r.end += delta;
}

/** Makes room for a job using bytes [0, bytes): kept arrays below that move above it. */
export function clearBelow(host: ResidentHost, bytes: number): void {
  const r = host.residents;
  if (r.map.size > 0 && bytes > r.base) shift(host, alignUp(bytes, 64) - r.base);
}

/** Keeps `data` (copied in now, once) until as many releases as retains. */
export function retain(host: ResidentHost, data: Float32Array): void {
  const r = host.residents;
  const known = r.map.get(data);
  if (known) { known.count++; return; }
  if (r.map.size === 0) r.base = r.end = alignUp(host.memory.buffer.byteLength, 64);
  const offset = r.end;
  growTo(host, offset + 4 * data.length);
  host.heapF32.set(data, offset / 4);
  r.map.set(data, { offset, length: data.length, count: 1 });
  r.end = alignUp(offset + 4 * data.length, 64);
}

/** Drops one hold on `data`; the last one frees its bytes (the arrays above move down). Unknown arrays are ignored. */
export function release(host: ResidentHost, data: Float32Array): void {
  const r = host.residents;
  const x = r.map.get(data);
  if (!x || --x.count > 0) return;
  r.map.delete(data);
  const size = alignUp(4 * x.length, 64);
  const above = x.offset + size;
  if (above < r.end) host.heapF32.copyWithin(x.offset / 4, above / 4, r.end / 4);
  for (const y of r.map.values()) if (y.offset > x.offset) y.offset -= size;
  r.end -= size;
  if (r.map.size === 0) r.base = r.end = 0;
}

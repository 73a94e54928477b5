// Operands kept in the kernels' WebAssembly memory between calls (a decoding loop's weights), so a
// matmul that reads one skips copying it in, and, as B, skips packing it (matmul.ts keeps its packed
// panels beside it). They sit above every job's scratch: when a job needs more memory than lies below
// them, ensureBytes moves them up first (runtime.ts), so the kernels' layouts never have to know
// about them. The caller promises not to write to a kept array.

/** Bytes of the memory a kept array or one of its packed copies occupies; `offset` moves with the region. */
export interface Block { offset: number; readonly bytes: number }

/** A kept array: its copy, `count` scopes holding it, packed copies by layout key (matmul.ts). */
export interface Resident { readonly block: Block; count: number; readonly packs: Map<string, Block> }

/**
 * The kept arrays of one runtime; their blocks lie back to back from `base` to `end` (bytes,
 * 64-aligned), at or above `jobEnd`, the most bytes any job has asked for (the control block's
 * end at first), so a new scope reuses the memory the last one freed.
 */
export interface Residents {
  readonly map: Map<Float32Array, Resident>;
  readonly blocks: Block[];
  base: number;
  end: number;
  jobEnd: number;
}

/** What resident.ts needs of the runtime: its memory and float view (refreshed after a grow). */
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

/** Makes room for a job using bytes [0, bytes): the kept region, if below that, moves just above it. */
export function clearBelow(host: ResidentHost, bytes: number): void {
  const r = host.residents;
  r.jobEnd = Math.max(r.jobEnd, bytes);
  if (r.blocks.length === 0 || bytes <= r.base) return;
  const delta = alignUp(bytes, 64) - r.base;
  growTo(host, r.end + delta);
  host.heapF32.copyWithin((r.base + delta) / 4, r.base / 4, r.end / 4);
  for (const b of r.blocks) b.offset += delta;
  r.base += delta;
  r.end += delta;
}

/** A new block of `bytes` at the top of the kept region (the memory grown to hold it). */
export function allocate(host: ResidentHost, bytes: number): Block {
  const r = host.residents;
  if (r.blocks.length === 0) r.base = r.end = alignUp(r.jobEnd, 64);
  const block = { offset: r.end, bytes: alignUp(bytes, 64) };
  growTo(host, block.offset + block.bytes);
  r.blocks.push(block);
  r.end += block.bytes;
  return block;
}

/** Frees a block; the blocks above it move down. */
function free(host: ResidentHost, block: Block): void {
  const r = host.residents;
  const above = block.offset + block.bytes;
  if (above < r.end) host.heapF32.copyWithin(block.offset / 4, above / 4, r.end / 4);
  r.blocks.splice(r.blocks.indexOf(block), 1);
  for (const b of r.blocks) if (b.offset > block.offset) b.offset -= block.bytes;
  r.end -= block.bytes;
  if (r.blocks.length === 0) r.base = r.end = 0;
}

/** Keeps `data` (copied in now, once) until as many releases as retains. */
export function retain(host: ResidentHost, data: Float32Array): void {
  const known = host.residents.map.get(data);
  if (known) { known.count++; return; }
  const block = allocate(host, 4 * data.length);
  host.heapF32.set(data, block.offset / 4);
  host.residents.map.set(data, { block, count: 1, packs: new Map() });
}

/** Drops one hold on `data`; the last one frees it and its packed copies. Unknown arrays are ignored. */
export function release(host: ResidentHost, data: Float32Array): void {
  const x = host.residents.map.get(data);
  if (!x || --x.count > 0) return;
  host.residents.map.delete(data);
  for (const p of x.packs.values()) free(host, p);
  free(host, x.block);
}

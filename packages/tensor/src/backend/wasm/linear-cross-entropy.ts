// Backend.linearCrossEntropy for float32 in the kernels' memory: x, W and the bias are copied in once and W is
// packed once for each of its two products; then per chunk of rows the logits G = x·Wᵀ, the cross-entropy job
// turning G into the gradient g in place (cross-entropy-module.ts, bias added there), dx = g·W and
// dW (+)= gᵀ·[x | 1], whose last column is db = Σ_rows g. The logits and g never leave the memory, and each
// product runs on the thread pool. Same contract and chunking as cpu/linear-cross-entropy.ts.
import type { LinearCrossEntropyArgs } from '../types.js';
import { JobKind } from './attention-module.js';
import { Ce } from './cross-entropy-module.js';
import { Ctrl, packBExport } from './gemm-module.js';
import { gemmBlocks, gemmThreads, runGemm } from './matmul.js';
import { align, ensureBytes, getRuntime, kernelThreads, runJob, slotsFor } from './runtime.js';

/** Cross-entropy chunks per thread (rows are uniform work; a few per thread balance a busy machine). */
const CE_CHUNKS_PER_THREAD = 4;

/** Runs args on the WebAssembly kernels and returns true, or returns false where they don't take it (float64, no SIMD). */
export function linearCrossEntropyF32(args: LinearCrossEntropyArgs): boolean {
  const { x, weight, bias, targets, rows, vocab: v, inFeatures: d, ignoreIndex, smoothing, scale } = args;
  const { loss, lse, targetLogit, dx, dweight, dbias } = args;
  const s = getRuntime();
  const f32 = (a: unknown): boolean => a === null || a instanceof Float32Array;
  if (!s || !(x instanceof Float32Array) || !(weight instanceof Float32Array) || !f32(bias) || !f32(dx) || !f32(dweight) || !f32(dbias) || d === 0) return false;
  if (rows === 0) { if (dweight) dweight.fill(0); if (dbias) dbias.fill(0); return true; }
  const withGrad = dx !== null || dweight !== null || dbias !== null;
  const wantW = dweight !== null || dbias !== null;
  const tileIndex = 0;
  const { mr, nrv } = s.tiles[tileIndex];
  const nr = 4 * nrv;
  const ldx = d + (dbias ? 1 : 0);                 // x with a column of ones when db is wanted
  const ldg = align(v, nr);
  const ldd = align(d, nr);
  const ldw = align(ldx, nr);
  const chunk = Math.min(align(rows, mr), align(Math.max(1, args.chunkRows), mr));   // whole GEMM tiles
  const t = kernelThreads();
  const slots = slotsFor(s, t);
  const packSlot = Math.max(
    gemmBlocks(chunk, v, d, mr, nr).packSlotBytes,
    withGrad ? gemmBlocks(chunk, d, v, mr, nr).packSlotBytes : 0,
    wantW ? gemmBlocks(v, ldx, chunk, mr, nr).packSlotBytes : 0);

  // Layout (bytes): control | pack slots | offsets | x | W | Wᵀ panels | W panels | bias | targets | stats | G | dx | dW.
  let end = Ctrl.BYTES + slots * packSlot;
  const place = (bytes: number): number => { const at = align(end, 64); end = at + bytes; return at; };
  const offsets = place(8);
  const xP = place(4 * rows * ldx);
  const wP = place(4 * v * d);
  const wtPanels = place(4 * ldg * d);
  const wPanels = withGrad ? place(4 * ldd * v) : 0;
  const biasP = bias ? place(4 * align(v, 4)) : 0;
  const targetsP = place(4 * rows);
  const statsP = place(8 * 4 * rows);
  const gP = place(4 * chunk * ldg);
  const dxP = dx ? place(4 * (align(rows, mr) + mr) * ldd) : 0;
  const dwP = wantW ? place(4 * align(v, mr) * ldw) : 0;
  ensureBytes(s, end);
  const { heapF32, heapI32 } = s;

  if (ldx === d) heapF32.set(x.subarray(0, rows * d), xP / 4);
  else for (let r = 0; r < rows; r++) { heapF32.set(x.subarray(r * d, (r + 1) * d), xP / 4 + r * ldx); heapF32[xP / 4 + r * ldx + d] = 1; }
  heapF32.set(weight.subarray(0, v * d), wP / 4);
  if (bias) { heapF32.set(bias.subarray(0, v), biasP / 4); heapF32.fill(0, biasP / 4 + v, biasP / 4 + align(v, 4)); }
  heapI32.set(targets.subarray(0, rows), targetsP / 4);
  // B panels over the whole k, once per call: Wᵀ for the logits (column j of B is row j of W), W for dx.
  const pack = s.exports[packBExport(tileIndex)] as (dst: number, src: number, xs: number, ps: number, x0: number,
    xlen: number, p0: number, kc: number) => void;
  pack(wtPanels, wP, d, 1, 0, v, 0, d);
  if (withGrad) pack(wPanels, wP, 1, d, 0, d, 0, v);

  const ceChunks = (m: number, threads: number): number => {
    const n = Math.min(Ctrl.MAX_CHUNKS, threads === 1 ? 1 : threads * CE_CHUNKS_PER_THREAD, m);
    for (let c = 0; c < n; c++) heapI32.set([Math.floor((c * m) / n), Math.floor(((c + 1) * m) / n)], Ctrl.CHUNKS + Ctrl.CHUNK_WORDS * c);
    return n;
  };
  const f32Bits = (value: number): number => new Int32Array(Float32Array.of(value).buffer)[0];
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const m = Math.min(chunk, rows - r0);
    const xc = xP + 4 * r0 * ldx;
    runGemm(s, { aBase: xc, aRs: ldx, aCs: 1, bBase: wP, bRs: 1, bCs: d, bPacked: wtPanels, cBase: gP, ldc: ldg, k: d,
      offsets, tileIndex, accumulate: false }, m, v, gemmThreads(s, 2 * m * v * d));
    const header: [number, number][] = [
      [Ce.G, gP], [Ce.LDG, 4 * ldg], [Ce.V, v], [Ce.V4, v & ~3], [Ce.TAIL, v & 3], [Ce.BIAS, biasP],
      [Ce.TARGETS, targetsP + 4 * r0], [Ce.IGNORE, ignoreIndex], [Ce.STATS, statsP + 32 * r0], [Ce.GRAD, withGrad ? 1 : 0],
      [Ce.SCALE, f32Bits(scale)], [Ce.U, f32Bits((scale * smoothing) / v)], [Ce.TW, f32Bits(scale * (1 - smoothing))],
    ];
    for (const [w, value] of header) heapI32[w] = value;
    const ceThreads = m * v >= 1 << 16 ? t : 1;
    runJob(s, JobKind.CROSS_ENTROPY, ceChunks(m, ceThreads), ceThreads);
    if (dx) {
      runGemm(s, { aBase: gP, aRs: ldg, aCs: 1, bBase: wP, bRs: d, bCs: 1, bPacked: wPanels, cBase: dxP + 4 * r0 * ldd, ldc: ldd, k: v,
        offsets, tileIndex, accumulate: false }, m, d, gemmThreads(s, 2 * m * v * d));
    }
    if (wantW) {
      runGemm(s, { aBase: gP, aRs: 1, aCs: ldg, bBase: xc, bRs: ldx, bCs: 1, bPacked: 0, cBase: dwP, ldc: ldw, k: m,
        offsets, tileIndex, accumulate: r0 > 0 }, v, ldx, gemmThreads(s, 2 * m * v * ldx));
    }
  }

  // Per row: max, Σ exp(x − max), Σ x, x_t → lse, loss (and the target logit for the NLL).
  const stats = new Float64Array(s.memory.buffer, statsP, 4 * rows);
  for (let r = 0; r < rows; r++) {
    if (targets[r] === ignoreIndex) { loss[r] = 0; lse[r] = 0; if (targetLogit) targetLogit[r] = 0; continue; }
    const l = stats[4 * r] + Math.log(stats[4 * r + 1]);
    const xt = stats[4 * r + 3];
    lse[r] = l;
    loss[r] = (1 - smoothing) * (l - xt) + smoothing * (l - stats[4 * r + 2] / v);
    if (targetLogit) targetLogit[r] = xt;
  }
  const out = s.heapF32;
  if (dx) {
    if (ldd === d) dx.set(out.subarray(dxP / 4, dxP / 4 + rows * d));
    else for (let r = 0; r < rows; r++) dx.set(out.subarray(dxP / 4 + r * ldd, dxP / 4 + r * ldd + d), r * d);
  }
  if (dweight) {
    if (ldw === d) dweight.set(out.subarray(dwP / 4, dwP / 4 + v * d));
    else for (let j = 0; j < v; j++) dweight.set(out.subarray(dwP / 4 + j * ldw, dwP / 4 + j * ldw + d), j * d);
  }
  if (dbias) for (let j = 0; j < v; j++) dbias[j] = out[dwP / 4 + j * ldw + d];
  return true;
}

// Fused scaled dot-product attention, softmax(q·kᵀ·scale + masks)·v, forward and backward, in blocks:
// a group of heads × a range of query rows at a time, so the scores never exceed a fixed workspace
// (WORKSPACE floats) whatever the sequence length — no [batch, heads, tq, tk] buffer. The q·kᵀ, P·v
// and gradient products run on the given matmul; the masking and the softmax are one pass each over
// the block. Backward recomputes P from the saved log-sum-exp (FlashAttention's recipe). Dropout
// (attention-dropout.ts) scales P after the softmax; the backward regenerates its mask from the seed.
// On matmulRef this is referenceBackend's attention, the definition of correct; cpuBackend runs it on
// the WebAssembly GEMM for what its dedicated kernel (wasm/attention.ts) declines, float64 above all.
import type { FloatArray } from '../../dtype.js';
import type { AttentionDims, AttentionMasking } from '../types.js';
import type { Matmul } from './matmul.js';
import { dropoutBits, dropoutKeepScale, dropoutRowKey, dropoutThreshold, dropRow } from './attention-dropout.js';

/** Upper bound on scores held at once (4 MB in float32). */
const WORKSPACE = 1 << 20;

interface Block { h0: number; g: number; q0: number; rows: number }

/** Head groups × query ranges covering [batch·heads, tq], each within the workspace. */
function* blocks({ batch, heads, tq, tk }: AttentionDims): Generator<Block> {
  const bh = batch * heads;
  const rowsPer = Math.max(1, Math.min(tq, Math.floor(WORKSPACE / Math.max(tk, 1))));
  const groupPer = rowsPer < tq ? 1 : Math.max(1, Math.floor(WORKSPACE / Math.max(tq * tk, 1)));
  for (let h0 = 0; h0 < bh; h0 += groupPer) {
    const g = Math.min(groupPer, bh - h0);
    for (let q0 = 0; q0 < tq; q0 += rowsPer) yield { h0, g, q0, rows: Math.min(rowsPer, tq - q0) };
  }
}

function maxOf(all: Block[], size: (b: Block) => number): number {
  let m = 0;
  for (const b of all) m = Math.max(m, size(b));
  return m;
}

function offsets(g: number, first: number, stride: number): Int32Array {
  const o = new Int32Array(g);
  for (let i = 0; i < g; i++) o[i] = first + i * stride;
  return o;
}

/**
 * Turns the raw q·kᵀ block into probabilities in place: scale, mask, subtract the row max, exp,
 * normalize. With `lse` given (backward), uses the saved log-sum-exp instead of recomputing it.
 * Returns nothing; writes lseOut when computing (forward).
 */
function scoresToProbs(s: FloatArray, blk: Block, dims: AttentionDims, scale: number, m: AttentionMasking,
  lseIn: FloatArray | null, lseOut: FloatArray | null): void {
  const { heads, tq, tk } = dims;
  const shift = tk - tq; // bottom-right aligned causal: key j allowed for query i when j ≤ i + shift
  const { causal, keyPadding, mask, maskStrides: [s0, s1, s2, s3] } = m;
  const win = m.window ?? null;
  const blocks = m.blockLayout ?? null;
  const boolMask = mask instanceof Uint8Array;
  for (let gi = 0; gi < blk.g; gi++) {
    const bh = blk.h0 + gi;
    const b = Math.floor(bh / heads);
    const h = bh - b * heads;
    for (let r = 0; r < blk.rows; r++) {
      const i = blk.q0 + r;
      const row = (gi * blk.rows + r) * tk;
      const limit = causal ? Math.min(tk, i + shift + 1) : tk; // keys ≥ limit are masked
      // Window: keys outside [p − before, p + after] are masked unless the query or the key is global.
      const p = i + shift;
      const globalRow = win !== null && p < win.globalTokens;
      const lo = win === null || globalRow ? 0 : p - win.before;
      const hi = win === null || globalRow ? tk : p + win.after + 1;
      const g = win?.globalTokens ?? 0;
      const mrow = b * s0 + h * s1 + i * s2;
      let max = -Infinity;
      for (let j = 0; j < tk; j++) {
        let v = s[row + j] * scale;
        if (j >= limit || (keyPadding !== null && keyPadding[b * tk + j] !== 0) || ((j < lo || j >= hi) && j >= g)) v = -Infinity;
        else if (blocks !== null && blocks.layout[Math.floor(i / blocks.blockSize) * blocks.numKeyBlocks + Math.floor(j / blocks.blockSize)] === 0) v = -Infinity;
        else if (mask !== null) {
          const mv = mask[mrow + j * s3];
          if (boolMask) { if (mv === 0) v = -Infinity; } else v += mv;
        }
        s[row + j] = v;
        if (v > max) max = v;
      }
      const rowIndex = bh * tq + i;
      if (lseIn !== null) {
        // Backward: P = exp(S − lse); an empty row (lse = −∞) stays all zero.
        const l = lseIn[rowIndex];
        if (l === -Infinity) s.fill(0, row, row + tk);
        else for (let j = 0; j < tk; j++) s[row + j] = Math.exp(s[row + j] - l);
        continue;
      }
      if (max === -Infinity) {
        // Nothing to attend: zero probabilities, output 0, lse −∞ (not NaN).
        s.fill(0, row, row + tk);
        lseOut![rowIndex] = -Infinity;
        continue;
      }
      let sum = 0;
      for (let j = 0; j < tk; j++) { const e = Math.exp(s[row + j] - max); s[row + j] = e; sum += e; }
      const inv = 1 / sum;
      for (let j = 0; j < tk; j++) s[row + j] *= inv;
      lseOut![rowIndex] = max + Math.log(sum);
    }
  }
}

/** Applies the dropout mask to a block of probabilities [g, rows, tk] in place. */
function dropBlock(s: FloatArray, blk: Block, dims: AttentionDims, p: number, seed: readonly [number, number]): void {
  const { tk } = dims;
  const threshold = dropoutThreshold(p);
  const keepScale = dropoutKeepScale(p);
  for (let gi = 0; gi < blk.g; gi++) {
    for (let r = 0; r < blk.rows; r++) {
      dropRow(s, (gi * blk.rows + r) * tk, tk, dropoutRowKey(seed, blk.h0 + gi, blk.q0 + r), 0, threshold, keepScale);
    }
  }
}

/** Copies a [g, rows, d] block result into the [bh, t, d] tensor at (h0, q0); adds when `accumulate`. */
function scatterRows(src: FloatArray, dst: FloatArray, blk: Block, t: number, d: number, accumulate: boolean): void {
  for (let gi = 0; gi < blk.g; gi++) {
    const from = gi * blk.rows * d;
    const to = ((blk.h0 + gi) * t + blk.q0) * d;
    const n = blk.rows * d;
    if (accumulate) for (let x = 0; x < n; x++) dst[to + x] += src[from + x];
    else dst.set(src.subarray(from, from + n), to);
  }
}

export function makeAttention(matmul: Matmul) {
  function attentionForward(q: FloatArray, k: FloatArray, v: FloatArray, dims: AttentionDims, scale: number,
    masking: AttentionMasking, out: FloatArray, lse: FloatArray): void {
    const { tq, tk, headDim: d } = dims;
    if (tk === 0) { out.fill(0); lse.fill(-Infinity); return; }
    const Ctor = q.constructor as new (n: number) => FloatArray;
    const all = [...blocks(dims)];
    const scores = new Ctor(maxOf(all, (b) => b.g * b.rows * tk)); // one workspace, reused by every block
    const outBlock = new Ctor(maxOf(all, (b) => b.g * b.rows * d));
    for (const blk of all) {
      const s = scores.subarray(0, blk.g * blk.rows * tk); // [g, rows, tk]
      const qOff = offsets(blk.g, (blk.h0 * tq + blk.q0) * d, tq * d);
      const kOff = offsets(blk.g, blk.h0 * tk * d, tk * d);
      matmul(q, k, s, blk.rows, tk, d, false, true, qOff, kOff); // q·kᵀ
      scoresToProbs(s, blk, dims, scale, masking, null, lse);
      if (masking.dropout) dropBlock(s, blk, dims, masking.dropout.p, masking.dropout.seed);
      const o = outBlock.subarray(0, blk.g * blk.rows * d);
      matmul(s, v, o, blk.rows, d, tk, false, false, offsets(blk.g, 0, blk.rows * tk), kOff); // P·v
      scatterRows(o, out, blk, tq, d, false);
    }
  }

  function attentionBackward(q: FloatArray, k: FloatArray, v: FloatArray, out: FloatArray, lse: FloatArray, dout: FloatArray,
    dims: AttentionDims, scale: number, masking: AttentionMasking, dq: FloatArray, dk: FloatArray, dv: FloatArray): void {
    const { tq, tk, headDim: d } = dims;
    dk.fill(0);
    dv.fill(0);
    if (tk === 0) { dq.fill(0); return; }
    const Ctor = q.constructor as new (n: number) => FloatArray;
    const all = [...blocks(dims)];
    const maxScores = maxOf(all, (b) => b.g * b.rows * tk);
    const pWork = new Ctor(maxScores);
    const dsWork = new Ctor(maxScores);
    const kvWork = new Ctor(maxOf(all, (b) => b.g * tk * d));
    const qWork = new Ctor(maxOf(all, (b) => b.g * b.rows * d));
    for (const blk of all) {
      const n = blk.g * blk.rows;
      const p = pWork.subarray(0, n * tk);
      const qOff = offsets(blk.g, (blk.h0 * tq + blk.q0) * d, tq * d);
      const kOff = offsets(blk.g, blk.h0 * tk * d, tk * d);
      const sOff = offsets(blk.g, 0, blk.rows * tk);
      matmul(q, k, p, blk.rows, tk, d, false, true, qOff, kOff);
      scoresToProbs(p, blk, dims, scale, masking, lse, null); // P, recomputed
      // dP̃ = dO·vᵀ (the gradient of the dropped weights P̃ = P ⊙ Z); dP = Z ⊙ dP̃, and
      // dS = P ⊙ (dP − D)·scale with D_i = Σ_c dO_ic·O_ic (= Σ_j P_ij·dP_ij, since O = P̃·v).
      const ds = dsWork.subarray(0, n * tk);
      matmul(dout, v, ds, blk.rows, tk, d, false, true, qOff, kOff);
      const drop = masking.dropout ?? null;
      const threshold = drop ? dropoutThreshold(drop.p) : 0;
      const keepScale = drop ? dropoutKeepScale(drop.p) : 1;
      for (let gi = 0; gi < blk.g; gi++) {
        for (let r = 0; r < blk.rows; r++) {
          const o = ((blk.h0 + gi) * tq + blk.q0 + r) * d;
          let dsum = 0;
          for (let c = 0; c < d; c++) dsum += dout[o + c] * out[o + c];
          const row = (gi * blk.rows + r) * tk;
          if (drop === null) {
            for (let j = 0; j < tk; j++) ds[row + j] = p[row + j] * (ds[row + j] - dsum) * scale;
            continue;
          }
          const key = dropoutRowKey(drop.seed, blk.h0 + gi, blk.q0 + r);
          for (let j = 0; j < tk; j++) {
            const z = dropoutBits(key, j) >= threshold ? keepScale : 0;
            ds[row + j] = p[row + j] * (z * ds[row + j] - dsum) * scale;
            p[row + j] *= z; // P̃, for dV
          }
        }
      }
      // dV += P̃ᵀ·dO
      const kvBlock = kvWork.subarray(0, blk.g * tk * d);
      matmul(p, dout, kvBlock, tk, d, blk.rows, true, false, sOff, qOff);
      scatterRows(kvBlock, dv, { ...blk, q0: 0, rows: tk }, tk, d, true);
      // dQ = dS·k (this block's rows), dK += dSᵀ·q
      const qBlock = qWork.subarray(0, n * d);
      matmul(ds, k, qBlock, blk.rows, d, tk, false, false, sOff, kOff);
      scatterRows(qBlock, dq, blk, tq, d, false);
      matmul(ds, q, kvBlock, tk, d, blk.rows, true, false, sOff, qOff);
      scatterRows(kvBlock, dk, { ...blk, q0: 0, rows: tk }, tk, d, true);
    }
  }

  return { attentionForward, attentionBackward };
}

// Linear attention (Katharopoulos et al. 2020, "Transformers are RNNs", §3.2): the softmax kernel exp(q·k) is
// replaced by φ(q)·φ(k), so out_i = φ(q_i)ᵀ·Σ_j φ(k_j)v_jᵀ / φ(q_i)ᵀ·Σ_j φ(k_j) costs O(T·m·headDim), and the causal
// form (sums over j ≤ i) is an RNN whose state S = Σ φ(k_j)v_jᵀ, z = Σ φ(k_j) makes each decoding step O(1) (§3.4).
// φ = elu + 1 (§3.2.1), or FAVOR+ positive random features (Performer, Choromanski et al. 2021, Lemma 1), which
// estimate the softmax kernel itself. Composed from autograd ops: gradients need no code here.
import { DTypeError, Generator, ShapeError, Tensor, ValueError, formatShape, logicalNot, randn, tril, ones, type FloatDType } from '@gloss/tensor';
import { Variable, add, concat, div, exp, matmul, mul, neg, relu, reshape, slice, sub, sum, unsqueeze } from '@gloss/autograd';

type In = Variable | Tensor;

/** A feature map on the last axis: [..., headDim] → [..., m], positive. */
export type FeatureMapFn = (x: In) => Variable;

/** φ(x) = elu(x) + 1 (x + 1 for x > 0, eˣ otherwise): positive, m = headDim (Katharopoulos et al. §3.2.1). */
export function eluFeatureMap(x: In): Variable {
  return add(relu(x), exp(neg(relu(neg(x)))));
}

/**
 * FAVOR+ random features [m, headDim] (Performer, §2.4): m Gaussian rows, orthogonal within each block of headDim
 * rows (Gram–Schmidt), each rescaled to the norm of an independent Gaussian vector (so rows stay N(0, I)-distributed).
 */
export function orthogonalRandomFeatures(m: number, headDim: number, generator: Generator, dtype: FloatDType = 'float32'): Tensor {
  if (!Number.isInteger(m) || m < 1) throw new ValueError('orthogonalRandomFeatures', `m must be a positive integer, got ${m}`);
  const g = randn([m, headDim], { generator, dtype: 'float64' }).data as Float64Array;
  const norms = randn([m, headDim], { generator, dtype: 'float64' }).data as Float64Array;
  const out = new Float64Array(m * headDim);
  for (let r = 0; r < m; r++) {
    const row = g.subarray(r * headDim, (r + 1) * headDim);
    // Orthogonalize against the earlier rows of this block of headDim rows.
    for (let p = r - (r % headDim); p < r; p++) {
      const prev = out.subarray(p * headDim, (p + 1) * headDim);
      let dot = 0;
      for (let c = 0; c < headDim; c++) dot += row[c] * prev[c];
      for (let c = 0; c < headDim; c++) row[c] -= dot * prev[c];
    }
    let n = 0;
    for (let c = 0; c < headDim; c++) n += row[c] * row[c];
    for (let c = 0; c < headDim; c++) out[r * headDim + c] = row[c] / Math.sqrt(n);   // unit rows for now
  }
  for (let r = 0; r < m; r++) {
    let n = 0;
    for (let c = 0; c < headDim; c++) n += norms[r * headDim + c] ** 2;
    for (let c = 0; c < headDim; c++) out[r * headDim + c] *= Math.sqrt(n);
  }
  return new Tensor(out, [m, headDim], 'float64').astype(dtype);
}

/**
 * FAVOR+ positive features of the softmax kernel exp(q·k/√headDim): with x' = x·headDim^(−1/4),
 * φ(x) = exp(ω·x' − |x'|²/2) / √m, so E[φ(q)·φ(k)] = exp(q·k/√headDim) (Performer, Lemma 1).
 * ω [m, headDim] from orthogonalRandomFeatures.
 */
export function favorFeatureMap(omega: Tensor): FeatureMapFn {
  const [m, headDim] = omega.shape;
  const s = headDim ** -0.25;
  return (x: In) => {
    const xs = mul(x, s);                                                    // [..., headDim]
    const proj = matmul(xs, omega, { transB: true });                       // [..., m]
    const half = mul(sum(mul(xs, xs), -1, true), 0.5);                       // [..., 1]
    return mul(exp(sub(proj, half)), 1 / Math.sqrt(m));
  };
}

export interface LinearAttentionOptions {
  /** Query i sums over keys j ≤ i (needs tgtLen = srcLen). Default false. */
  causal?: boolean;
  /** bool [batch, srcLen], true = padding: φ(k) is 0 there, so a padded key adds nothing. */
  keyPaddingMask?: Tensor | null;
  /** φ; default elu + 1. */
  featureMap?: FeatureMapFn;
  /** Causal form: positions per chunk (a quadratic form inside, the carried state across). Default 64. */
  chunkSize?: number;
}

/** Keeps the denominator of a query with no key (every key padded) away from 0: its output is then 0. */
const TINY = 1e-30;

/**
 * Linear attention, q [batch, numHeads, tgtLen, headDim], k and v [batch, numHeads, srcLen, headDim]
 * → [batch, numHeads, tgtLen, headDim]. Non-causal: out = φ(Q)·(φ(K)ᵀV) / φ(Q)·Σφ(K), O(T·m·headDim).
 * Causal: chunks of C positions, a masked C×C quadratic form inside each and the state Σ φ(k)vᵀ of earlier chunks
 * carried in (a matrix product with the strictly lower triangle over chunks): O(T·(C + m)·headDim).
 * @example const out = linearAttention(q, k, v, { causal: true });
 */
export function linearAttention(q: In, k: In, v: In, options: LinearAttentionOptions = {}): Variable {
  const { causal = false, keyPaddingMask = null, featureMap = eluFeatureMap, chunkSize = 64 } = options;
  const [batch, numHeads, tgtLen, headDim] = q.shape;
  const srcLen = k.shape[2];
  if (causal && tgtLen !== srcLen) {
    throw new ShapeError('linearAttention', `causal linear attention needs tgtLen = srcLen, got q ${formatShape(q.shape)} and k ${formatShape(k.shape)} (decode with a KVCache instead)`);
  }
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new ValueError('linearAttention', `chunkSize must be a positive integer, got ${chunkSize}`);
  const phiQ = featureMap(q);                                                // [batch, numHeads, tgtLen, m]
  let phiK = featureMap(k);                                                  // [batch, numHeads, srcLen, m]
  if (keyPaddingMask) {
    if (keyPaddingMask.dtype !== 'bool') throw new DTypeError('linearAttention', `keyPaddingMask must be bool (true = padding), got ${keyPaddingMask.dtype}`);
    const keep = logicalNot(keyPaddingMask).astype(q.dtype).reshape([batch, 1, srcLen, 1]);
    phiK = mul(phiK, keep);
  }
  const m = phiQ.shape[3];
  if (!causal) {
    const kv = matmul(phiK, v, { transA: true });                            // [batch, numHeads, m, headDim]
    const z = unsqueeze(sum(phiK, 2), -1);                                   // [batch, numHeads, m, 1]
    return div(matmul(phiQ, kv), add(matmul(phiQ, z), TINY));                // [batch, numHeads, tgtLen, headDim]
  }
  const C = Math.min(chunkSize, Math.max(1, srcLen));
  const nc = Math.ceil(srcLen / C);
  const padTo = (x: Variable | In, width: number): Variable | In => {
    const extra = nc * C - srcLen;
    if (extra === 0) return x;
    return concat([x, new Tensor(new (q.dtype === 'float64' ? Float64Array : Float32Array)(batch * numHeads * extra * width), [batch, numHeads, extra, width], q.dtype)], 2);
  };
  const Qc = reshape(padTo(phiQ, m), [batch, numHeads, nc, C, m]);
  const Kc = reshape(padTo(phiK, m), [batch, numHeads, nc, C, m]);          // padded positions: φ(k) = 0
  const Vc = reshape(padTo(v, headDim), [batch, numHeads, nc, C, headDim]);
  // Inside a chunk: A = (φQ·φKᵀ) ⊙ lower triangle, num = A·V, den = rowsum(A).
  const lower = tril(ones([C, C], q.dtype));
  const A = mul(matmul(Qc, Kc, { transB: true }), lower);                   // [batch, numHeads, nc, C, C]
  let num = matmul(A, Vc);                                                   // [batch, numHeads, nc, C, headDim]
  let den = sum(A, -1, true);                                                // [batch, numHeads, nc, C, 1]
  if (nc > 1) {
    // Across chunks: the state of the chunks before, S_c = Σ_{c' < c} φK_c'ᵀ·V_c', z_c = Σ_{c' < c} Σ φK_c'.
    const strictlyLower = tril(ones([nc, nc], q.dtype), -1);
    const S = reshape(matmul(Kc, Vc, { transA: true }), [batch, numHeads, nc, m * headDim]);
    const Sp = reshape(matmul(strictlyLower, S), [batch, numHeads, nc, m, headDim]);
    const zp = unsqueeze(matmul(strictlyLower, sum(Kc, 3)), -1);            // [batch, numHeads, nc, m, 1]
    num = add(num, matmul(Qc, Sp));
    den = add(den, matmul(Qc, zp));
  }
  const out = reshape(div(num, add(den, TINY)), [batch, numHeads, nc * C, headDim]);
  return nc * C === srcLen ? out : slice(out, 2, 0, srcLen);
}

/**
 * The recurrent state of causal linear attention for incremental decoding: S [rows, numHeads, m, headDim] and
 * z [rows, numHeads, m], the sums of φ(k)vᵀ and φ(k) so far. `step` adds one position and answers its query in
 * O(m·headDim) per head, whatever the number of earlier positions (Katharopoulos et al. §3.4).
 */
export class LinearAttentionState {
  s: Float64Array | Float32Array;
  z: Float64Array | Float32Array;
  length = 0;
  constructor(readonly rows: number, readonly numHeads: number, readonly m: number, readonly headDim: number, readonly dtype: FloatDType) {
    const A = dtype === 'float64' ? Float64Array : Float32Array;
    this.s = new A(rows * numHeads * m * headDim);
    this.z = new A(rows * numHeads * m);
  }

  /**
   * phiQ, phiK [rows, numHeads, m], v [rows, numHeads, headDim] of the new position (plain arrays); `keep` [rows]
   * (0 = the new key is padding) may be null. Writes out [rows, numHeads, headDim].
   */
  step(phiQ: ArrayLike<number>, phiK: ArrayLike<number>, v: ArrayLike<number>, keep: Uint8Array | null, out: Float64Array | Float32Array): void {
    const { rows, numHeads: H, m, headDim: D, s, z } = this;
    for (let r = 0; r < rows; r++) {
      const use = keep === null || keep[r] !== 0;
      for (let h = 0; h < H; h++) {
        const p = r * H + h;
        const S = p * m * D;
        if (use) {
          for (let a = 0; a < m; a++) {
            const fk = phiK[p * m + a];
            z[p * m + a] += fk;
            for (let c = 0; c < D; c++) s[S + a * D + c] += fk * v[p * D + c];
          }
        }
        let den = 0;
        for (let a = 0; a < m; a++) den += phiQ[p * m + a] * z[p * m + a];
        for (let c = 0; c < D; c++) {
          let n = 0;
          for (let a = 0; a < m; a++) n += phiQ[p * m + a] * s[S + a * D + c];
          out[p * D + c] = n / (den + TINY);
        }
      }
    }
    this.length++;
  }

  /** Keeps rows `indices` in that order (beam search), as KVCache.reorder. */
  reorder(indices: Int32Array): void {
    const A = this.dtype === 'float64' ? Float64Array : Float32Array;
    const { numHeads: H, m, headDim: D } = this;
    const s = new A(indices.length * H * m * D);
    const z = new A(indices.length * H * m);
    indices.forEach((i, r) => {
      s.set(this.s.subarray(i * H * m * D, (i + 1) * H * m * D), r * H * m * D);
      z.set(this.z.subarray(i * H * m, (i + 1) * H * m), r * H * m);
    });
    this.s = s;
    this.z = z;
    (this as { rows: number }).rows = indices.length;
  }
}

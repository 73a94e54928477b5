// The output projection and its softmax cross-entropy in one primitive (the reference; wasm/linear-cross-entropy.ts
// runs it in the kernels' memory): logits = x·Wᵀ + b go through in chunks of rows (a chunk's logits, then its loss
// and gradient g in that buffer, then dx = g·W, dW += gᵀ·x, db += Σ g), so a training step's loss touches one
// chunk-sized buffer instead of two [rows, vocab] ones. Loss semantics as crossEntropyWithGrad (cross-entropy.ts).
import { allocate, type FloatArray } from '../../dtype.js';
import type { LinearCrossEntropyArgs } from '../types.js';
import { crossEntropy, crossEntropyWithGrad } from './cross-entropy.js';
import { biasActivationInPlace } from './linear.js';
import { SINGLE, type Matmul } from './matmul.js';

/** linearCrossEntropy on the given matmul (the reference's, or the fast one for float64 / no WebAssembly). */
export function makeLinearCrossEntropy(matmul: Matmul): (a: LinearCrossEntropyArgs) => void {
  return (a) => {
    const { x, weight, bias, targets, rows, vocab, inFeatures, ignoreIndex, smoothing, scale, loss, lse, targetLogit, dx, dweight, dbias } = a;
    const chunk = Math.max(1, Math.min(rows, a.chunkRows));
    const logits = allocate(weight instanceof Float32Array ? 'float32' : 'float64', chunk * vocab) as FloatArray;
    const dwChunk = dweight && rows > chunk ? allocate(weight instanceof Float32Array ? 'float32' : 'float64', vocab * inFeatures) as FloatArray : null;
    if (dbias) dbias.fill(0);
    const withGrad = dx !== null || dweight !== null || dbias !== null;
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const m = Math.min(chunk, rows - r0);
      const xc = x.subarray(r0 * inFeatures, (r0 + m) * inFeatures);              // [m, inFeatures]
      const lc = logits.subarray(0, m * vocab);                                    // [m, vocab]
      const tc = targets.subarray(r0, r0 + m);
      matmul(xc, weight, lc, m, vocab, inFeatures, false, true, SINGLE, SINGLE);   // x·Wᵀ
      biasActivationInPlace(lc, bias, false);
      if (targetLogit) for (let i = 0; i < m; i++) targetLogit[r0 + i] = tc[i] === ignoreIndex ? 0 : lc[i * vocab + tc[i]];
      const lossC = loss.subarray(r0, r0 + m);
      const lseC = lse.subarray(r0, r0 + m);
      if (!withGrad) { crossEntropy(lc, tc, m, vocab, ignoreIndex, smoothing, lossC, lseC); continue; }
      crossEntropyWithGrad(lc, tc, m, vocab, ignoreIndex, smoothing, scale, lossC, lseC, lc);   // lc ← g
      if (dx) matmul(lc, weight, dx.subarray(r0 * inFeatures, (r0 + m) * inFeatures), m, inFeatures, vocab, false, false, SINGLE, SINGLE);
      if (dweight) {
        const into = r0 === 0 ? dweight : dwChunk!;
        matmul(lc, xc, into, vocab, inFeatures, m, true, false, SINGLE, SINGLE);   // gᵀ·x
        if (into !== dweight) for (let j = 0; j < into.length; j++) dweight[j] += into[j];
      }
      if (dbias) for (let i = 0; i < m; i++) for (let j = 0; j < vocab; j++) dbias[j] += lc[i * vocab + j];
    }
  };
}

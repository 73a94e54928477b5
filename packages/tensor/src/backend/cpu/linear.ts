// A linear layer's forward as one primitive, out = act(x·Wᵀ + b) (the reference; wasm/matmul.ts applies the
// bias and ReLU inside the GEMM job, on each thread's block of the result).
import type { FloatArray } from '../../dtype.js';
import type { LinearArgs } from '../types.js';
import { SINGLE, type Matmul } from './matmul.js';

/** Backend.linear on the given matmul, with the epilogue as a TypeScript loop over the fresh product. */
export function makeLinear(matmul: Matmul): (a: LinearArgs) => void {
  return ({ x, weight, bias, out, rows, inFeatures, outFeatures, relu }) => {
    matmul(x, weight, out, rows, outFeatures, inFeatures, false, true, SINGLE, SINGLE);
    biasActivationInPlace(out.subarray(0, rows * outFeatures), bias, relu);
  };
}

// ReLU without a data-dependent branch: a branch on the sign of activations is mispredicted half the time
// and made these loops ~4× slower. ½(v + |v|) is exact (max(v, 0), +0 for −0, NaN stays NaN); the only
// input it gets wrong, −∞, yields NaN, which a never-taken (so free) branch corrects.

/** y[r, j] = act(y[r, j] + bias[j]) in place over y [rows, cols], bias [cols] or null; act is ReLU or the identity. */
export function biasActivationInPlace(y: FloatArray, bias: FloatArray | null, relu: boolean): void {
  const n = y.length;
  if (bias === null) {
    if (relu) {
      for (let i = 0; i < n; i++) {
        const v = y[i];
        let r = 0.5 * (v + Math.abs(v));
        if (r !== r) r = v === v ? 0 : v;                     // −∞ → 0; NaN stays
        y[i] = r;
      }
    }
    return;
  }
  const cols = bias.length;
  for (let o = 0; o < n; o += cols) {
    if (relu) {
      for (let j = 0; j < cols; j++) {
        const v = y[o + j] + bias[j];
        let r = 0.5 * (v + Math.abs(v));
        if (r !== r) r = v === v ? 0 : v;
        y[o + j] = r;
      }
    } else {
      for (let j = 0; j < cols; j++) y[o + j] += bias[j];
    }
  }
}


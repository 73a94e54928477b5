// One attention input's heads out of a packed projection: x·[Wᵠ; Wᴷ; Wⱽ]ᵀ is one GEMM whose last axis holds
// q | k | v; part p, split into heads, is [batch, numHeads, len, headDim]. The adjoint adds the heads' gradient
// into part p of the packed one (a PartialGradient: the three parts fill one buffer, no zeros added).
import * as T from '@gloss/tensor';
import type { FloatArray, Tensor } from '@gloss/tensor';
import { defineOp } from '../define-op.js';
import { PartialGradient } from '../partial-gradient.js';
import { packedHeads as packedHeadsKernel } from '../kernels.js';
import type { Variable } from '../variable.js';

const packedHeadsOp = defineOp('packedHeads', {
  forward: (x: Tensor, part: number, parts: number, numHeads: number) => {
    const [batch, len, width] = x.shape;
    const headDim = width / (parts * numHeads);
    const out = T.allocate(x.dtype, batch * len * width / parts) as FloatArray;
    packedHeadsKernel(x.data as FloatArray, out, batch, len, numHeads, headDim, part, parts, false);
    return new T.Tensor(out, [batch, numHeads, len, headDim], x.dtype);             // [batch, numHeads, len, headDim]
  },
  backward: (dy, { args: [x, part, parts, numHeads] }) => {
    const [batch, len] = x.shape;
    const add = (acc: FloatArray) => packedHeadsKernel(acc, dy.data as FloatArray, batch, len, numHeads, dy.shape[3], part, parts, true);
    return [new PartialGradient(x.shape, dy.dtype as T.FloatDType, add), null, null, null];   // of [batch, len, parts·dModel]
  },
});

/**
 * Part `part` of x [batch, len, parts·numHeads·headDim] as heads [batch, numHeads, len, headDim]: the same as
 * permute(reshape(slice(x, -1, part·D, (part + 1)·D), [batch, len, numHeads, headDim]), [0, 2, 1, 3]), D = numHeads·headDim.
 * @example const q = packedHeads(qkv, 0, 3, numHeads);   // qkv = linear(x, inProjWeight, inProjBias)
 */
export function packedHeads(x: Variable | Tensor, part: number, parts: number, numHeads: number): Variable {
  if (x.shape.length !== 3 || !Number.isInteger(parts) || parts < 1 || !Number.isInteger(numHeads) || numHeads < 1 || x.shape[2] % (parts * numHeads) !== 0) {
    throw new T.ShapeError('packedHeads', `x is ${T.formatShape(x.shape)}; expected [batch, len, parts ${parts} · numHeads ${numHeads} · headDim]`);
  }
  if (!Number.isInteger(part) || part < 0 || part >= parts) throw new T.ValueError('packedHeads', `part must be an integer in [0, ${parts}), got ${part}`);
  return packedHeadsOp(x, part, parts, numHeads);
}

// Layer normalization over the last axis with a fused backward: the forward saves each row's mean
// and 1/σ, and one kernel pass returns dx, dweight and dbias (no graph of primitive ops).
import * as T from '@gloss/tensor';
import type { Tensor } from '@gloss/tensor';
import { defineOp } from '../define-op.js';

/**
 * (x − mean)/sqrt(var + eps)·weight + bias over the last axis, as torch.nn.functional.layer_norm.
 * x: [..., dModel]; weight, bias: [dModel] or null.
 */
export const layerNorm = defineOp('layerNorm', {
  forward: (x: Tensor, weight: Tensor | null = null, bias: Tensor | null = null, eps: number = 1e-5) => {
    const { out, mean, rstd } = T.layerNormWithStats(x, weight, bias, eps);
    return { out, saved: { mean, rstd } };
  },
  backward: (dy, { args: [x, weight, bias], saved: { mean, rstd }, needsGrad }) => {
    const g = T.layerNormBackward(dy, x, weight ?? null, mean, rstd, bias != null && needsGrad[2]);
    return [needsGrad[0] ? g.dx : null, needsGrad[1] ? g.dweight : null, needsGrad[2] ? g.dbias : null, null];
  },
});

// Reductions. sum's gradient broadcasts dy back over the reduced axes; mean's also divides by the
// count; max's goes to the maximal elements, split evenly among ties (as torch.amax).
import * as T from '@gloss/tensor';
import type { Tensor } from '@gloss/tensor';
import { defineOp } from '../define-op.js';

type Axes = number | readonly number[] | undefined;

/** dy reshaped with the reduced axes kept as size 1, then broadcast to x's shape. */
function spread(dy: Tensor, x: Tensor, axes: Axes): Tensor {
  const ax = T.normalizeAxes('sum', axes, x.rank);
  const kept = x.shape.map((d, i) => (ax.includes(i) ? 1 : d));
  return T.expand(T.reshape(dy, kept), x.shape);
}

/** Σ over `axes` (all by default). */
export const sum = defineOp('sum', {
  forward: (x: Tensor, axes?: Axes, keepdims: boolean = false) => T.sum(x, axes, keepdims),
  backward: (dy, { args: [x, axes] }) => [spread(dy, x, axes), null, null],
});

/** Mean over `axes` (all by default). */
export const mean = defineOp('mean', {
  forward: (x: Tensor, axes?: Axes, keepdims: boolean = false) => T.mean(x, axes, keepdims),
  backward: (dy, { args: [x, axes], out }) => [T.div(spread(dy, x, axes), x.size / Math.max(out.size, 1)), null, null],
});

/** Max over `axes`; the gradient is shared evenly among tied maxima. */
export const max = defineOp('max', {
  forward: (x: Tensor, axes?: Axes, keepdims: boolean = false) => T.max(x, axes, keepdims),
  backward: (dy, { args: [x, axes], out }) => {
    const hit = T.eq(x, spread(out, x, axes)).astype(x.dtype);
    const count = spread(T.sum(hit, axes, false), x, axes);
    return [T.div(T.mul(hit, spread(dy, x, axes)), count), null, null];
  },
});

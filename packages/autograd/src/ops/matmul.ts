// Batched matrix product with transpose flags. For C = op(A)·op(B) the gradients are again single
// matmuls with flags (no transposed copies), summed over broadcast batch axes:
//   plain  dA = dC·Bᵀ           dB = Aᵀ·dC
//   transA dA = B·dCᵀ           dB = A·dC
//   transB dA = dC·B            dB = dCᵀ·A
//   both   dA = Bᵀ·dCᵀ          dB = dCᵀ·Aᵀ
import * as T from '@gloss/tensor';
import type { Tensor } from '@gloss/tensor';
import { defineOp } from '../define-op.js';
import type { Variable } from '../variable.js';
import { reshape } from './shape.js';

export type { MatmulOptions } from '@gloss/tensor';

const matmul2 = defineOp('matmul', {
  forward: (a: Tensor, b: Tensor, transA: boolean, transB: boolean) => T.matmul(a, b, { transA, transB }),
  backward(dy, { args: [a, b, ta, tb], needsGrad }) {
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (needsGrad[0]) {
      da = !ta ? T.matmul(dy, b, { transB: !tb }) : T.matmul(b, dy, { transA: tb, transB: true });
      da = T.sumTo(da, a.shape);
    }
    if (needsGrad[1]) {
      if (!ta && b.rank === 2 && a.rank > 2) {
        // b shared by every batch entry (a linear layer): one GEMM over all rows of a and dy instead of
        // a [batch, k, n] stack of per-entry products summed afterwards.
        const k = a.shape[a.rank - 1];
        const rows = a.size / k;
        const a2 = T.reshape(a, [rows, k]);                    // [rows, k]
        const dy2 = T.reshape(dy, [rows, dy.shape[dy.rank - 1]]); // [rows, n]
        db = !tb ? T.matmul(a2, dy2, { transA: true }) : T.matmul(dy2, a2, { transA: true });
      } else {
        db = !tb ? T.matmul(a, dy, { transA: !ta }) : T.matmul(dy, a, { transA: true, transB: ta });
        db = T.sumTo(db, b.shape);
      }
    }
    return [da, db, null, null];
  },
});

/**
 * a: [..., m, k] (or [..., k, m] with transA), b: [..., k, n] (or [..., n, k] with transB) → [..., m, n],
 * leading axes broadcast; 1-D operands act as a row (a) or a column (b), as in NumPy.
 * @example matmul(x, w, { transB: true })  // x [batch, tgtLen, dModel], w [dFf, dModel] → [batch, tgtLen, dFf]
 */
export function matmul(a: Variable | Tensor, b: Variable | Tensor, { transA = false, transB = false }: T.MatmulOptions = {}): Variable {
  const aVec = a.shape.length === 1;
  const bVec = b.shape.length === 1;
  const A = aVec ? reshape(a, [1, a.shape[0]]) : a;
  const B = bVec ? reshape(b, [b.shape[0], 1]) : b;
  const out = matmul2(A, B, transA && !aVec, transB && !bVec);
  if (!aVec && !bVec) return out;
  const shape = out.shape.slice();
  if (bVec) shape.splice(-1, 1);
  if (aVec) shape.splice(bVec ? -1 : -2, 1);
  return reshape(out, shape);
}

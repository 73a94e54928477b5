// Fused linear layer: y = epilogue(x·Wᵀ + b) with one GEMM over all rows (Backend.linear: the bias and ReLU inside
// the GEMM job on cpuBackend) and dropout applied in place to its fresh output, so a feed-forward block's hidden
// layer costs one tensor instead of four. Gradients (rows = every leading position, g = dy through the epilogue):
//   dx = g·W,   dW = gᵀ·x,   db = Σ_rows g
// With ReLU, g = dy·scale·[y > 0] is read off the output alone (a kept positive stays positive).
import * as T from '@gloss/tensor';
import type { FloatArray, Generator, Tensor } from '@gloss/tensor';
import { defineOp } from '../define-op.js';
import { dropoutKernel, maskedScale, positiveScale } from '../kernels.js';
import type { Variable } from '../variable.js';

export interface LinearOptions {
  /** Applied after the bias. Default 'none'. */
  activation?: 'none' | 'relu';
  /** Dropout probability after the activation (inverted, as dropout()). Default 0. */
  dropout?: number;
  /** Dropout only while training. Default true. */
  training?: boolean;
  /** Where the dropout mask comes from (two 32-bit draws per call, as dropout()); the default generator if omitted. */
  generator?: Generator;
}

interface Epilogue { relu: boolean; p: number; generator: Generator | null }
interface Saved { mask: Uint8Array | null; scale: number }

const linearOp = defineOp('linear', {
  forward: (x: Tensor, weight: Tensor, bias: Tensor | null, { relu, p, generator }: Epilogue) => {
    const [outFeatures, inFeatures] = weight.shape;
    const rows = x.size / inFeatures;
    const dtype = T.promoteTypes(x.dtype, weight.dtype);
    const as = (t: Tensor) => (t.dtype === dtype ? t : t.astype(dtype)).data as FloatArray;
    const y = new T.Tensor(T.allocate(dtype, rows * outFeatures), [rows, outFeatures], dtype);   // [rows, outFeatures]
    const yd = y.data as FloatArray;
    T.getBackend().linear({ x: as(x), weight: as(weight), bias: bias && as(bias), out: yd, rows, inFeatures, outFeatures, relu });
    let saved: Saved = { mask: null, scale: 1 };
    if (generator) {
      const scale = p === 1 ? 0 : 1 / (1 - p);
      // With ReLU the output alone tells which elements passed; without it the mask is kept.
      const mask = relu ? null : new Uint8Array(y.size);
      dropoutKernel(yd, yd, mask, 1 - p, scale, generator.uint32(), generator.uint32());
      saved = { mask, scale };
    }
    return { out: T.reshape(y, [...x.shape.slice(0, -1), weight.shape[0]]), saved };
  },
  backward: (dy, { args: [x, weight, bias, { relu }], out, saved: { mask, scale }, needsGrad }) => {
    const outFeatures = weight.shape[0];
    const rows = dy.size / outFeatures;
    let g = T.reshape(dy, [rows, outFeatures]);                                         // [rows, outFeatures]
    if (relu || mask) {
      const gd = T.zerosLike(g);
      if (relu) positiveScale(g.data as FloatArray, out.data as FloatArray, scale, gd.data as FloatArray);
      else maskedScale(g.data as FloatArray, mask!, scale, gd.data as FloatArray);
      g = gd;
    }
    const x2 = T.reshape(x, [rows, weight.shape[1]]);                                   // [rows, inFeatures]
    return [
      needsGrad[0] ? T.reshape(T.matmul(g, weight), x.shape) : null,                    // [..., inFeatures]
      needsGrad[1] ? T.matmul(g, x2, { transA: true }) : null,                          // [outFeatures, inFeatures]
      needsGrad[2] && bias ? T.sumTo(g, bias.shape) : null,                            // [outFeatures]
      null,
    ];
  },
});

/**
 * x·weightᵀ + bias (torch.nn.functional.linear), optionally followed by ReLU and dropout, as one op.
 * x: [..., inFeatures], weight: [outFeatures, inFeatures], bias: [outFeatures] or null → [..., outFeatures].
 * @example linear(x, w1, b1, { activation: 'relu', dropout: 0.1, training, generator })  // a feed-forward hidden layer
 */
export function linear(x: Variable | Tensor, weight: Variable | Tensor, bias: Variable | Tensor | null = null,
  { activation = 'none', dropout = 0, training = true, generator }: LinearOptions = {}): Variable {
  const inFeatures = x.shape[x.shape.length - 1];
  if (weight.shape.length !== 2 || weight.shape[1] !== inFeatures || x.shape.length === 0) {
    throw new T.ShapeError('linear', `x is ${T.formatShape(x.shape)} and weight ${T.formatShape(weight.shape)} ` +
      '(weight must be [outFeatures, inFeatures] with inFeatures = x[-1])');
  }
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== weight.shape[0])) {
    throw new T.ShapeError('linear', `bias is ${T.formatShape(bias.shape)} but weight is ${T.formatShape(weight.shape)} (bias must be [outFeatures])`);
  }
  if (!T.isFloat(x.dtype) || !T.isFloat(weight.dtype) || (bias && !T.isFloat(bias.dtype))) {
    throw new T.DTypeError('linear', `needs float32 or float64 x, weight and bias, got x ${x.dtype}, weight ${weight.dtype}${bias ? `, bias ${bias.dtype}` : ''}`);
  }
  if (activation !== 'none' && activation !== 'relu') throw new T.ValueError('linear', `activation must be 'none' or 'relu', got '${activation}'`);
  if (!(dropout >= 0 && dropout <= 1)) throw new T.ValueError('linear', `dropout must be in [0, 1], got ${dropout}`);
  const drop = training && dropout > 0;
  return linearOp(x, weight, bias, { relu: activation === 'relu', p: dropout, generator: drop ? generator ?? T.defaultGenerator() : null });
}

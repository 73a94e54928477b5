// Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019), update for update as torch.optim.Adam/AdamW
// (1.13), with t the parameter's own step count:
//   AdamW only: p ← p·(1 − lr·wd)                       (decoupled decay, before the Adam step)
//   Adam only:  g ← g + wd·p                             (L2 penalty in the gradient)
//   m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²;    v̂ ← max(v̂, v) with amsgrad
//   p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
import { ValueError, type FloatArray } from '@gloss/tensor';
import { checkNonNegative, Optimizer, type ParamsInput, type StepOptions } from './optimizer.js';

export interface AdamOptions {
  /** Default 1e-3. */
  lr?: number;
  /** (β1, β2). Default [0.9, 0.999]. */
  betas?: readonly [number, number];
  /** Default 1e-8. */
  eps?: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay (default 1e-2). */
  weightDecay?: number;
  /** Normalize by the largest second moment seen so far (Reddi et al. 2018). Default false. */
  amsgrad?: boolean;
}

type AdamHyper = { betas: readonly number[]; eps: number; weightDecay: number; amsgrad: boolean };

/**
 * torch.optim.Adam: weight decay, if any, is an L2 penalty in the gradient. For transformers prefer AdamW.
 * @example
 * const opt = new Adam(model.namedParameters(), { lr: 5e-4, betas: [0.9, 0.98], eps: 1e-9 });
 */
export class Adam extends Optimizer<AdamHyper> {
  readonly type: string = 'Adam';
  /** AdamW's decay of the weights themselves, instead of Adam's L2 term in the gradient. */
  protected readonly decoupled: boolean = false;

  constructor(params: ParamsInput, { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, amsgrad = false }: AdamOptions = {}) {
    super(params, lr, { betas: [betas[0], betas[1]], eps, weightDecay, amsgrad });
    for (const [i, b] of betas.entries()) {
      if (!(b >= 0 && b < 1)) throw new ValueError(this.constructor.name, `betas[${i}] must be in [0, 1), got ${b}`);
    }
    checkNonNegative('eps', eps);
    checkNonNegative('weightDecay', weightDecay);
  }

  step({ gradScale = 1 }: StepOptions = {}): void {
    const { lr } = this;
    const { betas: [b1, b2], eps, weightDecay: wd, amsgrad } = this.options;
    const buffers = amsgrad ? ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'] : ['exp_avg', 'exp_avg_sq'];
    const decay = this.decoupled ? 1 - lr * wd : 1;
    const l2 = this.decoupled ? 0 : wd;
    for (const [name, p] of this.params) {
      if (p.grad === null) continue;
      const { w, g } = this.arrays(name, p);
      const s = this.stateOf(name, p, buffers);
      s.step += 1;
      const stepSize = lr / (1 - b1 ** s.step);
      const bc2Sqrt = Math.sqrt(1 - b2 ** s.step);
      const { exp_avg: m, exp_avg_sq: v, max_exp_avg_sq: vMax } = s.buffers;
      adamUpdate(w, g, m, v, amsgrad ? vMax : null, { b1, b2, eps, decay, l2, stepSize, bc2Sqrt, gradScale });
    }
  }
}

interface AdamConstants { b1: number; b2: number; eps: number; decay: number; l2: number; stepSize: number; bc2Sqrt: number; gradScale: number }

/**
 * One parameter's update, in place. Values are read back from the arrays after each store, so float32 state
 * is rounded where PyTorch's is; w·decay is exact when decay is 1 (Adam), which keeps the loop free of branches.
 */
function adamUpdate(w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, vMax: FloatArray | null,
  { b1, b2, eps, decay, l2, stepSize, bc2Sqrt, gradScale }: AdamConstants): void {
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  const n = w.length;
  if (vMax === null && w instanceof Float32Array && g instanceof Float32Array && m instanceof Float32Array && v instanceof Float32Array) {
    // The same arithmetic with each stored value kept in a local, rounded to float32 as the store rounds it: V8
    // cannot tell that w, m and v do not alias, so the general loop below reloads each after its store (~1.5× slower).
    const f = Math.fround;
    for (let i = 0; i < n; i++) {
      const wi = f(w[i] * decay);
      const gi = g[i] * gradScale + l2 * wi;
      const mi = f(b1 * m[i] + c1 * gi);
      const vi = f(b2 * v[i] + c2 * gi * gi);
      m[i] = mi;
      v[i] = vi;
      w[i] = wi - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
    }
    return;
  }
  if (vMax === null) {
    for (let i = 0; i < n; i++) {
      w[i] *= decay;
      const gi = g[i] * gradScale + l2 * w[i];
      m[i] = b1 * m[i] + c1 * gi;
      v[i] = b2 * v[i] + c2 * gi * gi;
      w[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / bc2Sqrt + eps);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    w[i] *= decay;
    const gi = g[i] * gradScale + l2 * w[i];
    m[i] = b1 * m[i] + c1 * gi;
    v[i] = b2 * v[i] + c2 * gi * gi;
    vMax[i] = Math.max(vMax[i], v[i]); // NaN propagates, as torch.maximum
    w[i] -= (stepSize * m[i]) / (Math.sqrt(vMax[i]) / bc2Sqrt + eps);
  }
}

/**
 * torch.optim.AdamW: Adam with decoupled weight decay p ← p·(1 − lr·wd) before each step (default wd 1e-2).
 * @example
 * const opt = new AdamW(model.namedParameters(), { lr: 5e-4, betas: [0.9, 0.98], weightDecay: 0.01 });
 */
export class AdamW extends Adam {
  override readonly type: string = 'AdamW';
  protected override readonly decoupled: boolean = true;

  constructor(params: ParamsInput, options: AdamOptions = {}) {
    super(params, { ...options, weightDecay: options.weightDecay ?? 1e-2 });
  }
}

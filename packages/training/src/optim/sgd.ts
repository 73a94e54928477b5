// Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay,
// update for update as torch.optim.SGD (1.13):
//   d = g + wd·p;  buf = d (first step) or μ·buf + (1 − dampening)·d;  d = nesterov ? d + μ·buf : buf;  p −= lr·d
import { ValueError } from '@gloss/tensor';
import { checkNonNegative, Optimizer, type ParamsInput, type StepOptions } from './optimizer.js';

export interface SGDOptions {
  lr: number;
  /** μ. Default 0 (plain SGD: no state). */
  momentum?: number;
  /** Default 0. */
  dampening?: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). Default false. */
  nesterov?: boolean;
}

type SGDHyper = { momentum: number; dampening: number; weightDecay: number; nesterov: boolean };

/**
 * torch.optim.SGD.
 * @example
 * const opt = new SGD(model.namedParameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
 * loss.backward(); opt.step(); opt.zeroGrad();
 */
export class SGD extends Optimizer<SGDHyper> {
  readonly type = 'SGD';

  constructor(params: ParamsInput, { lr, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false }: SGDOptions) {
    super(params, lr, { momentum, dampening, weightDecay, nesterov });
    checkNonNegative('momentum', momentum);
    checkNonNegative('weightDecay', weightDecay);
    if (!Number.isFinite(dampening)) throw new ValueError('SGD', `dampening must be finite, got ${dampening}`);
    if (nesterov && (momentum <= 0 || dampening !== 0)) {
      throw new ValueError('SGD', `nesterov needs momentum > 0 and dampening 0, got momentum ${momentum} and dampening ${dampening}`);
    }
  }

  step({ gradScale = 1 }: StepOptions = {}): void {
    const { lr } = this;
    const { momentum: mu, dampening, weightDecay: wd, nesterov } = this.options;
    for (const [name, p] of this.params) {
      if (p.grad === null) continue;
      const { w, g } = this.arrays(name, p);
      const n = w.length;
      if (mu === 0) {
        for (let i = 0; i < n; i++) w[i] -= lr * (g[i] * gradScale + wd * w[i]);
        continue;
      }
      const s = this.stateOf(name, p, []);
      let buf = s.buffers.momentum_buffer;
      const first = buf === undefined;
      // PyTorch's name for the buffer, so the state dict reads like torch's.
      if (first) buf = s.buffers.momentum_buffer = p.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
      s.step += 1;
      const keep = 1 - dampening;
      for (let i = 0; i < n; i++) {
        const d = g[i] * gradScale + wd * w[i];
        buf[i] = first ? d : mu * buf[i] + keep * d;
        w[i] -= lr * (nesterov ? d + mu * buf[i] : buf[i]); // read back: float32 state is what PyTorch uses
      }
    }
  }
}

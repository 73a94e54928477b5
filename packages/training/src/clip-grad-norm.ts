// Gradient norms and clipping by the global norm, as torch.nn.utils.clip_grad_norm_:
//   total = ‖(‖g₁‖, …, ‖gₙ‖)‖;   every g ← g · min(1, maxNorm / (total + 1e-6))
import { ValueError, type FloatArray } from '@gloss/tensor';
import type { Variable } from '@gloss/autograd';

/**
 * The global norm of the parameters' gradients (L2, or the largest |g| for normType Infinity), accumulated in
 * float64; parameters without a gradient are skipped. NaN or Infinity if any gradient is.
 * @example const norm = gradNorm(model.parameters());
 */
export function gradNorm(params: Iterable<Variable>, { normType = 2 }: { normType?: 2 | typeof Infinity } = {}): number {
  let acc = 0;
  for (const p of params) {
    if (p.grad === null) continue;
    const g = p.grad.data as FloatArray;
    if (normType === Infinity) {
      for (let i = 0; i < g.length; i++) {
        const a = Math.abs(g[i]);
        if (!(a <= acc)) acc = a; // also takes NaN, so a NaN gradient gives a NaN norm
      }
      if (Number.isNaN(acc)) return NaN;
    } else {
      for (let i = 0; i < g.length; i++) acc += g[i] * g[i];
    }
  }
  return normType === Infinity ? acc : Math.sqrt(acc);
}

/**
 * Scales all gradients in place so their global norm is at most `maxNorm`, and returns the norm before
 * clipping, as torch.nn.utils.clip_grad_norm_. A non-finite norm is returned without touching the gradients
 * (PyTorch would scale them by NaN), so the caller can stop: the Trainer throws a TrainingError naming the step.
 * Gradients shared by several parameters are scaled once.
 * @example
 * loss.backward();
 * const norm = clipGradNorm(model.parameters(), 1.0);
 * optimizer.step();
 */
export function clipGradNorm(params: Iterable<Variable>, maxNorm: number, { normType = 2 }: { normType?: 2 | typeof Infinity } = {}): number {
  if (!(maxNorm > 0)) throw new ValueError('clipGradNorm', `maxNorm must be > 0, got ${maxNorm}`);
  if (normType !== 2 && normType !== Infinity) throw new ValueError('clipGradNorm', `normType must be 2 or Infinity, got ${normType}`);
  const list = [...params];
  const total = gradNorm(list, { normType });
  if (!Number.isFinite(total)) return total;
  const coef = clipCoefficient(total, maxNorm);
  if (coef === 1) return total;
  // backward may hand two parameters the same gradient tensor (add's backward passes dy to both): scale each storage once.
  const done = new Set<FloatArray>();
  for (const p of list) {
    if (p.grad === null) continue;
    const g = p.grad.data as FloatArray;
    if (done.has(g)) continue;
    done.add(g);
    for (let i = 0; i < g.length; i++) g[i] *= coef;
  }
  return total;
}

/** min(1, maxNorm / (norm + 1e-6)): PyTorch's factor (the 1e-6 keeps a zero norm finite). */
export function clipCoefficient(norm: number, maxNorm: number): number {
  return Math.min(1, maxNorm / (norm + 1e-6));
}

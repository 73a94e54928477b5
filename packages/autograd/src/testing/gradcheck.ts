// gradcheck: compares backward's gradients with central finite differences, in float64.
// The output is projected on a fixed random tensor r (L = Σ out⊙r), so one backward gives every
// input's gradient of L, and a wrong sign, a missing term or a wrong broadcast reduction shows up
// in at least one element (torch.autograd.gradcheck's fast mode uses the same idea).
import { Generator, GlossError, randn, sum, mul, type Tensor } from '@gloss/tensor';
import { noGrad } from '../grad-mode.js';
import { Variable } from '../variable.js';

export interface GradcheckOptions {
  /** Finite-difference step. Default 1e-6 (torch's). */
  eps?: number;
  /** Absolute tolerance. Default 1e-5. */
  atol?: number;
  /** Relative tolerance. Default 1e-3. */
  rtol?: number;
  /** Seed of the projection r. */
  seed?: number;
}

/**
 * Checks the gradients of `fn` with respect to each of `inputs` (float64 Variables that require grad)
 * against central differences. Returns true, or throws naming the input, the element, both values.
 * @example
 * const x = randVariable([3, 4], 1);
 * gradcheck((x) => x.mul(x).sum(-1), [x]);
 */
export function gradcheck(fn: (...inputs: Variable[]) => Variable, inputs: Variable[], { eps = 1e-6, atol = 1e-5, rtol = 1e-3, seed = 0 }: GradcheckOptions = {}): true {
  inputs.forEach((x, i) => {
    if (x.dtype !== 'float64') throw new GlossError('gradcheck', `input ${i} is ${x.dtype}; gradcheck needs float64 inputs`);
    if (!x.requiresGrad) throw new GlossError('gradcheck', `input ${i} does not require grad`);
  });
  const out = fn(...inputs);
  const r = randn(out.shape, { generator: new Generator(seed), dtype: 'float64' });
  for (const x of inputs) x.zeroGrad();
  out.backward(r);
  const projected = (): number => noGrad(() => sum(mul(fn(...inputs).value, r)).item());

  inputs.forEach((x, i) => {
    const analytic = x.grad;
    if (!analytic) throw new GlossError('gradcheck', `input ${i} received no gradient`);
    const data = x.value.data as Float64Array;
    for (let j = 0; j < data.length; j++) {
      const orig = data[j];
      data[j] = orig + eps;
      const plus = projected();
      data[j] = orig - eps;
      const minus = projected();
      data[j] = orig;
      const numeric = (plus - minus) / (2 * eps);
      const a = analytic.data[j];
      if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) {
        throw new GlossError('gradcheck', `input ${i} ${formatIndex(x.value, j)}: backward gives ${a}, ` +
          `finite differences give ${numeric} (|diff| ${Math.abs(a - numeric).toExponential(2)}, atol ${atol}, rtol ${rtol})`);
      }
    }
  });
  for (const x of inputs) x.zeroGrad();
  return true;
}

function formatIndex(t: Tensor, flat: number): string {
  const idx: number[] = [];
  for (let d = t.rank - 1; d >= 0; d--) {
    idx.unshift(flat % t.shape[d]);
    flat = Math.floor(flat / t.shape[d]);
  }
  return `element [${idx.join(', ')}]`;
}

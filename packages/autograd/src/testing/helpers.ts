// Small helpers for tests of differentiable code: seeded float64 inputs, closeness with a message
// naming the first element that differs, and checkOp (forward against a reference + gradcheck).
import { Generator, randn, Tensor, type NestedArray } from '@gloss/tensor';
import { Variable } from '../variable.js';
import { gradcheck, type GradcheckOptions } from './gradcheck.js';

/** A float64 leaf of standard normals that requires grad, from a seeded generator. `map` may reshape the values (e.g. to positive). */
export function randVariable(shape: readonly number[], seed: number, map?: (x: Tensor) => Tensor): Variable {
  const x = randn(shape, { generator: new Generator(seed), dtype: 'float64' });
  return new Variable(map ? map(x).astype('float64') : x, { requiresGrad: true });
}

function flat(v: Tensor | Variable | NestedArray | ArrayLike<number>): number[] {
  if (v instanceof Variable) return Array.from(v.value.data);
  if (v instanceof Tensor) return Array.from(v.data);
  if (typeof v === 'number' || typeof v === 'boolean') return [Number(v)];
  if (Array.isArray(v)) return (v as NestedArray[]).flatMap((x) => flat(x));
  return Array.from(v as ArrayLike<number>);
}

/**
 * Throws unless |actual − expected| ≤ atol + rtol·|expected| elementwise (NaN equals NaN, infinities must
 * match), naming the first element that differs.
 */
export function expectClose(actual: Tensor | Variable | NestedArray | ArrayLike<number>, expected: Tensor | Variable | NestedArray | ArrayLike<number>,
  { atol = 1e-6, rtol = 1e-5 }: { atol?: number; rtol?: number } = {}): void {
  const a = flat(actual);
  const e = flat(expected);
  if (a.length !== e.length) throw new Error(`expectClose: ${a.length} elements, expected ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    const ok = Number.isNaN(e[i]) ? Number.isNaN(a[i]) : !Number.isFinite(e[i]) ? a[i] === e[i] : Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]);
    if (!ok) throw new Error(`expectClose: element ${i} is ${a[i]}, expected ${e[i]} (atol ${atol}, rtol ${rtol})`);
  }
}

export interface CheckOpOptions extends GradcheckOptions {
  /** Transform of the random inputs (e.g. exp to make them positive). */
  map?: (x: Tensor, i: number) => Tensor;
  /** Forward tolerance against the reference. */
  forwardAtol?: number;
}

/**
 * One call per op, as tinygrad's helper_test_op: random float64 inputs of `shapes`; the op's forward
 * must equal `reference` (plain tensor math, no graph) and its gradients must pass gradcheck.
 */
export function checkOp(shapes: readonly (readonly number[])[], op: (...xs: Variable[]) => Variable,
  reference: ((...xs: Tensor[]) => Tensor) | null, { map, forwardAtol = 1e-10, seed = 0, ...grad }: CheckOpOptions = {}): void {
  const inputs = shapes.map((s, i) => randVariable(s, seed * 1000 + i + 1, map && ((x) => map(x, i))));
  if (reference) expectClose(op(...inputs).value, reference(...inputs.map((x) => x.value)), { atol: forwardAtol, rtol: 1e-9 });
  gradcheck(op, inputs, { seed, ...grad });
}

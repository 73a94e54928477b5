// Small helpers for tests of differentiable code: seeded float64 inputs and checkOp (forward against a
// reference, shapes included, + gradcheck). expectClose is @gloss/tensor/testing's (it accepts Variables as they are).
import { Generator, randn, type Tensor } from '@gloss/tensor';
import { expectClose } from '@gloss/tensor/testing';
import { Variable } from '../variable.js';
import { gradcheck, type GradcheckOptions } from './gradcheck.js';

/** A float64 leaf of standard normals that requires grad, from a seeded generator. `map` may reshape the values (e.g. to positive). */
export function randVariable(shape: readonly number[], seed: number, map?: (x: Tensor) => Tensor): Variable {
  const x = randn(shape, { generator: new Generator(seed), dtype: 'float64' });
  return new Variable(map ? map(x).astype('float64') : x, { requiresGrad: true });
}

export interface CheckOpOptions extends GradcheckOptions {
  /** Transform of the random inputs (e.g. exp to make them positive). */
  map?: (x: Tensor, i: number) => Tensor;
  /** Forward tolerance against the reference. */
  forwardAtol?: number;
}

/**
 * One call per op, as tinygrad's helper_test_op: random float64 inputs of `shapes`; the op's forward must
 * equal `reference` in shape and values, and its gradients must pass gradcheck (central differences of that
 * forward). What the forward half proves depends on `reference`: where it is the tensor function the op's
 * forward itself calls (`exp` against `T.exp`), only the wiring — arguments, options, axes and the output
 * shape reach it unchanged; the values of those tensor functions are @gloss/tensor's tests (hand-checked
 * values, float64 loops). Where it is another spelling (linear as matmul + add, a transposed matmul as
 * transpose then matmul, embedding as indexSelect × scale) it checks the values independently too.
 */
export function checkOp(shapes: readonly (readonly number[])[], op: (...xs: Variable[]) => Variable,
  reference: ((...xs: Tensor[]) => Tensor) | null, { map, forwardAtol = 1e-10, seed = 0, ...grad }: CheckOpOptions = {}): void {
  const inputs = shapes.map((s, i) => randVariable(s, seed * 1000 + i + 1, map && ((x) => map(x, i))));
  if (reference) expectClose(op(...inputs).value, reference(...inputs.map((x) => x.value)), { atol: forwardAtol, rtol: 1e-9 });
  gradcheck(op, inputs, { seed, ...grad });
}

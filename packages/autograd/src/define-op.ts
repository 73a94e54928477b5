// defineOp: the one place the graph is wired. An op gives its forward (Tensors in, Tensor out) and,
// beside it, its backward (the output's gradient in, one gradient per argument out); defineOp
// unwraps Variables, records the node only when some input needs a gradient and grad mode is on,
// and lets backward() check every returned gradient's shape.
import { Tensor } from '@gloss/tensor';
import { isGradEnabled } from './grad-mode.js';
import { Node } from './node.js';
import type { PartialGradient } from './partial-gradient.js';
import { Variable } from './variable.js';

/** Argument types as callers see them: wherever forward takes a Tensor, a Variable may be passed. */
export type LiftArgs<A extends readonly unknown[]> = { [K in keyof A]: Tensor extends A[K] ? A[K] | Variable : A[K] };

export interface BackwardContext<A extends readonly unknown[], S> {
  /** The arguments forward received (Variables unwrapped to their values). */
  readonly args: A;
  /** forward's output. */
  readonly out: Tensor;
  /** What forward chose to save (e.g. a dropout mask, layerNorm's mean and rstd). */
  readonly saved: S;
  /** needsGrad[i]: argument i is a Variable that requires a gradient — skip the others' work. */
  readonly needsGrad: readonly boolean[];
}

export interface OpDefinition<A extends readonly unknown[], S> {
  /** Tensors in, Tensor out (no graph). Return `{ out, saved }` to keep something for backward. */
  forward(...args: A): Tensor | { out: Tensor; saved: S };
  /** One gradient per argument (null where needsGrad is false), each of its argument's shape. */
  backward(dy: Tensor, ctx: BackwardContext<A, S>): readonly (Tensor | PartialGradient | null | undefined)[];
}

/**
 * Makes a differentiable op from a forward and a backward written side by side.
 * @example
 * // y = x·sigmoid(x) (SiLU); dy/dx = s + x·s·(1 − s)
 * const silu = defineOp('silu', {
 *   forward: (x: Tensor) => { const s = x.sigmoid(); return { out: x.mul(s), saved: s }; },
 *   backward: (dy, { args: [x], saved: s }) => [dy.mul(s.add(x.mul(s).mul(s.neg().add(1))))],
 * });
 * silu(variable(x, { requiresGrad: true })).sum().backward();
 */
export function defineOp<A extends readonly unknown[], S = undefined>(
  name: string,
  def: OpDefinition<A, S>,
): (...args: LiftArgs<A>) => Variable {
  const op = (...callArgs: LiftArgs<A>): Variable => {
    const args = callArgs.map((a) => (a instanceof Variable ? a.value : a)) as unknown as A;
    const result = def.forward(...args);
    const out = result instanceof Tensor ? result : result.out;
    const needsGrad = callArgs.map((a) => a instanceof Variable && a.requiresGrad);
    if (!isGradEnabled() || !needsGrad.includes(true)) return new Variable(out);
    const ctx: BackwardContext<A, S> = { args, out, saved: result instanceof Tensor ? (undefined as S) : result.saved, needsGrad };
    const inputs = callArgs.map((a, i) => (needsGrad[i] ? (a as Variable) : null));
    return Variable.fromNode(out, new Node(name, inputs, (dy) => def.backward(dy, ctx)));
  };
  Object.defineProperty(op, 'name', { value: name });
  return op;
}

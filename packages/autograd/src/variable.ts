// Variable: a Tensor value plus its place in the graph (micrograd's Value, for tensors).
// A leaf is made by the user (parameters, inputs); every other Variable is the output of an op
// defined with defineOp and remembers that op as its `node` until backward releases the graph.
import { DTypeError, isFloat, type Shape, type Tensor } from '@gloss/tensor';
import { backward, type BackwardOptions } from './backward.js';
import type { Node } from './node.js';
import * as ops from './ops/index.js';

export interface VariableOptions {
  /** Accumulate a gradient for this leaf in `grad` when backward runs. Float dtypes only. */
  requiresGrad?: boolean;
  /** A name shown in error messages (a parameter's state-dict key, for instance). */
  name?: string;
}

export class Variable {
  /** The current value. Optimizers may replace it (or write into its storage) between steps. */
  value: Tensor;
  /** For a leaf: the gradient accumulated by backward (null until then). Treat it as read-only. */
  grad: Tensor | null = null;
  readonly requiresGrad: boolean;
  /** The op that made this Variable; null for leaves and after the graph is released. */
  node: Node | null;
  name: string | undefined;

  constructor(value: Tensor, { requiresGrad = false, name }: VariableOptions = {}) {
    if (requiresGrad && !isFloat(value.dtype)) {
      throw new DTypeError('Variable', `only float32 or float64 values can require grad${name ? ` (${name})` : ''}, got ${value.dtype}`);
    }
    this.value = value;
    this.requiresGrad = requiresGrad;
    this.node = null;
    this.name = name;
  }

  /** The output of a recorded op (used by defineOp). */
  static fromNode(value: Tensor, node: Node): Variable {
    const v = new Variable(value, { requiresGrad: true });
    v.node = node;
    return v;
  }

  get shape(): Shape { return this.value.shape; }
  get dtype() { return this.value.dtype; }
  get size(): number { return this.value.size; }
  get rank(): number { return this.value.rank; }
  /** True for user-made Variables (parameters, inputs): they keep their gradient in `grad`. */
  get isLeaf(): boolean { return this.node === null; }

  /**
   * Back-propagates from this Variable: every leaf that requires grad receives d(this)/d(leaf) in
   * `grad` (accumulated with what it had). A non-scalar output needs an explicit `gradient` of its shape.
   */
  backward(gradient?: Tensor, options?: BackwardOptions): void {
    backward(this, gradient, options);
  }

  /** Forgets the accumulated gradient. */
  zeroGrad(): void {
    this.grad = null;
  }

  /** The same value, cut from the graph: no gradient flows through the result. */
  detach(): Variable {
    return new Variable(this.value);
  }

  item(): number { return this.value.item(); }
  toArray() { return this.value.toArray(); }
  toString(): string {
    return `Variable(${this.value.toString()}${this.node ? `, op=${this.node.op}` : this.requiresGrad ? ', requiresGrad' : ''})`;
  }

  // Method forms of the differentiable ops (the free functions in ./ops).
  add(other: Input): Variable { return ops.add(this, other); }
  sub(other: Input): Variable { return ops.sub(this, other); }
  mul(other: Input): Variable { return ops.mul(this, other); }
  div(other: Input): Variable { return ops.div(this, other); }
  pow(exponent: Input): Variable { return ops.pow(this, exponent); }
  neg(): Variable { return ops.neg(this); }
  exp(): Variable { return ops.exp(this); }
  log(): Variable { return ops.log(this); }
  sqrt(): Variable { return ops.sqrt(this); }
  tanh(): Variable { return ops.tanh(this); }
  relu(): Variable { return ops.relu(this); }
  sigmoid(): Variable { return ops.sigmoid(this); }
  matmul(other: Variable | Tensor, options?: ops.MatmulOptions): Variable { return ops.matmul(this, other, options); }
  sum(axes?: number | readonly number[], keepdims = false): Variable { return ops.sum(this, axes, keepdims); }
  mean(axes?: number | readonly number[], keepdims = false): Variable { return ops.mean(this, axes, keepdims); }
  max(axes?: number | readonly number[], keepdims = false): Variable { return ops.max(this, axes, keepdims); }
  softmax(axis = -1): Variable { return ops.softmax(this, axis); }
  logSoftmax(axis = -1): Variable { return ops.logSoftmax(this, axis); }
  reshape(shape: readonly number[]): Variable { return ops.reshape(this, shape); }
  permute(perm: readonly number[]): Variable { return ops.permute(this, perm); }
  transpose(axis0 = -2, axis1 = -1): Variable { return ops.transpose(this, axis0, axis1); }
  expand(shape: readonly number[]): Variable { return ops.expand(this, shape); }
  unsqueeze(axis: number): Variable { return ops.unsqueeze(this, axis); }
  squeeze(axis?: number): Variable { return ops.squeeze(this, axis); }
  slice(axis: number, start?: number, end?: number, step?: number): Variable { return ops.slice(this, axis, start, end, step); }
  maskedFill(mask: Tensor, value: number): Variable { return ops.maskedFill(this, mask, value); }
}

/** What differentiable ops take: a Variable, a constant Tensor, or a number. */
export type Input = Variable | Tensor | number;

/**
 * A leaf Variable from a Tensor.
 * @example const w = variable(randn([4, 3], { generator }), { requiresGrad: true });
 */
export function variable(value: Tensor, options?: VariableOptions): Variable {
  return new Variable(value, options);
}

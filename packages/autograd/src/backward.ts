// The backward pass: order the graph topologically from the output, push gradients from each
// node to its inputs in reverse order (accumulating where a value was used more than once),
// check every gradient's shape, hand leaves their gradient, then release the graph.
import { add, formatShape, GlossError, isFloat, onesLike, ShapeError, shapesEqual, type FloatArray, type Tensor } from '@gloss/tensor';
import { addInPlace } from './kernels.js';
import { PartialGradient } from './partial-gradient.js';
import type { Variable } from './variable.js';

export interface BackwardOptions {
  /** Keep the graph so backward can run through it again (as PyTorch's retain_graph). */
  retainGraph?: boolean;
}

export function backward(root: Variable, gradient?: Tensor, { retainGraph = false }: BackwardOptions = {}): void {
  if (!root.requiresGrad) {
    throw new GlossError('backward', 'the output does not require grad: no input of its graph has requiresGrad (or it ran inside noGrad)');
  }
  let seed: Tensor;
  if (gradient === undefined) {
    if (root.size !== 1) {
      throw new ShapeError('backward', `an implicit gradient needs a one-element output, got ${formatShape(root.shape)}; pass a gradient of that shape`);
    }
    seed = onesLike(root.value);
  } else {
    if (!shapesEqual(gradient.shape, root.shape)) {
      throw new ShapeError('backward', `gradient is ${formatShape(gradient.shape)} but the output is ${formatShape(root.shape)}`);
    }
    seed = gradient.dtype === root.dtype ? gradient : gradient.astype(root.dtype);
  }

  const order = topologicalOrder(root);
  const grads = new Map<Variable, Tensor>([[root, seed]]);
  // Variables whose gradient (in grads, or a leaf's grad) is a sum this call allocated and nobody else
  // has seen yet: further terms are added into it in place instead of allocating another sum.
  const owned = new Set<Variable>();
  if (root.isLeaf) accumulate(root, seed, owned);
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i];
    const node = v.node!;
    const dy = grads.get(v);
    grads.delete(v); // free each gradient as soon as it has been used
    owned.delete(v); // handed to the node's backward, which may return it (or a view of it) as-is
    if (dy === undefined) continue;
    if (node.backward === null) {
      throw new GlossError('backward', `the graph through '${node.op}' was released by an earlier backward(); ` +
        'pass { retainGraph: true } to the first call to run backward twice');
    }
    const inputGrads = node.backward(dy);
    node.inputs.forEach((input, j) => {
      if (input === null) return;
      const g = inputGrads[j];
      if (!g) throw new GlossError(node.op, `backward returned no gradient for input ${j}, which requires grad`);
      if (!shapesEqual(g.shape, input.shape)) {
        throw new ShapeError(node.op, `backward returned a gradient of shape ${formatShape(g.shape)} for input ${j} ` +
          `of shape ${formatShape(input.shape)}${input.name ? ` (${input.name})` : ''}`);
      }
      if (input.isLeaf) accumulate(input, g, owned);
      else {
        const prev = grads.get(input);
        grads.set(input, prev ? sum(input, prev, g, owned) : fresh(input, g, owned));
      }
    });
  }
  if (!retainGraph) for (const v of order) v.node!.release();
}

/** A first gradient term as a Tensor: a partial one is materialized here, so this call owns it. */
function fresh(v: Variable, g: Tensor | PartialGradient, owned: Set<Variable>): Tensor {
  if (!(g instanceof PartialGradient)) return g;
  owned.add(v);
  return g.dense();
}

/**
 * Leaves keep their gradient in `grad`, accumulated across uses and calls (PyTorch's `+=`). A grad from
 * an earlier call is never written into (the caller may hold it); a sum made in this call is.
 */
function accumulate(leaf: Variable, g: Tensor | PartialGradient, owned: Set<Variable>): void {
  const cast = g instanceof PartialGradient ? (g.dtype === leaf.dtype ? g : g.dense().astype(leaf.dtype))
    : g.dtype === leaf.dtype ? g : g.astype(leaf.dtype);
  leaf.grad = leaf.grad ? sum(leaf, leaf.grad, cast, owned) : fresh(leaf, cast, owned);
}

/** prev + g for v's gradient: into prev when this call owns it, else a new tensor that it then owns. */
function sum(v: Variable, prev: Tensor, g: Tensor | PartialGradient, owned: Set<Variable>): Tensor {
  if (g instanceof PartialGradient) {
    // Only g's positions change: add them into prev, or into a copy of it this call then owns.
    const into = owned.has(v) && prev.dtype === g.dtype ? prev : prev.astype(g.dtype).clone();
    g.addInto(into.data as FloatArray);
    owned.add(v);
    return into;
  }
  if (owned.has(v) && prev.dtype === g.dtype && isFloat(prev.dtype)) {
    addInPlace(prev.data as FloatArray, g.data as FloatArray);
    return prev;
  }
  const s = add(prev, g);
  owned.add(v);
  return s;
}

/** Non-leaf Variables reachable from root, each after all of its inputs (iterative DFS: deep graphs can't overflow the stack). */
function topologicalOrder(root: Variable): Variable[] {
  const order: Variable[] = [];
  if (root.isLeaf) return order;
  const visited = new Set<Variable>([root]);
  const stack: { v: Variable; next: number }[] = [{ v: root, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const inputs = top.v.node!.inputs;
    if (top.next < inputs.length) {
      const input = inputs[top.next++];
      if (input && !input.isLeaf && !visited.has(input)) {
        visited.add(input);
        stack.push({ v: input, next: 0 });
      }
    } else {
      order.push(top.v);
      stack.pop();
    }
  }
  return order;
}

// backward() releases the graph: a training loop's memory stays flat. Checked two ways on an MLP
// (x [64, 128] → Linear 128→128 → relu → Linear 128→128 → mean of squares, plain SGD under noGrad):
// structurally (every node of the step's graph is emptied, leaves keep only a Tensor gradient), and by
// reachability: after a forced gc, no finished step's activations or loss are still alive (WeakRefs),
// so nothing — graph, closure or gradient — keeps them. Byte counts (heapUsed + arrayBuffers) are not
// used here: ArrayBuffer memory is released by a concurrent sweeper and lags by tens of MB when other
// test processes load the machine. `npm run bench -w @gloss/autograd` reports those numbers.
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { Generator, randn, Tensor, zeros } from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { add, matmul, mean, mul, noGrad, relu, variable, type Variable } from './index.js';

/** The MLP's parameters and a fixed batch, float32, seed 0. */
function tinyMlp() {
  const generator = new Generator(0);
  const param = (shape: number[], scale: number) => variable(randn(shape, { generator }).mul(scale), { requiresGrad: true });
  return {
    x: randn([64, 128], { generator }),
    params: [param([128, 128], 0.09), variable(zeros([128]), { requiresGrad: true }), param([128, 128], 0.09), variable(zeros([128]), { requiresGrad: true })],
  };
}

/** One forward/backward/SGD step; returns the step's intermediate Variables (for inspection). */
function step(x: Tensor, [w1, b1, w2, b2]: Variable[]): Variable[] {
  const h = add(matmul(x, w1), b1); // [64, 128]
  const a = relu(h);
  const y = add(matmul(a, w2), b2); // [64, 128]
  const loss = mean(mul(y, y)); // []
  loss.backward();
  noGrad(() => {
    for (const p of [w1, b1, w2, b2]) {
      p.value = p.value.sub(p.grad!.mul(0.01));
      p.zeroGrad();
    }
  });
  return [h, a, y, loss];
}

/** gc(), from --expose-gc or, failing that, V8's flag set at run time; null where neither works. */
function findGc(): (() => void) | null {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return null;
  }
}

describe('graph release after backward', () => {
  it('empties every node of the graph and leaves leaves holding only Tensor gradients', () => {
    const { x, params } = tinyMlp();
    const [w1, b1, w2, b2] = params;
    const h = add(matmul(x, w1), b1);
    const y = add(matmul(relu(h), w2), b2);
    const sq = mul(y, y);
    const loss = mean(sq);
    for (const v of [h, y, sq, loss]) expect(v.node!.inputs.length, `${v.node!.op} before backward`).toBeGreaterThan(0);
    loss.backward();
    for (const v of [h, y, sq, loss]) {
      expect(v.node!.inputs, `${v.node!.op}: inputs after backward`).toHaveLength(0);
      expect(v.node!.backward, `${v.node!.op}: backward closure after backward`).toBeNull();
    }
    for (const p of params) {
      expect(p.grad).toBeInstanceOf(Tensor); // a plain Tensor: no node, no path back to the graph
      expect(p.node).toBeNull();
    }
  });

  it('releases the graph of every one of 1,000 training steps', () => {
    const { x, params } = tinyMlp();
    for (let i = 0; i < 1000; i++) {
      const intermediates = step(x, params);
      if (i % 100 === 0 || i === 999) {
        for (const v of intermediates) {
          expect(v.node!.inputs, `step ${i}, ${v.node!.op}`).toHaveLength(0);
          expect(v.node!.backward, `step ${i}, ${v.node!.op}`).toBeNull();
        }
      }
    }
  });

  const gc = findGc();
  it('lets every finished step be garbage-collected (nothing retains old graphs)', async (ctx) => {
    if (gc === null) {
      const why = 'needs gc(): neither --expose-gc nor v8.setFlagsFromString gave it here';
      console.warn(`skipped: ${ctx.task.name} — ${why}`);
      ctx.skip(why);
    }
    const { x, params } = tinyMlp();
    const refs: WeakRef<object>[] = [];
    for (let i = 0; i < 300; i++) {
      const [h, , , loss] = step(x, params);
      refs.push(new WeakRef(h.value), new WeakRef(loss));
    }
    await new Promise((resolve) => setTimeout(resolve, 0)); // WeakRef targets stay alive until the job ends
    gc!();
    // The last step's pair may still sit in this suspended function's frame; every earlier one must be gone.
    const alive = refs.slice(0, -2).filter((r) => r.deref() !== undefined).length;
    expect(alive, `${alive} of ${refs.length - 2} activations and losses of earlier steps are still reachable`).toBe(0);
  });
});

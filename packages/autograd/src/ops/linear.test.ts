import * as T from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { checkOp, expectClose, gradcheck, randVariable } from '../testing/index.js';
import { variable } from '../variable.js';
import { add, matmul } from './index.js';
import { dropout } from './dropout.js';
import { linear } from './linear.js';
import { relu } from './unary.js';

const gen = (seed: number) => new T.Generator(seed);

describe('linear', () => {
  it('is x·Wᵀ + b by hand', () => {
    const x = T.tensor([[1, 2], [3, 4]]);
    const w = T.tensor([[1, 0], [1, 1], [0, -1]]);
    const b = T.tensor([10, 20, 30]);
    expect(linear(x, w, b).toArray()).toEqual([[11, 23, 28], [13, 27, 26]]);
    expect(linear(x, w, b, { activation: 'relu' }).toArray()).toEqual([[11, 23, 28], [13, 27, 26]]);
    expect(linear(x, T.neg(w), null, { activation: 'relu' }).toArray()).toEqual([[0, 0, 2], [0, 0, 4]]);
  });

  it('passes gradcheck with and without bias and ReLU, for any leading shape', () => {
    checkOp([[2, 3, 4], [5, 4], [5]], (x, w, b) => linear(x, w, b), (x, w, b) => T.add(T.matmul(x, T.transpose(w)), b));
    checkOp([[3, 4], [5, 4]], (x, w) => linear(x, w), (x, w) => T.matmul(x, T.transpose(w)));
    checkOp([[2, 3, 4], [5, 4], [5]], (x, w, b) => linear(x, w, b, { activation: 'relu' }),
      (x, w, b) => T.relu(T.add(T.matmul(x, T.transpose(w)), b)));
  });

  it('passes gradcheck with ReLU and dropout (a fresh generator of the same seed per evaluation), and without ReLU', () => {
    gradcheck((x, w, b) => linear(x, w, b, { activation: 'relu', dropout: 0.3, generator: gen(4) }),
      [randVariable([3, 4, 4], 1), randVariable([6, 4], 2), randVariable([6], 3)]);
    gradcheck((x, w, b) => linear(x, w, b, { dropout: 0.5, generator: gen(5) }),
      [randVariable([5, 4], 4), randVariable([3, 4], 5), randVariable([3], 6)]);
  });

  it('equals matmul, add, relu and dropout composed, forward and gradients, bit for bit in float32', () => {
    const g = gen(10);
    const x = variable(T.randn([4, 6, 8], { generator: g }), { requiresGrad: true });
    const w = variable(T.randn([16, 8], { generator: g }), { requiresGrad: true });
    const b = variable(T.randn([16], { generator: g }), { requiresGrad: true });
    const dy = T.randn([4, 6, 16], { generator: g });
    const fused = linear(x, w, b, { activation: 'relu', dropout: 0.25, generator: gen(3) });
    fused.backward(dy);
    const grads = [x, w, b].map((v) => v.grad!);
    [x, w, b].forEach((v) => v.zeroGrad());
    const composed = dropout(relu(add(matmul(x, w, { transB: true }), b)), 0.25, { generator: gen(3) });
    composed.backward(dy);
    expect(Array.from(fused.value.data)).toEqual(Array.from(composed.value.data));
    grads.forEach((gr, i) => expectClose(gr, [x, w, b][i].grad!, { atol: 1e-5, rtol: 1e-5 }));
    expect(Array.from(b.grad!.data)).toEqual(Array.from(grads[2].data));
  });

  it('advances the generator by two draws only while training with dropout', () => {
    const x = T.randn([3, 4], { generator: gen(1) });
    const w = T.randn([2, 4], { generator: gen(2) });
    const g = gen(7);
    linear(x, w, null, { dropout: 0.1, generator: g });
    const h = gen(7);
    h.uint32(); h.uint32();
    expect(g.random()).toBe(h.random());
    const before = JSON.stringify(g.getState());
    const y = linear(x, w, null, { dropout: 0.1, training: false, generator: g });
    expect(JSON.stringify(g.getState())).toBe(before);
    expectClose(y, T.matmul(x, T.transpose(w)), { atol: 1e-6 });
  });

  it('gives inactive ReLU units exactly zero gradient even for an infinite upstream gradient', () => {
    const x = variable(T.tensor([[1, -1]]), { requiresGrad: true });
    const w = variable(T.tensor([[1, 0], [0, 1]]), { requiresGrad: true });   // y = relu(x) = [1, 0]
    linear(x, w, null, { activation: 'relu' }).backward(T.tensor([[2, Infinity]]));
    expect(x.grad!.toArray()).toEqual([[2, 0]]);
  });

  it('refuses mismatched shapes and options, naming them', () => {
    const x = T.zeros([2, 3]);
    expect(() => linear(x, T.zeros([4, 5]))).toThrow('linear: x is [2, 3] and weight [4, 5] (weight must be [outFeatures, inFeatures] with inFeatures = x[-1])');
    expect(() => linear(x, T.zeros([4, 3]), T.zeros([5]))).toThrow('linear: bias is [5] but weight is [4, 3] (bias must be [outFeatures])');
    expect(() => linear(x, T.zeros([4, 3]), null, { dropout: 2 })).toThrow('linear: dropout must be in [0, 1], got 2');
    expect(() => linear(x, T.zeros([4, 3]), null, { activation: 'tanh' as 'relu' })).toThrow("linear: activation must be 'none' or 'relu', got 'tanh'");
  });
});

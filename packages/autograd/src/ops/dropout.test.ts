import * as T from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { gradcheck, randVariable } from '../testing/index.js';
import { variable } from '../variable.js';
import { dropout } from './dropout.js';

describe('dropout', () => {
  it('zeroes about p of the elements and scales the rest by 1/(1 − p)', () => {
    const x = variable(T.ones([100, 100]), { requiresGrad: true });
    const y = dropout(x, 0.25, { generator: new T.Generator(1) });
    const values = new Set(Array.from(y.value.data).map((v) => Math.round(v * 1e6) / 1e6));
    expect(values).toEqual(new Set([0, Math.round((1 / 0.75) * 1e6) / 1e6]));
    const dropped = Array.from(y.value.data).filter((v) => v === 0).length / y.size;
    expect(Math.abs(dropped - 0.25)).toBeLessThan(0.02);
    expect(Math.abs(T.mean(y.value).item() - 1)).toBeLessThan(0.03);
  });

  it('routes the gradient through the same mask', () => {
    const x = variable(T.ones([50]), { requiresGrad: true });
    const y = dropout(x, 0.5, { generator: new T.Generator(2) });
    y.backward(T.ones([50]));
    expect(x.grad!.toArray()).toEqual(y.value.toArray());
  });

  it('passes gradcheck with a fixed mask (a fresh generator of the same seed per evaluation)', () => {
    gradcheck((x) => dropout(x, 0.4, { generator: new T.Generator(11) }), [randVariable([6, 5], 1)]);
  });

  it('is reproducible with a seeded generator and the identity in eval', () => {
    const x = T.randn([20], { generator: new T.Generator(3) });
    const a = dropout(x, 0.3, { generator: new T.Generator(9) }).value;
    const b = dropout(x, 0.3, { generator: new T.Generator(9) }).value;
    expect(a.toArray()).toEqual(b.toArray());
    const v = variable(x);
    expect(dropout(v, 0.3, { training: false })).toBe(v);
    expect(Array.from(dropout(x, 1, { generator: new T.Generator(1) }).value.data).every((v) => v === 0)).toBe(true);
    expect(() => dropout(x, 1.5)).toThrow('dropout: p must be in [0, 1], got 1.5');
  });
});

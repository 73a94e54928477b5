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

  it('draws two 32-bit words per call whatever the size, and a fresh mask each call', () => {
    const g = new T.Generator(8);
    const a = dropout(T.ones([4000]), 0.1, { generator: g }).value;
    const b = dropout(T.ones([4000]), 0.1, { generator: g }).value;
    const h = new T.Generator(8);
    for (let i = 0; i < 4; i++) h.uint32();
    expect(g.random()).toBe(h.random());
    const differ = Array.from(a.data).filter((v, i) => (v === 0) !== (b.data[i] === 0)).length;
    expect(differ).toBeGreaterThan(400);                                  // independent masks: ≈ 2·0.1·0.9·4000 = 720
  });

  it('keeps each element with probability 1 − p for several p (binomial bounds)', () => {
    for (const p of [0.05, 0.1, 0.5, 0.9]) {
      const n = 200_000;
      const y = dropout(T.ones([n]), p, { generator: new T.Generator(Math.round(p * 100)) }).value;
      let kept = 0;
      for (let i = 0; i < n; i++) if (y.data[i] !== 0) kept++;
      const sd = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(kept - n * (1 - p)), `p ${p}`).toBeLessThan(5 * sd);
    }
  });

  it('works in float64 with the same mask as float32, and refuses integer tensors', () => {
    const x = T.randn([300], { generator: new T.Generator(2) });
    const y32 = dropout(x, 0.3, { generator: new T.Generator(6) }).value;
    const y64 = dropout(x.astype('float64'), 0.3, { generator: new T.Generator(6) }).value;
    expect(y64.dtype).toBe('float64');
    expect(Array.from(y32.data).map((v) => v === 0)).toEqual(Array.from(y64.data).map((v) => v === 0));
    expect(() => dropout(T.tensor([1, 2], undefined, 'int32'), 0.5)).toThrow('dropout: x must be float32 or float64, got int32');
  });
});

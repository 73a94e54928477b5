import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { bernoulli, rand, randint, randn, uniform } from './ops/random.js';
import { defaultGenerator, Generator, manualSeed } from './random.js';
import { tensor } from './ops/creation.js';

describe('Generator', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = new Generator(42), b = new Generator(42), c = new Generator(43);
    const xa = Array.from({ length: 5 }, () => a.random());
    expect(Array.from({ length: 5 }, () => b.random())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.random())).not.toEqual(xa);
  });

  it('is pinned across machines: the first values of seed 0 never change', () => {
    // Generator(0) is seedrandom's Alea seeded with the string "0"; 0.5945264333859086 is its first
    // output, recorded from seedrandom 3.0.5. If it changes, every seeded gloss run changes.
    const g = new Generator(0);
    const first = [g.random(), g.random(), g.random()];
    const again = new Generator('0');
    expect([again.random(), again.random(), again.random()]).toEqual(first);
    expect(first.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(first[0]).toBe(0.5945264333859086);
    expect(first[0]).toBe(seedrandom.alea('0')());
  });

  it('continues exactly after getState/setState, including a pending normal', () => {
    const g = new Generator(7);
    g.normal(); // leaves the pair's second value pending
    const state = JSON.parse(JSON.stringify(g.getState()));
    const expected = [g.normal(), g.random(), g.int(100), g.normal()];
    const h = Generator.fromState(state);
    expect([h.normal(), h.random(), h.int(100), h.normal()]).toEqual(expected);
  });

  it('refuses a malformed state and a non-finite seed', () => {
    expect(() => new Generator(0).setState({} as never)).toThrow('Generator.setState: state must be an object from getState()');
    expect(() => new Generator(NaN)).toThrow('seed must be a finite number or a string');
    expect(() => new Generator(0).int(0)).toThrow('Generator.int: n must be a positive integer, got 0');
  });

  it('uint32 takes one draw and returns all 32 bits of it', () => {
    const a = new Generator(4), b = new Generator(4);
    const words = Array.from({ length: 1000 }, () => a.uint32());
    expect(words.slice(0, 3)).toEqual([0, 1, 2].map(() => Math.floor(b.random() * 2 ** 32)));
    expect(words.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32)).toBe(true);
    expect(words.some((w) => w >= 2 ** 31)).toBe(true);                // the top bit is used
    const c = new Generator(4);
    for (let i = 0; i < 1000; i++) c.random();
    expect(a.random()).toBe(c.random());                               // exactly one draw each
  });

  it('shuffle is a permutation', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    new Generator(1).shuffle(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('manualSeed resets the default generator', () => {
    manualSeed(5);
    const x = defaultGenerator().random();
    manualSeed(5);
    expect(defaultGenerator().random()).toBe(x);
  });
});

describe('random tensors', () => {
  it('randn has mean ≈ 0 and std ≈ 1', () => {
    const t = randn([20000], { generator: new Generator(3) });
    const d = Array.from(t.data);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const std = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(std - 1)).toBeLessThan(0.03);
  });

  it('is reproducible with a seeded generator', () => {
    expect(randn([4], { generator: new Generator(9) }).toArray()).toEqual(randn([4], { generator: new Generator(9) }).toArray());
    expect(rand([3], { generator: new Generator(1), dtype: 'float64' }).dtype).toBe('float64');
  });

  it('uniform stays in [low, high)', () => {
    const t = uniform([1000], -2, 3, { generator: new Generator(2) });
    expect(Math.min(...t.data)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...t.data)).toBeLessThan(3);
    expect(() => uniform([2], 1, 0)).toThrow('uniform: needs finite low <= high, got low 1, high 0');
  });

  it('bernoulli draws with probability p, or per element', () => {
    const t = bernoulli([10000], 0.3, { generator: new Generator(4) });
    expect(t.dtype).toBe('bool');
    const frac = Array.from(t.data).reduce((a, b) => a + b, 0) / t.size;
    expect(Math.abs(frac - 0.3)).toBeLessThan(0.02);
    const p = bernoulli(tensor([0, 1, 0, 1]), 0.5, { generator: new Generator(4) });
    expect(p.toArray()).toEqual([false, true, false, true]);
    expect(() => bernoulli([2], 1.5)).toThrow('bernoulli: p must be in [0, 1], got 1.5');
  });

  it('randint covers [low, high) only', () => {
    const t = randint(3, 6, [3000], { generator: new Generator(8) });
    expect(new Set(t.data)).toEqual(new Set([3, 4, 5]));
  });
});

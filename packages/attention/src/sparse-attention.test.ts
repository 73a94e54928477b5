// Sparse variants (local, strided, block-sparse, user-defined) against full attention with the equivalent boolean
// mask — forward and gradients, with padding and causality, fused and composed paths — plus gradcheck, the window
// ≥ T identity, and cached decoding equal to recomputation at every step.
import { Generator, randn, type FloatDType, type Tensor } from '@gloss/tensor';
import { noGrad, variable, type Variable } from '@gloss/autograd';
import { expectClose, gradcheck } from '@gloss/autograd/testing';
import { describe, expect, it } from 'vitest';
import { KVCache } from './kv-cache.js';
import { paddingMask, windowMask } from './masks.js';
import { MultiHeadAttention, type MultiHeadAttentionConfig } from './multi-head-attention.js';
import { scaledDotProductAttention } from './scaled-dot-product-attention.js';
import {
  blockSparseLayout, blockSparsePattern, localPattern, patternFromFunction, patternPicture, stridedPattern,
} from './sparse-patterns.js';

const input = (shape: number[], seed: number, dtype: FloatDType = 'float32'): Variable =>
  variable(randn(shape, { generator: new Generator(seed), dtype }), { requiresGrad: true });

/** Output and the gradients of q, k, v under a fixed random upstream gradient. */
function run(fn: (q: Variable, k: Variable, v: Variable) => Variable, shapes: [number[], number[]], dtype: FloatDType) {
  const [q, k, v] = [input(shapes[0], 1, dtype), input(shapes[1], 2, dtype), input(shapes[1], 3, dtype)];
  const out = fn(q, k, v);
  out.backward(randn(out.shape, { generator: new Generator(4), dtype }));
  return { out: out.value, dq: q.grad!, dk: k.grad!, dv: v.grad! };
}

function expectSame(a: ReturnType<typeof run>, b: ReturnType<typeof run>, tol: { atol: number; rtol: number }): void {
  for (const key of ['out', 'dq', 'dk', 'dv'] as const) expectClose(a[key], b[key], tol);
}

describe('patterns', () => {
  it('draws the layouts of the papers (hand-checked pictures)', () => {
    expect(patternPicture(localPattern(1), 5)).toBe(['██···', '███··', '·███·', '··███', '···██'].join('\n'));
    expect(patternPicture(localPattern(1, 1), 5, true)).toBe(['█····', '██···', '███··', '█·██·', '█··██'].join('\n'));
    // strided, l = 2, causal: the previous 2 keys, and every 2nd key before
    expect(patternPicture(stridedPattern(2), 6, true)).toBe(['█·····', '██····', '███···', '·███··', '█·███·', '·█·███'].join('\n'));
    // fixed, l = 3, c = 1: own block, and the last key of each block
    expect(patternPicture(stridedPattern(3, 'fixed', 1), 6)).toBe(['███··█', '███··█', '███··█', '··████', '··████', '··████'].join('\n'));
  });

  it('block-sparse layout: window, global and exactly randomBlocks random blocks per row, the same for the same seed', () => {
    const layout = blockSparseLayout(8, { windowBlocks: 3, globalBlocks: 1, randomBlocks: 2 }, new Generator(5));
    const cells = layout.data as Uint8Array;
    for (let i = 0; i < 8; i++) {
      const fixed = Array.from({ length: 8 }, (_, j) => +(Math.abs(i - j) <= 1 || i < 1 || j < 1));
      const extra = Array.from({ length: 8 }, (_, j) => cells[i * 8 + j] - fixed[j]);
      expect(extra.every((x) => x === 0 || x === 1)).toBe(true);           // the fixed blocks are all there
      expect(extra.reduce((a, b) => a + b, 0)).toBe(i < 1 ? 0 : 2);        // a global row has nothing left to draw
    }
    expect(blockSparseLayout(8, { globalBlocks: 1, randomBlocks: 2 }, new Generator(5)).toArray()).toEqual(layout.toArray());
    expect(blockSparseLayout(8, { globalBlocks: 1, randomBlocks: 2 }, new Generator(6)).toArray()).not.toEqual(layout.toArray());
    const causal = blockSparseLayout(8, { globalBlocks: 0, randomBlocks: 2, causal: true }, new Generator(5)).data as Uint8Array;
    for (let i = 0; i < 8; i++) for (let j = i + 2; j < 8; j++) expect(causal[i * 8 + j]).toBe(0);   // random blocks from the past only
  });

  it('a block-sparse pattern expands its layout and refuses positions past it', () => {
    const p = blockSparsePattern(blockSparseLayout(2, { windowBlocks: 1, globalBlocks: 0, randomBlocks: 0 }), 2);
    expect(patternPicture(p, 4)).toBe(['██··', '██··', '··██', '··██'].join('\n'));
    expect(() => p.mask(5, 5)).toThrow("blockSparsePattern: srcLen 5 is past the layout's 2 blocks of 2 (4 positions)");
  });
});

describe('sliding-window and block-sparse scaledDotProductAttention', () => {
  const cases: [string, FloatDType, boolean, boolean][] = [
    ['float32 (WebAssembly kernel), causal + padding', 'float32', true, true],
    ['float32, bidirectional, no padding', 'float32', false, false],
    ['float64 (TypeScript kernel), causal + padding', 'float64', true, true],
    ['float64, bidirectional + padding', 'float64', false, true],
  ];
  for (const [name, dtype, causal, padded] of cases) {
    it(`equals full attention with the window as a bool mask, fused and composed: ${name}`, () => {
      const window = { before: 5, after: 3, globalTokens: 2 };
      const T = 37;
      const keyPaddingMask = padded ? paddingMask([37, 20], T) : null;
      const shapes: [number[], number[]] = [[2, 2, T, 8], [2, 2, T, 8]];
      const tol = dtype === 'float64' ? { atol: 1e-12, rtol: 1e-10 } : { atol: 2e-5, rtol: 2e-4 };
      const fused = run((q, k, v) => scaledDotProductAttention(q, k, v, { window, causal, keyPaddingMask }), shapes, dtype);
      const composed = run((q, k, v) => scaledDotProductAttention(q, k, v, { window, causal, keyPaddingMask, returnWeights: true }).output, shapes, dtype);
      const masked = run((q, k, v) => scaledDotProductAttention(q, k, v, { attnMask: windowMask(T, T, window), causal, keyPaddingMask }), shapes, dtype);
      expectSame(fused, masked, tol);
      expectSame(composed, masked, tol);
    });
  }

  it('a block layout (blocks of 16: the WebAssembly kernel skips tiles) equals its mask, forward and gradients, causal + padding', () => {
    const T = 50;
    const pattern = blockSparsePattern(blockSparseLayout(4, { windowBlocks: 1, globalBlocks: 1, randomBlocks: 1 }, new Generator(3)), 16);
    const keyPaddingMask = paddingMask([50, 29], T);
    const shapes: [number[], number[]] = [[2, 2, T, 8], [2, 2, T, 8]];
    for (const causal of [false, true]) {
      const fused = run((q, k, v) => scaledDotProductAttention(q, k, v, { blockLayout: pattern.blockLayout!(T), causal, keyPaddingMask }), shapes, 'float32');
      const composed = run((q, k, v) => scaledDotProductAttention(q, k, v, { blockLayout: pattern.blockLayout!(T), causal, keyPaddingMask, returnWeights: true }).output, shapes, 'float32');
      const masked = run((q, k, v) => scaledDotProductAttention(q, k, v, { attnMask: pattern.mask(T, T), causal, keyPaddingMask }), shapes, 'float32');
      expectSame(fused, masked, { atol: 2e-5, rtol: 2e-4 });
      expectSame(composed, masked, { atol: 2e-5, rtol: 2e-4 });
    }
  });

  it('a window at least T wide equals full attention', () => {
    const shapes: [number[], number[]] = [[1, 2, 20, 8], [1, 2, 20, 8]];
    const wide = run((q, k, v) => scaledDotProductAttention(q, k, v, { window: { before: 20, after: 20, globalTokens: 0 }, causal: true }), shapes, 'float32');
    const full = run((q, k, v) => scaledDotProductAttention(q, k, v, { causal: true }), shapes, 'float32');
    expectSame(wide, full, { atol: 0, rtol: 0 });
  });

  it('passes gradcheck in float64', () => {
    const [q, k, v] = [input([1, 2, 9, 4], 7, 'float64'), input([1, 2, 9, 4], 8, 'float64'), input([1, 2, 9, 4], 9, 'float64')];
    const window = { before: 2, after: 1, globalTokens: 1 };
    expect(gradcheck((a, b, c) => scaledDotProductAttention(a, b, c, { window, causal: true, keyPaddingMask: paddingMask([7], 9) }), [q, k, v])).toBe(true);
    expect(gradcheck((a, b, c) => scaledDotProductAttention(a, b, c, { window }), [q, k, v])).toBe(true);
  });

  it('refuses a window with a negative or fractional count, naming it', () => {
    const q = input([1, 1, 3, 4], 1);
    expect(() => scaledDotProductAttention(q, q, q, { window: { before: -1, after: 0, globalTokens: 0 } }))
      .toThrow('attention: window.before must be a non-negative integer, got -1');
  });
});

const D = 8;
const layout = blockSparseLayout(8, { windowBlocks: 1, globalBlocks: 1, randomBlocks: 1 }, new Generator(11));
const variants: [string, Partial<MultiHeadAttentionConfig>, (t: number, s: number) => Tensor][] = [
  ['local ±3, 1 global', { attentionType: 'local', attentionWindow: 3, globalTokens: 1 }, (t, s) => windowMask(t, s, { before: 3, after: 3, globalTokens: 1 })],
  ['strided l 3', { attentionType: 'strided', attentionStride: 3 }, (t, s) => stridedPattern(3).mask(t, s)],
  ['fixed l 4, c 2', { attentionType: 'strided', attentionStride: 4, stridedPattern: 'fixed', summaryTokens: 2 }, (t, s) => stridedPattern(4, 'fixed', 2).mask(t, s)],
  ['block-sparse, blocks of 2, a layout passed in', { attentionType: 'block-sparse', blockSize: 2, blockLayout: layout },
    (t, s) => blockSparsePattern(layout, 2).mask(t, s)],
  ['block-sparse, BigBird layout drawn from the seed', { attentionType: 'block-sparse', blockSize: 2, windowBlocks: 1, globalBlocks: 1, randomBlocks: 1, maxLen: 16 },
    (t, s) => new MultiHeadAttention({ dModel: D, numHeads: 2, generator: new Generator(10), attentionType: 'block-sparse', blockSize: 2,
      windowBlocks: 1, globalBlocks: 1, randomBlocks: 1, maxLen: 16 }).pattern!.mask(t, s)],
  ['user-defined (even keys + self)', { attentionType: patternFromFunction('even', (p, j) => j === p || j % 2 === 0) },
    (t, s) => patternFromFunction('even', (p, j) => j === p || j % 2 === 0).mask(t, s)],
];

describe('MultiHeadAttention with a sparse attentionType', () => {
  const pair = (config: Partial<MultiHeadAttentionConfig>, dtype: FloatDType) => {
    const sparse = new MultiHeadAttention({ dModel: D, numHeads: 2, generator: new Generator(10), dtype, ...config });
    const full = new MultiHeadAttention({ dModel: D, numHeads: 2, generator: new Generator(10), dtype });
    return { sparse, full };
  };

  for (const [name, config, mask] of variants) {
    it(`${name}: equals full attention with the pattern's mask (forward and gradients, causal and not, with padding)`, () => {
      for (const causal of [false, true]) {
        for (const dtype of ['float32', 'float64'] as const) {
          const { sparse, full } = pair(config, dtype);
          const T = 11;
          const keyPaddingMask = paddingMask([11, 6], T);
          const x1 = input([2, T, D], 12, dtype);
          const x2 = input([2, T, D], 12, dtype);
          const seed = randn([2, T, D], { generator: new Generator(13), dtype });
          const a = sparse.forward(x1, x1, x1, { causal, keyPaddingMask }).output;
          const b = full.forward(x2, x2, x2, { causal, keyPaddingMask, attnMask: mask(T, T) }).output;
          a.backward(seed);
          b.backward(seed);
          const tol = dtype === 'float64' ? { atol: 1e-12, rtol: 1e-10 } : { atol: 2e-5, rtol: 2e-4 };
          expectClose(a.value, b.value, tol);
          expectClose(x1.grad!, x2.grad!, tol);
          expectClose(sparse.inProjWeight.grad!, full.inProjWeight.grad!, tol);
        }
      }
    });

    it(`${name}: cached decoding equals recomputation at every step`, () => {
      const { sparse } = pair(config, 'float32');
      sparse.eval();
      const T = 10;
      const x = input([2, T, D], 14).value;
      const cache = new KVCache('self');
      noGrad(() => {
        const all = sparse.forward(x, x, x, { causal: true }).output.value;    // [2, T, D]
        for (let t = 0; t < T; t++) {
          const xt = x.slice(1, t, t + 1);
          const step = sparse.forward(xt, xt, xt, { cache }).output.value;      // [2, 1, D]
          expectClose(step, all.slice(1, t, t + 1), { atol: 1e-5, rtol: 1e-4 });
        }
      });
    });
  }

  for (const [name, config] of variants) {
    it(`${name}: passes gradcheck in float64 (inputs and parameters, causal with padding)`, () => {
      const attn = new MultiHeadAttention({ dModel: 4, numHeads: 2, generator: new Generator(15), dtype: 'float64', ...config });
      const x = input([1, 7, 4], 16, 'float64');
      expect(gradcheck((a) => attn.forward(a, a, a, { causal: true, keyPaddingMask: paddingMask([6], 7) }).output, [x, ...attn.parameters()])).toBe(true);
    });
  }

  it('returns the weights of local attention from the composed path, zero outside the window', () => {
    const attn = new MultiHeadAttention({ dModel: D, numHeads: 2, generator: new Generator(17), attentionType: 'local', attentionWindow: 1 });
    const x = input([1, 6, D], 18);
    const w = attn.forward(x, x, x, { needWeights: true }).weights!.value;      // [1, 6, 6]
    const allowed = windowMask(6, 6, { before: 1, after: 1, globalTokens: 0 }).data as Uint8Array;
    const data = w.data as Float32Array;
    for (let i = 0; i < 36; i++) expect(data[i] === 0).toBe(!allowed[i]);
  });

  it('refuses bad variant fields with the field, the rule and the value', () => {
    const make = (c: Partial<MultiHeadAttentionConfig>) => () => new MultiHeadAttention({ dModel: D, numHeads: 2, ...c });
    expect(make({ attentionType: 'sparse' as never })).toThrow('MultiHeadAttention: attentionType must be one of full, local, strided, block-sparse, linformer, linear, got "sparse"');
    expect(make({ attentionType: 'local', attentionWindow: 0 })).toThrow('MultiHeadAttention: attentionWindow must be a positive integer, got 0');
    expect(make({ windowBlocks: 2 })).toThrow('MultiHeadAttention: windowBlocks must be odd');
    expect(make({ attentionType: 'strided', stridedPattern: 'fixed', attentionStride: 4, summaryTokens: 5 })).toThrow('summaryTokens 5 must be at most attentionStride 4');
  });
});

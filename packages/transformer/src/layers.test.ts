// The layers: values checked by hand, gradients by finite differences (float64), and bad input refused.
import { Generator, Tensor, randn, tensor } from '@gloss/tensor';
import { variable } from '@gloss/autograd';
import { expectClose, gradcheck, randVariable } from '@gloss/autograd/testing';
import { describe, expect, it } from 'vitest';
import { Dropout } from './dropout.js';
import { Embedding } from './embedding.js';
import { TransformerDecoderLayer } from './decoder-layer.js';
import { TransformerEncoderLayer, type LayerConfig } from './encoder-layer.js';
import { FeedForward } from './feed-forward.js';
import { LayerNorm } from './layer-norm.js';
import { Linear } from './linear.js';
import { LearnedPositionalEncoding, PositionalEncoding, sinusoidalTable } from './positional-encoding.js';

const f64 = 'float64' as const;

describe('Linear', () => {
  it('computes x·Wᵀ + b over any leading axes', () => {
    const lin = new Linear({ inFeatures: 2, outFeatures: 3 });
    lin.weight.value = tensor([[1, 2], [3, 4], [5, 6]]);
    lin.bias!.value = tensor([0.5, 0, -1]);
    expectClose(lin.forward(tensor([[[1, 1]], [[2, -1]]])), [[[3.5, 7, 10]], [[0.5, 2, 3]]]);
  });

  it('has gradients that pass gradcheck', () => {
    const lin = new Linear({ inFeatures: 3, outFeatures: 2, dtype: f64, generator: new Generator(1) });
    gradcheck((x) => lin.forward(x), [randVariable([2, 2, 3], 1), lin.weight, lin.bias!]);
  });

  it('refuses the wrong width, naming it', () => {
    expect(() => new Linear({ inFeatures: 3, outFeatures: 2 }).forward(randn([2, 4]))).toThrow('Linear: x must be [..., inFeatures 3], got [2, 4]');
    expect(() => new Linear({ inFeatures: 0, outFeatures: 2 })).toThrow(/inFeatures must be a positive integer, got 0/);
  });
});

describe('Embedding', () => {
  it('looks up rows and scales them by √dModel', () => {
    const emb = new Embedding({ vocabSize: 3, dModel: 4 });
    emb.weight.value = tensor([[0, 0, 0, 0], [1, 2, 3, 4], [-1, 0, 1, 0]]);
    expectClose(emb.forward(tensor([[2, 1]], undefined, 'int32')), [[[-2, 0, 2, 0], [2, 4, 6, 8]]]);
  });

  it('refuses an id outside the vocabulary or a float id tensor', () => {
    const emb = new Embedding({ vocabSize: 3, dModel: 4 });
    expect(() => emb.forward(tensor([[0, 3]], undefined, 'int32'))).toThrow(/token id 3 at flat position 1 of \[1,2\] is outside the vocabulary \[0, 3\)/);
    expect(() => emb.forward(tensor([[0, 1]]))).toThrow(/token ids must be int32, got float32/);
  });
});

describe('positional encodings', () => {
  it('sinusoidal: pe[pos, 2i] = sin(pos/10000^(2i/d)), pe[pos, 2i+1] = cos(pos/10000^(2i/d))', () => {
    const pe = sinusoidalTable(3, 4, f64);
    expectClose(pe, [
      [0, 1, 0, 1],
      [Math.sin(1), Math.cos(1), Math.sin(0.01), Math.cos(0.01)],
      [Math.sin(2), Math.cos(2), Math.sin(0.02), Math.cos(0.02)],
    ], { atol: 1e-15 });
  });

  it('adds the rows from `offset` on, and refuses positions past maxLen', () => {
    const pe = new PositionalEncoding({ dModel: 4, maxLen: 3, dtype: f64 });
    const x = randn([2, 2, 4], { dtype: f64, generator: new Generator(0) });
    const table = sinusoidalTable(3, 4, f64);
    expectClose(pe.forward(x, 1), x.add(table.slice(0, 1, 3)), { atol: 0 });
    expect(() => pe.forward(x, 2)).toThrow('PositionalEncoding: positions 2..3 exceed maxLen 3 (raise maxLen in the config)');
  });

  it('learned: a parameter table with gradients', () => {
    const pe = new LearnedPositionalEncoding({ dModel: 3, maxLen: 5, dtype: f64, generator: new Generator(2) });
    expect(pe.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([['weight', [5, 3]]]);
    gradcheck((x) => pe.forward(x, 1), [randVariable([2, 3, 3], 1), pe.weight]);   // the table is read through pe.weight
  });
});

describe('LayerNorm', () => {
  it('normalizes the last axis with eps 1e-5 by default', () => {
    const ln = new LayerNorm(2, undefined, f64);
    // mean 2, var 1 → (x − 2)/√(1 + 1e-5)
    expectClose(ln.forward(tensor([[1, 3]], undefined, f64)), [[-1 / Math.sqrt(1 + 1e-5), 1 / Math.sqrt(1 + 1e-5)]], { atol: 1e-12 });
    expect(ln.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
  });
});

describe('Dropout', () => {
  it('is seeded in training and the identity in eval', () => {
    const x = randn([1000], { generator: new Generator(0) });
    const a = new Dropout(0.3, new Generator(5)).forward(x).value;
    const b = new Dropout(0.3, new Generator(5)).forward(x).value;
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const zeros = Array.from(a.data).filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(240);
    expect(zeros).toBeLessThan(360);
    expect(new Dropout(0.3).eval().forward(x).value.data).toEqual(x.data);
  });
});

const layerConfig = (normFirst: boolean, activation: 'relu' | 'gelu'): LayerConfig => ({
  dModel: 4, numHeads: 2, dimFeedforward: 6, dropout: 0, attentionDropout: 0, activation, normFirst, layerNormEps: 1e-5,
  generator: new Generator(3), dtype: f64,
});

describe('FeedForward', () => {
  it.each(['relu', 'gelu'] as const)('%s: passes gradcheck and names its parameters linear1/linear2', (activation) => {
    const ff = new FeedForward({ dModel: 3, dFf: 5, activation, dtype: f64, generator: new Generator(4) });
    expect(ff.namedParameters().map(([n]) => n)).toEqual(['linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias']);
    gradcheck((x) => ff.forward(x), [randVariable([2, 3], 2), ...ff.parameters()]);
  });
});

describe.each([[false, 'relu'], [true, 'gelu']] as const)('encoder and decoder layers (normFirst %s, %s)', (normFirst, activation) => {
  const srcPadding = tensor([[false, false, false], [false, false, true]]);

  it('encoder layer: gradcheck through input and every parameter, padding honoured', () => {
    const layer = new TransformerEncoderLayer(layerConfig(normFirst, activation));
    expect(layer.namedParameters().map(([n]) => n)).toEqual([
      'self_attn.in_proj_weight', 'self_attn.in_proj_bias', 'self_attn.out_proj.weight', 'self_attn.out_proj.bias',
      'linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias', 'norm1.weight', 'norm1.bias', 'norm2.weight', 'norm2.bias']);
    gradcheck((x) => layer.forward(x, srcPadding), [randVariable([2, 3, 4], 5), ...layer.parameters()]);
    // A padded position's value cannot reach the others.
    const x = randn([2, 3, 4], { dtype: f64, generator: new Generator(6) });
    const y = x.clone();
    (y.data as Float64Array)[(1 * 3 + 2) * 4] += 10;
    expectClose(layer.forward(y, srcPadding).value.slice(1, 0, 2), layer.forward(x, srcPadding).value.slice(1, 0, 2), { atol: 1e-12 });
  });

  it('decoder layer: gradcheck through input, memory and every parameter; causal', () => {
    const layer = new TransformerDecoderLayer(layerConfig(normFirst, activation));
    expect(layer.namedParameters().map(([n]) => n).filter((n) => n.startsWith('norm'))).toEqual(
      ['norm1.weight', 'norm1.bias', 'norm2.weight', 'norm2.bias', 'norm3.weight', 'norm3.bias']);
    gradcheck((x, m) => layer.forward(x, m, { srcPadding }).output, [randVariable([2, 2, 4], 7), randVariable([2, 3, 4], 8), ...layer.parameters()]);
    // Changing position 2 leaves positions 0 and 1 unchanged.
    const x = randn([2, 3, 4], { dtype: f64, generator: new Generator(9) });
    const m = randn([2, 3, 4], { dtype: f64, generator: new Generator(10) });
    const y = x.clone();
    for (let i = 0; i < 4; i++) (y.data as Float64Array)[2 * 4 + i] += 1;
    const out = (t: Tensor) => layer.forward(variable(t), m, { srcPadding }).output.value.slice(1, 0, 2);
    expectClose(out(y), out(x), { atol: 1e-12 });
  });
});

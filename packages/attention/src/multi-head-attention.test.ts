import { Generator, cpuBackend, randn, setBackend, zeros, type AttentionDropout, type Backend, type FloatDType } from '@gloss/tensor';
import { variable, type Variable } from '@gloss/autograd';
import { expectClose, gradcheck } from '@gloss/autograd/testing';
import { describe, expect, it } from 'vitest';
import { paddingMask } from './masks.js';
import { MultiHeadAttention } from './multi-head-attention.js';
import { whyNotFused } from './scaled-dot-product-attention.js';

const input = (shape: number[], seed: number, dtype: FloatDType = 'float32', requiresGrad = false): Variable =>
  variable(randn(shape, { generator: new Generator(seed), dtype }), { requiresGrad });

describe('MultiHeadAttention', () => {
  it('has nn.MultiheadAttention\'s parameter names, shapes and init', () => {
    const attn = new MultiHeadAttention({ dModel: 8, numHeads: 2, generator: new Generator(0) });
    expect(attn.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['in_proj_weight', [24, 8]], ['in_proj_bias', [24]], ['out_proj.weight', [8, 8]], ['out_proj.bias', [8]],
    ]);
    expect(attn.parameters().every((p) => p.requiresGrad && p.dtype === 'float32')).toBe(true);
    const xavier = Math.sqrt(6 / (8 + 24));
    const w = Array.from(attn.inProjWeight.value.data);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(xavier);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.8 * xavier);
    const o = Array.from(attn.outProjWeight.value.data);
    expect(Math.max(...o.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(8));
    expect(Array.from(attn.inProjBias!.value.data).every((x) => x === 0)).toBe(true);
    // Same seed, same weights.
    const again = new MultiHeadAttention({ dModel: 8, numHeads: 2, generator: new Generator(0) });
    expect(again.inProjWeight.value.toArray()).toEqual(attn.inProjWeight.value.toArray());
    expect(new MultiHeadAttention({ dModel: 8, numHeads: 2, bias: false }).namedParameters().map(([n]) => n)).toEqual(['in_proj_weight', 'out_proj.weight']);
  });

  it('rejects a dModel not divisible by numHeads', () => {
    expect(() => new MultiHeadAttention({ dModel: 10, numHeads: 4 })).toThrow('MultiHeadAttention: dModel 10 is not divisible by numHeads 4');
  });

  it('serves self, masked self and cross attention, batch-first', () => {
    const attn = new MultiHeadAttention({ dModel: 8, numHeads: 2, generator: new Generator(1) });
    const x = input([2, 5, 8], 2);
    const memory = input([2, 7, 8], 3);
    expect(attn.forward(x, x, x).output.shape).toEqual([2, 5, 8]);
    expect(attn.forward(x, x, x, { causal: true, keyPaddingMask: paddingMask([5, 3], 5) }).output.shape).toEqual([2, 5, 8]);
    const cross = attn.forward(x, memory, memory, { keyPaddingMask: paddingMask([7, 2], 7), needWeights: true });
    expect(cross.output.shape).toEqual([2, 5, 8]);
    expect(cross.weights!.shape).toEqual([2, 5, 7]);
    expectClose(cross.weights!.value.sum(-1), zeros([2, 5]).add(1), { atol: 1e-6 });
    expect(attn.forward(x, memory, memory, { needWeights: true, averageWeights: false }).weights!.shape).toEqual([2, 2, 5, 7]);
  });

  it('gives the same output with and without weights (composed and fused paths)', () => {
    const attn = new MultiHeadAttention({ dModel: 8, numHeads: 2, generator: new Generator(4) });
    const x = input([2, 5, 8], 5);
    const opts = { causal: true, keyPaddingMask: paddingMask([5, 4], 5) };
    expectClose(attn.forward(x, x, x, { ...opts, needWeights: true }).output, attn.forward(x, x, x, opts).output, { atol: 1e-6 });
  });

  it('with a causal mask, changing tokens after position t leaves outputs up to t unchanged', () => {
    const attn = new MultiHeadAttention({ dModel: 8, numHeads: 2, generator: new Generator(6) });
    const x = input([1, 6, 8], 7);
    const before = attn.forward(x, x, x, { causal: true }).output.value;
    const y = x.value.clone();
    for (let i = 3 * 8; i < y.size; i++) y.data[i] += 5;   // positions 3, 4, 5
    const after = attn.forward(y, y, y, { causal: true }).output.value;
    expect(Array.from(after.data.slice(0, 3 * 8))).toEqual(Array.from(before.data.slice(0, 3 * 8)));
    expect(Array.from(after.data.slice(3 * 8))).not.toEqual(Array.from(before.data.slice(3 * 8)));
  });

  it('never lets memory padding change the outputs (cross-attention)', () => {
    const attn = new MultiHeadAttention({ dModel: 8, numHeads: 4, generator: new Generator(8) });
    const x = input([2, 3, 8], 9);
    const memory = input([2, 6, 8], 10);
    const keyPaddingMask = paddingMask([6, 2], 6);
    const before = attn.forward(x, memory, memory, { keyPaddingMask }).output.value;
    const m2 = memory.value.clone();
    for (let i = (6 + 2) * 8; i < m2.size; i++) m2.data[i] = 1e4 * Math.sin(i);   // batch 1, positions 2…5
    expect(attn.forward(x, m2, m2, { keyPaddingMask }).output.value.toArray()).toEqual(before.toArray());
  });

  it('applies dropout while training only', () => {
    const attn = new MultiHeadAttention({ dModel: 8, numHeads: 2, dropout: 0.5, generator: new Generator(11) });
    const x = input([2, 4, 8], 12);
    const evalOut = attn.eval().forward(x, x, x).output.value;
    expect(attn.training).toBe(false);
    const trainOut = attn.train().forward(x, x, x).output.value;
    expect(trainOut.toArray()).not.toEqual(evalOut.toArray());
    const noDrop = new MultiHeadAttention({ dModel: 8, numHeads: 2 });
    noDrop.loadStateDict(Object.fromEntries(attn.namedParameters().map(([n, p]) => [n, p.value])));
    expectClose(noDrop.forward(x, x, x).output, evalOut, { atol: 0, rtol: 0 });
  });

  it('trains with attention dropout on the fused kernels (forward and backward), and says why not when weights are requested', () => {
    const seen: { forward: (AttentionDropout | null | undefined)[]; backward: (AttentionDropout | null | undefined)[] } = { forward: [], backward: [] };
    const spy: Backend = {
      ...cpuBackend,
      attentionForward(...a) { seen.forward.push(a[5].dropout); cpuBackend.attentionForward(...a); },
      attentionBackward(...a) { seen.backward.push(a[8].dropout); cpuBackend.attentionBackward(...a); },
    };
    const previous = setBackend(spy);
    try {
      const attn = new MultiHeadAttention({ dModel: 8, numHeads: 2, dropout: 0.1, generator: new Generator(11) });
      const x = input([2, 5, 8], 12, 'float32', true);
      attn.forward(x, x, x, { causal: true }).output.sum().backward();
      expect(seen.forward.map((d) => d?.p)).toEqual([0.1]);
      expect(seen.backward).toEqual(seen.forward);   // the same seed: the backward regenerates the mask
      attn.eval().forward(x, x, x).output;
      expect(seen.forward[1] ?? null).toBeNull();
      attn.train().forward(x, x, x, { needWeights: true });
      expect(seen.forward).toHaveLength(2);            // composed path, for the weights
      expect(whyNotFused({ dropout: attn.dropout, training: true, returnWeights: true })).toMatch(/returnWeights/);
    } finally {
      setBackend(previous);
    }
  });

  it('passes gradcheck in float64 with respect to inputs and every parameter', () => {
    const attn = new MultiHeadAttention({ dModel: 4, numHeads: 2, generator: new Generator(13), dtype: 'float64' });
    // Nonzero biases so their gradients are exercised away from the init.
    attn.inProjBias!.value = randn([12], { generator: new Generator(14), dtype: 'float64' });
    attn.outProjBias!.value = randn([4], { generator: new Generator(15), dtype: 'float64' });
    const x = input([2, 3, 4], 16, 'float64', true);
    const memory = input([2, 4, 4], 17, 'float64', true);
    const keyPaddingMask = paddingMask([4, 2], 4);
    for (const needWeights of [false, true]) {
      expect(gradcheck((x, memory) => attn.forward(x, memory, memory, { keyPaddingMask, needWeights }).output, [x, memory])).toBe(true);
      // The parameters are leaves the module reads: gradcheck perturbs them in place.
      const selfAttn = (x: Variable) => attn.forward(x, x, x, { causal: true, keyPaddingMask: paddingMask([3, 2], 3), needWeights }).output;
      expect(gradcheck(selfAttn, [x, ...attn.parameters()])).toBe(true);
    }
  });

  it('loads a state dict by name and checks names and shapes', () => {
    const attn = new MultiHeadAttention({ dModel: 4, numHeads: 2, dtype: 'float64' });
    expect(() => attn.loadStateDict({ in_proj_weight: zeros([12, 4]) })).toThrow('MultiHeadAttention.loadStateDict: missing key in_proj_bias');
    expect(() => attn.loadStateDict({ 'out_proj.weights': zeros([4, 4]) })).toThrow('unexpected keys out_proj.weights');
    expect(() => attn.loadStateDict({ in_proj_weight: zeros([4, 4]), in_proj_bias: zeros([12]), 'out_proj.weight': zeros([4, 4]), 'out_proj.bias': zeros([4]) }))
      .toThrow('MultiHeadAttention.loadStateDict: in_proj_weight is [4, 4], expected [12, 4]');
  });

  it('throws errors naming the argument and its shape', () => {
    const attn = new MultiHeadAttention({ dModel: 8, numHeads: 2 });
    const x = zeros([2, 5, 8]);
    const memory = zeros([2, 9, 8]);
    expect(() => attn.forward(x, memory, memory, { keyPaddingMask: zeros([2, 7], 'bool') }))
      .toThrow('MultiHeadAttention: keyPaddingMask is [2, 7] but keys are [2, 9, 8] (expected [2, 9])');
    expect(() => attn.forward(zeros([2, 5, 6]), memory, memory)).toThrow('MultiHeadAttention: query must be [batch, len, dModel 8], got [2, 5, 6]');
    expect(() => attn.forward(x, memory, zeros([2, 8, 8]))).toThrow('key and value must have the same shape');
    expect(() => attn.forward(x.astype('float64'), memory, memory)).toThrow('MultiHeadAttention: query is float64 but the parameters are float32');
    expect(() => attn.forward(x, memory, memory, { attnMask: zeros([5, 8], 'bool') }))
      .toThrow('MultiHeadAttention: attnMask is [5, 8] but the scores are [2, 2, 5, 9]');
  });
});

// Seq2SeqTransformer: PyTorch's state_dict keys and parameter count, config defaults and errors, masks derived
// from padId (padding and causality cannot leak), shared and tied weights, and gradients of the whole model
// checked by finite differences (float64).
import { Generator, Tensor, tensor } from '@gloss/tensor';
import { crossEntropy, logSoftmax } from '@gloss/autograd';
import { expectClose, gradcheck } from '@gloss/autograd/testing';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRANSFORMER_CONFIG, resolveConfig, type TransformerConfigInput } from './config.js';
import { Seq2SeqTransformer } from './seq2seq-transformer.js';

const TINY: TransformerConfigInput = {
  srcVocabSize: 9, tgtVocabSize: 7, dModel: 8, numHeads: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 12, dropout: 0, maxLen: 10,
};
const ids = (rows: number[][]) => tensor(rows, undefined, 'int32');

const ATTN = ['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias'];
const FF = ['linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias'];
const norms = (n: number) => Array.from({ length: n }, (_, i) => [`norm${i + 1}.weight`, `norm${i + 1}.bias`]).flat();
/** nn.Transformer's state_dict keys for one encoder and one decoder layer, under the module of docs/pytorch-interop.md. */
const TORCH_KEYS = [
  'src_embed.weight', 'tgt_embed.weight',
  ...[...ATTN.map((k) => `self_attn.${k}`), ...FF, ...norms(2)].map((k) => `transformer.encoder.layers.0.${k}`),
  'transformer.encoder.norm.weight', 'transformer.encoder.norm.bias',
  ...[...ATTN.map((k) => `self_attn.${k}`), ...ATTN.map((k) => `multihead_attn.${k}`), ...FF, ...norms(3)].map((k) => `transformer.decoder.layers.0.${k}`),
  'transformer.decoder.norm.weight', 'transformer.decoder.norm.bias',
  'generator.weight', 'generator.bias',
];

describe('Seq2SeqTransformer', () => {
  it('initializes as fairseq: embeddings N(0, 1/dModel), Xavier on layer matrices, nn.Linear on the output', () => {
    const dModel = 64;
    const model = new Seq2SeqTransformer({ srcVocabSize: 3000, tgtVocabSize: 2000, dModel, numHeads: 4, numEncoderLayers: 1,
      numDecoderLayers: 1, dimFeedforward: 128 }, { generator: new Generator(3) });
    const std = (t: Tensor) => {
      const x = t.data as Float32Array;
      let s = 0;
      for (const v of x) s += v * v;
      return Math.sqrt(s / x.length);
    };
    const maxAbs = (t: Tensor) => (t.data as Float32Array).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const p = Object.fromEntries(model.namedParameters().map(([n, v]) => [n, v.value]));
    for (const name of ['src_embed.weight', 'tgt_embed.weight']) expect(std(p[name]) * Math.sqrt(dModel)).toBeCloseTo(1, 1);
    // U(±a) has std a/√3: Xavier's a = √(6 / (fanIn + fanOut)); nn.Linear's a = 1/√fanIn.
    const linear1 = p['transformer.encoder.layers.0.linear1.weight'];
    expect(maxAbs(linear1)).toBeLessThanOrEqual(Math.sqrt(6 / (dModel + 128)));
    expect(std(linear1)).toBeCloseTo(Math.sqrt(6 / (dModel + 128)) / Math.sqrt(3), 2);
    const out = p['generator.weight'];
    expect(maxAbs(out)).toBeLessThanOrEqual(1 / Math.sqrt(dModel));
    expect(std(out)).toBeCloseTo(1 / Math.sqrt(dModel) / Math.sqrt(3), 2);
  });

  it('has the state_dict keys, order and shapes of the PyTorch module', () => {
    const model = new Seq2SeqTransformer(TINY);
    expect(model.namedParameters().map(([n]) => n)).toEqual(TORCH_KEYS);
    const shapes = Object.fromEntries(model.namedParameters().map(([n, p]) => [n, p.shape]));
    expect(shapes['src_embed.weight']).toEqual([9, 8]);
    expect(shapes['transformer.decoder.layers.0.multihead_attn.in_proj_weight']).toEqual([24, 8]);
    expect(shapes['transformer.encoder.layers.0.linear1.weight']).toEqual([12, 8]);
    expect(shapes['generator.weight']).toEqual([7, 8]);
    expect(model.namedParameters()[0][1].name).toBe('src_embed.weight');   // named for error messages
  });

  it('counts parameters as PyTorch does (4,006,208 for d 128, 4 heads, 2+2 layers, FF 512, vocab 8000)', () => {
    const d = 8, ff = 12;
    const attn = 4 * d * d + 4 * d;
    const ffn = 2 * d * ff + ff + d;
    const expected = 9 * d + 7 * d + (attn + ffn + 4 * d) + 2 * d + (2 * attn + ffn + 6 * d) + 2 * d + 7 * d + 7;
    expect(new Seq2SeqTransformer(TINY).numParameters()).toBe(expected);
    const bench = new Seq2SeqTransformer({ srcVocabSize: 8000, tgtVocabSize: 8000, dModel: 128, numHeads: 4, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 512 });
    expect(bench.numParameters()).toBe(4_006_208);
  });

  it('fills in defaults (nn.Transformer sizes, @gloss/data special ids) and refuses bad or unknown fields', () => {
    const c = resolveConfig({ srcVocabSize: 100, tgtVocabSize: 90 });
    expect(c).toMatchObject({ ...DEFAULT_TRANSFORMER_CONFIG, attentionDropout: 0.1, padId: 0, bosId: 1, eosId: 2, unkId: 3 });
    expect(resolveConfig({ ...TINY, dropout: 0.2 }).attentionDropout).toBe(0.2);
    expect(resolveConfig({ ...TINY, dropout: 0.2, attentionDropout: 0 }).attentionDropout).toBe(0);
    expect(() => resolveConfig({ ...TINY, numHeads: 3 })).toThrow('TransformerConfig: dModel 8 is not divisible by numHeads 3');
    expect(() => resolveConfig({ ...TINY, numHead: 2 } as TransformerConfigInput)).toThrow(/unknown field numHead/);
    expect(() => resolveConfig({ ...TINY, eosId: 7 })).toThrow(/eosId must be an id in \[0, 7\) \(the smaller vocabulary\), got 7/);
    expect(() => resolveConfig({ ...TINY, shareEmbeddings: true })).toThrow(/shareEmbeddings needs srcVocabSize = tgtVocabSize, got 9 and 7/);
    expect(() => resolveConfig({ ...TINY, activation: 'tanh' as 'relu' })).toThrow(/activation must be 'relu' or 'gelu', got 'tanh'/);
    expect(() => resolveConfig({ ...TINY, dropout: 1 })).toThrow(/dropout must be in \[0, 1\), got 1/);
  });

  it('returns logits [batch, tgtLen, tgtVocabSize] and refuses bad inputs, naming them', () => {
    const model = new Seq2SeqTransformer(TINY);
    const logits = model.forward(ids([[4, 5, 6], [7, 0, 0]]), ids([[1, 3], [1, 4]]));
    expect(logits.shape).toEqual([2, 2, 7]);
    expect(() => model.forward(ids([[4, 5]]), ids([[1, 3], [1, 4]]))).toThrow(/src is \[1, 2\] but tgtIn is \[2, 2\] \(batch must match\)/);
    expect(() => model.forward(ids([[4, 9]]), ids([[1]]))).toThrow(/encode: token id 9 .* outside the vocabulary \[0, 9\)/);
    expect(() => model.forward(ids([[4]]), ids([[1, 7]]))).toThrow(/decode: token id 7 .* outside the vocabulary \[0, 7\)/);
    expect(() => model.forward(ids([[1, 2, 3, 4, 5, 6, 7, 8, 4, 4, 4]]), ids([[1]]))).toThrow(/src is \[1, 11\], longer than maxLen 10/);
    expect(() => model.forward(tensor([4, 5], undefined, 'int32'), ids([[1]]))).toThrow(/src must be int32 \[batch, len\], got \[2\]/);
  });

  it.each([[false], [true]])('never lets a later target token or any padding change a logit (normFirst %s)', (normFirst) => {
    const model = new Seq2SeqTransformer({ ...TINY, normFirst, numDecoderLayers: 2 }, { generator: new Generator(1) });
    const src = ids([[4, 5, 6, 7], [8, 3, 0, 0]]);
    const tgt = ids([[1, 3, 4, 5], [1, 6, 0, 0]]);
    const base = model.forward(src, tgt).value;
    // Causal: changing position 2 of the target leaves positions 0 and 1.
    const later = model.forward(src, ids([[1, 3, 6, 6], [1, 6, 5, 5]])).value;
    expectClose(later.slice(1, 0, 2), base.slice(1, 0, 2), { atol: 1e-6 });
    // Padding: two more pad columns on both sides change nothing at real positions.
    const padded = model.forward(ids([[4, 5, 6, 7, 0, 0], [8, 3, 0, 0, 0, 0]]), ids([[1, 3, 4, 5, 0, 0], [1, 6, 0, 0, 0, 0]])).value;
    expectClose(padded.slice(1, 0, 4).slice(0, 0, 1), base.slice(0, 0, 1), { atol: 1e-6 });
    expectClose(padded.slice(1, 0, 2).slice(0, 1, 2), base.slice(1, 0, 2).slice(0, 1, 2), { atol: 1e-6 });
  });

  it('passes gradcheck end to end (label-smoothed loss, pad ignored) for embeddings, attention, norms and output', () => {
    const model = new Seq2SeqTransformer({ ...TINY, normFirst: true, activation: 'gelu' }, { generator: new Generator(2), dtype: 'float64' });
    const src = ids([[4, 5, 6], [7, 8, 0]]);
    const tgtIn = ids([[1, 3, 4], [1, 5, 0]]);
    const tgtOut = ids([[3, 4, 2], [5, 2, 0]]);
    const pick = ['src_embed.weight', 'transformer.decoder.layers.0.multihead_attn.in_proj_weight', 'transformer.encoder.layers.0.norm2.bias',
      'transformer.decoder.norm.weight', 'generator.bias'];
    const params = model.namedParameters().filter(([n]) => pick.includes(n)).map(([, p]) => p);
    expect(params).toHaveLength(pick.length);
    gradcheck(() => crossEntropy(model.forward(src, tgtIn), tgtOut, { ignoreIndex: 0, labelSmoothing: 0.1 }), params);
  });

  it('shares the embedding table and ties the output weight when asked, gradients flowing from every use', () => {
    const config = { ...TINY, srcVocabSize: 7, shareEmbeddings: true, tieOutput: true };
    const model = new Seq2SeqTransformer(config, { generator: new Generator(3), dtype: 'float64' });
    const names = model.namedParameters().map(([n]) => n);
    expect(names).not.toContain('tgt_embed.weight');
    expect(names).not.toContain('generator.weight');
    expect(model.tgtEmbed.weight).toBe(model.srcEmbed.weight);
    expect(model.outputProjection.weight).toBe(model.srcEmbed.weight);
    expect(model.numParameters()).toBe(new Seq2SeqTransformer({ ...TINY, srcVocabSize: 7 }).numParameters() - 2 * 7 * 8);
    const src = ids([[4, 5, 6]]);
    gradcheck(() => crossEntropy(model.forward(src, ids([[1, 3]])), ids([[3, 2]]), { labelSmoothing: 0.1 }), [model.srcEmbed.weight]);
  });

  it('learned positions add src_pos_embed and tgt_pos_embed tables', () => {
    const model = new Seq2SeqTransformer({ ...TINY, positionalEncoding: 'learned' });
    const names = model.namedParameters().map(([n, p]) => `${n} ${JSON.stringify(p.shape)}`);
    expect(names.slice(0, 4)).toEqual(['src_embed.weight [9,8]', 'tgt_embed.weight [7,8]', 'src_pos_embed.weight [10,8]', 'tgt_pos_embed.weight [10,8]']);
  });

  it('applies dropout only in training mode, seeded by the model generator', () => {
    const make = () => new Seq2SeqTransformer({ ...TINY, dropout: 0.3 }, { generator: new Generator(4) });
    const [a, b] = [make(), make()];
    const run = (m: Seq2SeqTransformer) => m.forward(ids([[4, 5, 6]]), ids([[1, 3, 4]])).value;
    const ta = run(a);
    expect(Array.from(ta.data)).toEqual(Array.from(run(b).data));             // same seed, same masks
    expect(Array.from(run(a).data)).not.toEqual(Array.from(ta.data));         // new masks each call
    const e1: Tensor = run(a.eval());
    expect(Array.from(run(a).data)).toEqual(Array.from(e1.data));             // eval: deterministic
  });

  it.each([['mean'], ['sum']] as const)('loss() skips padded targets yet equals crossEntropy(forward) in value and every gradient (%s)', (reduction) => {
    const model = new Seq2SeqTransformer({ ...TINY, dropout: 0 }, { generator: new Generator(5), dtype: 'float64' });
    const src = ids([[4, 5, 6], [7, 8, 0]]);
    for (const [tgtIn, tgtOut] of [[ids([[1, 3, 4], [1, 5, 0]]), ids([[3, 4, 2], [5, 2, 0]])], [ids([[1, 3], [1, 5]]), ids([[3, 2], [5, 2]])]]) {
      const reference = crossEntropy(model.forward(src, tgtIn), tgtOut, { ignoreIndex: 0, labelSmoothing: 0.1, reduction });
      reference.backward();
      const want = new Map(model.namedParameters().map(([n, p]) => [n, p.grad!]));
      model.zeroGrad();
      const loss = model.loss(src, tgtIn, tgtOut, { labelSmoothing: 0.1, reduction });
      expect(Math.abs(loss.item() - reference.item())).toBeLessThan(1e-12);
      loss.backward();
      for (const [n, p] of model.namedParameters()) expectClose(p.grad!, want.get(n)!, { atol: 1e-12, rtol: 1e-9 });
      model.zeroGrad();
    }
    expect(() => model.loss(src, ids([[1, 3]]), ids([[3, 2], [5, 2]]))).toThrow(/tgtOut must be int32 of tgtIn's shape \[1, 2\], got int32 \[2, 2\]/);
  });

  it('tokenLoss() is labelSmoothedCrossEntropy(forward) as a Trainer takes it: sum, numTokens, nllSum and gradients', () => {
    const model = new Seq2SeqTransformer({ ...TINY, dropout: 0 }, { generator: new Generator(6), dtype: 'float64' });
    const src = ids([[4, 5, 6], [7, 8, 0]]);
    const tgtIn = ids([[1, 3, 4], [1, 5, 0]]);
    const tgtOut = ids([[3, 4, 2], [5, 2, 0]]);
    const logits = model.forward(src, tgtIn);
    const reference = crossEntropy(logits, tgtOut, { ignoreIndex: 0, labelSmoothing: 0.1, reduction: 'sum' });
    const lp = logSoftmax(logits.detach()).value.data;
    const nll = -[[0, 3], [1, 4], [2, 2], [3, 5], [4, 2]].reduce((a, [row, t]) => a + lp[row * 7 + t], 0);
    reference.backward();
    const want = new Map(model.namedParameters().map(([n, p]) => [n, p.grad!]));
    model.zeroGrad();
    const out = model.tokenLoss(src, tgtIn, tgtOut, { labelSmoothing: 0.1 });
    expect(out.numTokens).toBe(5);
    expect(Math.abs(out.sum.item() - reference.item())).toBeLessThan(1e-12);
    expect(Math.abs(out.nllSum - nll)).toBeLessThan(1e-12);
    out.sum.backward();
    for (const [n, p] of model.namedParameters()) expectClose(p.grad!, want.get(n)!, { atol: 1e-12, rtol: 1e-9 });
  });

  it('takes a batch\'s own padding masks (as a collated Batch has them): the same bits as the ones built from padId', () => {
    const model = new Seq2SeqTransformer({ ...TINY, dropout: 0 }, { generator: new Generator(8) });
    const src = ids([[4, 5, 6], [7, 8, 0]]);
    const tgtIn = ids([[1, 3, 4], [1, 5, 0]]);
    const tgtOut = ids([[3, 4, 2], [5, 2, 0]]);
    const srcPadding = tensor([[0, 0, 0], [0, 0, 1]], undefined, 'bool');
    const tgtPadding = tensor([[0, 0, 0], [0, 0, 1]], undefined, 'bool');
    expect(model.forward(src, tgtIn, { srcPadding, tgtPadding }).value.data).toEqual(model.forward(src, tgtIn).value.data);
    const given = model.tokenLoss(src, tgtIn, tgtOut, { labelSmoothing: 0.1, srcPadding, tgtPadding });
    const built = model.tokenLoss(src, tgtIn, tgtOut, { labelSmoothing: 0.1 });
    expect([given.sum.item(), given.numTokens, given.nllSum]).toEqual([built.sum.item(), built.numTokens, built.nllSum]);
    // the masks are the ones used: marking a real source token as padding changes the output
    const hidden = tensor([[0, 1, 0], [0, 0, 1]], undefined, 'bool');
    expect(model.forward(src, tgtIn, { srcPadding: hidden }).value.data).not.toEqual(model.forward(src, tgtIn).value.data);
    expect(() => model.forward(src, tgtIn, { srcPadding: tensor([[0, 0], [0, 1]], undefined, 'bool') }))
      .toThrow('Seq2SeqTransformer.encode: srcPadding must be bool [2, 3] (its ids\' shape), got bool [2, 2]');
    expect(() => model.forward(src, tgtIn, { tgtPadding: tensor([[0, 0, 0], [0, 0, 1]], undefined, 'int32') }))
      .toThrow('Seq2SeqTransformer.decode: tgtPadding must be bool [2, 3] (its ids\' shape), got int32 [2, 3]');
  });
});

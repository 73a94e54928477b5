// Decoding invariants on small random models (seeded): the KV cache equals full recomputation, beam size 1
// equals greedy, beam search with room for every prefix is exhaustive search, results do not depend on batch
// composition, attention rows match the full model's, and sampling is seeded and truncates as documented.
import { Generator, Tensor, add, logSoftmax, logSumExp, tensor, type FloatDType } from '@gloss/tensor';
import { noGrad } from '@gloss/autograd';
import { describe, expect, it } from 'vitest';
import { Seq2SeqTransformer } from '../seq2seq-transformer.js';
import type { TransformerConfigInput } from '../config.js';
import { beamSearch, greedyDecode, lengthPenalty, sampleDecode, type Hypothesis } from './index.js';
import { sampleRow } from './sampling.js';
import { logSumExpRows } from './step-decoder.js';

const BOS = 1;
const EOS = 2;

function tinyModel(overrides: Partial<TransformerConfigInput> = {}, seed = 0, dtype: FloatDType = 'float32'): Seq2SeqTransformer {
  return new Seq2SeqTransformer({
    srcVocabSize: 12, tgtVocabSize: 10, dModel: 16, numHeads: 2, numEncoderLayers: 2, numDecoderLayers: 2,
    dimFeedforward: 24, dropout: 0.1, maxLen: 24, ...overrides,
  }, { generator: new Generator(seed), dtype }).eval();
}

/** Right-padded int32 [batch, maxLen] from token lists. */
function batch(rows: number[][], width = Math.max(...rows.map((r) => r.length))): Tensor {
  return tensor(rows.map((r) => [...r, ...new Array(width - r.length).fill(0)]), undefined, 'int32');
}

const SOURCES = [[5, 7, 3, 9, 4, 11], [8, 4], [6, 6, 10, 5], [9]];

/** Full recomputation: log p(token | prefix) at every position of bos + tokens (pad and bos excluded, as decoding does). */
function fullLogProbs(model: Seq2SeqTransformer, src: number[], tokens: number[]): number[][] {
  return noGrad(() => {
    const tgtIn = tensor([[BOS, ...tokens]], undefined, 'int32');
    const logits = model.forward(batch([src]), tgtIn).value;               // [1, T, V]
    const V = logits.shape[2];
    const lp = logSoftmax(logits).data;
    return Array.from({ length: tokens.length + 1 }, (_, t) => Array.from(lp.subarray(t * V, (t + 1) * V), (x, v) => (v === 0 || v === BOS ? -Infinity : x)));
  });
}

function expectSameHyps(a: Hypothesis[][], b: Hypothesis[][], scoreTol = 1e-5): void {
  expect(a.length).toBe(b.length);
  a.forEach((hs, s) => {
    expect(hs.map((h) => h.tokens), `sentence ${s}`).toEqual(b[s].map((h) => h.tokens));
    hs.forEach((h, i) => expect(Math.abs(h.score - b[s][i].score), `sentence ${s} hypothesis ${i} score`).toBeLessThanOrEqual(scoreTol));
  });
}

describe('KV-cache decoding', () => {
  it.each([[false, 2], [true, 2], [false, 0]])('gives the logits of full recomputation at every step (normFirst %s, %i decoder layers)', (normFirst, layers) => {
    const model = tinyModel({ normFirst, numDecoderLayers: layers }, 1);
    const src = batch(SOURCES);
    const g = new Generator(5);
    const tgtIn = tensor(SOURCES.map(() => [BOS, ...Array.from({ length: 6 }, () => 3 + g.int(7))]), undefined, 'int32');   // [4, 7]
    noGrad(() => {
      const full = model.forward(src, tgtIn).value;                        // [4, 7, 10]
      const { memory, srcPadding } = model.encode(src);
      const cache = model.newCache();
      for (let t = 0; t < 7; t++) {
        const step = model.project(model.decode(tgtIn.slice(1, t, t + 1), memory, srcPadding, { cache }).output).value;   // [4, 1, 10]
        expect(cache.length).toBe(t + 1);
        const want = full.slice(1, t, t + 1);
        for (let i = 0; i < want.size; i++) expect(Math.abs(step.data[i] - want.data[i])).toBeLessThan(1e-5);
      }
    });
  });

  it('greedy tokens are the argmax and scores the log-probabilities of a full forward pass', () => {
    const model = tinyModel({}, 2);
    const hyps = greedyDecode(model, batch(SOURCES), { maxLenA: 0, maxLenB: 7 });
    hyps.forEach(([h], s) => {
      const lp = fullLogProbs(model, SOURCES[s], h.tokens);
      const emitted = h.finished ? [...h.tokens, EOS] : h.tokens;
      let score = 0;
      emitted.forEach((tok, t) => {
        expect(lp[t].indexOf(Math.max(...lp[t])), `sentence ${s} step ${t}`).toBe(tok);
        score += lp[t][tok];
      });
      expect(Math.abs(h.score - score)).toBeLessThan(1e-5);
      expect(emitted.length).toBeLessThanOrEqual(7);
    });
  });

  it('returns cross-attention per layer [numHeads, steps, srcLen] equal to the full model\'s, each row summing to 1', () => {
    const model = tinyModel({}, 3);
    const hyps = beamSearch(model, batch(SOURCES), { beamSize: 3, maxLenA: 0, maxLenB: 5, returnAttention: true });
    hyps.forEach(([h], s) => {
      const steps = h.tokens.length + (h.finished ? 1 : 0);
      expect(h.attention).toHaveLength(2);
      noGrad(() => {
        const { memory, srcPadding } = model.encode(batch([SOURCES[s]]));
        const tgtIn = tensor([[BOS, ...h.tokens, ...(h.finished ? [EOS] : [])].slice(0, steps)], undefined, 'int32');
        const { crossAttention } = model.decode(tgtIn, memory, srcPadding, { needWeights: true });
        h.attention!.forEach((a, layer) => {
          expect(a.shape).toEqual([2, steps, SOURCES[s].length]);
          const want = crossAttention![layer].value;                       // [1, numHeads, steps, srcLen]
          for (let i = 0; i < a.size; i++) expect(Math.abs(a.data[i] - want.data[i])).toBeLessThan(1e-5);
          for (let row = 0; row < 2 * steps; row++) {
            const sum = Array.from(a.data.subarray(row * SOURCES[s].length, (row + 1) * SOURCES[s].length)).reduce((x, y) => x + y, 0);
            expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
          }
        });
      });
    });
  });
});

describe('beam search', () => {
  it('with beam size 1 equals greedy (tokens; scores divided by the length penalty)', () => {
    const model = tinyModel({}, 4);
    const src = batch(SOURCES);
    const greedy = greedyDecode(model, src, { maxLenA: 1, maxLenB: 3 });
    expectSameHyps(beamSearch(model, src, { beamSize: 1, lengthPenalty: 0, maxLenA: 1, maxLenB: 3 }), greedy);
    const normalized = beamSearch(model, src, { beamSize: 1, lengthPenalty: 0.6, maxLenA: 1, maxLenB: 3 });
    normalized.forEach(([h], s) => {
      const g = greedy[s][0];
      expect(h.tokens).toEqual(g.tokens);
      const length = g.tokens.length + (g.finished ? 1 : 0);
      expect(Math.abs(h.score - g.score / lengthPenalty(length, 0.6))).toBeLessThan(1e-5);
    });
  });

  it('with room for every prefix, finds the best sequence of exhaustive search', () => {
    // Target vocabulary: pad, bos, eos and two words; at most 3 steps → 1 + 2 + 4 ended and 8 cut-off sequences.
    const model = tinyModel({ tgtVocabSize: 5 }, 5);
    for (const [s, src] of SOURCES.slice(0, 2).entries()) {
      for (const alpha of [0, 1]) {
        const [best] = beamSearch(model, batch([src]), { beamSize: 16, lengthPenalty: alpha, maxLenA: 0, maxLenB: 3, nBest: 16 });
        let optimum = -Infinity;
        let argOpt: number[] = [];
        const visit = (prefix: number[]) => {
          const lp = fullLogProbs(model, src, prefix);
          const base = prefix.reduce((acc, tok, t) => acc + lp[t][tok], 0);
          for (const tok of [EOS, 3, 4]) {
            const seq = [...prefix, tok];
            const score = (base + lp[prefix.length][tok]) / lengthPenalty(seq.length, alpha);
            if (tok === EOS || seq.length === 3) {
              if (score > optimum) { optimum = score; argOpt = tok === EOS ? prefix : seq; }
            } else visit(seq);
          }
        };
        visit([]);
        expect(best[0].tokens, `sentence ${s}, α ${alpha}`).toEqual(argOpt);
        expect(Math.abs(best[0].score - optimum)).toBeLessThan(1e-5);
        expect(best).toHaveLength(15);                                      // every sequence ended or cut off
        for (let i = 1; i < best.length; i++) expect(best[i].score).toBeLessThanOrEqual(best[i - 1].score);
      }
    }
  });

  it('returns nBest distinct hypotheses, best first', () => {
    const model = tinyModel({}, 6);
    const hyps = beamSearch(model, batch(SOURCES), { beamSize: 4, nBest: 3, maxLenA: 1, maxLenB: 2 });
    for (const hs of hyps) {
      expect(hs).toHaveLength(3);
      expect(new Set(hs.map((h) => h.tokens.join(' '))).size).toBe(3);
      expect(hs[0].score).toBeGreaterThanOrEqual(hs[1].score);
      expect(hs[1].score).toBeGreaterThanOrEqual(hs[2].score);
    }
  });

  it('stops a sentence early once beamSize hypotheses have ended', () => {
    // A model whose output bias makes eos by far the likeliest token at every step.
    const model = tinyModel({}, 7);
    const bias = model.outputProjection.bias!.value.data as Float32Array;
    bias[EOS] = 50;
    const [[h]] = beamSearch(model, batch([SOURCES[0]]), { beamSize: 2, maxLenA: 0, maxLenB: 20 });
    expect(h.tokens).toEqual([]);
    expect(h.finished).toBe(true);
  });
});

describe('batch composition', () => {
  const decoders: [string, (m: Seq2SeqTransformer, src: Tensor) => Hypothesis[][]][] = [
    ['greedy', (m, src) => greedyDecode(m, src, { maxLenA: 1.5, maxLenB: 2, returnAttention: true })],
    ['beam', (m, src) => beamSearch(m, src, { beamSize: 3, nBest: 2, maxLenA: 1.5, maxLenB: 2, returnAttention: true })],
  ];
  it.each(decoders)('%s: a sentence decodes the same alone, in a padded batch, and in another order', (_, decode) => {
    const model = tinyModel({ normFirst: true }, 8);
    const together = decode(model, batch(SOURCES));
    const alone = SOURCES.map((src) => decode(model, batch([src]))[0]);
    expectSameHyps(together, alone);
    const perm = [2, 0, 3, 1];
    const shuffled = decode(model, batch([...perm.map((i) => SOURCES[i]), [5, 5]], 9));   // extra padding and an extra sentence
    expectSameHyps(perm.map((i, j) => shuffled[j]), perm.map((i) => together[i]));
    together.forEach((hs, s) => hs.forEach((h, i) => h.attention!.forEach((a, layer) => {
      const b = alone[s][i].attention![layer];
      expect(a.shape).toEqual(b.shape);
      for (let j = 0; j < a.size; j++) expect(Math.abs(a.data[j] - b.data[j])).toBeLessThan(1e-5);
    })));
  });

  it('gives each sentence its own length limit, from its own length without padding', () => {
    const model = tinyModel({}, 9);
    model.outputProjection.bias!.value.data[EOS] = -50;                           // never ends by itself
    const hyps = greedyDecode(model, batch(SOURCES), { maxLenA: 1, maxLenB: 1 });
    hyps.forEach(([h], s) => {
      expect(h.tokens).toHaveLength(SOURCES[s].length + 1);
      expect(h.finished).toBe(false);
    });
  });
});

describe('sampling', () => {
  it('is reproducible with the same seed and differs with another', () => {
    const model = tinyModel({}, 10);
    const src = batch(SOURCES);
    const run = (seed: number) => sampleDecode(model, src, { temperature: 1.5, generator: new Generator(seed), maxLenA: 0, maxLenB: 8 });
    expectSameHyps(run(1), run(1), 0);
    expect(run(1).map(([h]) => h.tokens)).not.toEqual(run(2).map(([h]) => h.tokens));
  });

  it('equals greedy when truncated to one token (topK 1, or a tiny topP)', () => {
    const model = tinyModel({}, 11);
    const src = batch(SOURCES);
    const greedy = greedyDecode(model, src, { maxLenA: 0, maxLenB: 6 });
    for (const opts of [{ topK: 1 }, { topP: 1e-6 }]) {
      expectSameHyps(sampleDecode(model, src, { ...opts, temperature: 2, generator: new Generator(3), maxLenA: 0, maxLenB: 6 }), greedy);
    }
  });

  it('draws tokens with the tempered, truncated probabilities', () => {
    const logp = [Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)];
    const draw = (t: number, k: number, p: number, n = 20000) => {
      const g = new Generator(42);
      const counts = [0, 0, 0, 0];
      const probs = new Float64Array(4);
      const order = new Int32Array(4);
      for (let i = 0; i < n; i++) counts[sampleRow(logp, t, k, p, g, probs, order)]++;
      return counts.map((c) => c / n);
    };
    const close = (got: number[], want: number[]) => got.forEach((x, i) => expect(Math.abs(x - want[i]), `token ${i}`).toBeLessThan(0.015));
    close(draw(1, 0, 1), [0.5, 0.3, 0.15, 0.05]);
    close(draw(1, 2, 1), [0.5 / 0.8, 0.3 / 0.8, 0, 0]);                    // top-k 2
    close(draw(1, 0, 0.7), [0.5 / 0.8, 0.3 / 0.8, 0, 0]);                  // nucleus: 0.5 < 0.7 ≤ 0.8
    const sq = [0.25, 0.09, 0.0225, 0.0025];                               // temperature ½ squares the probabilities
    const z = sq.reduce((a, b) => a + b, 0);
    close(draw(0.5, 0, 1), sq.map((x) => x / z));
  });
});

describe('decoding options and modes', () => {
  it('refuses bad options, naming them', () => {
    const model = tinyModel();
    const src = batch(SOURCES);
    expect(() => beamSearch(model, src, { beamSize: 0 })).toThrow(/beamSize must be a positive integer, got 0/);
    expect(() => beamSearch(model, src, { beamSize: 2, nBest: 3 })).toThrow(/nBest must be an integer in \[1, beamSize 2\], got 3/);
    expect(() => sampleDecode(model, src, { temperature: 0 })).toThrow(/temperature must be a positive number, got 0/);
    expect(() => sampleDecode(model, src, { topP: 0 })).toThrow(/topP must be in \(0, 1\], got 0/);
    expect(() => greedyDecode(model, src, { maxLenA: -1 })).toThrow(/maxLenA must be a finite number ≥ 0/);
    expect(() => greedyDecode(model, src.astype('float32'))).toThrow(/src must be int32 token ids, got float32/);
    expect(() => greedyDecode(model, batch([[5, 40]]))).toThrow(/token id 40 at flat position 1 .* outside the vocabulary \[0, 12\)/);
  });

  it('decodes without dropout in training mode and restores the mode', () => {
    const model = tinyModel({ dropout: 0.5 }, 12);
    const src = batch(SOURCES);
    const evalHyps = greedyDecode(model, src);
    model.train();
    expectSameHyps(greedyDecode(model, src), evalHyps, 0);
    expect(model.training).toBe(true);
    expect(model.decoder.layers[0].selfAttn.training).toBe(true);
  });
});

describe('logSumExpRows', () => {
  it('matches logSumExp of @gloss/tensor within float32 rounding (bias added in place or not), −∞ entries and rows included, float32 and float64', () => {
    const g = new Generator(11);
    for (const dtype of ['float32', 'float64'] as const) {
      const rows = 5, cols = 3001;
      const x = Array.from({ length: rows * cols }, () => 20 * g.normal());
      x[3] = -Infinity;                                                    // a masked entry
      for (let i = 0; i < cols; i++) x[2 * cols + i] = -Infinity;          // a fully masked row
      x[4 * cols + 7] = 200;                                              // a dominant logit: others underflow
      const t = tensor(x, [rows, cols], dtype);
      const bias = tensor(Array.from({ length: cols }, () => g.normal()), [cols], dtype);
      for (const withBias of [false, true]) {
        const data = t.clone().data as Float32Array | Float64Array;
        const out = dtype === 'float32' ? new Float32Array(rows) : new Float64Array(rows);
        logSumExpRows(data, rows, cols, out, withBias ? (bias.data as Float32Array | Float64Array) : null);
        const biased = withBias ? add(t, bias) : t;
        expect(Array.from(data)).toEqual(Array.from(biased.data));        // the bias is added in place
        const want = logSumExp(biased, -1).data;
        for (let r = 0; r < rows; r++) {
          if (want[r] === -Infinity) expect(out[r]).toBe(-Infinity);
          else expect(Math.abs(out[r] - want[r])).toBeLessThanOrEqual(2e-6 * Math.abs(want[r]));
        }
      }
    }
  });
});

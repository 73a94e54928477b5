// The Annotated Transformer's copy task: vocabulary 11 (pad, bos, eos, unk and 7 symbols), random sequences of
// length 10, target = source. A small model (dModel 32, 4 heads, 1+1 layers, FF 64, no dropout) trained for 500
// steps of 32 sequences with Adam (β 0.9/0.98, lr 1e-2, 30 warm-up steps then linear decay to 0; a minimal
// inline Adam, since @gloss/training sits above this package) must then copy 100 fresh sequences exactly with
// greedy decoding, eos included. Seeded: the run is the same every time.
import { Generator, Tensor } from '@gloss/tensor';
import { crossEntropy } from '@gloss/autograd';
import { describe, expect, it } from 'vitest';
import { greedyDecode } from './decoding/index.js';
import { Seq2SeqTransformer } from './seq2seq-transformer.js';

const LEN = 10;

function copyBatch(g: Generator, n: number): { src: Tensor; tgtIn: Tensor; tgtOut: Tensor } {
  const src = new Int32Array(n * LEN);
  const tgtIn = new Int32Array(n * (LEN + 1));
  const tgtOut = new Int32Array(n * (LEN + 1));
  for (let b = 0; b < n; b++) {
    tgtIn[b * (LEN + 1)] = 1;                                     // bos
    for (let i = 0; i < LEN; i++) {
      const t = 4 + g.int(7);                                     // symbols 4..10
      src[b * LEN + i] = t;
      tgtIn[b * (LEN + 1) + i + 1] = t;
      tgtOut[b * (LEN + 1) + i] = t;
    }
    tgtOut[b * (LEN + 1) + LEN] = 2;                              // eos
  }
  return { src: new Tensor(src, [n, LEN], 'int32'), tgtIn: new Tensor(tgtIn, [n, LEN + 1], 'int32'), tgtOut: new Tensor(tgtOut, [n, LEN + 1], 'int32') };
}

describe('copy task', () => {
  it('trains to 100% exact greedy copies', () => {
    const g = new Generator(0);
    const model = new Seq2SeqTransformer({
      srcVocabSize: 11, tgtVocabSize: 11, dModel: 32, numHeads: 4, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 64, dropout: 0, maxLen: 16,
    }, { generator: g });
    const params = model.parameters();
    const m = params.map((p) => new Float32Array(p.size));
    const v = params.map((p) => new Float32Array(p.size));
    const steps = 500, warmup = 30, peak = 1e-2, beta1 = 0.9, beta2 = 0.98;
    const losses: number[] = [];
    for (let step = 1; step <= steps; step++) {
      const { src, tgtIn, tgtOut } = copyBatch(g, 32);
      const loss = crossEntropy(model.forward(src, tgtIn), tgtOut, { ignoreIndex: 0 });
      model.zeroGrad();
      loss.backward();
      losses.push(loss.item());
      const lr = peak * Math.min(step / warmup, (steps - step + 1) / (steps - warmup));
      const c1 = 1 - beta1 ** step, c2 = 1 - beta2 ** step;
      params.forEach((p, i) => {
        const w = p.value.data as Float32Array, grad = p.grad!.data as Float32Array;
        for (let j = 0; j < w.length; j++) {
          m[i][j] = beta1 * m[i][j] + (1 - beta1) * grad[j];
          v[i][j] = beta2 * v[i][j] + (1 - beta2) * grad[j] * grad[j];
          w[j] -= (lr * m[i][j]) / c1 / (Math.sqrt(v[i][j] / c2) + 1e-9);
        }
      });
    }
    expect(losses[0]).toBeGreaterThan(1.5);                        // ≈ ln 7 at the start
    expect(losses.slice(-20).reduce((a, b) => a + b) / 20).toBeLessThan(0.02);
    const { src } = copyBatch(g, 100);
    const wrong = greedyDecode(model, src, { maxLenA: 1, maxLenB: 2 })
      .map(([h], b) => ({ want: Array.from(src.data.subarray(b * LEN, (b + 1) * LEN)), got: h.tokens, finished: h.finished }))
      .filter(({ want, got, finished }) => !finished || got.join(' ') !== want.join(' '));
    expect(wrong).toEqual([]);
  }, 600_000);   // a hang guard, not a speed claim: ~15 s alone, over 60 s beside the whole suite on 2 busy cores
});

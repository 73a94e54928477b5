import { Generator, randn, tensor, type Tensor } from '@gloss/tensor';
import { crossEntropy, logSoftmax, variable } from '@gloss/autograd';
import { gradcheck, randVariable } from '@gloss/autograd/testing';
import { describe, expect, it } from 'vitest';
import { evaluateLoss, labelSmoothedCrossEntropy } from './loss.js';

const ids = (v: number[][]) => tensor(v, undefined, 'int32');

describe('labelSmoothedCrossEntropy', () => {
  it('is the mean of −[(1−ε)·log p(target) + ε/V·Σ log p] over non-pad tokens, with sum and count (by hand)', () => {
    const logits = randVariable([2, 3, 5], 3);
    const targets = ids([[1, 4, 0], [2, 0, 0]]);                      // pad 0: three real tokens
    const eps = 0.1;
    const out = labelSmoothedCrossEntropy(logits, targets, { padId: 0, smoothing: eps });
    const lp = logSoftmax(logits.detach()).value.data;
    let want = 0;
    let nll = 0;
    for (const [row, t] of [[0, 1], [1, 4], [3, 2]]) {
      const slice = Array.from(lp.slice(row * 5, row * 5 + 5));
      want += -(1 - eps) * slice[t] - (eps / 5) * slice.reduce((a, b) => a + b, 0);
      nll += -slice[t];
    }
    expect(out.numTokens).toBe(3);
    expect(out.sum.item()).toBeCloseTo(want, 12);
    expect(out.loss.item()).toBeCloseTo(want / 3, 12);
    expect(out.nllSum).toBeCloseTo(nll, 12);
  });

  it('equals autograd crossEntropy with ignoreIndex and labelSmoothing (PyTorch semantics, mean)', () => {
    const logits = randVariable([3, 4, 6], 4);
    const targets = ids([[1, 2, 3, 0], [5, 0, 0, 0], [4, 4, 1, 2]]);
    const ours = labelSmoothedCrossEntropy(logits, targets, { padId: 0, smoothing: 0.2 }).loss.item();
    expect(ours).toBeCloseTo(crossEntropy(logits, targets, { ignoreIndex: 0, labelSmoothing: 0.2 }).item(), 12);
  });

  it('passes gradcheck through the mean and the sum', () => {
    const targets = ids([[1, 0], [2, 3]]);
    gradcheck((x) => labelSmoothedCrossEntropy(x, targets, { padId: 0, smoothing: 0.1 }).loss, [randVariable([2, 2, 4], 5)]);
    gradcheck((x) => labelSmoothedCrossEntropy(x, targets, { padId: 0, smoothing: 0.1 }).sum, [randVariable([2, 2, 4], 6)]);
  });

  it('accumulates exactly: sums over two batches / total tokens = the loss of the batches joined', () => {
    const g = new Generator(9);
    const a: Tensor = randn([1, 3, 4], { generator: g }).astype('float64');
    const b: Tensor = randn([1, 3, 4], { generator: g }).astype('float64');
    const ta = ids([[1, 2, 0]]);
    const tb = ids([[3, 0, 0]]);
    const la = labelSmoothedCrossEntropy(a, ta, { padId: 0, smoothing: 0.1 });
    const lb = labelSmoothedCrossEntropy(b, tb, { padId: 0, smoothing: 0.1 });
    const joined = labelSmoothedCrossEntropy(tensor([[...(a.toArray() as number[][][])[0], ...(b.toArray() as number[][][])[0]]], undefined, 'float64'),
      ids([[1, 2, 0, 3, 0, 0]]), { padId: 0, smoothing: 0.1 });
    expect((la.sum.item() + lb.sum.item()) / (la.numTokens + lb.numTokens)).toBeCloseTo(joined.loss.item(), 14);
    expect((la.loss.item() + lb.loss.item()) / 2).not.toBeCloseTo(joined.loss.item(), 3); // the naive mean of means is biased
  });

  it('gives 0 with zero tokens when everything is padding', () => {
    const out = labelSmoothedCrossEntropy(variable(randn([1, 2, 3]), { requiresGrad: true }), ids([[0, 0]]), { padId: 0 });
    expect([out.loss.item(), out.numTokens, out.nllSum]).toEqual([0, 0, 0]);
  });

  it('refuses mismatched shapes and float targets, naming both', () => {
    expect(() => labelSmoothedCrossEntropy(randn([2, 3, 5]), ids([[1, 2]]), { padId: 0 })).toThrow(
      'labelSmoothedCrossEntropy: logits [2, 3, 5] and targets [1, 2] disagree (logits must be [...targets.shape, vocabSize])');
    expect(() => labelSmoothedCrossEntropy(randn([1, 2, 5]), tensor([[1, 2]]), { padId: 0 })).toThrow('targets must be int32 token ids, got float32');
    expect(() => labelSmoothedCrossEntropy(randn([1, 2, 5]), ids([[1, 7]]), { padId: 0 })).toThrow('out of range for vocabSize 5');
  });
});

describe('evaluateLoss', () => {
  it('normalizes once over all tokens and reports perplexity exp(nll)', () => {
    const g = new Generator(2);
    const batches = [0, 1].map(() => ({ logits: randn([2, 3, 4], { generator: g }), tgt: ids([[1, 2, 0], [3, 0, 0]]) }));
    const lossFn = (b: (typeof batches)[number]) => labelSmoothedCrossEntropy(b.logits, b.tgt, { padId: 0 });
    const r = evaluateLoss(batches, lossFn);
    const parts = batches.map(lossFn);
    expect(r.numTokens).toBe(6);
    expect(r.loss).toBeCloseTo((parts[0].sum.item() + parts[1].sum.item()) / 6, 12);
    expect(r.nll).toBeCloseTo(r.loss, 6);                              // no smoothing: loss = nll (float32 logits)
    expect(r.ppl).toBeCloseTo(Math.exp(r.nll), 12);
  });
});

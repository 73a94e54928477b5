// Golden test against PyTorch: the checkpoints in __fixtures__/torch-{post,pre}-ln were written from the PyTorch
// module of fixtures/torch_reference.py (nn.Embedding ×2, nn.Transformer(batch_first=True), nn.Linear) by
// fixtures/make_fixtures.py (torch 1.13, CPU; recipe and seeds in its docstring). gloss loads each checkpoint,
// runs the same padded batch and must match PyTorch's float64 logits, label-smoothed loss and every parameter's
// gradient: to 1e-4 in float32 and 1e-12 in float64 (absolute, plus the same relative to the value).
import { fileURLToPath } from 'node:url';
import type { FloatDType, Tensor } from '@gloss/tensor';
import { loadSafetensors } from '@gloss/tensor/node';
import { crossEntropy } from '@gloss/autograd';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from './node/checkpoint.js';
import { greedyDecode } from './decoding/index.js';

const fixtureDir = (name: string) => fileURLToPath(new URL(`./__fixtures__/torch-${name}`, import.meta.url));

function expectMatches(what: string, got: Tensor, expected: Tensor, tol: number): void {
  expect(got.shape, `${what}: shape`).toEqual(expected.shape);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.size; i++) {
    const excess = Math.abs(got.data[i] - expected.data[i]) - tol * (1 + Math.abs(expected.data[i]));
    if (!(excess <= worst) || Number.isNaN(got.data[i])) { worst = excess; at = i; }
  }
  if (at >= 0) expect.fail(`${what}: element ${at} is ${got.data[at]}, torch ${expected.data[at]} (tolerance ${tol})`);
}

describe.each(['post-ln', 'pre-ln'])('PyTorch golden (%s)', (name) => {
  const expected = loadSafetensors(`${fixtureDir(name)}/expected.safetensors`).tensors;
  const get = (k: string) => expected.get(k)!;

  it.each([['float32', 1e-4], ['float64', 1e-12]] as [FloatDType, number][])('matches logits, loss and every gradient in %s', (dtype, tol) => {
    const { model, config } = loadCheckpoint(fixtureDir(name), { dtype });
    expect(config.normFirst).toBe(name === 'pre-ln');
    const logits = model.forward(get('src'), get('tgt_in'));
    expectMatches('logits', logits.value, get('logits'), tol);
    const loss = crossEntropy(logits, get('tgt_out'), { ignoreIndex: config.padId, labelSmoothing: 0.1 });
    expect(Math.abs(loss.item() - get('loss').item())).toBeLessThan(tol);
    loss.backward();
    const grads = [...expected.keys()].filter((k) => k.startsWith('grad.'));
    expect(grads.map((k) => k.slice(5))).toEqual(model.namedParameters().map(([n]) => n));   // every parameter, in state_dict order
    for (const [pname, p] of model.namedParameters()) expectMatches(`grad of ${pname}`, p.grad!, get(`grad.${pname}`), tol);
  });

  it('greedy decoding on the KV cache, in a padded batch, picks the tokens PyTorch picks re-running each sentence alone', () => {
    const { model } = loadCheckpoint(fixtureDir(name));
    const hyps = greedyDecode(model, get('src'), { maxLenA: 0, maxLenB: 8 });
    hyps.forEach(([h], b) => {
      const want = Array.from(get(`greedy.${b}`).data);
      expect(h.tokens, `sentence ${b}`).toEqual(want.includes(2) ? want.slice(0, want.indexOf(2)) : want);
    });
  });
});

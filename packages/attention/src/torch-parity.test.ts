// Parity with PyTorch's nn.MultiheadAttention (batch_first): outputs, head-averaged attention weights and
// gradients (inputs and every parameter) against __fixtures__/torch-mha.json, made by
// fixtures/make_fixtures.py (torch 1.13, CPU, torch.manual_seed(0), float64, float32-exact weights and inputs;
// masks stored in gloss's convention: bool attnMask true = may attend). Regenerate with
//   /usr/bin/python3 packages/attention/fixtures/make_fixtures.py
// float64 must agree to 1e-10; float32 to 1e-5 of each array's largest magnitude. Each case runs on the
// fused path (needWeights false) and the composed one (needWeights true); the causal case also as `causal: true`.
import { readFileSync } from 'node:fs';
import { Tensor, tensor, type FloatDType } from '@gloss/tensor';
import { variable, type Variable } from '@gloss/autograd';
import { describe, expect, it } from 'vitest';
import { MultiHeadAttention } from './multi-head-attention.js';

interface Arr { shape: number[]; data: (number | boolean | '-inf')[] }
interface Case {
  name: string; dModel: number; numHeads: number; bias: boolean; causal: boolean; selfAttention: boolean; keyIsValue: boolean;
  state: Record<string, Arr>; query: Arr; key: Arr; value: Arr; keyPaddingMask: Arr | null; attnMask: Arr | null;
  output: Arr; weights: Arr; upstream: Arr; grads: Record<string, Arr>; gradQuery: Arr; gradKey?: Arr; gradValue?: Arr;
}
const fixtures = JSON.parse(readFileSync(new URL('./__fixtures__/torch-mha.json', import.meta.url), 'utf8')) as { torchVersion: string; cases: Case[] };

function load(a: Arr, dtype: FloatDType): Tensor {
  if (typeof a.data[0] === 'boolean') return new Tensor(Uint8Array.from(a.data as boolean[], Number), a.shape, 'bool');
  return tensor(Float64Array.from(a.data, (x) => (x === '-inf' ? -Infinity : Number(x))), a.shape, dtype);
}

function expectMatches(what: string, got: Tensor | null | undefined, expected: Arr, dtype: FloatDType): void {
  expect(got, `${what}: missing`).toBeInstanceOf(Tensor);
  expect(got!.shape, `${what}: shape`).toEqual(expected.shape);
  const e = expected.data as number[];
  const maxAbs = e.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const [atol, rtol] = dtype === 'float64' ? [1e-10, 1e-10] : [1e-5 * maxAbs, 1e-5];
  for (let i = 0; i < e.length; i++) {
    const g = got!.data[i];
    if (!(Math.abs(g - e[i]) <= atol + rtol * Math.abs(e[i]))) {
      expect.fail(`${what} (${dtype}) element ${i}: gloss ${g}, torch ${e[i]} (|diff| ${Math.abs(g - e[i]).toExponential(2)}, atol ${atol.toExponential(1)})`);
    }
  }
}

const VARIANTS = [
  { dtype: 'float64' as const, needWeights: false }, { dtype: 'float64' as const, needWeights: true },
  { dtype: 'float32' as const, needWeights: false }, { dtype: 'float32' as const, needWeights: true },
];

describe(`parity with PyTorch ${fixtures.torchVersion} nn.MultiheadAttention`, () => {
  describe.each(fixtures.cases)('$name', (c) => {
    const maskForms = c.causal ? ['attnMask', 'causal: true'] : ['as given'];
    it.each(VARIANTS.flatMap((v) => maskForms.map((form) => ({ ...v, form }))))('$dtype, needWeights $needWeights, mask $form', ({ dtype, needWeights, form }) => {
      const attn = new MultiHeadAttention({ dModel: c.dModel, numHeads: c.numHeads, bias: c.bias, dtype });
      attn.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([n, a]) => [n, load(a, dtype)])));
      const leaf = (a: Arr): Variable => variable(load(a, dtype), { requiresGrad: true });
      const query = leaf(c.query);
      const key = c.selfAttention ? query : leaf(c.key);
      const value = c.keyIsValue ? key : leaf(c.value);
      const keyPaddingMask = c.keyPaddingMask ? load(c.keyPaddingMask, dtype) : null;
      const attnMask = c.attnMask && form !== 'causal: true' ? load(c.attnMask, dtype) : null;
      const { output, weights } = attn.forward(query, key, value, { keyPaddingMask, attnMask, causal: form === 'causal: true', needWeights });

      expectMatches('output', output.value, c.output, dtype);
      if (needWeights) expectMatches('weights', weights!.value, c.weights, dtype);
      output.backward(load(c.upstream, dtype));
      expectMatches('grad query', query.grad, c.gradQuery, dtype);
      if (c.gradKey) expectMatches('grad key', key.grad, c.gradKey, dtype);
      if (c.gradValue) expectMatches('grad value', value.grad, c.gradValue, dtype);
      for (const [name, p] of attn.namedParameters()) expectMatches(`grad ${name}`, p.grad, c.grads[name], dtype);
    });
  });
});

// Parity with PyTorch: forward values and gradients of crossEntropy, layerNorm, softmax, logSoftmax,
// gelu, sigmoid and tanh against __fixtures__/torch-reference.json. That file is made by
// fixtures/make_fixtures.py (torch 1.13, CPU, torch.manual_seed(0), float64; inputs drawn float32-exact
// so both dtypes here see identical inputs; gloss layout: class axis last). Regenerate with
//   /usr/bin/python3 packages/autograd/fixtures/make_fixtures.py
// float64 must agree to 1e-10; float32 to 1e-5 of each array's largest magnitude.
import { readFileSync } from 'node:fs';
import { tensor, zeros, type FloatDType, type Tensor } from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { crossEntropy, gelu, layerNorm, logSoftmax, sigmoid, softmax, tanh, variable, type Variable } from './index.js';

interface Arr { shape: number[]; data: number[] }
interface CrossEntropyCase {
  name: string; labelSmoothing: number; ignoreIndex: number; reduction: 'mean' | 'sum' | 'none';
  logits: Arr; targets: Arr; upstream: Arr; loss: Arr; gradLogits: Arr;
}
interface LayerNormCase { name: string; eps: number; x: Arr; weight: Arr; bias: Arr; upstream: Arr; out: Arr; gradX: Arr; gradWeight: Arr; gradBias: Arr }
interface UnaryCase { name: string; op: string; axis?: number; approximate?: 'none' | 'tanh' | null; x: Arr; upstream: Arr; out: Arr; gradX: Arr }
interface Fixtures { torchVersion: string; crossEntropy: CrossEntropyCase[]; layerNorm: LayerNormCase[]; softmax: UnaryCase[]; elementwise: UnaryCase[] }

const fixtures = JSON.parse(readFileSync(new URL('./__fixtures__/torch-reference.json', import.meta.url), 'utf8')) as Fixtures;

const DTYPES: readonly FloatDType[] = ['float64', 'float32'];

/** A Tensor of the fixture's values in `dtype` (float32 is exact: the fixture's inputs are float32 values). */
function load(a: Arr, dtype: FloatDType): Tensor {
  return tensor(Float64Array.from(a.data), a.shape, dtype);
}
const leaf = (a: Arr, dtype: FloatDType): Variable => variable(load(a, dtype), { requiresGrad: true });

/**
 * Expects `got` to match torch's `expected` elementwise: |got − e| ≤ 1e-10·(1 + |e|) in float64;
 * |got − e| ≤ 1e-5·(|e| + max|expected|) in float32 (float32 keeps about 7 digits of the array's scale).
 */
function expectMatches(what: string, got: Tensor | null, expected: Arr, dtype: FloatDType, scale = 1): void {
  expect(got, `${what}: missing`).not.toBeNull();
  expect(got!.shape, `${what}: shape`).toEqual(expected.shape);
  const e = expected.data;
  const maxAbs = e.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const [atol, rtol] = dtype === 'float64' ? [1e-10, 1e-10] : [1e-5 * maxAbs * scale, 1e-5 * scale];
  for (let i = 0; i < e.length; i++) {
    const g = got!.data[i];
    if (!(Math.abs(g - e[i]) <= atol + rtol * Math.abs(e[i]))) {
      expect.fail(`${what} (${dtype}) element ${i}: gloss ${g}, torch ${e[i]} (|diff| ${Math.abs(g - e[i]).toExponential(2)}, atol ${atol.toExponential(1)}, rtol ${rtol})`);
    }
  }
}

describe(`parity with PyTorch ${fixtures.torchVersion}`, () => {
  describe('crossEntropy', () => {
    for (const c of fixtures.crossEntropy) {
      // Logits of order 1e3 in float32: lse is stored to half an ulp of 2048 (6e-5), and exp(logit − lse) carries
      // that error into the gradient (absolute, up to ~6e-5·p), so those cases get 10× the float32 tolerance.
      const scale = c.name.startsWith('large') ? 10 : 1;
      it(`matches F.cross_entropy: ${c.name}`, () => {
        for (const dtype of DTYPES) {
          const logits = leaf(c.logits, dtype);
          const targets = tensor(Int32Array.from(c.targets.data), c.targets.shape);
          const loss = crossEntropy(logits, targets, { ignoreIndex: c.ignoreIndex, labelSmoothing: c.labelSmoothing, reduction: c.reduction });
          expectMatches(`${c.name} loss`, loss.value, c.loss, dtype, scale);
          loss.backward(load(c.upstream, dtype));
          expectMatches(`${c.name} dlogits`, logits.grad, c.gradLogits, dtype, scale);
        }
      });
    }
  });

  describe('layerNorm', () => {
    for (const c of fixtures.layerNorm) {
      it(`matches F.layer_norm with weight and bias: ${c.name}`, () => {
        for (const dtype of DTYPES) {
          const [x, weight, bias] = [leaf(c.x, dtype), leaf(c.weight, dtype), leaf(c.bias, dtype)];
          const out = layerNorm(x, weight, bias, c.eps);
          expectMatches(`${c.name} out`, out.value, c.out, dtype);
          out.backward(load(c.upstream, dtype));
          expectMatches(`${c.name} dx`, x.grad, c.gradX, dtype);
          expectMatches(`${c.name} dweight`, weight.grad, c.gradWeight, dtype);
          expectMatches(`${c.name} dbias`, bias.grad, c.gradBias, dtype);
        }
      });
    }
  });

  const unary: Record<string, (x: Variable, c: UnaryCase) => Variable> = {
    softmax: (x, c) => softmax(x, c.axis),
    logSoftmax: (x, c) => logSoftmax(x, c.axis),
    gelu: (x, c) => gelu(x, c.approximate ?? 'none'),
    sigmoid: (x) => sigmoid(x),
    tanh: (x) => tanh(x),
  };

  describe('softmax and logSoftmax', () => {
    for (const c of fixtures.softmax) {
      it(`matches torch.${c.op === 'softmax' ? 'softmax' : 'log_softmax'}: ${c.name}`, () => checkUnary(c));
    }
  });

  describe('gelu, sigmoid, tanh', () => {
    for (const c of fixtures.elementwise) {
      it(`matches torch: ${c.name}`, () => checkUnary(c));
    }
  });

  function checkUnary(c: UnaryCase): void {
    for (const dtype of DTYPES) {
      const x = leaf(c.x, dtype);
      const out = unary[c.op](x, c);
      expectMatches(`${c.name} out`, out.value, c.out, dtype);
      out.backward(load(c.upstream, dtype));
      expectMatches(`${c.name} dx`, x.grad, c.gradX, dtype);
    }
  }
});

// Semantics gloss follows (checked against torch above): label smoothing spreads ε/vocabSize over every class,
// the pad class included; an ignored target's row has zero loss and zero gradient, smoothing term included;
// 'mean' divides the sum by the number of targets not ignored. Where gloss departs from torch on purpose:
describe('crossEntropy when every target is ignored', () => {
  const logits = () => variable(tensor(Float64Array.from([0.5, -1, 2, 3, 0, -2]), [2, 3], 'float64'), { requiresGrad: true });
  const pads = tensor(Int32Array.from([0, 0]), [2]);

  it("gives loss 0 and a zero gradient for 'mean' (torch gives NaN)", () => {
    for (const labelSmoothing of [0, 0.1]) {
      const x = logits();
      const loss = crossEntropy(x, pads, { ignoreIndex: 0, labelSmoothing });
      expect(loss.item()).toBe(0);
      loss.backward();
      expect(Array.from(x.grad!.data)).toEqual(Array.from(zeros([2, 3], 'float64').data));
    }
  });

  it("gives 0 for 'sum' and zeros for 'none', as torch", () => {
    const x = logits();
    const sum = crossEntropy(x, pads, { ignoreIndex: 0, reduction: 'sum' });
    expect(sum.item()).toBe(0);
    const none = crossEntropy(x, pads, { ignoreIndex: 0, labelSmoothing: 0.3, reduction: 'none' });
    expect(Array.from(none.value.data)).toEqual([0, 0]);
  });
});

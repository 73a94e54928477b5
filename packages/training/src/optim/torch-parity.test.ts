// Parity with torch.optim (1.13): parameters after each of four steps of SGD (plain, momentum with dampening and
// weight decay, Nesterov), Adam (defaults, L2 decay, amsgrad) and AdamW, against __fixtures__/torch-optim.json,
// made by fixtures/make_fixtures.py (torch.manual_seed(0); inputs float32-exact; some steps leave a parameter
// without a gradient, some change lr between steps). Regenerate with
//   /usr/bin/python3 packages/training/fixtures/make_fixtures.py
// float64 must agree to 1e-12 relative; float32 to 2e-6 of the parameter's scale (PyTorch rounds every
// intermediate to float32, gloss computes each update in float64 and rounds once).
import { readFileSync } from 'node:fs';
import { Tensor, type FloatDType } from '@gloss/tensor';
import { variable, type Variable } from '@gloss/autograd';
import { describe, expect, it } from 'vitest';
import { Adam, AdamW, type AdamOptions } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { SGD, type SGDOptions } from './sgd.js';

interface OptimizerCase {
  name: string; kind: 'SGD' | 'Adam' | 'AdamW'; options: Record<string, unknown>; lrs: number[];
  float64: number[][][]; float32: number[][][]; grads: (number[] | null)[][];
}
interface Fixtures { torchVersion: string; shapes: number[][]; params: number[][]; optimizers: OptimizerCase[] }

const fixtures = JSON.parse(readFileSync(new URL('../__fixtures__/torch-optim.json', import.meta.url), 'utf8')) as Fixtures;

function make(kind: OptimizerCase['kind'], params: [string, Variable][], options: Record<string, unknown>): Optimizer {
  if (kind === 'SGD') return new SGD(params, options as unknown as SGDOptions);
  return kind === 'Adam' ? new Adam(params, options as AdamOptions) : new AdamW(params, options as AdamOptions);
}

describe(`parity with torch.optim ${fixtures.torchVersion}`, () => {
  it('covers every optimizer and both dtypes', () => {
    expect(new Set(fixtures.optimizers.map((c) => c.kind))).toEqual(new Set(['SGD', 'Adam', 'AdamW']));
    expect(fixtures.optimizers.length).toBeGreaterThanOrEqual(20);
  });

  for (const c of fixtures.optimizers) {
    for (const dtype of ['float64', 'float32'] as FloatDType[]) {
      it(`${c.name}, ${dtype}`, () => {
        const params = fixtures.shapes.map((shape, i): [string, Variable] =>
          [`p${i}`, variable(new Tensor(Float64Array.from(fixtures.params[i]), shape).astype(dtype), { requiresGrad: true })]);
        const opt = make(c.kind, params, c.options);
        for (let step = 0; step < c.lrs.length; step++) {
          opt.lr = c.lrs[step];
          params.forEach(([, p], i) => {
            const g = c.grads[step][i];
            p.grad = g === null ? null : new Tensor(Float64Array.from(g), p.shape).astype(dtype);
          });
          opt.step();
          params.forEach(([name, p], i) => {
            const want = c[dtype][step][i];
            const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
            for (let j = 0; j < want.length; j++) {
              const got = p.value.data[j];
              const tol = dtype === 'float64' ? 1e-12 * (1 + Math.abs(want[j])) : 2e-6 * scale;
              if (!(Math.abs(got - want[j]) <= tol)) {
                expect.fail(`${name}[${j}] after step ${step + 1}: gloss ${got}, torch ${want[j]} (|diff| ${Math.abs(got - want[j]).toExponential(2)} > ${tol.toExponential(1)})`);
              }
            }
          });
        }
      });
    }
  }
});

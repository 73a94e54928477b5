// clipGradNorm against torch.nn.utils.clip_grad_norm_ (fixtures/make_fixtures.py: float32 gradients, torch 1.13),
// plus the cases where gloss chooses to differ: non-finite norms are returned without touching the gradients.
import { readFileSync } from 'node:fs';
import { Tensor, tensor } from '@gloss/tensor';
import { add, sum, variable, type Variable } from '@gloss/autograd';
import { describe, expect, it } from 'vitest';
import { clipGradNorm, gradNorm } from './clip-grad-norm.js';

interface ClipCase { name: string; maxNorm: number; normType: 2 | 'inf'; shapes: number[][]; grads: number[][]; totalNorm: number; clipped: number[][] }
const fixtures = JSON.parse(readFileSync(new URL('./__fixtures__/torch-optim.json', import.meta.url), 'utf8')) as { clipGradNorm: ClipCase[] };

function withGrads(shapes: number[][], grads: number[][]): Variable[] {
  return shapes.map((shape, i) => {
    const p = variable(new Tensor(new Float32Array(grads[i].length), shape), { requiresGrad: true });
    p.grad = new Tensor(Float32Array.from(grads[i]), shape);
    return p;
  });
}

describe('clipGradNorm', () => {
  for (const c of fixtures.clipGradNorm) {
    it(`matches torch: ${c.name}`, () => {
      const params = withGrads(c.shapes, c.grads);
      const total = clipGradNorm(params, c.maxNorm, { normType: c.normType === 'inf' ? Infinity : 2 });
      expect(Math.abs(total - c.totalNorm)).toBeLessThanOrEqual(2e-6 * c.totalNorm);
      params.forEach((p, i) => c.clipped[i].forEach((want, j) => {
        expect(Math.abs(p.grad!.data[j] - want)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)) + 1e-7);
      }));
    });
  }

  it('computes the global L2 norm by hand: ‖(3, 4)‖ = 5 → scaled by 1/5', () => {
    const [a, b] = withGrads([[1], [1]], [[3], [4]]);
    expect(clipGradNorm([a, b], 1)).toBe(5);
    expect(a.grad!.data[0]).toBeCloseTo(0.6, 6);
    expect(b.grad!.data[0]).toBeCloseTo(0.8, 6);
  });

  it('returns a non-finite norm and leaves the gradients alone (PyTorch would scale them by NaN)', () => {
    const [a, b] = withGrads([[2], [1]], [[1, NaN], [2]]);
    expect(clipGradNorm([a, b], 1)).toBeNaN();
    expect(Array.from(b.grad!.data)).toEqual([2]);
    const [c] = withGrads([[1]], [[Infinity]]);
    expect(gradNorm([c])).toBe(Infinity);
    expect(gradNorm(withGrads([[2]], [[1, NaN]]), { normType: Infinity })).toBeNaN();
  });

  it('scales a gradient shared by two parameters once (add passes the same tensor to both inputs)', () => {
    const x = variable(tensor([3]), { requiresGrad: true });
    const y = variable(tensor([4]), { requiresGrad: true });
    sum(add(x, y)).backward();
    expect(x.grad!.data).toBe(y.grad!.data);                         // same storage
    expect(clipGradNorm([x, y], 0.5)).toBeCloseTo(Math.SQRT2, 6);
    expect(x.grad!.data[0]).toBeCloseTo(0.5 / Math.SQRT2, 6);
  });

  it('skips parameters without a gradient and refuses a bad maxNorm', () => {
    const p = variable(tensor([1, 2]), { requiresGrad: true });
    expect(clipGradNorm([p], 1)).toBe(0);
    expect(() => clipGradNorm([p], 0)).toThrow('clipGradNorm: maxNorm must be > 0, got 0');
  });
});

// copyStrided (behind permute, slice and expand) against an index-by-index oracle, on the nested-loop
// path (≤ 4 axes after merging, float32 and the other dtypes) and the general path (more axes).
import { describe, expect, it } from 'vitest';
import { Generator } from '../../random.js';
import { sizeOf, stridesOf, type Shape } from '../../shape.js';
import { copyStrided, permute } from './movement.js';

const g = new Generator(11);

/** out[i] = x[offset + Σ idx_d·strides_d] walking outShape in row-major order. */
function oracle(x: ArrayLike<number>, offset: number, strides: readonly number[], outShape: Shape): number[] {
  const out: number[] = [];
  const idx = outShape.map(() => 0);
  for (let i = 0; i < sizeOf(outShape); i++) {
    out.push(x[offset + idx.reduce((s, v, d) => s + v * strides[d], 0)]);
    for (let d = outShape.length - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

function shuffled(n: number): number[] {
  return g.shuffle(Array.from({ length: n }, (_, i) => i));
}

describe('permute', () => {
  for (const rank of [2, 3, 4, 5, 6]) {
    it(`moves every element for random permutations of rank ${rank}, float32 and int32`, () => {
      for (let trial = 0; trial < 6; trial++) {
        const shape = Array.from({ length: rank }, () => 1 + g.int(rank > 4 ? 3 : 5));
        const perm = shuffled(rank);
        const n = sizeOf(shape);
        const inStrides = stridesOf(shape);
        const outShape = perm.map((p) => shape[p]);
        const want = oracle(Array.from({ length: n }, (_, i) => i), 0, perm.map((p) => inStrides[p]), outShape);
        const f32 = Float32Array.from({ length: n }, (_, i) => i);
        const outF = new Float32Array(n);
        permute(f32, shape, perm, outF);
        expect(Array.from(outF), `${JSON.stringify(shape)} by ${JSON.stringify(perm)}`).toEqual(want);
        const outI = new Int32Array(n);
        permute(Int32Array.from(f32), shape, perm, outI);
        expect(Array.from(outI)).toEqual(want);
      }
    });
  }

  it('splits heads: [batch, len, heads, headDim] → [batch, heads, len, headDim]', () => {
    const x = Float32Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => i);
    const out = new Float32Array(x.length);
    permute(x, [2, 3, 2, 2], [0, 2, 1, 3], out);
    expect(Array.from(out.subarray(0, 6))).toEqual([0, 1, 4, 5, 8, 9]);   // batch 0, head 0: positions 0..2
  });
});

describe('copyStrided', () => {
  it('reads stepped slices, broadcasts (stride 0) and offsets like the oracle', () => {
    const x = Float64Array.from({ length: 200 }, () => g.normal());
    const cases: [number, number[], Shape][] = [
      [3, [20, 2], [5, 4]],                 // a stepped slice of a [10, 20] view
      [0, [0, 1], [3, 7]],                  // expand a row
      [5, [1, 0, 7], [4, 3, 2]],            // broadcast middle axis, transposed read
      [1, [40, 20, 0, 5, 1], [2, 2, 3, 3, 2]],   // five axes: the general path
    ];
    for (const [offset, strides, shape] of cases) {
      const out = new Float64Array(sizeOf(shape));
      copyStrided(x, offset, strides, out, shape);
      expect(Array.from(out)).toEqual(oracle(x, offset, strides, shape));
      const out32 = new Float32Array(sizeOf(shape));
      copyStrided(Float32Array.from(x), offset, strides, out32, shape);
      expect(Array.from(out32)).toEqual(Array.from(Float32Array.from(oracle(x, offset, strides, shape))));
    }
  });

  it('does nothing for an empty output', () => {
    const out = new Float32Array(0);
    copyStrided(new Float32Array(4), 0, [1, 0], out, [0, 3]);
    expect(out.length).toBe(0);
  });
});

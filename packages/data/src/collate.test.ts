import { describe, expect, it } from 'vitest';
import { collate } from './collate.js';

describe('collate', () => {
  const batch = collate([{ src: [5, 6, 7], tgt: [8] }, { src: [5], tgt: [9, 10] }]);

  it('pads sources on the right and marks padding true', () => {
    expect(batch.src.dtype).toBe('int32');
    expect(batch.src.toArray()).toEqual([[5, 6, 7], [5, 0, 0]]);
    expect(batch.srcPadding.dtype).toBe('bool');
    expect(batch.srcPadding.toArray()).toEqual([[false, false, false], [false, true, true]]);
  });

  it('builds tgtIn as <bos> + target and tgtOut as target + <eos>, tgtLen = longest target + 1', () => {
    expect(batch.tgtIn.shape).toEqual([2, 3]);
    expect(batch.tgtIn.toArray()).toEqual([[1, 8, 0], [1, 9, 10]]);
    expect(batch.tgtOut.toArray()).toEqual([[8, 2, 0], [9, 10, 2]]);
    expect(batch.tgtPadding.toArray()).toEqual([[false, false, true], [false, false, false]]);
  });

  it('counts non-pad target tokens, <eos> included', () => {
    expect(batch.numTokens).toBe(5);
    expect(batch.indices).toEqual([0, 1]);
  });

  it('accepts typed arrays and an empty target (tgtIn = <bos>, tgtOut = <eos>)', () => {
    const a = collate([{ src: Int32Array.of(4), tgt: new Int32Array(0) }]);
    expect([...a.tgtIn.data, ...a.tgtOut.data]).toEqual([1, 2]);
    expect(a.numTokens).toBe(1);
  });

  it('throws DataError naming the example and position for bad input', () => {
    expect(() => collate([])).toThrow(/expected at least one example, got 0/);
    expect(() => collate([{ src: [4], tgt: [5] }, { src: [], tgt: [5] }])).toThrow(/example 1 has an empty source/);
    expect(() => collate([{ src: [4, -1], tgt: [5] }])).toThrow(/example 0 src\[1\] must be a non-negative integer id, got -1/);
    expect(() => collate([{ src: [4], tgt: [NaN] }])).toThrow(/example 0 tgt\[0\] .* got NaN/);
  });
});

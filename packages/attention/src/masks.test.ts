import { tensor, zeros } from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { causalMask, checkAttnMask, checkKeyPaddingMask, paddingMask } from './masks.js';

describe('causalMask', () => {
  it('is the lower triangle, true = may attend', () => {
    const m = causalMask(3);
    expect(m.dtype).toBe('bool');
    expect(m.toArray()).toEqual([[true, false, false], [true, true, false], [true, true, true]]);
  });

  it('aligns a rectangular mask bottom-right (the queries are the last tgtLen keys)', () => {
    expect(causalMask(2, 4).toArray()).toEqual([[true, true, true, false], [true, true, true, true]]);
  });

  it('rejects a negative length', () => {
    expect(() => causalMask(-1)).toThrow('causalMask: tgtLen must be a non-negative integer, got -1');
  });
});

describe('paddingMask', () => {
  it('marks positions at or past each length, true = padding', () => {
    expect(paddingMask([3, 1], 4).toArray()).toEqual([[false, false, false, true], [false, true, true, true]]);
  });

  it('takes an int32 tensor and defaults maxLen to the longest', () => {
    const m = paddingMask(tensor([2, 3], undefined, 'int32'));
    expect(m.shape).toEqual([2, 3]);
    expect(m.toArray()).toEqual([[false, false, true], [false, false, false]]);
  });

  it('rejects a length longer than maxLen and a float tensor', () => {
    expect(() => paddingMask([5], 4)).toThrow('paddingMask: length 5 of sequence 0 must be an integer in [0, 4]');
    expect(() => paddingMask(tensor([1, 2]))).toThrow('paddingMask: lengths must be int32, got float32');
  });
});

describe('mask checks', () => {
  it('names the mask, its shape and the expected one', () => {
    expect(() => checkKeyPaddingMask('attention', zeros([2, 7], 'bool'), [2, 4, 9, 16], 2, 9))
      .toThrow('attention: keyPaddingMask is [2, 7] but keys are [2, 4, 9, 16] (expected [2, 9])');
    expect(() => checkKeyPaddingMask('attention', zeros([2, 9]), [2, 4, 9, 16], 2, 9))
      .toThrow('attention: keyPaddingMask must be bool (true = padding), got float32');
    expect(() => checkAttnMask('attention', zeros([3, 9], 'bool'), [2, 4, 5, 9]))
      .toThrow('attention: attnMask is [3, 9] but the scores are [2, 4, 5, 9]');
    expect(() => checkAttnMask('attention', zeros([1, 2, 4, 5, 9], 'bool'), [2, 4, 5, 9])).toThrow('attnMask is [1, 2, 4, 5, 9]');
    expect(() => checkAttnMask('attention', zeros([5, 9], 'int32'), [2, 4, 5, 9])).toThrow('got int32');
    expect(() => checkAttnMask('attention', zeros([2, 1, 5, 9]), [2, 4, 5, 9])).not.toThrow();
  });
});

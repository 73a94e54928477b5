import { describe, expect, it } from 'vitest';
import { copyTask, copyTaskIds, reverseTask, reverseTaskIds, TOY_ID_OFFSET, toyTaskTokens } from './toy-tasks.js';

describe('copy and reverse tasks', () => {
  it('copies and reverses the same symbol sequences for a seed', () => {
    const copy = copyTask({ seed: 3, count: 50 });
    const reverse = reverseTask({ seed: 3, count: 50 });
    expect(copy.map((p) => p.src)).toEqual(reverse.map((p) => p.src));
    for (const [i, { src, tgt }] of copy.entries()) {
      expect(tgt).toBe(src);
      expect(reverse[i].tgt).toBe(src.split(' ').reverse().join(' '));
    }
  });

  it('draws symbols 1 … vocabSize − 1 with the requested lengths', () => {
    const fixed = copyTask({ seed: 1, count: 200, vocabSize: 5, length: 6 });
    const symbols = new Set(fixed.flatMap((p) => p.src.split(' ')));
    expect([...symbols].sort()).toEqual(['1', '2', '3', '4']);
    expect(fixed.every((p) => p.src.split(' ').length === 6)).toBe(true);
    const ranged = reverseTask({ seed: 1, count: 300, length: 8, minLength: 3 });
    const lengths = new Set(ranged.map((p) => p.src.split(' ').length));
    expect([...lengths].sort()).toEqual([3, 4, 5, 6, 7, 8]);
  });

  it('gives ids = symbols + TOY_ID_OFFSET, clear of <pad>/<bos>/<eos>/<unk>', () => {
    const text = reverseTask({ seed: 9, count: 20, vocabSize: 11 });
    const ids = reverseTaskIds({ seed: 9, count: 20, vocabSize: 11 });
    expect(TOY_ID_OFFSET).toBe(3);
    for (const [i, { src, tgt }] of ids.entries()) {
      expect(src).toBeInstanceOf(Int32Array);
      expect(Array.from(src, (id) => String(id - 3)).join(' ')).toBe(text[i].src);
      expect(Array.from(tgt, (id) => String(id - 3)).join(' ')).toBe(text[i].tgt);
      expect(Math.min(...src)).toBeGreaterThanOrEqual(4);
      expect(Math.max(...src)).toBeLessThanOrEqual(13);
    }
    expect(copyTaskIds({ seed: 2, count: 5 }).every((p) => p.src.join() === p.tgt.join())).toBe(true);
    const tokens = toyTaskTokens(11);
    expect(tokens).toEqual(['<pad>', '<bos>', '<eos>', '<unk>', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(tokens[ids[0].src[0]]).toBe(text[0].src.split(' ')[0]);
  });

  it('gives the draws its documentation shows', () => {
    expect(copyTask({ seed: 0, count: 1, vocabSize: 11, length: 4 })).toEqual([{ src: '2 5 7 2', tgt: '2 5 7 2' }]);
    expect(reverseTask({ seed: 0, count: 1, vocabSize: 11, length: 4 })).toEqual([{ src: '2 5 7 2', tgt: '2 7 5 2' }]);
    expect(Array.from(copyTaskIds({ seed: 0, count: 1, vocabSize: 11, length: 4 })[0].src)).toEqual([5, 8, 10, 5]);
  });

  it('is deterministic per seed', () => {
    expect(copyTask({ seed: 'a', count: 10 })).toEqual(copyTask({ seed: 'a', count: 10 }));
    expect(copyTask({ seed: 'a', count: 10 })).not.toEqual(copyTask({ seed: 'b', count: 10 }));
  });

  it('refuses bad options with the op, the option and the value', () => {
    expect(() => copyTask({ seed: 0, count: 1, vocabSize: 1 })).toThrow('copyTask: vocabSize must be an integer ≥ 2 (symbols are 1 … vocabSize − 1), got 1');
    expect(() => reverseTask({ seed: 0, count: 1, length: 0 })).toThrow('reverseTask: length must be a positive integer, got 0');
    expect(() => copyTaskIds({ seed: 0, count: 1, length: 4, minLength: 5 })).toThrow('copyTaskIds: minLength must be an integer in [1, length = 4], got 5');
    expect(() => reverseTaskIds({ seed: 0, count: -2 })).toThrow('reverseTaskIds: count must be a non-negative integer, got -2');
  });
});

import { describe, expect, it } from 'vitest';
import { tensor } from '../ops/creation.js';
import { transpose } from '../ops/shape-ops.js';
import { expectClose } from './expect-close.js';

describe('expectClose', () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);

  it('refuses a result of another shape, even with the same elements in the same order', () => {
    const reshaped = tensor([[1, 2], [3, 4], [5, 6]]);
    expect(() => expectClose(reshaped, a)).toThrow('expectClose: shape [3, 2], expected [2, 3]');
    expect(() => expectClose(a, [[1, 2], [3, 4], [5, 6]])).toThrow('expectClose: shape [2, 3], expected [3, 2]');
    expect(() => expectClose(transpose(a, 0, 1), a)).toThrow(/shape \[3, 2\], expected \[2, 3\]/);
  });

  it('compares a flat list or typed array by element count, and elements within atol + rtol·|expected|', () => {
    expectClose(a, [1, 2, 3, 4, 5, 6]);
    expectClose(a, Float32Array.of(1, 2, 3, 4, 5, 6 + 5e-5), { atol: 0, rtol: 1e-5 });
    expect(() => expectClose(a, [1, 2, 3, 4, 5])).toThrow('expectClose: 6 elements, expected 5');
    expect(() => expectClose(a, [1, 2, 3, 4, 5, 6.1])).toThrow('expectClose: element 5 is 6, expected 6.1');
  });

  it('matches NaN with NaN and infinities exactly', () => {
    expectClose([NaN, Infinity, -Infinity], [NaN, Infinity, -Infinity]);
    expect(() => expectClose([1e308], [Infinity])).toThrow(/element 0/);
    expect(() => expectClose([NaN], [0])).toThrow(/element 0/);
  });
});

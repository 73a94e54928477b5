// Test helper: elementwise comparison of a tensor (or array) with expected values, naming the first
// element that differs. Not exported from the package; autograd has its own public testing helpers.
import { expect } from 'vitest';
import type { NestedArray } from '../tensor.js';
import { Tensor } from '../tensor.js';

function flat(v: Tensor | NestedArray | ArrayLike<number>): number[] {
  if (v instanceof Tensor) return Array.from(v.data);
  if (typeof v === 'number' || typeof v === 'boolean') return [Number(v)];
  if (Array.isArray(v)) return (v as NestedArray[]).flatMap((x) => flat(x));
  return Array.from(v as ArrayLike<number>);
}

/** |actual − expected| ≤ atol + rtol·|expected| everywhere (NaN matches NaN, ±∞ must match exactly). */
export function expectClose(actual: Tensor | NestedArray | ArrayLike<number>, expected: Tensor | NestedArray | ArrayLike<number>,
  { atol = 1e-6, rtol = 1e-5 } = {}): void {
  const a = flat(actual);
  const e = flat(expected);
  expect(a.length, 'number of elements').toBe(e.length);
  for (let i = 0; i < a.length; i++) {
    const ok = Number.isNaN(e[i]) ? Number.isNaN(a[i]) : !Number.isFinite(e[i]) ? a[i] === e[i] : Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]);
    if (!ok) expect.fail(`element ${i}: got ${a[i]}, expected ${e[i]} (atol ${atol}, rtol ${rtol})`);
  }
}

// expectClose: elementwise closeness for tests, with a message naming the first element that differs.
// Framework-free (throws an Error), so any test runner can use it; @gloss/autograd/testing re-exports it.
import { Tensor, type NestedArray } from '../tensor.js';

/** What expectClose compares: a Tensor, anything holding one in `value` (an autograd Variable), nested arrays, typed arrays. */
export type Closeable = Tensor | { readonly value: Tensor } | NestedArray | ArrayLike<number>;

/** The shape of a Tensor, a Variable or a nested array of depth ≥ 2; null for flat lists and typed arrays (compared by count). */
function shapeOf(v: Closeable): readonly number[] | null {
  if (v instanceof Tensor) return v.shape;
  if (typeof v === 'object' && v !== null && 'value' in v && v.value instanceof Tensor) return v.value.shape;
  if (!Array.isArray(v) || !Array.isArray(v[0])) return null;
  const shape: number[] = [];
  for (let x: unknown = v; Array.isArray(x); x = x[0]) shape.push(x.length);
  return shape;
}

function flat(v: Closeable): number[] {
  if (v instanceof Tensor) return Array.from(v.data);
  if (typeof v === 'number' || typeof v === 'boolean') return [Number(v)];
  if (Array.isArray(v)) return (v as NestedArray[]).flatMap((x) => flat(x));
  if (typeof v === 'object' && v !== null && 'value' in v && v.value instanceof Tensor) return Array.from(v.value.data);
  return Array.from(v as ArrayLike<number>);
}

/**
 * Throws unless the shapes agree (where both sides have one: Tensors, Variables, nested arrays; a flat list or
 * typed array is compared by element count) and |actual − expected| ≤ atol + rtol·|expected| elementwise (NaN
 * matches NaN; infinities must match exactly), naming the first element that differs.
 * @example expectClose(softmax(tensor([2, 1, 3])), [0.24472847, 0.09003057, 0.66524095], { atol: 1e-7 });
 */
export function expectClose(actual: Closeable, expected: Closeable, { atol = 1e-6, rtol = 1e-5 }: { atol?: number; rtol?: number } = {}): void {
  const as = shapeOf(actual);
  const es = shapeOf(expected);
  if (as && es && (as.length !== es.length || as.some((d, i) => d !== es[i]))) {
    throw new Error(`expectClose: shape [${as.join(', ')}], expected [${es.join(', ')}]`);
  }
  const a = flat(actual);
  const e = flat(expected);
  if (a.length !== e.length) throw new Error(`expectClose: ${a.length} elements, expected ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    const ok = Number.isNaN(e[i]) ? Number.isNaN(a[i]) : !Number.isFinite(e[i]) ? a[i] === e[i] : Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]);
    if (!ok) throw new Error(`expectClose: element ${i} is ${a[i]}, expected ${e[i]} (atol ${atol}, rtol ${rtol})`);
  }
}

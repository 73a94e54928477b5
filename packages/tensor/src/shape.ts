// Shape arithmetic: sizes, strides, broadcasting (NumPy rules), axis normalization.
import { IndexError, ShapeError, ValueError } from './errors.js';

export type Shape = readonly number[];

/** `[2, 3]` — the bracket form every error message uses. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Number of elements of `shape` (1 for a scalar `[]`). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Row-major strides in elements: strides[i] = product of shape[i+1:]. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Refuses negative, fractional or non-finite dimensions, naming the op and the shape. */
export function checkShape(op: string, shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ValueError(op, `shape ${formatShape(shape)} has an invalid dimension ${d} (dimensions must be non-negative integers)`);
    }
  }
}

/** The NumPy broadcast of two shapes: aligned from the right, each pair equal or one of them 1. */
export function broadcastShapes(op: string, a: Shape, b: Shape, names: [string, string] = ['a', 'b']): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(op, `cannot broadcast ${names[0]} ${formatShape(a)} with ${names[1]} ${formatShape(b)} ` +
        `(axis ${i - rank} has sizes ${da} and ${db}; each pair must be equal or 1)`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides for reading `shape` as if broadcast to `outShape` (0 along broadcast axes). */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const strides = stridesOf(shape);
  const off = outShape.length - shape.length;
  const out = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < shape.length; i++) out[i + off] = shape[i] === 1 ? 0 : strides[i];
  return out;
}

/** Maps a possibly negative axis into [0, rank), or throws naming the op and the rank. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new IndexError(op, `axis ${axis} is out of range for a tensor of rank ${rank} (expected ${-rank} to ${rank - 1})`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalized, sorted, de-duplicated axes; `undefined` means every axis. */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  const seen = new Set<number>();
  for (const a of list) {
    const n = normalizeAxis(op, a, rank);
    if (seen.has(n)) throw new IndexError(op, `axis ${a} is repeated in ${formatShape(list)}`);
    seen.add(n);
  }
  return [...seen].sort((x, y) => x - y);
}

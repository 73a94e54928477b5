// The float32 fast paths against the general strided kernels. A float32 op computes in double and rounds
// on store, so running the general kernel on the same values in float64 and rounding to float32 must give
// bit-identical results: the tests compare exactly, on random shapes and every broadcast layout.
import { describe, expect, it } from 'vitest';
import { Generator } from '../../random.js';
import type { Shape } from '../../shape.js';
import { broadcastShapes, sizeOf } from '../../shape.js';
import type { BinaryOp } from '../types.js';
import { binary, unary, where } from './elementwise.js';
import { binaryF32, trailingPeriod, unaryF32, whereF32 } from './elementwise-f32.js';
import { reduce } from './reduce.js';

const g = new Generator(5);
const randF32 = (n: number) => Float32Array.from({ length: n }, () => g.normal());
const f64 = (x: Float32Array) => Float64Array.from(x);

/** The general kernel in float64 on the same values, rounded to float32. */
function general(op: BinaryOp, a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, outShape: Shape): Float32Array {
  const out = new Float64Array(sizeOf(outShape));
  binary(op, f64(a), aShape, f64(b), bShape, out, outShape);
  return Float32Array.from(out);
}

const LAYOUTS: [string, Shape, Shape][] = [
  ['same shape', [4, 5, 6], [4, 5, 6]],
  ['scalar right', [7, 3], []],
  ['scalar left', [], [7, 3]],
  ['one-element right', [2, 3, 4], [1, 1, 1]],
  ['bias row right ([N, D] op [D])', [9, 8], [8]],
  ['bias row left', [8], [9, 8]],
  ['trailing block ([B, T, D] op [T, D])', [3, 4, 5], [4, 5]],
  ['row with leading ones ([B, T, D] op [1, 1, D])', [3, 4, 5], [1, 1, 5]],
  ['column (general path)', [6, 1], [6, 4]],
  ['middle axis (general path)', [3, 1, 5], [3, 4, 5]],
  ['outer product (general path)', [5, 1], [1, 7]],
];

describe('binary float32 fast paths', () => {
  for (const [name, aShape, bShape] of LAYOUTS) {
    it(`equal the general kernel bit for bit: ${name}`, () => {
      const outShape = broadcastShapes('test', aShape, bShape);
      for (const op of ['add', 'sub', 'mul', 'div', 'maximum', 'pow'] as BinaryOp[]) {
        const a = randF32(sizeOf(aShape));
        const b = randF32(sizeOf(bShape));
        const out = new Float32Array(sizeOf(outShape));
        binary(op, a, aShape, b, bShape, out, outShape);
        expect(Array.from(out), `${op} ${name}`).toEqual(Array.from(general(op, a, aShape, b, bShape, outShape)));
      }
    });
  }

  it('take exactly the layouts they claim and leave the rest to the general kernel', () => {
    const out = new Float32Array(24);
    expect(binaryF32('add', randF32(24), [4, 6], randF32(6), [6], out, [4, 6])).toBe(true);
    expect(binaryF32('div', randF32(6), [6], randF32(24), [4, 6], out, [4, 6])).toBe(true);
    expect(binaryF32('add', randF32(4), [4, 1], randF32(24), [4, 6], out, [4, 6])).toBe(false);   // column broadcast
    expect(binaryF32('maximum', randF32(24), [4, 6], randF32(24), [4, 6], out, [4, 6])).toBe(false);
  });

  it('keep IEEE specials: division by zero, infinities and NaN', () => {
    const a = Float32Array.of(1, -1, 0, Infinity, NaN, 2);
    const b = Float32Array.of(0, 0, 0, Infinity, 1, -0);
    const out = new Float32Array(6);
    binary('div', a, [6], b, [6], out, [6]);
    expect(Array.from(out)).toEqual([Infinity, -Infinity, NaN, NaN, NaN, -Infinity]);
    binary('sub', a, [6], b, [6], out, [6]);
    expect(Array.from(out)).toEqual([1, -1, 0, NaN, NaN, 2]);
  });
});

describe('trailingPeriod', () => {
  it('is the operand size when its non-1 axes are the output’s last axes, else 0', () => {
    expect(trailingPeriod([8], [9, 8])).toBe(8);
    expect(trailingPeriod([1, 1, 8], [2, 9, 8])).toBe(8);
    expect(trailingPeriod([9, 8], [2, 9, 8])).toBe(72);
    expect(trailingPeriod([], [3])).toBe(1);
    expect(trailingPeriod([9, 1], [9, 8])).toBe(0);
    expect(trailingPeriod([2, 1, 8], [2, 9, 8])).toBe(0);
  });
});

describe('unary float32 fast paths', () => {
  it('equal the general kernel bit for bit', () => {
    const x = randF32(500);
    const pos = x.map(Math.abs);
    for (const [op, input] of [['neg', x], ['square', x], ['exp', x], ['sqrt', pos], ['relu', x]] as const) {
      const out = new Float32Array(x.length);
      expect(unaryF32(op, input, out)).toBe(true);
      const ref = new Float64Array(x.length);
      unary(op, f64(input), ref);
      expect(Array.from(out), op).toEqual(Array.from(Float32Array.from(ref)));
    }
  });

  it('relu: max(x, 0) with +0 for −0 and −∞, NaN kept, as PyTorch', () => {
    const x = Float32Array.of(-Infinity, -2, -0, 0, 1.5, Infinity, NaN, -1e-30);
    const out = new Float32Array(x.length);
    unary('relu', x, out);
    const got = Array.from(out);
    expect(got).toEqual([0, 0, 0, 0, 1.5, Infinity, NaN, 0]);
    expect(got.slice(0, 4).every((v) => Object.is(v, 0))).toBe(true);
  });
});

describe('where float32 fast paths', () => {
  const cases: [string, Shape, Shape, Shape][] = [
    ['causal mask over [batch, heads, T, T], scalar a (maskedFill)', [5, 5], [], [2, 3, 5, 5]],
    ['full cond, full a, scalar b', [4, 6], [4, 6], []],
    ['full cond, full a and b', [4, 6], [4, 6], [4, 6]],
    ['row cond, both scalars', [6], [], []],
    ['column cond (general path)', [4, 1], [4, 6], [4, 6]],
  ];
  for (const [name, cShape, aShape, bShape] of cases) {
    it(`equals the general kernel: ${name}`, () => {
      const outShape = broadcastShapes('t', broadcastShapes('t', cShape, aShape), bShape);
      const cond = Uint8Array.from({ length: sizeOf(cShape) }, () => (g.random() < 0.5 ? 1 : 0));
      const a = randF32(sizeOf(aShape));
      const b = randF32(sizeOf(bShape));
      const out = new Float32Array(sizeOf(outShape));
      where(cond, cShape, a, aShape, b, bShape, out, outShape);
      const ref = new Float64Array(sizeOf(outShape));
      where(cond, cShape, f64(a), aShape, f64(b), bShape, ref, outShape);
      expect(Array.from(out)).toEqual(Array.from(Float32Array.from(ref)));
    });
  }

  it('refuses layouts it does not handle without writing', () => {
    const out = new Float32Array(24);
    expect(whereF32(new Uint8Array(4), [4, 1], randF32(24), randF32(24), out, [4, 6])).toBe(false);
    expect(out.every((v) => v === 0)).toBe(true);
  });
});

describe('float32 sum, max and min over leading or trailing axes', () => {
  const cases: [Shape, number[]][] = [
    [[37, 11], [0]], [[3, 5, 7], [0, 1]], [[3, 5, 7], [0]], [[6, 9], [1]], [[2, 3, 8], [1, 2]], [[4, 5], [0, 1]],
    [[3, 5, 7], [1]],      // a middle axis: the general path
    [[0, 4], [0]],         // nothing to sum: zeros
  ];
  for (const [shape, axes] of cases) {
    it(`equal the float64 general path for ${JSON.stringify(shape)} over ${JSON.stringify(axes)}`, () => {
      const x = randF32(sizeOf(shape));
      if (x.length > 5) x[3] = NaN;                                    // NaN propagates through all three
      const outSize = sizeOf(shape.filter((_, d) => !axes.includes(d)));
      for (const op of ['sum', 'max', 'min', 'prod'] as const) {
        const out = new Float32Array(outSize);
        reduce(op, x, shape, axes, out);
        const ref = new Float64Array(outSize);
        reduce(op, f64(x), shape, axes, ref);
        expect(Array.from(out), op).toEqual(Array.from(Float32Array.from(ref)));
      }
    });
  }
});

// Small emitters shared by the kernels: pusher-driven loops, multiply-add (fused on relaxed SIMD),
// horizontal lane reductions, and row fills and scalings over f32x4.
import { type FunctionBuilder, Op, Simd } from './wasm-emitter.js';

/** Emits `for (i = start; i < end; i += step)` where start/end/step are pushers. */
export function loop(f: FunctionBuilder, i: number, start: () => void, end: () => void, step: number | (() => void), body: () => void): void {
  start();
  f.set(i).op(Op.block, 0x40, Op.loop, 0x40);
  f.get(i);
  end();
  f.op(Op.i32GeS, Op.brIf, 1);
  body();
  f.inc(i, step);
  f.op(Op.br, 0, Op.end, Op.end);
}

/** A v128 operand of madd / nmadd: a local's index, or a function that pushes the value. */
export type Operand = number | (() => void);
/** The operand `a` of madd / nmadd when it is already on the stack. */
export const ON_STACK: Operand = () => {};
const push = (f: FunctionBuilder, x: Operand): void => { if (typeof x === 'number') f.get(x); else x(); };

/**
 * Pushes a·b + c (f32x4): one f32x4.relaxed_madd when `relaxed` (fused where the hardware has FMA),
 * else f32x4.mul then f32x4.add. Operands are pushed in the order a, b, c, so `a` may be ON_STACK.
 * The kernels take `relaxed` from the runtime's SIMD level.
 */
export function madd(f: FunctionBuilder, relaxed: boolean, a: Operand, b: Operand, c: Operand): void {
  push(f, a);
  push(f, b);
  if (relaxed) {
    push(f, c);
    f.simd(Simd.f32x4RelaxedMadd);
  } else {
    f.simd(Simd.f32x4Mul);
    push(f, c);
    f.simd(Simd.f32x4Add);
  }
}

/**
 * Pushes c − a·b (f32x4): one f32x4.relaxed_nmadd when `relaxed`, else f32x4.mul then f32x4.sub
 * (c is pushed first there, so no operand may be ON_STACK).
 */
export function nmadd(f: FunctionBuilder, relaxed: boolean, a: Operand, b: Operand, c: Operand): void {
  if (relaxed) {
    push(f, a);
    push(f, b);
    push(f, c);
    f.simd(Simd.f32x4RelaxedNmadd);
  } else {
    push(f, c);
    push(f, a);
    push(f, b);
    f.simd(Simd.f32x4Mul).simd(Simd.f32x4Sub);
  }
}

/** Pushes the sum / max of the four lanes of v128 local v. */
export function horizontal(f: FunctionBuilder, v: number, op: number): void {
  f.get(v).lane(0);
  for (let l = 1; l < 4; l++) f.get(v).lane(l).op(op);
}

/** Zeros bytes [from, to) of the row at p (multiples of 16); c is a scratch local. */
export function zeroTail(f: FunctionBuilder, p: number, from: number, to: number, c: number): void {
  loop(f, c, () => f.get(from), () => f.get(to), 16, () => { f.get(p).get(c).op(Op.i32Add).v128Zero().simdMem(Simd.v128Store, 4); });
}

/** Multiplies n floats (a multiple of 4) at p by the f32 `factor`. */
export function scaleRow(f: FunctionBuilder, p: number, n: number, factor: () => void, ptr: number, end: number, fv: number): void {
  factor();
  f.simd(Simd.f32x4Splat).set(fv);
  f.get(p).get(n).i32(2).op(Op.i32Shl, Op.i32Add).set(end);
  loop(f, ptr, () => f.get(p), () => f.get(end), 16, () => {
    f.get(ptr).get(ptr).simdMem(Simd.v128Load, 4).get(fv).simd(Simd.f32x4Mul).simdMem(Simd.v128Store, 4);
  });
}

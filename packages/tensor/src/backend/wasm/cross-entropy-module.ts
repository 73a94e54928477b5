// Softmax cross-entropy over rows of logits in the kernels' memory, as a WebAssembly SIMD job of the shared
// module (one chunk = a range of rows, so the thread pool splits it): per row, three passes over the V logits
//   A: x += bias (written back), running max, Σ x           (the target's logit is read after it)
//   B: e = exp(x − max) written over x, Σ e                 (emitExp: < 1 float32 ulp)
//   C: g = e·(scale/Σe) − scale·ε/V written over e, then g[t] −= scale·(1 − ε)   (only when GRAD ≠ 0)
// with Σ x and Σ e added in float64 lanes. The row's max, Σ e, Σ x and target logit go to STATS (float64 × 4)
// for the caller, which takes the log (WebAssembly has none) and forms loss = (1 − ε)·(lse − x_t) + ε·(lse − Σx/V).
// A row whose target is IGNORE gets zeros (logits and gradient) and zero stats. The last V mod 4 logits run as
// one masked vector, so rows need 4-float-aligned strides (the GEMM's padded ldc is).
import { horizontal, loop } from './emit-helpers.js';
import { Ctrl } from './gemm-module.js';
import { emitExp } from './simd-exp.js';
import { F32, F64, FunctionBuilder, I32, Op, Simd, V128 } from './wasm-emitter.js';

/** Cross-entropy job header: Int32 words of the control block (a job of kind CROSS_ENTROPY). */
export const Ce = {
  /** Byte address of row 0 and the row stride in bytes. */
  G: 16, LDG: 17,
  /** Classes per row; V rounded down to a multiple of 4; V − V4. */
  V: 18, V4: 19, TAIL: 20,
  /** Byte address of the bias [V, zero-padded to a multiple of 4] added to each row first (0 = none). */
  BIAS: 21,
  /** Byte address of the int32 targets [rows]; the target id that marks a row as ignored. */
  TARGETS: 22, IGNORE: 23,
  /** Byte address of the float64 stats [rows, 4]: max, Σ exp(x − max), Σ x, x_target. */
  STATS: 24,
  /** ≠ 0: overwrite each row with its gradient; SCALE, U = SCALE·ε/V and TW = SCALE·(1 − ε) as float32 bits. */
  GRAD: 25, SCALE: 26, U: 27, TW: 28,
} as const;

const word = (f: FunctionBuilder, w: number): FunctionBuilder => f.i32(0).mem(Op.i32Load, 2, w * 4);
const wordF32 = (f: FunctionBuilder, w: number): FunctionBuilder => f.i32(0).mem(Op.f32Load, 2, w * 4);

/** Emits run(chunk, slot) for a chunk (r0, r1) of rows. */
export function crossEntropyRows(relaxed: boolean): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32], []);
  const chunk = 0;
  const [r, r1, rowP, j, end4, tgt, bias, statP, hasTail, tailP] = Array.from({ length: 10 }, () => f.local(I32));
  const [x, mx, tot, sum, e, t1, t2, mask, p, u] = Array.from({ length: 10 }, () => f.local(V128));
  const m = f.local(F32);
  const xt = f.local(F32);
  const s = f.local(F64);

  f.get(chunk).i32(Ctrl.CHUNK_WORDS * 4).op(Op.i32Mul).i32(Ctrl.CHUNKS * 4).op(Op.i32Add).tee(r1).mem(Op.i32Load, 2, 0).set(r);
  f.get(r1).mem(Op.i32Load, 2, 4).set(r1);
  word(f, Ce.V4).i32(2).op(Op.i32Shl).set(end4);
  word(f, Ce.BIAS).set(bias);
  word(f, Ce.TAIL).tee(hasTail);
  // mask: lanes below TAIL (the last vector's real logits)
  f.simd(Simd.i32x4Splat).set(t1);
  f.v128I32(0, 1, 2, 3).get(t1).simd(Simd.i32x4LtS).set(mask);

  // acc (f64x2) += the four lanes of v128 local v, as two float64 pairs.
  const addF64 = (acc: number, v: number): void => {
    f.get(acc).get(v).simd(Simd.f64x2PromoteLowF32x4).simd(Simd.f64x2Add);
    f.get(v).get(v).shuffle32(2, 3, 0, 1).simd(Simd.f64x2PromoteLowF32x4).simd(Simd.f64x2Add).set(acc);
  };
  const sumF64 = (v: number): void => {
    f.get(v).simd(Simd.f64x2ExtractLane).op(0).get(v).simd(Simd.f64x2ExtractLane).op(1).op(Op.f64Add);
  };
  // Runs body(ptr) over the row's full vectors, then (with masked = true) its tail vector.
  const overRow = (body: (ptr: number, masked: boolean) => void): void => {
    loop(f, j, () => f.i32(0), () => f.get(end4), 16, () => body(j, false));
    f.get(hasTail).ifElse(() => { f.get(end4).set(j); body(j, true); });
  };
  const at = (ptr: number): FunctionBuilder => f.get(rowP).get(ptr).op(Op.i32Add);

  loop(f, r, () => f.get(r), () => f.get(r1), 1, () => {
    word(f, Ce.G).get(r); word(f, Ce.LDG); f.op(Op.i32Mul, Op.i32Add).set(rowP);
    word(f, Ce.STATS).get(r).i32(5).op(Op.i32Shl, Op.i32Add).set(statP);
    word(f, Ce.TARGETS).get(r).i32(2).op(Op.i32Shl, Op.i32Add).mem(Op.i32Load, 2).tee(tgt);
    word(f, Ce.IGNORE).op(Op.i32Eq).ifElse(() => {
      overRow((ptr) => { at(ptr).v128Zero().simdMem(Simd.v128Store, 4); });
      for (let q = 0; q < 4; q++) f.get(statP).v128Zero().simd(Simd.f64x2ExtractLane).op(0).mem(Op.f64Store, 3, 8 * q);
    }, () => {
      // A: x (+ bias, written back), max, Σ x. Masked lanes: −∞ for the max, 0 for the sum.
      f.v128F32(-Infinity).set(mx);
      f.v128Zero().set(tot);
      const passA = (withBias: boolean): void => overRow((ptr, masked) => {
        at(ptr).simdMem(Simd.v128Load, 4);
        if (withBias) {
          f.get(bias).get(ptr).op(Op.i32Add).simdMem(Simd.v128Load, 4).simd(Simd.f32x4Add).set(x);
          at(ptr).get(x).simdMem(Simd.v128Store, 4);
        } else {
          f.set(x);
        }
        if (masked) {
          f.get(x).get(mask).simd(Simd.v128And).set(t1);
          f.get(mx).get(x).v128F32(-Infinity).get(mask).simd(Simd.v128Bitselect).simd(Simd.f32x4Pmax).set(mx);
          addF64(tot, t1);
        } else {
          f.get(mx).get(x).simd(Simd.f32x4Pmax).set(mx);
          addF64(tot, x);
        }
      });
      f.get(bias).ifElse(() => passA(true), () => passA(false));
      horizontal(f, mx, Op.f32Max);
      f.set(m);
      f.get(rowP).get(tgt).i32(2).op(Op.i32Shl, Op.i32Add).mem(Op.f32Load, 2).set(xt);
      // B: e = exp(x − max) over x, Σ e (masked lanes: exp(−∞) = 0, stored into the padding)
      f.get(m).simd(Simd.f32x4Splat).set(t2);
      f.v128Zero().set(sum);
      overRow((ptr, masked) => {
        at(ptr).simdMem(Simd.v128Load, 4).get(t2).simd(Simd.f32x4Sub).set(x);
        if (masked) { f.get(x).v128F32(-Infinity).get(mask).simd(Simd.v128Bitselect).set(x); }
        emitExp(f, x, t1, e, relaxed);
        f.set(e);
        at(ptr).get(e).simdMem(Simd.v128Store, 4);
        addF64(sum, e);
      });
      sumF64(sum);
      f.set(s);
      // C: the gradient, scale·(softmax − ε/V) − scale·(1 − ε)·[j = t]
      word(f, Ce.GRAD).ifElse(() => {
        wordF32(f, Ce.SCALE).op(Op.f64PromoteF32).get(s).op(Op.f64Div, Op.f32DemoteF64).simd(Simd.f32x4Splat).set(p);
        wordF32(f, Ce.U).simd(Simd.f32x4Splat).set(u);
        overRow((ptr) => {
          at(ptr);
          at(ptr).simdMem(Simd.v128Load, 4).get(p).simd(Simd.f32x4Mul).get(u).simd(Simd.f32x4Sub);
          f.simdMem(Simd.v128Store, 4);
        });
        f.get(rowP).get(tgt).i32(2).op(Op.i32Shl, Op.i32Add).set(tailP);
        f.get(tailP).get(tailP).mem(Op.f32Load, 2);
        wordF32(f, Ce.TW).op(Op.f32Sub).mem(Op.f32Store, 2);
      });
      f.get(statP).get(m).op(Op.f64PromoteF32).mem(Op.f64Store, 3, 0);
      f.get(statP).get(s).mem(Op.f64Store, 3, 8);
      f.get(statP);
      sumF64(tot);
      f.mem(Op.f64Store, 3, 16);
      f.get(statP).get(xt).op(Op.f64PromoteF32).mem(Op.f64Store, 3, 24);
    });
  });
  f.debugName = 'crossEntropy.rows';
  return f;
}

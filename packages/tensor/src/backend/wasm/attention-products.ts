// The attention kernels' products and data movement in WebAssembly SIMD: one register-tiled panel
// micro-kernel, C[r, c] (+)= Σ_p A(r, p)·B(p, c) with A read at any strides (so Pᵀ and dSᵀ need no
// copy), the tiled product over it (skipping the masked half of causal diagonal tiles), the 4×4
// shuffle transpose that lays Kᵀ and Vᵀ out for it, zero fills and row dot products. With `relaxed`
// the multiply-adds are f32x4.relaxed_madd (fused where the hardware has FMA), else mul then add.
import { horizontal, loop, madd } from './emit-helpers.js';
import { FunctionBuilder, I32, Op, Simd, V128 } from './wasm-emitter.js';

/** Register tile: MR rows × 4·NRV columns of f32x4 accumulators (2×16: 8 accumulators, 4 B vectors, 1 broadcast). */
const MR = 2;
const NRV = 4;
/** d0 for a product with no causal skipping. */
export const FULL = 1 << 30;

/**
 * panel(aP, ars, aps, bP, ldb, cP, ldc, rows, k, accumulate, sOff, eOff): C[rows, 4·nrv] (=|+=)
 * Σ_p A(r, p)·B(p, ·), A(r, p) at aP + r·ars + p·aps, B row p at bP + p·ldb, C row r at cP + r·ldc
 * (all bytes). Rows go MR at a time through an MR×4·nrv register tile, then one at a time. A tile of
 * rows r..r' sums only p in [max(0, r + sOff), min(k, r' + eOff)): the rest of a causal tile's A is 0.
 */
export function panelKernel(nrv: number, relaxed: boolean): FunctionBuilder {
  const f = new FunctionBuilder(new Array(12).fill(I32), []);
  const [aP, ars, aps, bP, ldb, cP, ldc, rows, k, accumulate, sOff, eOff] = Array.from({ length: 12 }, (_, i) => i);
  const [a0, a1, b, kk, row, c, ks, ke, r] = Array.from({ length: 9 }, () => f.local(I32));
  const acc: number[] = [];
  for (let i = 0; i < MR * nrv; i++) acc.push(f.local(V128));
  const bv: number[] = [];
  for (let v = 0; v < nrv; v++) bv.push(f.local(V128));
  const a = f.local(V128);
  const tile = (mr: number): void => {
    for (let i = 0; i < mr * nrv; i++) f.v128Zero().set(acc[i]);
    // ks = max(0, row + sOff), ke = min(k, row + mr − 1 + eOff), kk = ke − ks
    f.get(row).get(sOff).op(Op.i32Add).set(ks);
    f.get(ks).i32(0).get(ks).i32(0).op(Op.i32GtS, Op.select).set(ks);
    f.get(row).i32(mr - 1).op(Op.i32Add).get(eOff).op(Op.i32Add).set(ke);
    f.min(ke, k).get(ks).op(Op.i32Sub).set(kk);
    f.get(aP).get(ks).get(aps).op(Op.i32Mul, Op.i32Add).tee(a0).get(ars).op(Op.i32Add).set(a1);
    f.get(bP).get(ks).get(ldb).op(Op.i32Mul, Op.i32Add).set(b);
    f.op(Op.block, 0x40, Op.loop, 0x40);
    f.get(kk).i32(1).op(Op.i32LtS, Op.brIf, 1);
    for (let v = 0; v < nrv; v++) f.get(b).simdMem(Simd.v128Load, 4, 16 * v).set(bv[v]);
    for (let q = 0; q < mr; q++) {
      f.get(q === 0 ? a0 : a1).simdMem(Simd.v128Load32Splat, 2, 0).set(a);
      for (let v = 0; v < nrv; v++) {
        const x = acc[q * nrv + v];
        madd(f, relaxed, a, bv[v], x);
        f.set(x);
      }
    }
    f.inc(a0, () => f.get(aps));
    if (mr > 1) f.inc(a1, () => f.get(aps));
    f.inc(b, () => f.get(ldb)).inc(kk, -1);
    f.op(Op.br, 0, Op.end, Op.end);
    const store = (add: boolean): void => {
      f.get(cP).set(c);
      for (let q = 0; q < mr; q++) {
        if (q > 0) f.inc(c, () => f.get(ldc));
        for (let v = 0; v < nrv; v++) {
          f.get(c);
          if (add) f.get(c).simdMem(Simd.v128Load, 4, 16 * v);
          f.get(acc[q * nrv + v]);
          if (add) f.simd(Simd.f32x4Add);
          f.simdMem(Simd.v128Store, 4, 16 * v);
        }
      }
    };
    f.get(accumulate).ifElse(() => store(true), () => store(false));
    f.inc(row, mr);
    for (let q = 0; q < mr; q++) f.inc(aP, () => f.get(ars)).inc(cP, () => f.get(ldc));
  };
  f.i32(0).set(row);
  loop(f, r, () => f.i32(MR), () => f.get(rows).i32(1).op(Op.i32Add), MR, () => tile(MR));
  f.get(rows).i32(1).op(Op.i32And).ifElse(() => tile(1));
  return f;
}

/**
 * mm(aP, ars, aps, bP, ldb, cP, ldc, rows, cols, k, accumulate, d0, sOff, eOff): C[rows, cols] (+)= A·B,
 * one panel call per 16 columns; cols must be a multiple of 4. Causal tiles: row r only needs columns
 * c < r + d0 (keys past a query's limit are masked anyway), so a panel starting at c0 skips rows
 * r ≤ c0 − d0, leaving them unwritten; and row r sums only p in [r + sOff, r + eOff) (see panel). Pass
 * FULL, −FULL, FULL for a full product. panels[nrv − 1] are function indices.
 */
export function tiledProduct(panels: number[]): FunctionBuilder {
  const f = new FunctionBuilder(new Array(14).fill(I32), []);
  const [aP, ars, aps, bP, ldb, cP, ldc, rows, cols, k, accumulate, d0, sOff, eOff] = Array.from({ length: 14 }, (_, i) => i);
  const [c0, nv, r0] = [f.local(I32), f.local(I32), f.local(I32)];
  loop(f, c0, () => f.i32(0), () => f.get(cols), 4 * NRV, () => {
    // nv = min(NRV, (cols − c0) / 4) vectors in this column panel
    f.get(cols).get(c0).op(Op.i32Sub).i32(2).op(Op.i32ShrS).set(nv);
    f.i32(NRV).get(nv).get(nv).i32(NRV).op(Op.i32GtS, Op.select).set(nv);
    // r0 = max(0, c0 − d0 + 1): the first row that sees any of these columns
    f.get(c0).get(d0).op(Op.i32Sub).i32(1).op(Op.i32Add).set(r0);
    f.get(r0).i32(0).get(r0).i32(0).op(Op.i32GtS, Op.select).set(r0);
    f.get(r0).get(rows).op(Op.i32LtS).ifElse(() => {
      const call = (v: number): void => {
        f.get(aP).get(r0).get(ars).op(Op.i32Mul, Op.i32Add).get(ars).get(aps).get(bP).get(c0).i32(2).op(Op.i32Shl, Op.i32Add).get(ldb);
        f.get(cP).get(r0).get(ldc).op(Op.i32Mul, Op.i32Add).get(c0).i32(2).op(Op.i32Shl, Op.i32Add).get(ldc);
        f.get(rows).get(r0).op(Op.i32Sub).get(k).get(accumulate);
        f.get(sOff).get(r0).op(Op.i32Add).get(eOff).get(r0).op(Op.i32Add).call(panels[v - 1]);
      };
      const branch = (v: number): void => {
        if (v === 1) { call(1); return; }
        f.get(nv).i32(v).op(Op.i32Eq).ifElse(() => call(v), () => branch(v - 1));
      };
      branch(NRV);
    });
  });
  return f;
}

/**
 * transpose(src, n, dh, dst, ld): dst[d·ld + j] = src[j·dh + d] for j < n, d < dh (dh a multiple of 4),
 * in 4×4 blocks of shuffles; zeros for n ≤ j < ⌈n/16⌉·16.
 */
export function transpose(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32], []);
  const [src, n, dh, dst, ld] = [0, 1, 2, 3, 4];
  const [j, d, s, t, ldB, dhB, end] = Array.from({ length: 7 }, () => f.local(I32));
  const v = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const u = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  f.get(ld).i32(2).op(Op.i32Shl).set(ldB);
  f.get(dh).i32(2).op(Op.i32Shl).set(dhB);
  f.get(n).i32(-4).op(Op.i32And).set(end);
  loop(f, j, () => f.i32(0), () => f.get(end), 4, () => {
    loop(f, d, () => f.i32(0), () => f.get(dh), 4, () => {
      // rows j..j+3, columns d..d+3 of src
      f.get(src).get(j).get(dh).op(Op.i32Mul).get(d).op(Op.i32Add).i32(2).op(Op.i32Shl, Op.i32Add).set(s);
      for (let a = 0; a < 4; a++) {
        f.get(s).simdMem(Simd.v128Load, 2).set(v[a]);
        if (a < 3) f.inc(s, () => f.get(dhB));
      }
      f.get(v[0]).get(v[1]).shuffle32(0, 4, 1, 5).set(u[0]);
      f.get(v[0]).get(v[1]).shuffle32(2, 6, 3, 7).set(u[1]);
      f.get(v[2]).get(v[3]).shuffle32(0, 4, 1, 5).set(u[2]);
      f.get(v[2]).get(v[3]).shuffle32(2, 6, 3, 7).set(u[3]);
      f.get(dst).get(d).get(ld).op(Op.i32Mul).get(j).op(Op.i32Add).i32(2).op(Op.i32Shl, Op.i32Add).set(t);
      const halves: [number, number, [number, number, number, number]][] = [[0, 2, [0, 1, 4, 5]], [0, 2, [2, 3, 6, 7]], [1, 3, [0, 1, 4, 5]], [1, 3, [2, 3, 6, 7]]];
      halves.forEach(([x, y, lanes], a) => {
        f.get(t).get(u[x]).get(u[y]).shuffle32(...lanes).simdMem(Simd.v128Store, 2);
        if (a < 3) f.inc(t, () => f.get(ldB));
      });
    });
  });
  loop(f, j, () => f.get(end), () => f.get(n), 1, () => {
    f.get(src).get(j).get(dhB).op(Op.i32Mul, Op.i32Add).set(s);
    f.get(dst).get(j).i32(2).op(Op.i32Shl, Op.i32Add).set(t);
    loop(f, d, () => f.i32(0), () => f.get(dh), 1, () => {
      f.get(t).get(s).mem(Op.f32Load, 2).mem(Op.f32Store, 2);
      f.inc(s, 4).inc(t, () => f.get(ldB));
    });
  });
  f.get(n).i32(15).op(Op.i32Add).i32(-16).op(Op.i32And).set(end);
  loop(f, d, () => f.i32(0), () => f.get(dh), 1, () => {
    loop(f, j, () => f.get(n), () => f.get(end), 1, () => {
      f.get(dst).get(d).get(ld).op(Op.i32Mul).get(j).op(Op.i32Add).i32(2).op(Op.i32Shl, Op.i32Add).f32(0).mem(Op.f32Store, 2);
    });
  });
  return f;
}

/** zero(p, n): n floats (a multiple of 4) at p set to 0. */
export function zero(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32], []);
  const [p, n] = [0, 1];
  const end = f.local(I32);
  f.get(p).get(n).i32(2).op(Op.i32Shl, Op.i32Add).set(end);
  loop(f, p, () => f.get(p), () => f.get(end), 16, () => { f.get(p).v128Zero().simdMem(Simd.v128Store, 4); });
  return f;
}

/** rowDot(aP, bP, rows, dh, outP): out[r] = Σ_c a[r·dh + c]·b[r·dh + c] (dh a multiple of 4). */
export function rowDot(relaxed: boolean): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32], []);
  const [aP, bP, rows, dh, outP] = [0, 1, 2, 3, 4];
  const [r, c, end] = [f.local(I32), f.local(I32), f.local(I32)];
  const acc = f.local(V128);
  loop(f, r, () => f.i32(0), () => f.get(rows), 1, () => {
    f.v128Zero().set(acc);
    f.get(aP).get(dh).i32(2).op(Op.i32Shl, Op.i32Add).set(end);
    loop(f, c, () => f.i32(0), () => f.get(dh).i32(2).op(Op.i32Shl), 16, () => {
      madd(f, relaxed, () => f.get(aP).get(c).op(Op.i32Add).simdMem(Simd.v128Load, 4),
        () => f.get(bP).get(c).op(Op.i32Add).simdMem(Simd.v128Load, 4), acc);
      f.set(acc);
    });
    f.get(outP).get(r).i32(2).op(Op.i32Shl, Op.i32Add);
    horizontal(f, acc, Op.f32Add);
    f.mem(Op.f32Store, 2);
    f.get(end).set(aP).inc(bP, () => f.get(dh).i32(2).op(Op.i32Shl));
  });
  return f;
}

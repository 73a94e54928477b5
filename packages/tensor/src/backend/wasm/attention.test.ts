// The WebAssembly SIMD attention kernels against the TypeScript reference (referenceBackend in float64,
// the definition of correct): every mask kind, odd sizes, empty rows, threads, head groups, query
// splitting, stale kernel memory, and the calls they decline; on relaxed SIMD (fused multiply-adds) and
// plain SIMD alike.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cpuBackend, referenceBackend } from '../backend.js';
import type { AttentionDims, AttentionMasking } from '../types.js';
import { expectClose } from '../../testing/expect-close.js';
import { attentionBackwardF32, attentionForwardF32, tuneAttention } from './attention.js';
import { matmulF32, setMatmulThreads, getMatmulThreads, setWasmSimd, wasmMatmulAvailable, wasmSimdLevel } from './matmul.js';
import { getRuntime } from './runtime.js';

/** Seeded LCG (Numerical Recipes constants), values in [-1, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31) - 1;
}

const noMask: AttentionMasking = { causal: false, keyPadding: null, mask: null, maskStrides: [0, 0, 0, 0] };
const dims = (batch: number, heads: number, tq: number, tk: number, headDim: number): AttentionDims => ({ batch, heads, tq, tk, headDim });

interface Problem { q: Float32Array; k: Float32Array; v: Float32Array; dout: Float32Array }

function problem(d: AttentionDims, seed = 1): Problem {
  const random = lcg(seed);
  const bh = d.batch * d.heads;
  const f = (n: number): Float32Array => Float32Array.from({ length: n }, () => 2 * random());
  return { q: f(bh * d.tq * d.headDim), k: f(bh * d.tk * d.headDim), v: f(bh * d.tk * d.headDim), dout: f(bh * d.tq * d.headDim) };
}

interface Result { out: Float32Array; lse: Float32Array; dq: Float32Array; dk: Float32Array; dv: Float32Array }

/** Forward and backward through the kernels; outputs start as NaN so anything left unwritten shows. */
function wasm(d: AttentionDims, p: Problem, m: AttentionMasking, scale: number): Result {
  const bh = d.batch * d.heads;
  const r: Result = {
    out: new Float32Array(p.q.length).fill(NaN), lse: new Float32Array(bh * d.tq).fill(NaN),
    dq: new Float32Array(p.q.length).fill(NaN), dk: new Float32Array(p.k.length).fill(NaN), dv: new Float32Array(p.v.length).fill(NaN),
  };
  expect(attentionForwardF32(p.q, p.k, p.v, d, scale, m, r.out, r.lse)).toBeNull();
  expect(attentionBackwardF32(p.q, p.k, p.v, r.out, r.lse, p.dout, d, scale, m, r.dq, r.dk, r.dv)).toBeNull();
  return r;
}

/** The same in float64 on the TypeScript reference. */
function reference(d: AttentionDims, p: Problem, m: AttentionMasking, scale: number) {
  const f64 = (x: Float32Array): Float64Array => Float64Array.from(x);
  const [q, k, v, dout] = [f64(p.q), f64(p.k), f64(p.v), f64(p.dout)];
  const mask = m.mask instanceof Float32Array ? f64(m.mask) : m.mask;
  const m64 = { ...m, mask };
  const out = new Float64Array(q.length);
  const lse = new Float64Array(d.batch * d.heads * d.tq);
  referenceBackend.attentionForward(q, k, v, d, scale, m64, out, lse);
  const [dq, dk, dv] = [new Float64Array(q.length), new Float64Array(k.length), new Float64Array(v.length)];
  referenceBackend.attentionBackward(q, k, v, out, lse, dout, d, scale, m64, dq, dk, dv);
  return { out, lse, dq, dk, dv };
}

function check(d: AttentionDims, m: AttentionMasking, scale = 1 / Math.sqrt(d.headDim), seed = 1): Result {
  const p = problem(d, seed);
  const got = wasm(d, p, m, scale);
  const want = reference(d, p, m, scale);
  for (const key of ['out', 'lse', 'dq', 'dk', 'dv'] as const) {
    try {
      expectClose(got[key], want[key], { atol: 2e-5, rtol: 2e-4 });
    } catch (e) {
      throw new Error(`${key}: ${(e as Error).message}`);
    }
  }
  return got;
}

const padded = (batch: number, tk: number, lengths: number[]): Uint8Array =>
  Uint8Array.from({ length: batch * tk }, (_, i) => +(i % tk >= lengths[Math.floor(i / tk)]));

afterEach(() => tuneAttention({ reset: true }));

// Node 20 turns relaxed SIMD on through a V8 flag; Node ≥ 22 and Chromium ≥ 114 have it anyway.
const inNode = typeof (globalThis as { process?: { getBuiltinModule?: unknown } }).process?.getBuiltinModule === 'function';

for (const level of ['simd', 'relaxed'] as const) describe(`attention kernels on ${level} SIMD`, () => {
  beforeAll(() => setWasmSimd(level));
  afterAll(() => setWasmSimd('auto'));

  it(`builds the ${level} kernels where the engine has them`, () => {
    if (level === 'simd' || inNode) expect(wasmSimdLevel()).toBe(wasmMatmulAvailable() ? level : 'none');
  });

  describe('WebAssembly SIMD attention against the float64 reference', () => {
    const cases: [string, AttentionDims, AttentionMasking][] = [
      ['no mask, T = 1, headDim 8', dims(1, 1, 1, 1, 8), noMask],
      ['no mask, T = 3, headDim 8', dims(2, 3, 3, 3, 8), noMask],
      ['causal, T = 17, headDim 32', dims(2, 2, 17, 17, 32), { ...noMask, causal: true }],
      ['causal, T = 129 (past one key tile), headDim 64', dims(1, 2, 129, 129, 64), { ...noMask, causal: true }],
      ['causal with tq < tk (bottom-right aligned), headDim 80', dims(2, 1, 5, 130, 80), { ...noMask, causal: true }],
      ['causal with tq > tk: the first rows attend nothing', dims(1, 2, 70, 3, 8), { ...noMask, causal: true }],
      ['key padding + causal, an all-padding batch entry, T = 129, headDim 80', dims(3, 2, 129, 129, 80),
        { ...noMask, causal: true, keyPadding: padded(3, 129, [101, 0, 129]) }],
      ['key padding leaving whole key tiles empty', dims(2, 2, 9, 200, 32), { ...noMask, keyPadding: padded(2, 200, [7, 150]) }],
      ['bool mask [tq, tk] broadcast over batch and heads', dims(2, 2, 33, 40, 64),
        { ...noMask, mask: Uint8Array.from({ length: 33 * 40 }, (_, i) => +(i % 7 !== 0)), maskStrides: [0, 0, 40, 1] }],
      ['float mask [batch, 1, tq, tk] with −∞ entries and a fully masked row', dims(2, 3, 17, 21, 8), {
        ...noMask, maskStrides: [17 * 21, 0, 21, 1],
        mask: Float32Array.from({ length: 2 * 17 * 21 }, (_, i) => (i % 5 === 0 || Math.floor(i / 21) === 3 ? -Infinity : Math.sin(i))),
      }],
      ['float mask [batch, 1, tq, 1] (broadcast along keys)', dims(2, 2, 6, 11, 16),
        { ...noMask, mask: Float32Array.from({ length: 12 }, (_, i) => i - 6), maskStrides: [6, 0, 1, 0] }],
      ['float64 mask with float32 q', dims(1, 2, 5, 7, 8),
        { ...noMask, mask: Float64Array.from({ length: 35 }, (_, i) => Math.cos(i)), maskStrides: [0, 0, 7, 1] }],
      ['causal + padding + bool mask per head + custom scale', dims(2, 3, 19, 19, 16), {
        causal: true, keyPadding: padded(2, 19, [19, 12]),
        mask: Uint8Array.from({ length: 3 * 19 * 19 }, (_, i) => +(i % 11 !== 3)), maskStrides: [0, 19 * 19, 19, 1],
      }],
    ];
    for (const [name, d, m] of cases) it(name, () => { check(d, m, name.includes('custom scale') ? 0.3 : undefined); });

    it('gives zeros, lse −∞ and zero gradients for rows with nothing to attend', () => {
      const d = dims(1, 1, 4, 3, 8);
      const r = check(d, { ...noMask, causal: true }); // tq > tk: the first row sees no key
      expect(r.lse[0]).toBe(-Infinity);
      expect(Array.from(r.out.slice(0, 8))).toEqual(new Array(8).fill(0));
      expect(Array.from(r.dq.slice(0, 8))).toEqual(new Array(8).fill(0));
    });

    it('gives the same bits on 1 and 2 threads, in one head group or many', () => {
      const d = dims(3, 4, 45, 45, 16);
      const m = { ...noMask, causal: true };
      const p = problem(d);
      const previous = getMatmulThreads();
      setMatmulThreads(1);
      const one = wasm(d, p, m, 0.25);
      setMatmulThreads(2);
      tuneAttention({ threadMinFlops: 0 });
      const two = wasm(d, p, m, 0.25);
      tuneAttention({ groupBytes: 1 });   // one head per group
      const grouped = wasm(d, p, m, 0.25);
      setMatmulThreads(previous);
      for (const key of ['out', 'lse', 'dq', 'dk', 'dv'] as const) {
        expect(two[key]).toEqual(one[key]);
        expect(grouped[key]).toEqual(one[key]);
      }
    });

    it('splits one long head over threads by query blocks', () => {
      const previous = getMatmulThreads();
      setMatmulThreads(2);
      tuneAttention({ threadMinFlops: 0, tiling: { br: 16, bc: 32 } });
      check(dims(1, 1, 300, 300, 8), { ...noMask, causal: true });
      setMatmulThreads(previous);
    });

    it('never reads stale kernel memory (a NaN-filled earlier job)', () => {
      // A matmul of NaNs leaves its packed panels and output in kernel memory, over where attention lays out.
      const n = 256;
      const nan = new Float32Array(n * n).fill(NaN);
      matmulF32(nan, nan, new Float32Array(n * n), n, n, n, false, false, Int32Array.of(0), Int32Array.of(0));
      expect(getRuntime()?.heapF32.some(Number.isNaN)).toBe(true);
      check(dims(2, 2, 23, 37, 8), { ...noMask, causal: true, keyPadding: padded(2, 37, [30, 37]) });
    });

    it('declines what it does not compute, saying why, and cpuBackend still answers', () => {
      const d = dims(1, 1, 3, 3, 6);
      const p = problem(d);
      const out = new Float32Array(p.q.length);
      const lse = new Float32Array(3);
      expect(attentionForwardF32(p.q, p.k, p.v, d, 1, noMask, out, lse)).toMatch(/headDim 6 is not a multiple of 4/);
      cpuBackend.attentionForward(p.q, p.k, p.v, d, 1, noMask, out, lse);
      const want = reference(d, p, noMask, 1);
      expectClose(out, want.out, { atol: 1e-5 });
      const d8 = dims(1, 1, 2, 2, 8);
      const f64 = new Float64Array(16);
      expect(attentionForwardF32(f64, f64, f64, d8, 1, noMask, new Float64Array(16), new Float64Array(2))).toMatch(/float64/);
      const p8 = problem(d8);
      expect(attentionForwardF32(p8.q, p8.k, p8.v, d8, 1, { ...noMask, mask: new Uint8Array(4), maskStrides: [0, 0, -2, 1] },
        new Float32Array(16), new Float32Array(2))).toMatch(/mask strides \[0, 0, -2, 1\]/);
      expect(attentionForwardF32(p8.q, p8.k, p8.v, dims(1, 1, 2, 0, 8), 1, noMask, new Float32Array(16), new Float32Array(2)))
        .toMatch(/empty attention/);
    });
  });

  describe('WebAssembly SIMD sliding-window attention', () => {
    const win = (before: number, after: number, globalTokens = 0) => ({ before, after, globalTokens });
    const cases: [string, AttentionDims, AttentionMasking][] = [
      ['±3, T = 40, headDim 8', dims(2, 2, 40, 40, 8), { ...noMask, window: win(3, 3) }],
      ['causal, previous 16, T = 300 (many key tiles), headDim 32', dims(1, 2, 300, 300, 32), { ...noMask, causal: true, window: win(16, 0) }],
      ['±20 with 2 global tokens, T = 260', dims(2, 1, 260, 260, 16), { ...noMask, window: win(20, 20, 2) }],
      ['causal, previous 5, 40 global tokens (more than a tile row block)', dims(1, 2, 150, 150, 8),
        { ...noMask, causal: true, window: win(5, 0, 40) }],
      ['asymmetric 7 before, 2 after, key padding with an all-padding batch entry', dims(3, 2, 90, 90, 16),
        { ...noMask, keyPadding: padded(3, 90, [61, 0, 90]), window: win(7, 2) }],
      ['window + bool mask + causal + padding', dims(2, 2, 70, 70, 8), {
        causal: true, keyPadding: padded(2, 70, [70, 33]), window: win(9, 0, 1),
        mask: Uint8Array.from({ length: 70 * 70 }, (_, i) => +(i % 13 !== 5)), maskStrides: [0, 0, 70, 1],
      }],
      ['tq < tk (a cached step, bottom-right aligned), previous 10', dims(2, 2, 3, 200, 16), { ...noMask, causal: true, window: win(10, 0, 1) }],
      ['window 0 (each query sees only itself)', dims(1, 1, 33, 33, 8), { ...noMask, window: win(0, 0) }],
      ['window wider than T equals full attention', dims(1, 2, 50, 50, 8), { ...noMask, causal: true, window: win(500, 0) }],
      ['with dropout', dims(1, 2, 129, 129, 16), { ...noMask, causal: true, window: win(33, 0), dropout: { p: 0.2, seed: [5, 6] } }],
    ];
    for (const [name, d, m] of cases) it(`matches the float64 reference: ${name}`, () => { check(d, m); });

    it('equals the same band as an explicit bool mask, and a window ≥ T equals no window', () => {
      const d = dims(2, 2, 77, 77, 16);
      const [before, after, g] = [6, 4, 3];
      const band = Uint8Array.from({ length: 77 * 77 }, (_, x) => {
        const [i, j] = [Math.floor(x / 77), x % 77];
        return +((j >= i - before && j <= i + after) || i < g || j < g);
      });
      const p = problem(d);
      const a = wasm(d, p, { ...noMask, window: win(before, after, g) }, 0.25);
      const b = wasm(d, p, { ...noMask, mask: band, maskStrides: [0, 0, 77, 1] }, 0.25);
      const c = wasm(d, p, { ...noMask, causal: true, window: win(77, 77) }, 0.25);
      const full = wasm(d, p, { ...noMask, causal: true }, 0.25);
      for (const key of ['out', 'lse', 'dq', 'dk', 'dv'] as const) {
        expectClose(a[key], b[key], { atol: 1e-6, rtol: 1e-5 });
        expect(c[key]).toEqual(full[key]);
      }
    });

    it('never visits key tiles outside the band: a NaN value far from a query leaves its row finite and right', () => {
      // With every tile computed, P = 0 times the NaN value would spread NaN into every row's output.
      tuneAttention({ tiling: { br: 16, bc: 32 } });
      const d = dims(1, 1, 512, 512, 8);
      const m = { ...noMask, causal: true, window: win(8, 0) };
      const p = problem(d);
      const want = reference(d, p, m, 0.25);
      const nanKey = 100;   // rows before it are causal-masked anyway; rows well after it must skip its tile
      const poisoned = { ...p, v: p.v.slice() };
      poisoned.v.fill(NaN, nanKey * 8, nanKey * 8 + 8);
      const out = new Float32Array(p.q.length);
      expect(attentionForwardF32(poisoned.q, poisoned.k, poisoned.v, d, 0.25, m, out, new Float32Array(512))).toBeNull();
      for (const i of [0, 50, 300, 511]) expectClose(out.subarray(i * 8, i * 8 + 8), want.out.subarray(i * 8, i * 8 + 8), { atol: 2e-5, rtol: 2e-4 });
      expect(Number.isNaN(out[nanKey * 8])).toBe(true);
    });
  });

  describe('WebAssembly SIMD block-sparse attention', () => {
    /** A seeded random layout for [tq, tk] in blocks of b, with the diagonal on. */
    const layoutOf = (tq: number, tk: number, b: number, seed: number, density = 0.4) => {
      const random = lcg(seed);
      const nq = Math.ceil(tq / b);
      const nk = Math.ceil(tk / b);
      return { blockSize: b, numKeyBlocks: nk, layout: Uint8Array.from({ length: nq * nk }, (_, c) => +(c % nk === Math.floor(c / nk) || random() < 2 * density - 1)) };
    };
    const cases: [string, AttentionDims, AttentionMasking][] = [
      ['blocks of 16, T = 100 (ragged last block)', dims(2, 2, 100, 100, 8), { ...noMask, blockLayout: layoutOf(100, 100, 16, 1) }],
      ['blocks of 32, causal + padding', dims(2, 2, 130, 130, 16), { ...noMask, causal: true, keyPadding: padded(2, 130, [130, 70]), blockLayout: layoutOf(130, 130, 32, 2) }],
      ['blocks of 64, bool mask and dropout on top', dims(1, 2, 200, 200, 32), {
        ...noMask, blockLayout: layoutOf(200, 200, 64, 3), dropout: { p: 0.1, seed: [3, 4] },
        mask: Uint8Array.from({ length: 200 * 200 }, (_, i) => +(i % 9 !== 2)), maskStrides: [0, 0, 200, 1],
      }],
      ['a query block with every block off (zeros)', dims(1, 1, 48, 48, 8),
        { ...noMask, blockLayout: { blockSize: 16, numKeyBlocks: 3, layout: Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 1, 1) } }],
    ];
    for (const [name, d, m] of cases) it(`matches the float64 reference: ${name}`, () => { check(d, m); });

    it('never visits a tile whose block is off: a NaN value there leaves the other rows right', () => {
      const d = dims(1, 1, 128, 128, 8);
      const m = { ...noMask, blockLayout: { blockSize: 32, numKeyBlocks: 4, layout: Uint8Array.of(1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1) } };
      const p = problem(d);
      const want = reference(d, p, m, 0.25);
      const poisoned = p.v.slice();
      poisoned.fill(NaN, 70 * 8, 71 * 8);                                     // key 70: block 2, seen only by query block 2
      const out = new Float32Array(p.q.length);
      expect(attentionForwardF32(p.q, p.k, poisoned, d, 0.25, m, out, new Float32Array(128))).toBeNull();
      for (const i of [0, 40, 100, 127]) expectClose(out.subarray(i * 8, i * 8 + 8), want.out.subarray(i * 8, i * 8 + 8), { atol: 2e-5, rtol: 2e-4 });
      expect(Number.isNaN(out[70 * 8])).toBe(true);
    });

    it('declines a block size that is not a multiple of 16, and cpuBackend still answers right', () => {
      const d = dims(1, 1, 20, 20, 8);
      const m = { ...noMask, blockLayout: layoutOf(20, 20, 8, 4) };
      const p = problem(d);
      expect(attentionForwardF32(p.q, p.k, p.v, d, 0.3, m, new Float32Array(p.q.length), new Float32Array(20))).toMatch(/block size 8 is not a multiple of 16/);
      const out = new Float32Array(p.q.length);
      cpuBackend.attentionForward(p.q, p.k, p.v, d, 0.3, m, out, new Float32Array(20));
      expectClose(out, reference(d, p, m, 0.3).out, { atol: 1e-5 });
    });
  });

  describe('WebAssembly SIMD attention with dropout', () => {
    const drop = (p: number, seed: [number, number] = [0x1234abcd, 0xdeadbeef]) => ({ p, seed });
    const cases: [string, AttentionDims, AttentionMasking][] = [
      ['p 0.1, no mask, odd T = 3', dims(2, 3, 3, 3, 8), { ...noMask, dropout: drop(0.1) }],
      ['p 0.5, causal, T = 129 (past one key tile)', dims(1, 2, 129, 129, 32), { ...noMask, causal: true, dropout: drop(0.5) }],
      ['p 0.1, causal with tq > tk: the first rows attend nothing', dims(1, 2, 70, 3, 8), { ...noMask, causal: true, dropout: drop(0.1) }],
      ['p 0.3, key padding + causal, an all-padding batch entry', dims(3, 2, 45, 45, 16),
        { ...noMask, causal: true, keyPadding: padded(3, 45, [33, 0, 45]), dropout: drop(0.3, [7, 0]) }],
      ['p 0.2, float mask with a fully masked row, odd sizes', dims(2, 3, 17, 21, 8), {
        ...noMask, maskStrides: [17 * 21, 0, 21, 1], dropout: drop(0.2, [0, 0xffffffff]),
        mask: Float32Array.from({ length: 2 * 17 * 21 }, (_, i) => (i % 5 === 0 || Math.floor(i / 21) === 3 ? -Infinity : Math.sin(i))),
      }],
      ['p 1: nothing kept, all zero', dims(1, 2, 9, 9, 8), { ...noMask, causal: true, dropout: drop(1) }],
    ];
    for (const [name, d, m] of cases) it(`matches the float64 reference with the same mask: ${name}`, () => { check(d, m); });

    it('gives the same bits on 1 and 2 threads and any head grouping; the mask does not depend on the tiling', () => {
      const d = dims(3, 4, 45, 45, 16);
      const m = { ...noMask, causal: true, dropout: drop(0.25) };
      const p = problem(d);
      const previous = getMatmulThreads();
      setMatmulThreads(1);
      const one = wasm(d, p, m, 0.25);
      setMatmulThreads(2);
      tuneAttention({ threadMinFlops: 0 });
      const two = wasm(d, p, m, 0.25);
      tuneAttention({ groupBytes: 1 });
      const grouped = wasm(d, p, m, 0.25);
      tuneAttention({ reset: true, tiling: { br: 8, bc: 16 } });
      const tiled = wasm(d, p, m, 0.25);
      setMatmulThreads(previous);
      for (const key of ['out', 'lse', 'dq', 'dk', 'dv'] as const) {
        expect(two[key]).toEqual(one[key]);
        expect(grouped[key]).toEqual(one[key]);
        expectClose(tiled[key], one[key], { atol: 1e-5, rtol: 1e-4 });
      }
    });

    it('with p = 0 gives exactly the result without dropout', () => {
      const d = dims(2, 2, 19, 23, 16);
      const p = problem(d);
      const m = { ...noMask, causal: true };
      const without = wasm(d, p, m, 0.25);
      const zero = wasm(d, p, { ...m, dropout: drop(0) }, 0.25);
      for (const key of ['out', 'lse', 'dq', 'dk', 'dv'] as const) expect(zero[key]).toEqual(without[key]);
    });

    it('changes the output with the seed, and keeps the undropped log-sum-exp', () => {
      const d = dims(1, 2, 16, 16, 8);
      const p = problem(d);
      const a = wasm(d, p, { ...noMask, dropout: drop(0.5, [1, 2]) }, 0.3);
      const b = wasm(d, p, { ...noMask, dropout: drop(0.5, [1, 3]) }, 0.3);
      const none = wasm(d, p, noMask, 0.3);
      expect(a.out).not.toEqual(b.out);
      expect(a.lse).toEqual(none.lse);
    });
  });
});

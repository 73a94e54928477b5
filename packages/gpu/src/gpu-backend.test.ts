// Per-call fallback reasons, kernel caching per shape signature, disposal, and the mode probe.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GPU } from 'gpu.js';
import { cpuBackend, type AttentionDims, type AttentionMasking } from '@gloss/tensor';
import { createGpuBackend, gpuModesAvailable } from './index.js';

const noMask: AttentionMasking = { causal: false, keyPadding: null, mask: null, maskStrides: [0, 0, 0, 0] };
const dims = (tq: number, tk: number, headDim = 4, batch = 1, heads = 2): AttentionDims => ({ batch, heads, tq, tk, headDim });

function forwardArgs(d: AttentionDims, Ctor: Float32ArrayConstructor | Float64ArrayConstructor = Float32Array) {
  const fill = (n: number): Float32Array | Float64Array => {
    const x = new Ctor(n);
    for (let i = 0; i < n; i++) x[i] = Math.sin(i * 1.7);
    return x;
  };
  const bh = d.batch * d.heads;
  return {
    q: fill(bh * d.tq * d.headDim), k: fill(bh * d.tk * d.headDim), v: fill(bh * d.tk * d.headDim),
    out: new Ctor(bh * d.tq * d.headDim), lse: new Ctor(bh * d.tq),
  };
}

afterEach(() => vi.restoreAllMocks());

describe('fallback to cpuBackend', () => {
  it('float64 inputs run the reference and say why', async () => {
    const backend = createGpuBackend({ mode: 'webasm' });
    const d = dims(3, 4);
    const a = forwardArgs(d, Float64Array);
    backend.attentionForward(a.q, a.k, a.v, d, 0.5, noMask, a.out, a.lse);
    expect(backend.lastFallbackReason).toMatch(/q is Float64Array.*float32 only/);
    const b = forwardArgs(d, Float64Array);
    cpuBackend.attentionForward(b.q, b.k, b.v, d, 0.5, noMask, b.out, b.lse);
    expect(a.out).toEqual(b.out);
    expect(backend.stats).toMatchObject({ fastPath: 0, fallbacks: 1, signaturesCompiled: 0 });
    await backend.dispose();
  });

  it('sizes over the limits fall back; the next small call runs the kernels again', async () => {
    const backend = createGpuBackend({ mode: 'webasm', maxScores: 64 });
    const big = dims(9, 8, 2);
    const a = forwardArgs(big);
    backend.attentionForward(a.q, a.k, a.v, big, 1, noMask, a.out, a.lse);
    expect(backend.lastFallbackReason).toBe('tq·tk = 72 scores per head exceed the workspace limit 64');
    const long = dims(2049, 1, 1, 1, 1);
    const l = forwardArgs(long);
    backend.attentionForward(l.q, l.k, l.v, long, 1, noMask, l.out, l.lse);
    expect(backend.lastFallbackReason).toMatch(/tq 2049 .* over the gpu.js kernels' limit 2048/);
    const small = dims(4, 4);
    const s = forwardArgs(small);
    backend.attentionForward(s.q, s.k, s.v, small, 1, noMask, s.out, s.lse);
    expect(backend.lastFallbackReason).toBeNull();
    await backend.dispose();
  });

  it('a mask with negative strides is not handled by the kernels', async () => {
    const backend = createGpuBackend({ mode: 'cpu' });
    const d = dims(2, 3, 2, 1, 1);
    const a = forwardArgs(d);
    const mask = new Uint8Array(6).fill(1);
    backend.attentionForward(a.q, a.k, a.v, d, 1, { ...noMask, mask, maskStrides: [0, 0, -3, 1] }, a.out, a.lse);
    expect(backend.lastFallbackReason).toMatch(/mask strides \[0, 0, -3, 1\] must be non-negative/);
    await backend.dispose();
  });

  it('attention dropout runs on cpuBackend (same mask and result) and says why', async () => {
    const backend = createGpuBackend({ mode: 'cpu' });
    const d = dims(5, 5, 4);
    const dropping: AttentionMasking = { ...noMask, causal: true, dropout: { p: 0.3, seed: [9, 10] } };
    const a = forwardArgs(d);
    backend.attentionForward(a.q, a.k, a.v, d, 0.5, dropping, a.out, a.lse);
    expect(backend.lastFallbackReason).toBe('attention dropout (p = 0.3) is not in the gpu.js kernels (its hash needs 32-bit integer ops); cpuBackend applies it');
    const b = forwardArgs(d);
    cpuBackend.attentionForward(b.q, b.k, b.v, d, 0.5, dropping, b.out, b.lse);
    expect(a.out).toEqual(b.out);
    expect(backend.stats).toMatchObject({ fastPath: 0, fallbacks: 1, signaturesCompiled: 0 });
    await backend.dispose();
  });

  it('sliding-window attention falls back to cpuBackend (which skips the tiles outside the band), saying why', async () => {
    const backend = createGpuBackend({ mode: 'cpu' });
    const d = dims(9, 9, 8);
    const windowed: AttentionMasking = { ...noMask, causal: true, window: { before: 2, after: 0, globalTokens: 1 } };
    const a = forwardArgs(d);
    backend.attentionForward(a.q, a.k, a.v, d, 0.5, windowed, a.out, a.lse);
    expect(backend.lastFallbackReason).toMatch(/sliding-window attention is not in the gpu.js kernels/);
    const b = forwardArgs(d);
    cpuBackend.attentionForward(b.q, b.k, b.v, d, 0.5, windowed, b.out, b.lse);
    expect(a.out).toEqual(b.out);
    await backend.dispose();
  });

  it('a kernel compile error falls back, is remembered for that signature, and names the error', async () => {
    const backend = createGpuBackend({ mode: 'webasm' });
    const spy = vi.spyOn(GPU.prototype, 'createKernel').mockImplementation(() => {
      throw new Error('Unexpected expression');
    });
    const d = dims(3, 3);
    const a = forwardArgs(d);
    backend.attentionForward(a.q, a.k, a.v, d, 1, noMask, a.out, a.lse);
    expect(backend.lastFallbackReason).toMatch(/gpu.js kernel failed to compile or run .*Unexpected expression/);
    backend.attentionForward(a.q, a.k, a.v, d, 1, noMask, a.out, a.lse);
    expect(spy).toHaveBeenCalledTimes(1);   // not retried
    expect(backend.stats.fallbacks).toBe(2);
    const ref = forwardArgs(d);
    cpuBackend.attentionForward(ref.q, ref.k, ref.v, d, 1, noMask, ref.out, ref.lse);
    expect(a.out).toEqual(ref.out);
    await backend.dispose();
  });

  it('a disposed backend always falls back', async () => {
    const backend = createGpuBackend({ mode: 'cpu' });
    await backend.dispose();
    const d = dims(2, 2);
    const a = forwardArgs(d);
    backend.attentionForward(a.q, a.k, a.v, d, 1, noMask, a.out, a.lse);
    expect(backend.lastFallbackReason).toBe('the backend was disposed');
  });
});

describe('kernel cache', () => {
  it('compiles once per shape signature and reuses the kernels', async () => {
    const backend = createGpuBackend({ mode: 'webasm' });
    expect(backend.name).toBe('gpu:webasm');
    const d = dims(4, 5);
    const a = forwardArgs(d);
    const spy = vi.spyOn(GPU.prototype, 'createKernel');
    backend.attentionForward(a.q, a.k, a.v, d, 0.5, noMask, a.out, a.lse);
    expect(backend.stats).toMatchObject({ signaturesCompiled: 1, kernelsCompiled: 4 });
    for (let i = 0; i < 3; i++) backend.attentionForward(a.q, a.k, a.v, d, 0.5, noMask, a.out, a.lse);
    expect(spy).toHaveBeenCalledTimes(4);
    // backward reuses scores and probs: 5 more kernels, same signature
    const dq = new Float32Array(a.q.length);
    const dk = new Float32Array(a.k.length);
    const dv = new Float32Array(a.v.length);
    backend.attentionBackward(a.q, a.k, a.v, a.out, a.lse, a.out, d, 0.5, noMask, dq, dk, dv);
    backend.attentionBackward(a.q, a.k, a.v, a.out, a.lse, a.out, d, 0.5, noMask, dq, dk, dv);
    expect(backend.stats).toMatchObject({ signaturesCompiled: 1, kernelsCompiled: 9, fastPath: 6, fallbacks: 0 });
    // a new mask kind is a new signature
    backend.attentionForward(a.q, a.k, a.v, d, 0.5, { ...noMask, causal: true }, a.out, a.lse);
    expect(backend.stats.signaturesCompiled).toBe(2);
    await backend.dispose();
  });

  it('evicts and destroys the least recently used signature', async () => {
    const backend = createGpuBackend({ mode: 'webasm', cacheSize: 1 });
    const create = vi.spyOn(GPU.prototype, 'createKernel');
    const run = (tq: number): void => {
      const d = dims(tq, 3);
      const a = forwardArgs(d);
      backend.attentionForward(a.q, a.k, a.v, d, 1, noMask, a.out, a.lse);
    };
    run(2);
    const first = create.mock.results.map((r) => vi.spyOn(r.value as { destroy(): void }, 'destroy'));
    expect(first).toHaveLength(4);
    run(3);                                        // evicts tq = 2: its 4 kernels destroyed
    for (const d of first) expect(d).toHaveBeenCalledTimes(1);
    run(2);                                        // recompiled
    expect(backend.stats.signaturesCompiled).toBe(3);
    await backend.dispose();
  });
});

describe('gpuModesAvailable', () => {
  it('probes each mode; webasm and cpu run in Node', async () => {
    const modes = await gpuModesAvailable();
    expect(modes.map((m) => m.mode)).toEqual(['headlessgl', 'webgl2', 'webgl', 'webasm', 'cpu']);
    const available = modes.filter((m) => m.available).map((m) => m.mode);
    expect(available).toContain('webasm');
    expect(available).toContain('cpu');
  });
});

describe('attentionForwardAsync / attentionBackwardAsync', () => {
  it('give bit-identical results to the synchronous entries on webasm, through the same kernels', async () => {
    const backend = createGpuBackend({ mode: 'webasm' });
    const d = dims(5, 7, 4, 2, 2);
    const a = forwardArgs(d);
    const b = forwardArgs(d);
    backend.attentionForward(a.q, a.k, a.v, d, 0.5, { ...noMask, causal: true }, a.out, a.lse);
    await backend.attentionForwardAsync(b.q, b.k, b.v, d, 0.5, { ...noMask, causal: true }, b.out, b.lse);
    expect(backend.lastFallbackReason).toBeNull();
    expect(Array.from(b.out)).toEqual(Array.from(a.out));
    expect(Array.from(b.lse)).toEqual(Array.from(a.lse));
    const grads = () => [new Float32Array(a.q.length), new Float32Array(a.k.length), new Float32Array(a.v.length)] as const;
    const [dqA, dkA, dvA] = grads();
    const [dqB, dkB, dvB] = grads();
    backend.attentionBackward(a.q, a.k, a.v, a.out, a.lse, a.out, d, 0.5, { ...noMask, causal: true }, dqA, dkA, dvA);
    await backend.attentionBackwardAsync(b.q, b.k, b.v, b.out, b.lse, b.out, d, 0.5, { ...noMask, causal: true }, dqB, dkB, dvB);
    expect(backend.lastFallbackReason).toBeNull();
    expect([Array.from(dqB), Array.from(dkB), Array.from(dvB)]).toEqual([Array.from(dqA), Array.from(dkA), Array.from(dvA)]);
    expect(backend.stats.fastPath).toBe(4);
    expect(backend.stats.signaturesCompiled).toBe(1);
    await backend.dispose();
  });

  it('fall back to cpuBackend with the same reasons as the synchronous entries', async () => {
    const backend = createGpuBackend({ mode: 'webasm' });
    const d = dims(3, 4);
    const a = forwardArgs(d, Float64Array);
    await backend.attentionForwardAsync(a.q, a.k, a.v, d, 0.5, noMask, a.out, a.lse);
    expect(backend.lastFallbackReason).toMatch(/q is Float64Array: the gpu.js kernels compute in float32 only/);
    const ref = forwardArgs(d, Float64Array);
    cpuBackend.attentionForward(ref.q, ref.k, ref.v, d, 0.5, noMask, ref.out, ref.lse);
    expect(Array.from(a.out)).toEqual(Array.from(ref.out));
    await backend.dispose();
  });
});

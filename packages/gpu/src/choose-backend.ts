// The `auto` backend: measured, not assumed. chooseBackend times a small probe — a causal attention
// forward+backward and a matmul — on cpuBackend and on every gpu.js mode that runs here, checks each
// against the float64 reference, and picks the fastest that matches, recording why the others lost.
// resolveBackend turns a name ('auto', 'cpu', 'reference', 'gpu', a gpu.js mode, or GLOSS_BACKEND)
// into a Backend; the CLI calls it, library users may call setBackend with anything they like.
import { cpuBackend, referenceBackend, ValueError, type AttentionDims, type AttentionMasking, type Backend, type FloatArray } from '@gloss/tensor';
import { createGpuBackend, type GpuBackend, type GpuMode } from './gpu-backend.js';
import { gpuModesAvailable, type GpuModeProbe } from './modes.js';

/** The probe's sizes: attention [batch, heads, seqLen, headDim] (causal) and a square matmul. */
export interface ProbeShape {
  readonly batch: number;
  readonly heads: number;
  readonly seqLen: number;
  readonly headDim: number;
  readonly matmulSize: number;
  /** Timed repetitions per candidate after a warm-up (the median counts). */
  readonly reps: number;
  /** A candidate still timing after this many ms stops early (its median so far counts). */
  readonly budgetMs: number;
}

export const DEFAULT_PROBE: ProbeShape = { batch: 2, heads: 2, seqLen: 64, headDim: 32, matmulSize: 128, reps: 5, budgetMs: 150 };

/** A backend to consider beside cpuBackend and the gpu.js modes (a user's own, or a test's). */
export interface BackendCandidate {
  readonly name: string;
  readonly backend: Backend;
}

export interface ChooseBackendOptions {
  /** gpu.js modes to try (default: every mode gpuModesAvailable() finds here). */
  readonly modes?: readonly GpuModeProbe['mode'][];
  /** Probe sizes (default DEFAULT_PROBE). */
  readonly probe?: Partial<ProbeShape>;
  /** More backends to measure. */
  readonly candidates?: readonly BackendCandidate[];
}

export interface BackendMeasurement {
  readonly name: string;
  /** Ran its own kernels and matched the reference on the probe. */
  readonly ok: boolean;
  /** Median ms of one attention forward+backward on the probe (null if it could not run). */
  readonly attentionMs: number | null;
  /** Median ms of one probe matmul. */
  readonly matmulMs: number | null;
  /** Largest |got − reference| over the probe's outputs and gradients. */
  readonly maxError: number | null;
  /** 'chosen', or why it lost: slower (by how much), a mismatch, a fallback, unavailable. */
  readonly why: string;
}

export interface BackendChoice {
  readonly backend: Backend;
  readonly name: string;
  /** One entry per candidate, the chosen one included; empty when a name forced the choice. */
  readonly measurements: readonly BackendMeasurement[];
  /** Wall ms the choice took (probing included). */
  readonly ms: number;
}

/** Tolerance of the reference check: float32 kernels (and GL's float precision) on O(1) values. */
const ATOL = 1e-4;
const RTOL = 1e-3;

interface ProbeData {
  dims: AttentionDims;
  masking: AttentionMasking;
  scale: number;
  q: Float32Array; k: Float32Array; v: Float32Array; dout: Float32Array;
  a: Float32Array; b: Float32Array;
  /** Reference results in float64: out, lse, dq, dk, dv, then the matmul. */
  want: Float64Array[];
}

function probeData(p: ProbeShape): ProbeData {
  let seed = 7;
  const random = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const dims: AttentionDims = { batch: p.batch, heads: p.heads, tq: p.seqLen, tk: p.seqLen, headDim: p.headDim };
  const n = p.batch * p.heads * p.seqLen * p.headDim;
  const f32 = (len: number): Float32Array => Float32Array.from({ length: len }, random);
  const [q, k, v, dout] = [f32(n), f32(n), f32(n), f32(n)];
  const a = f32(p.matmulSize ** 2);
  const b = f32(p.matmulSize ** 2);
  const masking: AttentionMasking = { causal: true, keyPadding: null, mask: null, maskStrides: [0, 0, 0, 0] };
  const scale = 1 / Math.sqrt(p.headDim);
  const f64 = (x: Float32Array): Float64Array => Float64Array.from(x);
  const want = runProbe(referenceBackend, { dims, masking, scale, q: f64(q), k: f64(k), v: f64(v), dout: f64(dout), a: f64(a), b: f64(b) }, p.matmulSize);
  return { dims, masking, scale, q, k, v, dout, a, b, want: want as Float64Array[] };
}

interface ProbeInputs { dims: AttentionDims; masking: AttentionMasking; scale: number; q: FloatArray; k: FloatArray; v: FloatArray; dout: FloatArray; a: FloatArray; b: FloatArray }

/** One forward+backward and one matmul on `backend`; returns [out, lse, dq, dk, dv, c]. */
function runProbe(backend: Backend, x: ProbeInputs, size: number): FloatArray[] {
  const Ctor = x.q.constructor as new (n: number) => FloatArray;
  const { dims, masking, scale } = x;
  const out = new Ctor(x.q.length);
  const lse = new Ctor(dims.batch * dims.heads * dims.tq);
  const [dq, dk, dv] = [new Ctor(x.q.length), new Ctor(x.k.length), new Ctor(x.v.length)];
  backend.attentionForward(x.q, x.k, x.v, dims, scale, masking, out, lse);
  backend.attentionBackward(x.q, x.k, x.v, out, lse, x.dout, dims, scale, masking, dq, dk, dv);
  const c = new Ctor(size * size);
  backend.matmul(x.a, x.b, c, size, size, size, false, false, Int32Array.of(0), Int32Array.of(0));
  return [out, lse, dq, dk, dv, c];
}

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)];
}

/** Times, checks and describes one candidate. */
function measure(name: string, backend: Backend, data: ProbeData, p: ProbeShape): BackendMeasurement {
  const gpu = 'stats' in backend ? backend as GpuBackend : null;
  const fallbacksBefore = gpu?.stats.fallbacks ?? 0;
  let got: FloatArray[];
  try {
    got = runProbe(backend, data, p.matmulSize);   // warm-up: compiles kernels, grows memory
  } catch (e) {
    return { name, ok: false, attentionMs: null, matmulMs: null, maxError: null, why: `failed on the probe: ${(e as Error).message}` };
  }
  const reason = gpu !== null && gpu.stats.fallbacks > fallbacksBefore ? gpu.lastFallbackReason ?? 'a kernel call fell back' : null;
  let maxError = 0;
  let mismatch: string | null = null;
  const labels = ['out', 'lse', 'dq', 'dk', 'dv', 'matmul'];
  got.forEach((g, o) => {
    const w = data.want[o];
    for (let i = 0; i < w.length; i++) {
      const err = Math.abs(g[i] - w[i]);
      const bad = !Number.isFinite(w[i]) ? g[i] !== w[i] : !(err <= ATOL + RTOL * Math.abs(w[i]));
      if (Number.isFinite(w[i])) maxError = Math.max(maxError, Number.isNaN(err) ? Infinity : err);
      if (bad && mismatch === null) mismatch = `${labels[o]}[${i}] is ${g[i]}, the reference ${w[i]}`;
    }
  });
  const attention: number[] = [];
  const matmul: number[] = [];
  const { dims, masking, scale } = data;
  const n = data.q.length;
  const out = new Float32Array(n);
  const lse = new Float32Array(dims.batch * dims.heads * dims.tq);
  const [dq, dk, dv] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const c = new Float32Array(p.matmulSize ** 2);
  const zero = Int32Array.of(0);
  const start = performance.now();
  for (let r = 0; r < p.reps && (r < 2 || performance.now() - start < p.budgetMs); r++) {
    let t = performance.now();
    backend.attentionForward(data.q, data.k, data.v, dims, scale, masking, out, lse);
    backend.attentionBackward(data.q, data.k, data.v, out, lse, data.dout, dims, scale, masking, dq, dk, dv);
    attention.push(performance.now() - t);
    t = performance.now();
    backend.matmul(data.a, data.b, c, p.matmulSize, p.matmulSize, p.matmulSize, false, false, zero, zero);
    matmul.push(performance.now() - t);
  }
  const base = { name, attentionMs: median(attention), matmulMs: median(matmul), maxError };
  if (reason !== null) return { ...base, ok: false, why: `fell back to cpuBackend: ${reason}` };
  if (mismatch !== null) return { ...base, ok: false, why: `does not match the reference (tolerance ${ATOL} + ${RTOL}·|x|): ${mismatch}` };
  return { ...base, ok: true, why: '' };
}

/** gpu.js mode → the GpuBackend mode that asks for exactly it. */
const gpuName = (mode: string): string => `gpu:${mode}`;

/**
 * Measures cpuBackend and each gpu.js mode that runs here on a small probe and returns the fastest
 * that matches the reference, with every measurement and why the others lost. Backends that lose
 * are disposed. Takes about half a second on a 2-core machine.
 * @example
 * const { backend, name, measurements } = await chooseBackend();
 * setBackend(backend);
 * console.table(measurements);
 */
export async function chooseBackend(options: ChooseBackendOptions = {}): Promise<BackendChoice> {
  const t0 = performance.now();
  const p: ProbeShape = { ...DEFAULT_PROBE, ...options.probe };
  const data = probeData(p);
  const probes = await gpuModesAvailable();
  const wanted = options.modes ?? probes.map((m) => m.mode);
  const results: { m: BackendMeasurement; backend: Backend }[] = [];
  results.push({ m: measure('cpu', cpuBackend, data, p), backend: cpuBackend });
  for (const mode of wanted) {
    const probe = probes.find((x) => x.mode === mode);
    if (!probe?.available) {
      const m = { name: gpuName(mode), ok: false, attentionMs: null, matmulMs: null, maxError: null,
        why: `unavailable here: ${probe?.detail ?? 'not a gpu.js mode'}` };
      results.push({ m, backend: cpuBackend });
      continue;
    }
    const backend = createGpuBackend({ mode: mode as GpuMode });
    results.push({ m: measure(gpuName(mode), backend, data, p), backend });
  }
  for (const c of options.candidates ?? []) results.push({ m: measure(c.name, c.backend, data, p), backend: c.backend });

  const score = (m: BackendMeasurement): number => (m.attentionMs ?? Infinity) + (m.matmulMs ?? Infinity);
  const ok = results.filter((r) => r.m.ok).sort((x, y) => score(x.m) - score(y.m));
  const best = ok[0] ?? results[0];   // cpuBackend if nothing passed (it is the reference's fast twin)
  const measurements = results.map(({ m }) => {
    if (m === best.m) return { ...m, why: ok.length > 0 ? 'chosen: fastest that matches the reference' : 'chosen: nothing else matched' };
    if (!m.ok) return m;
    const ratio = score(m) / score(best.m);
    return { ...m, why: `slower: ${score(m).toFixed(2)} ms vs ${score(best.m).toFixed(2)} ms for ${best.m.name} (${ratio.toFixed(1)}×)` };
  });
  for (const r of results) {
    if (r.backend !== best.backend && 'dispose' in r.backend) await (r.backend as GpuBackend).dispose();
  }
  return { backend: best.backend, name: best.m.name, measurements, ms: performance.now() - t0 };
}

/** Names resolveBackend takes (gpu.js modes also as `gpu:<mode>`, which is how `gpu:cpu` names gpu.js's JavaScript mode). */
export const BACKEND_NAMES = ['auto', 'cpu', 'reference', 'gpu', 'webasm', 'headlessgl', 'webgl2', 'webgl', 'gpu:cpu'] as const;
const GPU_MODES = ['gpu', 'webasm', 'headlessgl', 'webgl2', 'webgl', 'cpu'] as const;

/**
 * The backend a name asks for: 'auto' measures (chooseBackend), 'cpu' is cpuBackend, 'reference' the
 * plain TypeScript reference, 'gpu' gpu.js's own GPU chain, 'webasm' | 'headlessgl' | 'webgl2' | 'webgl'
 * (or `gpu:<mode>`) that gpu.js mode — refused with the probe's reason when it does not run here.
 * With no name or 'auto', the GLOSS_BACKEND environment variable, when set, names the backend instead.
 * @example
 * const { backend, name } = await resolveBackend(process.argv.includes('--cpu') ? 'cpu' : 'auto');
 * setBackend(backend);
 */
export async function resolveBackend(name: string = 'auto', options: ChooseBackendOptions = {}): Promise<BackendChoice> {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.GLOSS_BACKEND;
  const fromEnv = name === 'auto' && env !== undefined && env !== '';
  const requested = (fromEnv ? env : name).trim().toLowerCase();
  const source = fromEnv ? ` (from GLOSS_BACKEND)` : '';
  const t0 = performance.now();
  const forced = (backend: Backend, n: string): BackendChoice => ({ backend, name: n, measurements: [], ms: performance.now() - t0 });
  if (requested === 'auto') return chooseBackend(options);
  if (requested === 'cpu') return forced(cpuBackend, 'cpu');
  if (requested === 'reference') return forced(referenceBackend, 'reference');
  const mode = requested.startsWith('gpu:') ? requested.slice(4) : requested;
  if (!(GPU_MODES as readonly string[]).includes(mode)) {
    throw new ValueError('resolveBackend', `unknown backend '${name === 'auto' ? env : name}'${source}; valid: ${BACKEND_NAMES.join(', ')}`);
  }
  const probes = await gpuModesAvailable();
  const runs = mode === 'gpu'
    ? probes.filter((x) => x.available && x.mode !== 'cpu')
    : probes.filter((x) => x.available && x.mode === mode);
  if (runs.length === 0) {
    const detail = probes.filter((x) => mode === 'gpu' ? x.mode !== 'cpu' : x.mode === mode).map((x) => `${x.mode}: ${x.detail}`).join('; ');
    throw new ValueError('resolveBackend', `backend '${requested}'${source} does not run here (${detail})`);
  }
  return forced(createGpuBackend({ mode: mode as GpuMode }), gpuName(mode));
}

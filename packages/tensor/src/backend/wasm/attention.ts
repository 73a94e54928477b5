// Fused float32 attention on the generated WebAssembly SIMD kernels (attention-module.ts), same
// contract as Backend.attentionForward / attentionBackward: lays q, k, v (and out, dout, lse for the
// backward) out in the kernels' memory a group of heads at a time, turns the masks into additive
// float biases, runs the job over the thread pool, copies the results back. Each entry returns null
// when it ran, or why it could not (the caller then runs the TypeScript path).
import type { FloatArray } from '../../dtype.js';
import { dropoutKeepScale, dropoutThreshold } from '../cpu/attention-dropout.js';
import type { AttentionDims, AttentionMasking } from '../types.js';
import { Att, JobKind } from './attention-module.js';
import { Ctrl } from './gemm-module.js';
import { align, ensureBytes, getRuntime, kernelThreads, runJob, slotsFor, type Runtime } from './runtime.js';

/** Query rows per block and keys per tile. */
export interface AttentionTiling { br: number; bc: number }
/**
 * Measured on a 2-core Zen 4 (single thread, B=32 H=4 Dh=32 causal, T = 128…1024): the forward gains
 * ~4% from wider key tiles (fewer online-softmax rescales); the backward's five products prefer 64.
 */
const DEFAULT_TILINGS = { forward: { br: 32, bc: 128 }, backward: { br: 32, bc: 64 } };
let tilings: { forward: AttentionTiling; backward: AttentionTiling } = DEFAULT_TILINGS;
/** Heads per group: the group's arrays stay under this many bytes of kernel memory. */
const DEFAULT_GROUP_BYTES = 32 << 20;
let groupBytes = DEFAULT_GROUP_BYTES;
/** Below this many flops a call runs on the calling thread only. */
const DEFAULT_THREAD_MIN_FLOPS = 1e6;
let threadMinFlops = DEFAULT_THREAD_MIN_FLOPS;
/** Chunks per thread: heads are uniform work, so more chunks mostly buy balance on a busy machine. */
const CHUNKS_PER_THREAD = 8;
/** Largest headDim the kernels take (their scratch is per head; bigger ones run the TypeScript path). */
const MAX_HEAD_DIM = 1024;

/**
 * Tuning hook for benches and tests (not part of the Backend contract): `tiling` sets both passes,
 * `forward` / `backward` one; `reset` restores every default first.
 */
export function tuneAttention(options: { tiling?: Partial<AttentionTiling>; forward?: Partial<AttentionTiling>;
  backward?: Partial<AttentionTiling>; groupBytes?: number; threadMinFlops?: number; reset?: boolean }): void {
  if (options.reset) { tilings = DEFAULT_TILINGS; groupBytes = DEFAULT_GROUP_BYTES; threadMinFlops = DEFAULT_THREAD_MIN_FLOPS; }
  const forward = { ...tilings.forward, ...options.tiling, ...options.forward };
  const backward = { ...tilings.backward, ...options.tiling, ...options.backward };
  tilings = { forward, backward };
  if (options.groupBytes !== undefined) groupBytes = options.groupBytes;
  if (options.threadMinFlops !== undefined) threadMinFlops = options.threadMinFlops;
}

/** Why the kernels can't take this call, or null when they can. */
function whyNot(rt: Runtime | null, dims: AttentionDims, masking: AttentionMasking, arrays: FloatArray[]): string | null {
  if (rt === null) return 'WebAssembly SIMD is unavailable here';
  if (arrays.some((a) => !(a instanceof Float32Array))) return 'float64 runs the TypeScript path (the kernels compute in float32)';
  const { batch, heads, tq, tk, headDim } = dims;
  if (batch * heads * tq * tk * headDim === 0) return 'empty attention (a zero dimension)';
  if (headDim % 4 !== 0 || headDim > MAX_HEAD_DIM) return `headDim ${headDim} is not a multiple of 4 up to ${MAX_HEAD_DIM}`;
  const blocks = masking.blockLayout ?? null;
  if (blocks && masking.window) return 'a block layout together with a window (the kernels take one or the other)';
  if (blocks && (blocks.blockSize % 16 !== 0 || blocks.blockSize > 256)) {
    return `block size ${blocks.blockSize} is not a multiple of 16 up to 256 (the kernels' tiles are the layout's blocks)`;
  }
  if (masking.mask !== null && masking.maskStrides.some((s) => s < 0 || !Number.isInteger(s))) {
    return `mask strides [${masking.maskStrides.join(', ')}] are not non-negative integers`;
  }
  return null;
}

interface MaskBias { data: Float32Array; s0: number; s1: number; s2: number }

/**
 * The attn mask as an additive float32 bias read at b·s0 + h·s1 + i·s2 + j (bool: 0 or −∞). A float32
 * mask with unit key stride is used as it is; any other is re-laid out with its broadcast axes kept.
 */
function maskBias(masking: AttentionMasking, dims: AttentionDims): MaskBias | null {
  const { mask, maskStrides: [s0, s1, s2, s3] } = masking;
  if (mask === null) return null;
  if (mask instanceof Float32Array && s3 === 1) return { data: mask, s0, s1, s2 };
  const eb = s0 ? dims.batch : 1;
  const eh = s1 ? dims.heads : 1;
  const ei = s2 ? dims.tq : 1;
  const tk = dims.tk;
  const data = new Float32Array(eb * eh * ei * tk);
  const bool = mask instanceof Uint8Array;
  let o = 0;
  for (let b = 0; b < eb; b++) {
    for (let h = 0; h < eh; h++) {
      for (let i = 0; i < ei; i++) {
        const row = b * s0 + h * s1 + i * s2;
        for (let j = 0; j < tk; j++) {
          const m = mask[row + j * s3];
          data[o++] = bool ? (m !== 0 ? 0 : -Infinity) : m;
        }
      }
    }
  }
  return { data, s0: eb > 1 ? eh * ei * tk : 0, s1: eh > 1 ? ei * tk : 0, s2: ei > 1 ? tk : 0 };
}

/** Key padding as an additive bias [batch, tk] (−∞ at padding) and, per batch, 1 + the last unpadded key. */
function paddingBias(keyPadding: Uint8Array, batch: number, tk: number): { bias: Float32Array; effTk: Int32Array } {
  const bias = new Float32Array(batch * tk);
  const effTk = new Int32Array(batch);
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < tk; j++) {
      if (keyPadding[b * tk + j] !== 0) bias[b * tk + j] = -Infinity;
      else effTk[b] = j + 1;
    }
  }
  return { bias, effTk };
}

/** Where a job's pieces sit in kernel memory (bytes) and how heads are grouped. */
interface Layout { t: number; slots: number; groupHeads: number; regions: Record<string, number>; end: number; tiling: AttentionTiling }

/** Float counts per head of each per-group array, in order. */
type PerHead = [name: keyof typeof Att, floats: number][];

function plan(rt: Runtime, dims: AttentionDims, perHead: PerHead, flops: number, statics: [string, number][], withVt: boolean,
  tiling: AttentionTiling): Layout | string {
  const { tq, tk, headDim: dh } = dims;
  const bh = dims.batch * dims.heads;
  const t = flops >= threadMinFlops ? kernelThreads() : 1;
  const slots = slotsFor(rt, t);
  const tkp = align(tk, 16);
  const { br, bc } = tiling;
  const kt = align(dh * tkp * 4, 64);
  const slotBytes = kt * (withVt ? 2 : 1) + 2 * align(br * bc * 4, 64) + align(br * 4, 64);
  const regions: Record<string, number> = {};
  let at = Ctrl.BYTES + slots * slotBytes;
  for (const [name, floats] of statics) { regions[name] = at; at = align(at + 4 * floats, 64); }
  const headBytes = perHead.reduce((s, [, n]) => s + 4 * n + 64, 0);
  // Heads per group: within groupBytes, a multiple of the thread count when that leaves a head per thread.
  const fit = Math.max(1, Math.floor(groupBytes / headBytes));
  const groupHeads = Math.min(bh, fit >= t ? fit - (fit % t) : fit);
  for (const [name, floats] of perHead) { regions[name] = at; at = align(at + 4 * floats * groupHeads, 64); }
  // The kernels address memory with signed 32-bit arithmetic.
  if (at >= 2 ** 31) return `needs ${at} bytes of kernel memory for one head group, over 2 GB`;
  regions.SLOT_BASE = Ctrl.BYTES;
  regions.SLOT_BYTES = slotBytes;
  regions.TKP = tkp;
  regions.SLOT_KT = 0;
  regions.SLOT_VT = withVt ? kt : 0;
  regions.SLOT_S = kt * (withVt ? 2 : 1);
  regions.SLOT_DP = regions.SLOT_S + align(br * bc * 4, 64);
  regions.SLOT_D = regions.SLOT_DP + align(br * bc * 4, 64);
  return { t, slots, groupHeads, regions, end: at, tiling };
}

/** Writes the header words shared by forward and backward, and the masks, into kernel memory. */
function writeHeader(rt: Runtime, dims: AttentionDims, scale: number, masking: AttentionMasking, layout: Layout,
  pad: { bias: Float32Array; effTk: Int32Array } | null, mask: MaskBias | null): void {
  const { heapI32: w, heapF32 } = rt;
  const r = layout.regions;
  for (const name of ['Q', 'K', 'V', 'O', 'DO', 'DQ', 'DK', 'DV', 'STAT_M', 'STAT_L'] as const) w[Att[name]] = r[name] ?? 0;
  for (const name of ['SLOT_BASE', 'SLOT_BYTES', 'TKP', 'SLOT_KT', 'SLOT_VT', 'SLOT_S', 'SLOT_DP', 'SLOT_D'] as const) w[Att[name]] = r[name];
  w[Att.HEADS] = dims.heads;
  w[Att.TQ] = dims.tq;
  w[Att.TK] = dims.tk;
  w[Att.DH] = dims.headDim;
  w[Att.CAUSAL] = masking.causal ? 1 : 0;
  w[Att.SHIFT] = dims.tk - dims.tq;
  heapF32[Att.SCALE] = scale;
  heapF32[Att.SCALE2] = scale * Math.LOG2E;
  w[Att.BR] = layout.tiling.br;
  w[Att.BC] = layout.tiling.bc;
  w[Att.PAD] = pad ? r.PAD : 0;
  w[Att.EFF_TK] = pad ? r.EFF_TK : 0;
  if (pad) {
    heapF32.set(pad.bias, r.PAD / 4);
    w.set(pad.effTk, r.EFF_TK / 4);
  }
  w[Att.MASK] = mask ? r.MASK : 0;
  w[Att.MS0] = mask?.s0 ?? 0;
  w[Att.MS1] = mask?.s1 ?? 0;
  w[Att.MS2] = mask?.s2 ?? 0;
  if (mask) heapF32.set(mask.data, r.MASK / 4);
  const drop = masking.dropout ?? null;
  w[Att.DROP] = drop ? 1 : 0;
  w[Att.DROP_SEED0] = drop ? drop.seed[0] | 0 : 0;
  w[Att.DROP_SEED1] = drop ? drop.seed[1] | 0 : 0;
  w[Att.DROP_THRESHOLD] = drop ? dropoutThreshold(drop.p) | 0 : 0;
  heapF32[Att.DROP_SCALE] = drop ? dropoutKeepScale(drop.p) : 1;
  const win = masking.window ?? null;
  w[Att.WIN] = win ? 1 : 0;
  // Clamped so the kernels' signed 32-bit position arithmetic cannot overflow (2^30 keys is past any kernel memory).
  w[Att.WIN_BEFORE] = Math.min(win?.before ?? 0, 2 ** 30);
  w[Att.WIN_AFTER] = Math.min(win?.after ?? 0, 2 ** 30);
  w[Att.WIN_GLOBAL] = Math.min(win?.globalTokens ?? 0, 2 ** 30);
  const blocks = masking.blockLayout ?? null;
  w[Att.LAYOUT] = blocks ? r.LAYOUT : 0;
  w[Att.LAYOUT_NKB] = blocks?.numKeyBlocks ?? 0;
  if (blocks) w.set(blocks.layout, r.LAYOUT / 4);   // one Int32 cell per block pair
}

/** Chunk table for heads [0, g): head ranges, or (head, query range) pairs when heads are few and splitQueries. */
function writeChunks(rt: Runtime, t: number, g: number, tq: number, splitQueries: boolean, br: number): number {
  const heap = rt.heapI32;
  let count = 0;
  const put = (bh0: number, bh1: number, q0: number, q1: number): void => {
    heap.set([bh0, bh1, q0, q1, 0, 0], Ctrl.CHUNKS + Ctrl.CHUNK_WORDS * count++);
  };
  const target = t === 1 ? 1 : Math.min(Ctrl.MAX_CHUNKS, t * CHUNKS_PER_THREAD);
  if (g >= target || !splitQueries) {
    const n = Math.min(g, target);
    for (let c = 0; c < n; c++) put(Math.floor(c * g / n), Math.floor((c + 1) * g / n), 0, tq);
    return count;
  }
  const blocks = Math.ceil(tq / br);
  const parts = Math.min(blocks, Math.max(1, Math.floor(target / g)));
  for (let h = 0; h < g; h++) {
    for (let c = 0; c < parts; c++) {
      const lo = Math.floor(c * blocks / parts) * br;
      const hi = Math.min(tq, Math.floor((c + 1) * blocks / parts) * br);
      put(h, h + 1, lo, hi);
    }
  }
  return count;
}

function staticsFor(dims: AttentionDims, pad: unknown, mask: MaskBias | null, masking: AttentionMasking): [string, number][] {
  const s: [string, number][] = [];
  if (masking.blockLayout) s.push(['LAYOUT', masking.blockLayout.layout.length]);
  if (pad) s.push(['EFF_TK', dims.batch], ['PAD', dims.batch * dims.tk + 16]);
  if (mask) s.push(['MASK', mask.data.length + 16]);
  return s;
}

/**
 * What forward and backward share before their head-group loop: the mask and padding biases, the memory plan
 * (`flopsPerMac` flops per q·k·d product, halved for causal), and the header. The plan, or why it can't run.
 */
function setUp(rt: Runtime, dims: AttentionDims, scale: number, masking: AttentionMasking, perHead: PerHead,
  flopsPerMac: number, backward: boolean): Layout | string {
  const { batch, heads, tq, tk, headDim } = dims;
  const pad = masking.keyPadding ? paddingBias(masking.keyPadding, batch, tk) : null;
  const mask = maskBias(masking, dims);
  const win = masking.window ?? null;
  const blocks = masking.blockLayout ?? null;
  const band = win ? Math.min(1, (win.before + win.after + 1 + win.globalTokens) / tk)
    : blocks ? blocks.layout.reduce((n, c) => n + (c ? 1 : 0), 0) / Math.max(1, blocks.layout.length) : 1;
  const flops = flopsPerMac * batch * heads * tq * tk * headDim * (masking.causal ? 0.5 : 1) * band;
  // A block layout fixes the tiles: one per block pair, so a tile is on or off as a whole.
  const tiling = blocks ? { br: blocks.blockSize, bc: blocks.blockSize } : backward ? tilings.backward : tilings.forward;
  const layout = plan(rt, dims, perHead, flops, staticsFor(dims, pad, mask, masking), backward, tiling);
  if (typeof layout === 'string') return layout;
  ensureBytes(rt, layout.end);
  writeHeader(rt, dims, scale, masking, layout, pad, mask);
  return layout;
}

/** Forward on the kernels; null when it ran, else why not (nothing written). */
export function attentionForwardF32(q: FloatArray, k: FloatArray, v: FloatArray, dims: AttentionDims, scale: number,
  masking: AttentionMasking, out: FloatArray, lse: FloatArray): string | null {
  const rt = getRuntime();
  const why = whyNot(rt, dims, masking, [q, k, v, out, lse]);
  if (why !== null || rt === null) return why;
  const { batch, heads, tq, tk, headDim: dh } = dims;
  const bh = batch * heads;
  const perHead: PerHead = [['Q', tq * dh], ['K', tk * dh], ['V', tk * dh], ['O', tq * dh], ['STAT_M', tq], ['STAT_L', tq]];
  const layout = setUp(rt, dims, scale, masking, perHead, 4, false);
  if (typeof layout === 'string') return layout;
  const r = layout.regions;
  for (let g0 = 0; g0 < bh; g0 += layout.groupHeads) {
    const g = Math.min(layout.groupHeads, bh - g0);
    const heap = rt.heapF32;
    heap.set(q.subarray(g0 * tq * dh, (g0 + g) * tq * dh), r.Q / 4);
    heap.set(k.subarray(g0 * tk * dh, (g0 + g) * tk * dh), r.K / 4);
    heap.set(v.subarray(g0 * tk * dh, (g0 + g) * tk * dh), r.V / 4);
    rt.heapI32[Att.BH_BASE] = g0;
    const chunks = writeChunks(rt, layout.t, g, tq, true, layout.tiling.br);
    runJob(rt, JobKind.ATTENTION_FORWARD, chunks, layout.t);
    out.set(heap.subarray(r.O / 4, r.O / 4 + g * tq * dh), g0 * tq * dh);
    const m = r.STAT_M / 4;
    const l = r.STAT_L / 4;
    for (let row = 0; row < g * tq; row++) {
      const sum = heap[l + row];
      // m is in base 2 (the kernels' scores carry a factor log2(e)): lse = m·ln2 + ln(l).
      lse[g0 * tq + row] = sum === 0 ? -Infinity : heap[m + row] * Math.LN2 + Math.log(sum);
    }
  }
  return null;
}

/** Backward on the kernels; null when it ran, else why not (nothing written). */
export function attentionBackwardF32(q: FloatArray, k: FloatArray, v: FloatArray, out: FloatArray, lse: FloatArray, dout: FloatArray,
  dims: AttentionDims, scale: number, masking: AttentionMasking, dq: FloatArray, dk: FloatArray, dv: FloatArray): string | null {
  const rt = getRuntime();
  const why = whyNot(rt, dims, masking, [q, k, v, out, lse, dout, dq, dk, dv]);
  if (why !== null || rt === null) return why;
  const { batch, heads, tq, tk, headDim: dh } = dims;
  const bh = batch * heads;
  const perHead: PerHead = [['Q', tq * dh], ['K', tk * dh], ['V', tk * dh], ['O', tq * dh], ['DO', tq * dh],
    ['DQ', tq * dh], ['DK', tk * dh], ['DV', tk * dh], ['STAT_M', tq]];
  const layout = setUp(rt, dims, scale, masking, perHead, 10, true);
  if (typeof layout === 'string') return layout;
  const r = layout.regions;
  for (let g0 = 0; g0 < bh; g0 += layout.groupHeads) {
    const g = Math.min(layout.groupHeads, bh - g0);
    const heap = rt.heapF32;
    const qs = [g0 * tq * dh, (g0 + g) * tq * dh] as const;
    const ks = [g0 * tk * dh, (g0 + g) * tk * dh] as const;
    heap.set(q.subarray(...qs), r.Q / 4);
    heap.set(k.subarray(...ks), r.K / 4);
    heap.set(v.subarray(...ks), r.V / 4);
    heap.set(out.subarray(...qs), r.O / 4);
    heap.set(dout.subarray(...qs), r.DO / 4);
    // lse in base 2 for the kernels; −∞ (nothing attended) → +∞, so P = 2^(x − lse) is 0 on the whole row.
    const stat = r.STAT_M / 4;
    for (let row = 0; row < g * tq; row++) {
      const l = lse[g0 * tq + row];
      heap[stat + row] = l === -Infinity ? Infinity : l * Math.LOG2E;
    }
    rt.heapI32[Att.BH_BASE] = g0;
    const chunks = writeChunks(rt, layout.t, g, tq, false, layout.tiling.br);
    runJob(rt, JobKind.ATTENTION_BACKWARD, chunks, layout.t);
    dq.set(heap.subarray(r.DQ / 4, r.DQ / 4 + g * tq * dh), qs[0]);
    dk.set(heap.subarray(r.DK / 4, r.DK / 4 + g * tk * dh), ks[0]);
    dv.set(heap.subarray(r.DV / 4, r.DV / 4 + g * tk * dh), ks[0]);
  }
  return null;
}

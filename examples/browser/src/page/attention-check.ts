// Attention on a backend against the float64 reference (referenceBackend): forward (out, lse) and the three
// gradients, for every mask kind, odd sizes and rows with nothing to attend. Runs in the page; returns plain JSON.
import { referenceBackend, type AttentionDims, type AttentionMasking, type Backend } from '@gloss/tensor';

/** Worst |x − ref| / max(‖ref‖∞, 1e-6) over finite entries, per output; Infinity when an ±∞ or NaN is wrong. */
export interface AttentionErrors {
  readonly name: string;
  readonly out: number;
  readonly lse: number;
  readonly dq: number;
  readonly dk: number;
  readonly dv: number;
  /** Why the backend ran cpuBackend instead, when it did (null: its own kernels ran). */
  readonly fallback: string | null;
}

interface Case {
  readonly name: string;
  readonly dims: AttentionDims;
  readonly masking: (d: AttentionDims, random: () => number) => AttentionMasking;
}

const none = (): AttentionMasking => ({ causal: false, keyPadding: null, mask: null, maskStrides: [0, 0, 0, 0] });
const dims = (batch: number, heads: number, tq: number, tk: number, headDim: number): AttentionDims => ({ batch, heads, tq, tk, headDim });

/** The cases of packages/gpu/src/attention.test.ts, plus a larger odd-sized one (tq 37, tk 29, headDim 13). */
export const ATTENTION_CASES: readonly Case[] = [
  { name: 'no mask', dims: dims(2, 2, 5, 7, 4), masking: none },
  { name: 'causal tq = tk', dims: dims(2, 2, 6, 6, 4), masking: () => ({ ...none(), causal: true }) },
  { name: 'causal tq < tk (bottom-right)', dims: dims(1, 2, 3, 7, 4), masking: () => ({ ...none(), causal: true }) },
  { name: 'causal tq > tk (first rows empty)', dims: dims(1, 2, 6, 4, 3), masking: () => ({ ...none(), causal: true }) },
  {
    name: 'keyPadding, batch 1 all padding', dims: dims(2, 2, 4, 5, 4),
    masking: (d) => {
      const pad = new Uint8Array(d.batch * d.tk);
      pad[3] = 1; pad[4] = 1;                 // batch 0: last two keys are padding
      pad.fill(1, d.tk);                      // batch 1: everything is padding
      return { ...none(), keyPadding: pad };
    },
  },
  {
    name: 'bool mask [batch, 1, tq, tk] broadcast over heads, one empty row', dims: dims(2, 3, 4, 6, 4),
    masking: (d, random) => {
      const m = Uint8Array.from({ length: d.batch * d.tq * d.tk }, () => (random() > -0.2 ? 1 : 0));
      m.fill(0, 2 * d.tk, 3 * d.tk);
      return { ...none(), mask: m, maskStrides: [d.tq * d.tk, 0, d.tk, 1] };
    },
  },
  {
    name: 'float mask [tq, tk] with −∞ and one empty row', dims: dims(2, 2, 5, 6, 4),
    masking: (d, random) => {
      const m = Float32Array.from({ length: d.tq * d.tk }, () => (random() > 0.3 ? -Infinity : random() * 3));
      m.fill(-Infinity, 4 * d.tk, 5 * d.tk);
      return { ...none(), mask: m, maskStrides: [0, 0, d.tk, 1] };
    },
  },
  {
    name: 'causal + keyPadding + float mask', dims: dims(2, 2, 4, 6, 5),
    masking: (d, random) => {
      const pad = new Uint8Array(d.batch * d.tk);
      pad[0] = 1; pad[d.tk + 5] = 1;
      const m = Float64Array.from({ length: d.batch * d.heads * d.tq * d.tk }, () => random());
      return { causal: true, keyPadding: pad, mask: m, maskStrides: [d.heads * d.tq * d.tk, d.tq * d.tk, d.tk, 1] };
    },
  },
  { name: 'odd sizes, causal (tq 37, tk 29, headDim 13)', dims: dims(1, 3, 37, 29, 13), masking: () => ({ ...none(), causal: true }) },
];

/** A seeded LCG in [−0.5, 0.5): the same inputs in every browser and run. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function relError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < expected.length; i++) if (Number.isFinite(expected[i])) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    if (Number.isNaN(actual[i])) return Infinity;
    if (!Number.isFinite(expected[i])) {
      if (actual[i] !== expected[i]) return Infinity;
    } else {
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    }
  }
  return worst / Math.max(scale, 1e-6);
}

/** How a backend's attention is called: the synchronous Backend entries, or the gpu backend's awaited ones. */
export interface AttentionRunner {
  forward(...args: Parameters<Backend['attentionForward']>): void | Promise<void>;
  backward(...args: Parameters<Backend['attentionBackward']>): void | Promise<void>;
  fallback(): string | null;
}

/** Every case on `runner`, each output's error against the float64 reference. */
export async function checkAttention(runner: AttentionRunner, seed = 7): Promise<AttentionErrors[]> {
  const random = lcg(seed);
  const results: AttentionErrors[] = [];
  for (const c of ATTENTION_CASES) {
    const d = c.dims;
    const masking = c.masking(d, random);
    const array = (n: number) => Float32Array.from({ length: n }, () => random() * 2);
    const q = array(d.batch * d.heads * d.tq * d.headDim);
    const k = array(d.batch * d.heads * d.tk * d.headDim);
    const v = array(k.length);
    const dout = array(q.length);
    const scale = 1 / Math.sqrt(d.headDim);
    const f64 = (x: Float32Array) => Float64Array.from(x);
    const ref = { out: new Float64Array(q.length), lse: new Float64Array(d.batch * d.heads * d.tq) };
    referenceBackend.attentionForward(f64(q), f64(k), f64(v), d, scale, masking, ref.out, ref.lse);
    const refGrads = [new Float64Array(q.length), new Float64Array(k.length), new Float64Array(v.length)] as const;
    referenceBackend.attentionBackward(f64(q), f64(k), f64(v), ref.out, ref.lse, f64(dout), d, scale, masking, ...refGrads);

    const out = new Float32Array(q.length).fill(NaN);
    const lse = new Float32Array(d.batch * d.heads * d.tq).fill(NaN);
    await runner.forward(q, k, v, d, scale, masking, out, lse);
    let fallback = runner.fallback();
    const grads = [new Float32Array(q.length).fill(NaN), new Float32Array(k.length).fill(NaN), new Float32Array(v.length).fill(NaN)] as const;
    await runner.backward(q, k, v, out, lse, dout, d, scale, masking, ...grads);
    fallback ??= runner.fallback();
    results.push({
      name: c.name, out: relError(out, ref.out), lse: relError(lse, ref.lse),
      dq: relError(grads[0], refGrads[0]), dk: relError(grads[1], refGrads[1]), dv: relError(grads[2], refGrads[2]), fallback,
    });
  }
  return results;
}

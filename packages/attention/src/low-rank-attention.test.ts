// Linear attention and Linformer against straightforward references written from the papers' equations (plain
// loops in float64), gradcheck, and linear attention's recurrent decoding against recomputation at every step.
import { Generator, Tensor, concat, randn, type FloatDType } from '@gloss/tensor';
import { noGrad, variable, type Variable } from '@gloss/autograd';
import { expectClose, gradcheck } from '@gloss/autograd/testing';
import { describe, expect, it } from 'vitest';
import { KVCache } from './kv-cache.js';
import { eluFeatureMap, favorFeatureMap, linearAttention, orthogonalRandomFeatures, type FeatureMapFn } from './linear-attention.js';
import { paddingMask } from './masks.js';
import { MultiHeadAttention } from './multi-head-attention.js';

const input = (shape: number[], seed: number, dtype: FloatDType = 'float64', scale = 1): Variable =>
  variable(randn(shape, { generator: new Generator(seed), dtype }).mul(scale), { requiresGrad: true });

/**
 * Katharopoulos et al. 2020, eq. (6) and, causal, eq. (9): V'_i = φ(Q_i)ᵀ Σ_j φ(K_j) V_jᵀ / φ(Q_i)ᵀ Σ_j φ(K_j),
 * j over every unpadded key (causal: j ≤ i), for [B, H, T, m] features and [B, H, T, D] values.
 */
function linearReference(phiQ: Tensor, phiK: Tensor, v: Tensor, causal: boolean, padding: Uint8Array | null): Float64Array {
  const [B, H, T, m] = phiQ.shape;
  const S = phiK.shape[2];
  const D = v.shape[3];
  const [fq, fk, vv] = [phiQ.data, phiK.data, v.data];
  const out = new Float64Array(B * H * T * D);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const p = b * H + h;
      for (let i = 0; i < T; i++) {
        let den = 0;
        const num = new Float64Array(D);
        for (let j = 0; j < (causal ? i + 1 : S); j++) {
          if (padding && padding[b * S + j]) continue;
          let w = 0;
          for (let a = 0; a < m; a++) w += fq[(p * T + i) * m + a] * fk[(p * S + j) * m + a];
          den += w;
          for (let c = 0; c < D; c++) num[c] += w * vv[(p * S + j) * D + c];
        }
        for (let c = 0; c < D; c++) out[(p * T + i) * D + c] = den === 0 ? 0 : num[c] / den;
      }
    }
  }
  return out;
}

describe('linearAttention', () => {
  const maps: [string, FeatureMapFn][] = [
    ['elu + 1', eluFeatureMap],
    ['FAVOR+', favorFeatureMap(orthogonalRandomFeatures(12, 4, new Generator(1), 'float64'))],
  ];
  for (const [name, featureMap] of maps) {
    for (const causal of [false, true]) {
      it(`${name}, ${causal ? 'causal (chunks of 4 over T = 13, ragged last chunk)' : 'bidirectional'}: matches the paper's equation, with padding`, () => {
        const [q, k, v] = [input([2, 2, 13, 4], 2), input([2, 2, 13, 4], 3), input([2, 2, 13, 4], 4)];
        const pad = paddingMask([13, 9], 13);
        const got = linearAttention(q, k, v, { causal, keyPaddingMask: pad, featureMap, chunkSize: 4 });
        const want = linearReference(featureMap(q).value, featureMap(k).value, v.value, causal, pad.data as Uint8Array);
        expectClose(got.value, new Tensor(want, got.shape, 'float64'), { atol: 1e-12, rtol: 1e-10 });
      });
    }
    it(`${name}: passes gradcheck, causal over several chunks and bidirectional`, () => {
      const [q, k, v] = [input([1, 2, 7, 4], 5), input([1, 2, 7, 4], 6), input([1, 2, 7, 4], 7)];
      expect(gradcheck((a, b, c) => linearAttention(a, b, c, { causal: true, featureMap, chunkSize: 3 }), [q, k, v])).toBe(true);
      expect(gradcheck((a, b, c) => linearAttention(a, b, c, { featureMap, keyPaddingMask: paddingMask([5], 7) }), [q, k, v])).toBe(true);
    });
  }

  it('the chunk size changes nothing but the rounding', () => {
    const [q, k, v] = [input([1, 1, 50, 8], 8, 'float32'), input([1, 1, 50, 8], 9, 'float32'), input([1, 1, 50, 8], 10, 'float32')];
    const one = linearAttention(q, k, v, { causal: true, chunkSize: 50 }).value;
    for (const chunkSize of [1, 7, 16, 64]) expectClose(linearAttention(q, k, v, { causal: true, chunkSize }).value, one, { atol: 1e-5, rtol: 1e-4 });
  });

  it('FAVOR+ estimates the softmax kernel exp(q·k/√headDim) within 4 standard errors of its iid variance', () => {
    // Per feature, Z = exp(ω·(x + y) − |x|²/2 − |y|²/2) has mean exp(x·y) and relative variance exp(|x + y|²) − 1
    // (Performer, Lemma 2; x, y = q, k · headDim^(−1/4)); orthogonal features only lower it.
    const m = 8192;
    const headDim = 8;
    const favor = favorFeatureMap(orthogonalRandomFeatures(m, headDim, new Generator(11), 'float64'));
    const q = randn([1, 1, 4, headDim], { generator: new Generator(12), dtype: 'float64' }).mul(0.5);
    const k = randn([1, 1, 4, headDim], { generator: new Generator(13), dtype: 'float64' }).mul(0.5);
    const [fq, fk] = [favor(q).value, favor(k).value];
    for (let i = 0; i < 4; i++) {
      let est = 0;
      let dot = 0;
      let sum2 = 0;
      for (let a = 0; a < m; a++) est += fq.data[i * m + a] * fk.data[i * m + a];
      for (let c = 0; c < headDim; c++) {
        dot += q.data[i * headDim + c] * k.data[i * headDim + c];
        sum2 += (q.data[i * headDim + c] + k.data[i * headDim + c]) ** 2 / Math.sqrt(headDim);
      }
      expect(Math.abs(est / Math.exp(dot / Math.sqrt(headDim)) - 1)).toBeLessThan(4 * Math.sqrt((Math.exp(sum2) - 1) / m));
    }
  });

  it('refuses causal attention with tgtLen ≠ srcLen', () => {
    expect(() => linearAttention(input([1, 1, 2, 4], 1), input([1, 1, 3, 4], 2), input([1, 1, 3, 4], 3), { causal: true }))
      .toThrow('causal linear attention needs tgtLen = srcLen');
  });
});

describe("MultiHeadAttention with attentionType 'linear'", () => {
  for (const featureMap of ['elu', 'favor'] as const) {
    it(`${featureMap}: recurrent decoding equals recomputation at every step, and follows a beam reorder`, () => {
      const attn = new MultiHeadAttention({ dModel: 8, numHeads: 2, generator: new Generator(20), attentionType: 'linear', featureMap, randomFeatures: 16 }).eval();
      const x = randn([2, 9, 8], { generator: new Generator(21) });
      noGrad(() => {
        const all = attn.forward(x, x, x, { causal: true }).output.value;
        const cache = new KVCache('self');
        for (let t = 0; t < 9; t++) {
          const xt = x.slice(1, t, t + 1);
          expectClose(attn.forward(xt, xt, xt, { cache }).output.value, all.slice(1, t, t + 1), { atol: 1e-5, rtol: 1e-4 });
        }
        expect(cache.length).toBe(9);
        expect(cache.keyData).toBeNull();                                      // the state, not the keys, is kept
        cache.reorder([1, 1, 0]);
        const next = randn([3, 1, 8], { generator: new Generator(22) });
        const stepped = attn.forward(next, next, next, { cache }).output.value;
        const rows = [1, 1, 0];
        for (let r = 0; r < 3; r++) {
          const history = concat([x.slice(0, rows[r], rows[r] + 1), next.slice(0, r, r + 1)], 1);
          const again = attn.forward(history, history, history, { causal: true }).output.value;   // [1, 10, 8]
          expectClose(stepped.slice(0, r, r + 1), again.slice(1, 9, 10), { atol: 1e-5, rtol: 1e-4 });
        }
      });
    });
  }

  it('decodes with key padding as the full computation does', () => {
    const attn = new MultiHeadAttention({ dModel: 8, numHeads: 2, generator: new Generator(23), attentionType: 'linear' }).eval();
    const x = randn([2, 6, 8], { generator: new Generator(24) });
    const pad = paddingMask([6, 4], 6);
    noGrad(() => {
      const all = attn.forward(x, x, x, { causal: true, keyPaddingMask: pad }).output.value;
      const cache = new KVCache('self');
      for (let t = 0; t < 6; t++) {
        const xt = x.slice(1, t, t + 1);
        const step = attn.forward(xt, xt, xt, { cache, keyPaddingMask: pad.slice(1, 0, t + 1) }).output.value;
        expectClose(step, all.slice(1, t, t + 1), { atol: 1e-5, rtol: 1e-4 });
      }
    });
  });

  it('refuses needWeights and attnMask, naming why', () => {
    const attn = new MultiHeadAttention({ dModel: 8, numHeads: 2, attentionType: 'linear' });
    const x = randn([1, 3, 8], { generator: new Generator(25) });
    expect(() => attn.forward(x, x, x, { needWeights: true })).toThrow('linear attention never forms the weights');
    expect(() => attn.forward(x, x, x, { attnMask: new Tensor(new Uint8Array(9).fill(1), [3, 3], 'bool') })).toThrow('linear attention takes no attnMask');
  });
});

describe("MultiHeadAttention with attentionType 'linformer'", () => {
  /** Wang et al. 2020, eq. (7): head_i = softmax(Q W_q (E K W_k)ᵀ / √d) · F V W_v, padded keys zeroed before E and F. */
  function linformerReference(attn: MultiHeadAttention, x: Tensor, padding: Uint8Array | null): Float64Array {
    const [B, T, dModel] = x.shape;
    const H = attn.numHeads;
    const d = dModel / H;
    const W = attn.inProjWeight.value.data;
    const bias = attn.inProjBias!.value.data;
    const E = attn.linformerE!.value;
    const F = attn.linformerF!.value;
    const [k, n] = E.shape;
    const proj = (b: number, t: number, part: number, c: number): number => {
      let s = bias[part * dModel + c];
      for (let e = 0; e < dModel; e++) s += x.data[(b * T + t) * dModel + e] * W[(part * dModel + c) * dModel + e];
      return s;
    };
    const merged = new Float64Array(B * T * dModel);
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < H; h++) {
        const kp = new Float64Array(k * d);
        const vp = new Float64Array(k * d);
        for (let r = 0; r < k; r++) {
          for (let c = 0; c < d; c++) {
            for (let t = 0; t < T; t++) {
              if (padding && padding[b * T + t]) continue;
              kp[r * d + c] += E.data[r * n + t] * proj(b, t, 1, h * d + c);
              vp[r * d + c] += F.data[r * n + t] * proj(b, t, 2, h * d + c);
            }
          }
        }
        for (let i = 0; i < T; i++) {
          const s = Array.from({ length: k }, (_, r) => {
            let dot = 0;
            for (let c = 0; c < d; c++) dot += proj(b, i, 0, h * d + c) * kp[r * d + c];
            return dot / Math.sqrt(d);
          });
          const mx = Math.max(...s);
          const e = s.map((z) => Math.exp(z - mx));
          const z = e.reduce((a, c) => a + c, 0);
          for (let c = 0; c < d; c++) merged[(b * T + i) * dModel + h * d + c] = e.reduce((a, w, r) => a + w * vp[r * d + c], 0) / z;
        }
      }
    }
    const Wo = attn.outProjWeight.value.data;
    const bo = attn.outProjBias!.value.data;
    const out = new Float64Array(B * T * dModel);
    for (let row = 0; row < B * T; row++) {
      for (let o = 0; o < dModel; o++) {
        let s = bo[o];
        for (let e = 0; e < dModel; e++) s += merged[row * dModel + e] * Wo[o * dModel + e];
        out[row * dModel + o] = s;
      }
    }
    return out;
  }

  it('matches the paper\'s equation, with padding, below maxLen', () => {
    const attn = new MultiHeadAttention({ dModel: 8, numHeads: 2, generator: new Generator(30), dtype: 'float64', attentionType: 'linformer', projectedLength: 3, maxLen: 12 });
    expect(attn.namedParameters().map(([name, p]) => [name, p.shape]).slice(-2)).toEqual([['linformer.e', [3, 12]], ['linformer.f', [3, 12]]]);
    const x = randn([2, 7, 8], { generator: new Generator(31), dtype: 'float64' });
    const pad = paddingMask([7, 4], 7);
    const got = attn.forward(x, x, x, { keyPaddingMask: pad }).output.value;
    expectClose(got, new Tensor(linformerReference(attn, x, pad.data as Uint8Array), [2, 7, 8], 'float64'), { atol: 1e-12, rtol: 1e-10 });
  });

  it('passes gradcheck on inputs and every parameter, E and F included', () => {
    const attn = new MultiHeadAttention({ dModel: 4, numHeads: 2, generator: new Generator(32), dtype: 'float64', attentionType: 'linformer', projectedLength: 2, maxLen: 6 });
    const x = input([1, 5, 4], 33);
    expect(gradcheck((a) => attn.forward(a, a, a, { keyPaddingMask: paddingMask([4], 5) }).output, [x, ...attn.parameters()])).toBe(true);
  });

  it('refuses to run causally, to decode on a cache, and sequences past maxLen, saying why', () => {
    expect(() => new MultiHeadAttention({ dModel: 8, numHeads: 2, attentionType: 'linformer', causal: true }))
      .toThrow(/linformer cannot run causally: its projection E·K mixes every position/);
    const attn = new MultiHeadAttention({ dModel: 8, numHeads: 2, attentionType: 'linformer', maxLen: 4, projectedLength: 2 });
    const x = randn([1, 3, 8], { generator: new Generator(34) });
    expect(() => attn.forward(x, x, x, { causal: true })).toThrow('linformer cannot run causally');
    expect(() => attn.forward(x, x, x, { cache: new KVCache('self') })).toThrow('linformer has no cached decoding');
    const long = randn([1, 5, 8], { generator: new Generator(35) });
    expect(() => attn.forward(long, long, long)).toThrow('linformer: srcLen 5 is over maxLen 4');
  });
});

// e^x for float32 kernels' inner loops (the cross-entropy over the vocabulary). Math.exp is a call out of
// the compiled loop (~6–9 ns); this inlines in ~3 ns: e^x = 2^k·e^r with k = round(x/ln 2), r = x − k·ln 2
// (ln 2 in two parts, so r is exact to ~1e-16), e^r by its degree-7 Taylor polynomial on |r| ≤ ln2/2
// (Estrin's scheme, truncation ≤ 0.35⁸/8! ≈ 6e-9). Relative error under 1e-8, a sixth of float32's
// half-ulp — too coarse for float64 kernels (gradient checks), which keep Math.exp. Outside [−708, 709]
// (subnormal or infinite results, NaN) it is Math.exp itself.

const LOG2E = Math.LOG2E;
const LN2_HI = 0.6931471803691238;            // ln 2 = LN2_HI + LN2_LO, LN2_HI has 32 significant bits
const LN2_LO = 1.9082149292705877e-10;
const ROUND = 6755399441055744;               // 1.5·2⁵²: adding it rounds a double to an integer
/** POW2[k + 1022] = 2^k for k in [−1022, 1023]. */
const POW2 = Float64Array.from({ length: 2046 }, (_, i) => Math.pow(2, i - 1022));

/** e^x within 1e-8 relative (float32 work only). */
export function expF32(x: number): number {
  if (!(x > -708 && x < 709)) return Math.exp(x);
  const k = x * LOG2E + ROUND - ROUND;        // round(x / ln 2)
  const r = x - k * LN2_HI - k * LN2_LO;
  const r2 = r * r;
  const p = (1 + r) + r2 * ((1 / 2 + r * (1 / 6)) + r2 * ((1 / 24 + r * (1 / 120)) + r2 * (1 / 720 + r * (1 / 5040))));
  return p * POW2[(k | 0) + 1022];
}

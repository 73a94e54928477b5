// erf(x) to double precision, after fdlibm's s_erf.c (Sun Microsystems, 1993): rational
// approximations on [0, 0.84375), [0.84375, 1.25), [1.25, 6), and ±1 beyond. GELU's exact form needs it.

const efx8 = 1.02703333676410069053;
const pp = [1.28379167095512558561e-1, -3.25042107247001499370e-1, -2.84817495755985104766e-2, -5.77027029648944159157e-3, -2.37630166566501626084e-5];
const qq = [3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3, 1.32494738004321644526e-4, -3.96022827877536812320e-6];
const erx = 8.45062911510467529297e-1;
const pa = [-2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1, 3.18346619901161753674e-1, -1.10894694282396677476e-1, 3.54783043256182359371e-2, -2.16637559486879084300e-3];
const qa = [1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2, 1.26171219808761642112e-1, 1.36370839120290507362e-2, 1.19844998467991074170e-2];
const ra = [-9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1, -6.23753324503260060396e1, -1.62396669462573470355e2, -1.84605092906711035994e2, -8.12874355063065934246e1, -9.81432934416914548592];
const sa = [1.96512716674392571292e1, 1.37657754143519042600e2, 4.34565877475229228821e2, 6.45387271733267880336e2, 4.29008140027567833386e2, 1.08635005541779435134e2, 6.57024977031928170135, -6.04244152148580987438e-2];
const rb = [-9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1, -1.60636384855821916062e2, -6.37566443368389627722e2, -1.02509513161107724954e3, -4.83519191608651397019e2];
const sb = [3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3, 3.19985821950859553908e3, 2.55305040643316442583e3, 4.74528541206955367215e2, -2.24409524465858183362e1];

const scratchF64 = new Float64Array(1);
const scratchU32 = new Uint32Array(scratchF64.buffer);

/** The error function, accurate to about 1 ulp in float64. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 3.7252902984e-9) return x + efx8 * x * 0.125;
    const z = x * x;
    const r = pp[0] + z * (pp[1] + z * (pp[2] + z * (pp[3] + z * pp[4])));
    const s = 1 + z * (qq[0] + z * (qq[1] + z * (qq[2] + z * (qq[3] + z * qq[4]))));
    return x + x * (r / s);
  }
  if (ax < 1.25) {
    const s = ax - 1;
    const p = pa[0] + s * (pa[1] + s * (pa[2] + s * (pa[3] + s * (pa[4] + s * (pa[5] + s * pa[6])))));
    const q = 1 + s * (qa[0] + s * (qa[1] + s * (qa[2] + s * (qa[3] + s * (qa[4] + s * qa[5])))));
    return sign * (erx + p / q);
  }
  if (ax >= 6) return sign;
  const s = 1 / (ax * ax);
  let r: number;
  let t: number;
  if (ax < 1 / 0.35) {
    r = ra[0] + s * (ra[1] + s * (ra[2] + s * (ra[3] + s * (ra[4] + s * (ra[5] + s * (ra[6] + s * ra[7]))))));
    t = 1 + s * (sa[0] + s * (sa[1] + s * (sa[2] + s * (sa[3] + s * (sa[4] + s * (sa[5] + s * (sa[6] + s * sa[7])))))));
  } else {
    r = rb[0] + s * (rb[1] + s * (rb[2] + s * (rb[3] + s * (rb[4] + s * (rb[5] + s * rb[6])))));
    t = 1 + s * (sb[0] + s * (sb[1] + s * (sb[2] + s * (sb[3] + s * (sb[4] + s * (sb[5] + s * sb[6]))))));
  }
  // z = ax with its low 32 bits cleared, so that exp(-z*z) is exact enough (as fdlibm does).
  scratchF64[0] = ax;
  scratchU32[0] = 0; // the low word on little-endian hosts (every JavaScript engine in practice)
  const z = scratchF64[0];
  const erfc = Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + r / t) / ax;
  return sign * (1 - erfc);
}

// Constants the attention kernels read through `this.constants` (gpu.js bakes them into the compiled
// kernel, so every loop bound below is a compile-time constant: no loopMaxIterations truncation, G1).
// Type aliases, not interfaces: gpu.js's IConstantsThis index signature needs them (GPUJS.md §3).

/** Scores kernel: the shape of one chunk of heads and the masking that applies to it. */
export type ScoresConstants = {
  tq: number;
  tk: number;
  headDim: number;
  heads: number;
  scale: number;
  /** 1 = bottom-right aligned causal mask: key j allowed for query i when j ≤ i + causalOffset. */
  causal: number;
  /** tk − tq. */
  causalOffset: number;
  /** 1 = keyPadding [batch, tk] is given (1 = pad). */
  hasPadding: number;
  /** 0 = no extra mask, 1 = bool (1 = may attend), 2 = float (added to the scaled scores). */
  maskKind: number;
  ms0: number;
  ms1: number;
  ms2: number;
  ms3: number;
};

/** Row statistics and elementwise kernels over [chunk, tq, tk] score blocks. */
export type RowConstants = { tq: number; tk: number; headDim: number };

/** A batched product with a constant factor: rows × inner → rows × cols per head. */
export type MixConstants = { rows: number; inner: number; cols: number; factor: number };

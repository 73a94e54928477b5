// Names of the primitive ops every Backend implements.
import type { FloatArray } from '../dtype.js';

export type UnaryOp =
  | 'neg' | 'abs' | 'sign' | 'square' | 'reciprocal' | 'exp' | 'log' | 'sqrt' | 'rsqrt' | 'sin' | 'cos'
  | 'tanh' | 'relu' | 'sigmoid' | 'erf' | 'gelu' | 'geluTanh' | 'floor' | 'logicalNot' | 'isNaN' | 'isFinite';

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'logicalAnd' | 'logicalOr' | 'logicalXor';

export type ReduceOp = 'sum' | 'max' | 'min' | 'prod';
export type ArgReduceOp = 'argmax' | 'argmin';

/** Dimensions of one fused attention call: q [batch, heads, tq, headDim], k and v [batch, heads, tk, headDim]. */
export interface AttentionDims {
  readonly batch: number;
  readonly heads: number;
  readonly tq: number;
  readonly tk: number;
  readonly headDim: number;
}

/**
 * Which scores a fused attention call keeps. Masks combine: a key is attended only if every mask allows it.
 * A query row with no key left gets output 0, log-sum-exp −∞ and zero gradients (never NaN).
 */
export interface AttentionMasking {
  /**
   * Query i attends key j only if j ≤ i + (tk − tq): bottom-right aligned, so the tq queries are the
   * last tq positions of the tk keys (decoding with a KV cache). Equals PyTorch's is_causal when tq = tk.
   */
  readonly causal: boolean;
  /** [batch, tk], 1 = padding (never attended), as PyTorch's key_padding_mask. Shared by all heads. */
  readonly keyPadding: Uint8Array | null;
  /** Extra mask read at b·s[0] + h·s[1] + i·s[2] + j·s[3] (stride 0 on broadcast axes). */
  readonly mask: Uint8Array | Float32Array | Float64Array | null;
  /** bool mask (Uint8Array): 1 = may attend. Float mask: added to the scaled scores (−∞ masks). */
  readonly maskStrides: readonly [number, number, number, number];
  /** Dropout on the weights (after the softmax, as PyTorch); absent or null: none. */
  readonly dropout?: AttentionDropout | null;
  /** A band of keys around each query, plus global positions (sliding-window attention); absent or null: none. */
  readonly window?: AttentionWindow | null;
  /** Block-sparse attention: key j is attended from query i only if its block pair is on; absent or null: none. */
  readonly blockLayout?: AttentionBlockLayout | null;
}

/**
 * A block-sparse layout (BigBird, Zaheer et al. 2020, §2): query i may attend key j only if
 * layout[⌊i/blockSize⌋·numKeyBlocks + ⌊j/blockSize⌋] ≠ 0, on query rows i (not positions: for tq ≠ tk, align it
 * yourself). The fused kernels visit only the tiles of blocks that are on, so their cost follows the layout.
 */
export interface AttentionBlockLayout {
  /** Positions per block, on both axes. */
  readonly blockSize: number;
  /** Key blocks per row of the layout: ⌈tk / blockSize⌉. */
  readonly numKeyBlocks: number;
  /** [⌈tq / blockSize⌉, numKeyBlocks], 1 = the query block sees the key block. */
  readonly layout: Uint8Array;
}

/**
 * Sliding-window attention (Longformer, Beltagy et al. 2020, §3.1), as positions p = i + (tk − tq) of the
 * queries (bottom-right aligned, as `causal`) and j of the keys: query p attends key j iff
 * p − before ≤ j ≤ p + after, or p < globalTokens (a global query sees every key), or j < globalTokens (every
 * query sees a global key). It narrows the other masks (a key must pass all of them). The fused kernels skip
 * the key tiles no row of a query block may see, so their cost grows with the band, not with tk.
 */
export interface AttentionWindow {
  /** Keys before the query's position it may see (non-negative integer). */
  readonly before: number;
  /** Keys after it (0 with causal; non-negative integer). */
  readonly after: number;
  /** The first globalTokens positions see, and are seen by, every position (0 = none). */
  readonly globalTokens: number;
}

/**
 * Dropout on the attention weights of one call, a stateless function of position (cpu/attention-dropout.ts):
 * weight (b, h, i, j) is kept iff mix-hash(seed, b·heads + h, i, j) ≥ ⌊p·2³²⌋, and kept weights are scaled
 * by 1/(1 − p). The softmax normalizes the undropped weights; forward and backward derive the same mask from
 * the seed, whatever the tiling or thread count.
 */
export interface AttentionDropout {
  /** Probability of dropping a weight, in [0, 1]. */
  readonly p: number;
  /** Two 32-bit words (unsigned integers), drawn from a seeded Generator once per call. */
  readonly seed: readonly [number, number];
}

/**
 * One call of Backend.linearCrossEntropy: logits = x·weightᵀ + bias ([rows, vocab], never handed back), their
 * softmax cross-entropy per row with label smoothing and an ignored index (as Backend.crossEntropy), and, when
 * asked for, the gradients of Σ_rows scale·loss[r] with respect to x, weight and bias.
 */
export interface LinearCrossEntropyArgs {
  /** [rows, inFeatures]. */
  readonly x: FloatArray;
  /** [vocab, inFeatures] (nn.Linear's layout). */
  readonly weight: FloatArray;
  /** [vocab] or null. */
  readonly bias: FloatArray | null;
  /** [rows] class ids; rows whose id is ignoreIndex get loss 0 and no gradient. */
  readonly targets: Int32Array;
  readonly rows: number;
  readonly vocab: number;
  readonly inFeatures: number;
  readonly ignoreIndex: number;
  /** Label smoothing ε in [0, 1]. */
  readonly smoothing: number;
  /** Multiplies every gradient (1/count for a mean). */
  readonly scale: number;
  /** Rows of logits formed at a time (memory: chunkRows·vocab floats); implementations may round it. */
  readonly chunkRows: number;
  /** Out: loss [rows], lse [rows] (log Σ exp of the row's logits; 0 for ignored rows). */
  readonly loss: FloatArray;
  readonly lse: FloatArray;
  /** Out, when given: the target's logit per row (0 for ignored rows), for the unsmoothed NLL lse − x_t. */
  readonly targetLogit: Float64Array | null;
  /** Out, each when given (overwritten): d/dx [rows, inFeatures], d/dweight [vocab, inFeatures], d/dbias [vocab]. */
  readonly dx: FloatArray | null;
  readonly dweight: FloatArray | null;
  readonly dbias: FloatArray | null;
}

/** One call of Backend.linear: out [rows, outFeatures] = act(x [rows, inFeatures]·weightᵀ + bias), act ReLU or none. */
export interface LinearArgs {
  readonly x: FloatArray;
  /** [outFeatures, inFeatures] (nn.Linear's layout). */
  readonly weight: FloatArray;
  /** [outFeatures] or null. */
  readonly bias: FloatArray | null;
  /** Overwritten. */
  readonly out: FloatArray;
  readonly rows: number;
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** max(·, 0) after the bias (NaN stays NaN, −0 becomes +0). */
  readonly relu: boolean;
}

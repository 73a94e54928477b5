// Sparse attention patterns: which keys each query may see, as a function of their positions. Each pattern gives
// its boolean "may attend" mask (the reference, and the composed path), and a sliding window also the fused kernels'
// `window`, which skips the key tiles outside the band. Local (Longformer, Beltagy et al. 2020), strided and fixed
// (Sparse Transformer, Child et al. 2019, §4.2), block-sparse (BigBird, Zaheer et al. 2020, §2), or user-defined.
import { DTypeError, Generator, ShapeError, Tensor, ValueError, formatShape, type AttentionBlockLayout } from '@gloss/tensor';
import { maskFromFunction, windowMask, type AttentionWindow } from './masks.js';

/**
 * A sparse attention pattern. Positions are bottom-right aligned, as `causal`: with srcLen keys, the tgtLen queries
 * are positions srcLen − tgtLen … srcLen − 1, so one row of the mask serves a cached decoding step.
 */
export interface AttentionPattern {
  /** Shown in errors and in the attention view. */
  readonly name: string;
  /** bool [tgtLen, srcLen], true where query position p may attend key j. */
  mask(tgtLen: number, srcLen: number): Tensor;
  /** When the pattern is a band (plus global positions): the fused kernels compute it without a mask. */
  readonly window?: AttentionWindow;
  /** When the pattern is block-sparse: its layout over [length, length], which the fused kernels skip tiles by. */
  blockLayout?(length: number): AttentionBlockLayout;
}

/**
 * A user-defined pattern from a function of (query position, key position).
 * @example
 * // Each query sees itself, its predecessor and every key at an even position:
 * const pattern = patternFromFunction('even+previous', (p, j) => j === p || j === p - 1 || j % 2 === 0);
 * new MultiHeadAttention({ dModel: 64, numHeads: 4, attentionType: pattern });
 */
export function patternFromFunction(name: string, allowed: (query: number, key: number) => boolean): AttentionPattern {
  if (typeof allowed !== 'function') throw new ValueError('patternFromFunction', `allowed must be a function (query, key) => boolean, got ${typeof allowed}`);
  return { name, mask: (tgtLen, srcLen) => maskFromFunction(tgtLen, srcLen, allowed) };
}

/**
 * Sliding window (Longformer, Beltagy et al. 2020, §3.1): query p sees keys p − window … p + window (with causal
 * masking: p − window … p), and the first globalTokens positions see and are seen by every position (§3.2).
 */
export function localPattern(window: number, globalTokens = 0): AttentionPattern {
  const w: AttentionWindow = { before: window, after: window, globalTokens };
  return { name: `local(±${window}${globalTokens ? `, ${globalTokens} global` : ''})`, window: w, mask: (tq, tk) => windowMask(tq, tk, w) };
}

/**
 * Sparse Transformer's factorized patterns (Child et al. 2019, §4.2), stride l:
 * - 'strided': key j is seen from p if |p − j| ≤ l or (p − j) mod l = 0 (the previous l keys and every l-th one
 *   before, with causal masking; both directions without);
 * - 'fixed': j is in p's block of l (⌊j/l⌋ = ⌊p/l⌋), or j is among the last `summaryTokens` of its block
 *   (j mod l ≥ l − c), the "summary" positions every query sees.
 */
export function stridedPattern(stride: number, pattern: 'strided' | 'fixed' = 'strided', summaryTokens = 8): AttentionPattern {
  const l = stride;
  const allowed = pattern === 'strided'
    ? (p: number, j: number) => Math.abs(p - j) <= l || (p - j) % l === 0
    : (p: number, j: number) => Math.floor(j / l) === Math.floor(p / l) || j % l >= l - summaryTokens;
  return { name: `${pattern}(${l}${pattern === 'fixed' ? `, c ${summaryTokens}` : ''})`, mask: (tq, tk) => maskFromFunction(tq, tk, allowed) };
}

export interface BlockSparseLayoutOptions {
  /** Blocks around the diagonal each query block sees (odd). Default 3 (BigBird: the block and one each side). */
  windowBlocks?: number;
  /** The first N blocks see and are seen by every block. Default 2. */
  globalBlocks?: number;
  /** Random key blocks per query block, among those not already seen. Default 3. */
  randomBlocks?: number;
  /** Draw random blocks only from the past (j ≤ i), for causal self-attention. Default false. */
  causal?: boolean;
}

/**
 * BigBird's block layout (Zaheer et al. 2020, §2, ITC): bool [numBlocks, numBlocks], true where query block i sees key
 * block j — a window of blocks around the diagonal, global first blocks, and `randomBlocks` random blocks per row
 * drawn from `generator` (once: the layout is fixed, so training and decoding see the same one).
 */
export function blockSparseLayout(numBlocks: number, options: BlockSparseLayoutOptions = {}, generator: Generator = new Generator(0)): Tensor {
  const { windowBlocks = 3, globalBlocks = 2, randomBlocks = 3, causal = false } = options;
  if (!Number.isInteger(numBlocks) || numBlocks < 0) throw new ValueError('blockSparseLayout', `numBlocks must be a non-negative integer, got ${numBlocks}`);
  const n = numBlocks;
  const half = (windowBlocks - 1) / 2;
  const data = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) data[i * n + j] = +(Math.abs(i - j) <= half || i < globalBlocks || j < globalBlocks);
    // Random blocks: a partial Fisher–Yates over the blocks this row does not see yet (past only when causal).
    const free: number[] = [];
    for (let j = 0; j < (causal ? i + 1 : n); j++) if (!data[i * n + j]) free.push(j);
    for (let r = 0; r < Math.min(randomBlocks, free.length); r++) {
      const pick = r + generator.int(free.length - r);
      [free[r], free[pick]] = [free[pick], free[r]];
      data[i * n + free[r]] = 1;
    }
  }
  return new Tensor(data, [n, n], 'bool');
}

/**
 * A block-sparse pattern from a layout, bool [numBlocks, numBlocks] (blockSparseLayout, or one users build):
 * query position p sees key j iff layout[⌊p/blockSize⌋, ⌊j/blockSize⌋]. Positions past the layout are an error.
 */
export function blockSparsePattern(layout: Tensor, blockSize: number): AttentionPattern {
  if (layout.dtype !== 'bool') throw new DTypeError('blockSparsePattern', `layout must be bool (true = query block sees key block), got ${layout.dtype}`);
  if (layout.rank !== 2 || layout.shape[0] !== layout.shape[1]) {
    throw new ShapeError('blockSparsePattern', `layout must be square [numBlocks, numBlocks], got ${formatShape(layout.shape)}`);
  }
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new ValueError('blockSparsePattern', `blockSize must be a positive integer, got ${blockSize}`);
  const n = layout.shape[0];
  const cells = layout.data as Uint8Array;
  const check = (len: number): void => {
    if (len > n * blockSize) {
      throw new ShapeError('blockSparsePattern', `srcLen ${len} is past the layout's ${n} blocks of ${blockSize} (${n * blockSize} positions)`);
    }
  };
  return {
    name: `block-sparse(${n}×${n} blocks of ${blockSize})`,
    mask(tq, tk) {
      check(tk);
      return maskFromFunction(tq, tk, (p, j) => cells[Math.floor(p / blockSize) * n + Math.floor(j / blockSize)] !== 0);
    },
    blockLayout(length) {
      check(length);
      const nb = Math.ceil(length / blockSize);
      const sub = new Uint8Array(nb * nb);
      for (let i = 0; i < nb; i++) sub.set(cells.subarray(i * n, i * n + nb), i * nb);   // the top-left nb × nb cells
      return { blockSize, numKeyBlocks: nb, layout: sub };
    },
  };
}

/**
 * The pattern as text, one row per query: '█' attended, '·' not (with causal masking when `causal`), for docs.
 * @example console.log(patternPicture(localPattern(2), 8, true))
 */
export function patternPicture(pattern: AttentionPattern, length: number, causal = false): string {
  const m = pattern.mask(length, length).data as Uint8Array;
  const rows: string[] = [];
  for (let i = 0; i < length; i++) {
    let row = '';
    for (let j = 0; j < length; j++) row += m[i * length + j] && (!causal || j <= i) ? '█' : '·';
    rows.push(row);
  }
  return rows.join('\n');
}

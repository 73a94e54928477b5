// Collating examples into a padded Batch: source ids, decoder input (<bos> + target), decoder output
// (target + <eos>), and padding masks (true = padding, as PyTorch's key_padding_mask).
import { tensor, type Tensor } from '@gloss/tensor';
import { DataError } from './errors.js';
import { BOS_ID, EOS_ID, PAD_ID } from './vocab.js';

/** One training example: token ids of source and target, without <bos>/<eos>. */
export interface Example {
  readonly src: ArrayLike<number>;
  readonly tgt: ArrayLike<number>;
}

/**
 * A padded batch, batch-first. `tgtIn` is `<bos> + target`, `tgtOut` is `target + <eos>`, so
 * tgtLen = longest target + 1. Padding masks are true where the position is padding.
 */
export interface Batch {
  /** int32 [batch, srcLen]: source ids, right-padded with PAD_ID. */
  readonly src: Tensor;
  /** int32 [batch, tgtLen]: decoder input, `<bos>` then the target. */
  readonly tgtIn: Tensor;
  /** int32 [batch, tgtLen]: decoder target, the target then `<eos>`. */
  readonly tgtOut: Tensor;
  /** bool [batch, srcLen]: true at padding. */
  readonly srcPadding: Tensor;
  /** bool [batch, tgtLen]: true at padding (the same positions in tgtIn and tgtOut). */
  readonly tgtPadding: Tensor;
  /** Non-padding target tokens (each target's length + 1 for `<eos>`): the loss normalizer. */
  readonly numTokens: number;
  /** Which examples, in row order: lets outputs be put back in corpus order. */
  readonly indices: readonly number[];
}

/** A Batch's contents as plain typed arrays, before wrapping in tensors. */
interface BatchArrays {
  readonly batch: number;
  readonly srcLen: number;
  readonly tgtLen: number;
  readonly src: Int32Array;
  readonly tgtIn: Int32Array;
  readonly tgtOut: Int32Array;
  readonly srcPadding: Uint8Array;
  readonly tgtPadding: Uint8Array;
  readonly numTokens: number;
}

/**
 * Pads `examples` into typed arrays laid out [batch, srcLen] and [batch, tgtLen], row-major.
 * Throws DataError for an empty source or an id that is not a non-negative integer.
 */
function collateArrays(examples: readonly Example[]): BatchArrays {
  if (examples.length === 0) throw new DataError('collate', 'expected at least one example, got 0');
  let srcLen = 0;
  let tgtLen = 0;
  examples.forEach((example, i) => {
    if (example.src.length === 0) throw new DataError('collate', `example ${i} has an empty source (filter empty pairs when reading)`);
    srcLen = Math.max(srcLen, example.src.length);
    tgtLen = Math.max(tgtLen, example.tgt.length + 1); // + <bos> in tgtIn, + <eos> in tgtOut
  });
  const batch = examples.length;
  const src = new Int32Array(batch * srcLen).fill(PAD_ID); // [batch, srcLen]
  const tgtIn = new Int32Array(batch * tgtLen).fill(PAD_ID); // [batch, tgtLen]
  const tgtOut = new Int32Array(batch * tgtLen).fill(PAD_ID); // [batch, tgtLen]
  const srcPadding = new Uint8Array(batch * srcLen).fill(1);
  const tgtPadding = new Uint8Array(batch * tgtLen).fill(1);
  let numTokens = 0;
  examples.forEach(({ src: s, tgt: t }, b) => {
    for (let i = 0; i < s.length; i++) {
      src[b * srcLen + i] = checkId(s[i], b, 'src', i);
      srcPadding[b * srcLen + i] = 0;
    }
    const row = b * tgtLen;
    tgtIn[row] = BOS_ID;
    for (let i = 0; i < t.length; i++) {
      const id = checkId(t[i], b, 'tgt', i);
      tgtIn[row + i + 1] = id;
      tgtOut[row + i] = id;
    }
    tgtOut[row + t.length] = EOS_ID;
    tgtPadding.fill(0, row, row + t.length + 1);
    numTokens += t.length + 1;
  });
  return { batch, srcLen, tgtLen, src, tgtIn, tgtOut, srcPadding, tgtPadding, numTokens };
}

/**
 * Pads `examples` into a Batch of tensors.
 * @example
 * const batch = collate([{ src: [5, 6, 7], tgt: [8] }, { src: [5], tgt: [9, 10] }]);
 * batch.tgtIn.toArray();   // [[1, 8, 0], [1, 9, 10]]
 * batch.tgtOut.toArray();  // [[8, 2, 0], [9, 10, 2]]
 */
export function collate(examples: readonly Example[], indices: readonly number[] = examples.map((_, i) => i)): Batch {
  const a = collateArrays(examples);
  return {
    src: tensor(a.src, [a.batch, a.srcLen], 'int32'),
    tgtIn: tensor(a.tgtIn, [a.batch, a.tgtLen], 'int32'),
    tgtOut: tensor(a.tgtOut, [a.batch, a.tgtLen], 'int32'),
    srcPadding: tensor(a.srcPadding, [a.batch, a.srcLen], 'bool'),
    tgtPadding: tensor(a.tgtPadding, [a.batch, a.tgtLen], 'bool'),
    numTokens: a.numTokens,
    indices: [...indices],
  };
}

function checkId(id: number, example: number, side: 'src' | 'tgt', position: number): number {
  if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) {
    throw new DataError('collate', `example ${example} ${side}[${position}] must be a non-negative integer id, got ${id}`);
  }
  return id;
}

// Corpus arguments shared by BLEU and chrF: hypotheses and references in sacreBLEU's layout, checked once and
// regrouped per segment, plus the signature's `nrefs` (a count, or 'var' when segments differ).
import { ShapeError, ValueError } from '@gloss/tensor';

/**
 * References for a corpus, in sacreBLEU's layout: either one string per hypothesis, or a list of
 * reference *streams*, each with one entry per hypothesis — `references[k][i]` is the k-th reference of
 * hypothesis i. `null` marks a missing reference (a segment with fewer references than the others).
 * Lists with the references of each hypothesis (`[[refs of hyp 0], [refs of hyp 1], …]`, Hugging Face's
 * layout) convert with `transposeReferences`.
 */
export type References = readonly string[] | readonly (readonly (string | null)[])[];

/** References regrouped by segment, and the count the signature reports. */
export interface SegmentReferences {
  /** `segments[i]`: the non-null references of hypothesis i (at least one each). */
  readonly segments: readonly (readonly string[])[];
  /** The number of references per segment, or 'var' when it differs between segments. */
  readonly numRefs: number | 'var';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : typeof value;
}

/** Checks `hypotheses` (a non-empty array of strings) and returns them; throws ValueError naming `op`. */
export function checkHypotheses(op: string, hypotheses: readonly string[]): readonly string[] {
  if (!Array.isArray(hypotheses)) throw new ValueError(op, `hypotheses must be an array of strings, got ${describe(hypotheses)}`);
  if (hypotheses.length === 0) throw new ValueError(op, 'hypotheses is empty (a corpus needs at least one segment)');
  hypotheses.forEach((h, i) => {
    if (typeof h !== 'string') throw new ValueError(op, `hypotheses[${i}] must be a string, got ${describe(h)}`);
  });
  return hypotheses;
}

/**
 * Validates a corpus in sacreBLEU's layout and regroups the references by segment.
 * @throws ShapeError when a reference stream's length differs from the number of hypotheses;
 *   ValueError for a non-string entry or a segment left with no reference.
 */
export function referencesBySegment(op: string, hypotheses: readonly string[], references: References): SegmentReferences {
  checkHypotheses(op, hypotheses);
  if (!Array.isArray(references) || references.length === 0) {
    throw new ValueError(op, `references must be a non-empty array (one string per hypothesis, or reference streams), got ${Array.isArray(references) ? 'an empty array' : describe(references)}`);
  }
  const isStreams = Array.isArray(references[0]);
  const streams = (isStreams ? references : [references]) as readonly (readonly unknown[])[];
  const n = hypotheses.length;
  streams.forEach((stream, k) => {
    const where = isStreams ? `references[${k}]` : 'references';
    if (!Array.isArray(stream)) {
      throw new ValueError(op, `${where} must be an array like references[0], got ${describe(stream)} (references is all strings or all streams, never both)`);
    }
    if (stream.length !== n) {
      throw new ShapeError(op,
        `${where} has ${stream.length} entries but there are ${n} hypotheses (each reference stream has one entry per ` +
        'hypothesis: references[k][i] is the k-th reference of hypothesis i; per-hypothesis lists convert with transposeReferences)');
    }
    stream.forEach((r, i) => {
      if (typeof r !== 'string' && !(isStreams && r === null)) {
        throw new ValueError(op, `${where}[${i}] must be a string${isStreams ? ' or null' : ''}, got ${describe(r)}`);
      }
    });
  });
  const counts = new Set<number>();
  const segments = hypotheses.map((_, i) => {
    const refs: string[] = [];
    for (const stream of streams) if (stream[i] !== null) refs.push(stream[i] as string);
    if (refs.length === 0) throw new ValueError(op, `hypothesis ${i} has no reference (every stream has null there)`);
    counts.add(refs.length);
    return refs;
  });
  return { segments, numRefs: counts.size === 1 ? [...counts][0] : 'var' };
}

/**
 * Converts per-hypothesis reference lists (`perHypothesis[i]` = the references of hypothesis i, Hugging Face
 * `evaluate`'s layout) into sacreBLEU's reference streams, padding with null where a hypothesis has fewer.
 * @example
 * transposeReferences([['a', 'b'], ['c']]);  // [['a', 'c'], ['b', null]]
 */
export function transposeReferences(perHypothesis: readonly (readonly string[])[]): (string | null)[][] {
  if (!Array.isArray(perHypothesis)) {
    throw new ValueError('transposeReferences', `perHypothesis must be an array of string arrays, got ${describe(perHypothesis)}`);
  }
  let width = 0;
  perHypothesis.forEach((refs, i) => {
    if (!Array.isArray(refs)) throw new ValueError('transposeReferences', `perHypothesis[${i}] must be an array of strings, got ${describe(refs)}`);
    width = Math.max(width, refs.length);
  });
  return Array.from({ length: width }, (_, k) => perHypothesis.map((refs) => (k < refs.length ? refs[k] : null)));
}

// The decoding the browser suite compares between Node and the page: each source sentence encoded by the source
// tokenizer, then greedy and beam (4) decoding by the checkpoint's model. Shared by both sides so they do the same.
import { tensor } from '@gloss/tensor';
import type { Tokenizer } from '@gloss/data';
import { beamSearch, greedyDecode, type Seq2SeqTransformer } from '@gloss/transformer';

export interface Decoded {
  readonly greedy: number[][];
  readonly beam: number[][];
  /** Beam scores, to compare to float32 rounding (the tokens must be equal). */
  readonly beamScores: number[];
}

export const SOURCES = ['abcd', 'dcba', 'bad', 'cabbage', 'a'];

export function decodeSources(model: Seq2SeqTransformer, srcTokenizer: Tokenizer, sources: readonly string[] = SOURCES): Decoded {
  const greedy: number[][] = [];
  const beam: number[][] = [];
  const beamScores: number[] = [];
  for (const text of sources) {
    const src = tensor([srcTokenizer.encode(text)], undefined, 'int32');   // [1, srcLen]
    greedy.push(greedyDecode(model, src)[0][0].tokens);
    const [[best]] = beamSearch(model, src, { beamSize: 4 });
    beam.push(best.tokens);
    beamScores.push(best.score);
  }
  return { greedy, beam, beamScores };
}

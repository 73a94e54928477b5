// End to end through the public surface: read a corpus, train tokenizers, batch, resume.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BatchIterator, BpeTokenizer, PAD_ID, tokenizerFromJSON, WordTokenizer, type Example,
} from './index.js';
import { readTsvPairs } from './node/index.js';

const tiny = fileURLToPath(new URL('./__fixtures__/tiny.tsv', import.meta.url));

describe('@gloss/data pipeline', () => {
  it('reads pairs, encodes them with separate or shared tokenizers, and batches them', async () => {
    const pairs = await readTsvPairs(tiny).toArray();
    const srcTok = WordTokenizer.train(pairs.map((p) => p.src));
    const tgtTok = tokenizerFromJSON(JSON.parse(JSON.stringify(WordTokenizer.train(pairs.map((p) => p.tgt)))));
    const shared = BpeTokenizer.train(pairs.flatMap((p) => [p.src, p.tgt]), { vocabSize: 300 });
    for (const [src, tgt] of [[srcTok, tgtTok], [shared, shared]] as const) {
      const examples: Example[] = pairs.map((p) => ({ src: src.encode(p.src), tgt: tgt.encode(p.tgt) }));
      const batches = new BatchIterator(examples, { batchSize: 2, seed: 0 });
      const rows: string[] = [];
      for (const batch of batches) {
        const [b, tgtLen] = batch.tgtOut.shape;
        for (let r = 0; r < b; r++) {
          const ids = Array.from(batch.tgtOut.data.subarray(r * tgtLen, (r + 1) * tgtLen)).filter((id) => id !== PAD_ID);
          rows.push(tgt.decode(ids));
        }
      }
      expect(rows.sort()).toEqual(pairs.map((p) => p.tgt).sort());
    }
  });
});

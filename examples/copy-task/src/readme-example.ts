// The README's library example, kept here so it is type-checked and run by the example's test.
import { Generator, tensor } from '@gloss/tensor';
import { Seq2SeqTransformer, beamSearch } from '@gloss/transformer';
import { AdamW, labelSmoothedCrossEntropy, warmupCosine } from '@gloss/training';

export function readmeExample(): number[] {
  // ---- README begins
  const model = new Seq2SeqTransformer({ srcVocabSize: 12, tgtVocabSize: 12, dModel: 32, numHeads: 2,
    numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 64, dropout: 0 }, { generator: new Generator(0) });
  const optimizer = new AdamW(model.namedParameters(), { lr: 1e-2, weightDecay: 0.01 });
  const schedule = warmupCosine({ warmup: 20, total: 200, peak: 1e-2 });

  // A batch: source ids [B, S], target input (<bos> + y) and output (y + <eos>) [B, T]; 0 is <pad>.
  const src = tensor([[4, 5, 6, 7], [8, 9, 10, 0]], undefined, 'int32');
  const tgtIn = tensor([[1, 4, 5, 6, 7], [1, 8, 9, 10, 0]], undefined, 'int32');
  const tgtOut = tensor([[4, 5, 6, 7, 2], [8, 9, 10, 2, 0]], undefined, 'int32');

  for (let step = 1; step <= 200; step++) {
    const logits = model.forward(src, tgtIn);                     // [B, T, V]; masks from the pad id
    const { loss } = labelSmoothedCrossEntropy(logits, tgtOut, { padId: 0, smoothing: 0.1 });
    optimizer.zeroGrad();
    loss.backward();
    optimizer.lr = schedule(step);
    optimizer.step();
  }
  const [[best]] = beamSearch(model, src, { beamSize: 4 });        // KV-cached; per sentence, n-best
  console.log(best.tokens, best.score);                             // [4, 5, 6, 7] and its length-normalized log-probability
  // ---- README ends
  return best.tokens;
}

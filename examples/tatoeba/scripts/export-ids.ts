// Writes what the PyTorch baseline (torch_baseline.py) needs to train the same model on the same token ids as
// `gloss train`: the tokenizers trained exactly as gloss train trains them, the model config gloss would build,
// and the training and validation examples as token ids. Decoding and scoring of the baseline's checkpoint are
// then done by gloss itself (gloss evaluate), so only the training differs between the two.
//
//   npx tsx scripts/export-ids.ts --config config.json [--FIELD VALUE …] --export DIR
import fs from 'node:fs';
import path from 'node:path';
import { configFromArgs, readCorpus, trainTokenizers, tokenizerFiles, encodePairs } from '@gloss/cli';
import { Seq2SeqTransformer } from '@gloss/transformer';
import { Generator } from '@gloss/tensor';

const argv = process.argv.slice(2);
const at = argv.indexOf('--export');
if (at < 0 || !argv[at + 1]) throw new Error('usage: export-ids.ts --config FILE [--FIELD VALUE …] --export DIR');
const dir = argv[at + 1];
argv.splice(at, 2);
const config = configFromArgs(argv);
fs.mkdirSync(dir, { recursive: true });

const { pairs } = readCorpus(config.train, config);
const tok = trainTokenizers(pairs, config);
const train = encodePairs(pairs, tok, config.maxLength).examples;
const valid = config.valid ? encodePairs(readCorpus(config.valid, config).pairs, tok, config.maxLength).examples : [];
const model = new Seq2SeqTransformer({
  srcVocabSize: tok.src.vocab.size, tgtVocabSize: tok.tgt.vocab.size, dModel: config.dModel, numHeads: config.numHeads,
  numEncoderLayers: config.numEncoderLayers, numDecoderLayers: config.numDecoderLayers, dimFeedforward: config.dimFeedforward,
  dropout: config.dropout, activation: config.activation as 'relu' | 'gelu', normFirst: config.normFirst,
  maxLen: Math.max(config.maxLen, config.maxLength + 1),
}, { generator: new Generator(config.seed) });

const lines = (examples: typeof train) => examples.map((e) => `${JSON.stringify([Array.from(e.src), Array.from(e.tgt)])}\n`).join('');
fs.writeFileSync(path.join(dir, 'train.ids.jsonl'), lines(train));
fs.writeFileSync(path.join(dir, 'valid.ids.jsonl'), lines(valid));
fs.writeFileSync(path.join(dir, 'config.json'), `${JSON.stringify(model.config, null, 2)}\n`);
fs.writeFileSync(path.join(dir, 'train-config.json'), `${JSON.stringify(config, null, 2)}\n`);
for (const [name, text] of Object.entries(tokenizerFiles(tok))) fs.writeFileSync(path.join(dir, name), text);
process.stderr.write(`${dir}: ${train.length} training and ${valid.length} validation examples, vocabularies ${tok.src.vocab.size} / ${tok.tgt.vocab.size}\n`);

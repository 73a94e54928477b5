// Train a summarizer of short reports (match reports, weather bulletins, product notices) on gloss's bundled
// corpus, and score it with ROUGE beside the lead-sentence baseline (the article's first sentence as its
// summary), measured in the same run on the same test split.
//
//   npm start -w @gloss/example-summarization
//   npm start -w @gloss/example-summarization -- --max-steps 300
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configFromArgs, processIo, scoreText, train, type Io, type Scores, type TrainSummary } from '@gloss/cli';
import { readJsonlPairs } from '@gloss/data/node';

const here = path.dirname(fileURLToPath(import.meta.url));
export const CONFIG_FILE = path.resolve(here, '../config.json');
/** Where the user ran npm (npm start -w runs the script in the example's folder): paths printed relative to it. */
const invokedFrom = process.env.INIT_CWD ?? process.cwd();

/** The first sentence of a text: up to the first . ! or ? followed by a space (or the end). */
export function leadSentence(text: string): string {
  const m = /^.*?[.!?](?=\s|$)/s.exec(text.trim());
  return (m ? m[0] : text).trim();
}

export interface SummarizationResult extends TrainSummary {
  baseline: Scores;
}

/** Runs the example with `argv` flags over config.json. */
export async function runSummarizationExample(argv: readonly string[], io: Io = processIo): Promise<SummarizationResult> {
  const config = configFromArgs(['--config', CONFIG_FILE, ...argv]);
  io.err(`gloss summarization example: ${path.relative(invokedFrom, config.train)} → ${path.relative(invokedFrom, config.out)}\n`);
  const summary = await train(config, { io, samples: 3 });

  // The lead-sentence baseline on the same test articles the model was scored on.
  let pairs = [...readJsonlPairs(config.test, { fields: { src: config.srcField, tgt: config.tgtField } })];
  if (config.testSentences > 0) pairs = pairs.slice(0, config.testSentences);
  const baseline = scoreText(pairs.map((p) => leadSentence(p.src)), pairs.map((p) => p.tgt), true);
  const model = summary.test!;
  const row = (name: string, s: Scores) =>
    `  ${name.padEnd(16)} ${s.rouge1!.toFixed(2).padStart(7)} ${s.rouge2!.toFixed(2).padStart(7)} ${s.rougeL!.toFixed(2).padStart(7)} ${s.bleu.toFixed(2).padStart(7)}`;
  io.out([
    '',
    `test split, ${pairs.length} articles (ROUGE F1 ×100, as rouge-score; BLEU as sacreBLEU):`,
    `  ${''.padEnd(16)} ${'ROUGE-1'.padStart(7)} ${'ROUGE-2'.padStart(7)} ${'ROUGE-L'.padStart(7)} ${'BLEU'.padStart(7)}`,
    row('lead sentence', baseline),
    row('gloss model', model),
    '',
    `done in ${(summary.seconds / 60).toFixed(1)} min; checkpoint ${path.relative(invokedFrom, summary.checkpointDir)}`,
    `summarize more:  npx gloss translate --checkpoint ${path.relative(invokedFrom, summary.checkpointDir)} --input articles.txt`,
    '',
  ].join('\n'));
  return { ...summary, baseline };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  runSummarizationExample(process.argv.slice(2)).catch((e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 1;
  });
}

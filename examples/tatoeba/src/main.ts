// The gloss demo: train an English→French translator on real Tatoeba sentences for a fixed wall-clock budget,
// score the 2,000 held-out test sentences (BLEU and chrF with beam search, sacreBLEU's signatures), print sample
// translations beside their references, and write the training report and the attention view of one sentence.
// The checkpoint it leaves is what `gloss translate` uses.
//
//   npm start -w @gloss/example-tatoeba                          (the README's demo: `npm run demo`)
//   npm start -w @gloss/example-tatoeba -- --max-time 20m        (any config field as a flag)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkpointAttentionPage, configFromArgs, processIo, reportPage, train, type Io, type TrainSummary } from '@gloss/cli';

const here = path.dirname(fileURLToPath(import.meta.url));
export const CONFIG_FILE = path.resolve(here, '../config.json');
/** Where the user ran npm (npm start -w runs the script in the example's folder): paths printed relative to it. */
const invokedFrom = process.env.INIT_CWD ?? process.cwd();

export interface ExampleResult extends TrainSummary {
  attentionFile: string;
  reportFile: string;
}

/** Runs the example with `argv` flags over config.json (e.g. ['--max-time', '30s']). */
export async function runTatoebaExample(argv: readonly string[], io: Io = processIo): Promise<ExampleResult> {
  const config = configFromArgs(['--config', CONFIG_FILE, ...argv]);
  const rel = (p: string) => path.relative(invokedFrom, p) || '.';
  io.err(`gloss Tatoeba example: ${rel(config.train)} → ${rel(config.out)}\n`);
  const summary = await train(config, { io });

  // Attention view of the first test sentence, from the checkpoint just scored.
  const sentence = fs.readFileSync(config.test, 'utf8').split('\n')[0].split('\t')[0];
  const attentionFile = path.join(config.out, 'attention.html');
  fs.writeFileSync(attentionFile, checkpointAttentionPage(summary.checkpointDir, sentence, config.beam));
  const reportFile = path.join(config.out, 'report.html');
  fs.writeFileSync(reportFile, reportPage([config.out]));

  io.out([
    '',
    `done in ${(summary.seconds / 60).toFixed(1)} min: test BLEU ${summary.test?.bleu.toFixed(2)}, chrF ${summary.test?.chrf.toFixed(2)}`,
    `checkpoint:      ${rel(summary.checkpointDir)}`,
    `training report: ${rel(reportFile)}  (open it in a browser)`,
    `attention view:  ${rel(attentionFile)}`,
    `translate more:  echo "I would like a cup of coffee, please." | npx gloss translate --checkpoint ${rel(summary.checkpointDir)}`,
    '',
  ].join('\n'));
  return { ...summary, attentionFile, reportFile };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  runTatoebaExample(process.argv.slice(2)).catch((e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 1;
  });
}

// Train a small English→French translator on gloss's bundled corpus, score it on the test split (BLEU and
// chrF with beam search), print sample translations beside their references, and write the attention view of
// one sentence. The checkpoint it saves is what `gloss translate` uses.
//
//   npm start -w @gloss/example-translation                       (the README's demo)
//   npm start -w @gloss/example-translation -- --max-steps 300    (any config field as a flag)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkpointAttentionPage, configFromArgs, processIo, train, type Io, type TrainSummary } from '@gloss/cli';


const here = path.dirname(fileURLToPath(import.meta.url));
export const CONFIG_FILE = path.resolve(here, '../config.json');
/** Where the user ran npm (npm start -w runs the script in the example's folder): paths printed relative to it. */
const invokedFrom = process.env.INIT_CWD ?? process.cwd();

export interface ExampleResult extends TrainSummary {
  attentionFile: string;
}

/** Runs the example with `argv` flags over config.json (e.g. ['--max-steps', '50']). */
export async function runTranslationExample(argv: readonly string[], io: Io = processIo): Promise<ExampleResult> {
  const config = configFromArgs(['--config', CONFIG_FILE, ...argv]);
  io.err(`gloss translation example: ${path.relative(invokedFrom, config.train)} → ${path.relative(invokedFrom, config.out)}\n`);
  const summary = await train(config, { io });

  // Attention view of the first test sentence, from the checkpoint just scored.
  const sentence = fs.readFileSync(config.test, 'utf8').split('\n')[0].split('\t')[0];
  const attentionFile = path.join(config.out, 'attention.html');
  fs.writeFileSync(attentionFile, checkpointAttentionPage(summary.checkpointDir, sentence, config.beam));

  const rel = (p: string) => path.relative(invokedFrom, p) || '.';
  io.out([
    '',
    `done in ${(summary.seconds / 60).toFixed(1)} min: test BLEU ${summary.test?.bleu.toFixed(2)}, chrF ${summary.test?.chrf.toFixed(2)}`,
    `checkpoint:      ${rel(summary.checkpointDir)}`,
    `attention view:  ${rel(attentionFile)}  (open it in a browser)`,
    `translate more:  echo "The small cats are not eating the green apples." | npx gloss translate --checkpoint ${rel(summary.checkpointDir)}`,
    '',
  ].join('\n'));
  return { ...summary, attentionFile };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  runTranslationExample(process.argv.slice(2)).catch((e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 1;
  });
}

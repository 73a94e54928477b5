// `gloss evaluate`: decode a source file with a checkpoint and score it against references.
import { loadCheckpoint } from '@gloss/transformer';
import { parseArgs } from '../args.js';
import { CliError } from '../errors.js';
import { loadTokenizers } from '../corpus.js';
import { decodeText, scoreText } from '../decode-text.js';
import { resolveCheckpointDir } from './inspect.js';
import { DECODE_FLAGS, intFlag, numberFlag } from './translate.js';
import { useBackend } from '../backend.js';
import { readInputLines, type Io } from '../io.js';

export const EVALUATE_HELP = `Usage: gloss evaluate --checkpoint DIR --src FILE --ref FILE [--rouge] [--output FILE] [options]

Decodes each line of --src with the checkpoint and scores the outputs against --ref (one reference per line):
corpus BLEU and chrF as sacreBLEU computes them by default (13a tokenization, exponential smoothing; the
signatures are printed), and ROUGE-1/2/L F1 with --rouge (summarization).

  --checkpoint DIR          checkpoint directory (required)
  --src FILE                source sentences, one per line (required)
  --ref FILE                references, one per line, as many as sources (required)
  --rouge                   also ROUGE-1/2/L
  --output FILE             also write the outputs there
  --json                    print one JSON object
  --beam N                  beam size; 1 is greedy (default 5)
  --length-penalty A        GNMT length penalty α (default 0.6)
  --max-len-a A, --max-len-b B, --batch-size N, --backend NAME   as for gloss translate`;

export async function runEvaluate(argv: string[], io: Io): Promise<number> {
  const { flags, positionals } = parseArgs(argv, {
    ...DECODE_FLAGS, src: { type: 'string' }, ref: { type: 'string' }, rouge: { type: 'bool' }, output: { type: 'string' }, json: { type: 'bool' },
  }, 'evaluate');
  if (positionals.length > 0) throw new CliError(`unexpected argument "${positionals[0]}"`);
  for (const name of ['checkpoint', 'src', 'ref'] as const) if (typeof flags[name] !== 'string') throw new CliError(`--${name} is required`);
  const srcLines = await readInputLines(flags.src as string, io);
  const refLines = await readInputLines(flags.ref as string, io);
  if (srcLines.length !== refLines.length) {
    throw new CliError(`--src ${flags.src} has ${srcLines.length} lines but --ref ${flags.ref} has ${refLines.length} (one reference per source line)`, 1);
  }
  await useBackend(typeof flags.backend === 'string' ? flags.backend : 'auto');
  const dir = resolveCheckpointDir(flags.checkpoint as string);
  const { model } = loadCheckpoint(dir);
  const tok = loadTokenizers(dir);
  const started = performance.now();
  const hyps = decodeText(model, tok, srcLines, {
    beam: intFlag(flags, 'beam', 5), lengthPenalty: numberFlag(flags, 'lengthPenalty', 0.6), maxLenA: numberFlag(flags, 'maxLenA', 1.5),
    maxLenB: numberFlag(flags, 'maxLenB', 10), batchSize: flags.batchSize === undefined ? undefined : intFlag(flags, 'batchSize', 64),
  }).map((r) => r.text);
  const seconds = (performance.now() - started) / 1000;
  if (typeof flags.output === 'string') {
    const { writeFileAtomic } = await import('@gloss/tensor/node');
    writeFileAtomic(flags.output, hyps.length > 0 ? `${hyps.join('\n')}\n` : '');
  }
  const s = scoreText(hyps, refLines, Boolean(flags.rouge));
  if (flags.json) {
    io.out(`${JSON.stringify({ checkpoint: dir, sentences: hyps.length, seconds, ...s })}\n`);
    return 0;
  }
  const lines = [
    `${dir}: ${hyps.length} sentences decoded in ${seconds.toFixed(1)} s`,
    `BLEU ${s.bleu.toFixed(2)}   ${s.bleuSignature}`,
    `chrF ${s.chrf.toFixed(2)}   ${s.chrfSignature}`,
  ];
  if (flags.rouge) lines.push(`ROUGE-1/2/L F1 ${s.rouge1!.toFixed(2)} / ${s.rouge2!.toFixed(2)} / ${s.rougeL!.toFixed(2)}`);
  io.out(`${lines.join('\n')}\n`);
  return 0;
}

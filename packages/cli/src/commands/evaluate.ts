// `gloss evaluate`: decode a source file with a checkpoint and score it against references.
import { loadCheckpoint } from '@gloss/transformer/node';
import { parseArgs, unexpectedArgument } from '../args.js';
import { flagName } from '../config.js';
import { CliError } from '../errors.js';
import { loadTokenizers } from '../corpus.js';
import { decodeText, scoreText } from '../decode-text.js';
import { resolveCheckpointDir } from './inspect.js';
import { DECODE_FLAGS, intFlag, numberFlag } from './translate.js';
import { useBackend } from '../backend.js';
import { readInputLines, type Io } from '../io.js';

export const EVALUATE_HELP = `Usage: gloss evaluate --checkpoint DIR --src FILE --ref FILE [--ref FILE2 …] [--rouge] [--output FILE] [options]
       gloss evaluate --hyp FILE --ref FILE [--ref FILE2 …] [--rouge] [--json]

Decodes each line of --src with the checkpoint and scores the outputs against --ref (one reference per line):
corpus BLEU and chrF as sacreBLEU computes them by default (13a tokenization, exponential smoothing; the
signatures are printed), and ROUGE-1/2/L F1 with --rouge (summarization). With --hyp, scores a file of outputs
made elsewhere, without a model (as sacrebleu REF -i HYP does). --ref may be given several times: each file holds
one reference per line for every line (nrefs:N in the signatures; ROUGE takes the best reference of each line).

  --checkpoint DIR          checkpoint directory (with --src)
  --src FILE                source sentences, one per line (with --checkpoint)
  --hyp FILE                outputs to score, one per line (instead of --checkpoint and --src)
  --ref FILE                references, one per line, as many as sources (required; repeat for several)
  --rouge                   also ROUGE-1/2/L
  --output FILE             also write the outputs there
  --json                    print one JSON object
  --beam N                  beam size; 1 is greedy (default 5)
  --length-penalty A        GNMT length penalty α (default 0.6)
  --max-len-a A, --max-len-b B, --batch-size N, --backend NAME   as for gloss translate`;

const SPECS = {
  ...DECODE_FLAGS, src: { type: 'string' }, hyp: { type: 'string' }, ref: { type: 'string', multiple: true }, rouge: { type: 'bool' },
  output: { type: 'string' }, json: { type: 'bool' },
} as const;

export async function runEvaluate(argv: string[], io: Io): Promise<number> {
  const { flags, positionals } = parseArgs(argv, SPECS, 'evaluate');
  if (positionals.length > 0) throw new CliError(unexpectedArgument(argv, positionals[0], SPECS, 'see gloss evaluate --help'));
  const refFiles = (flags.ref as string[] | undefined) ?? [];
  if (refFiles.length === 0) throw new CliError('--ref is required');
  if (typeof flags.hyp === 'string') {
    const model = Object.keys(DECODE_FLAGS).concat('src', 'output').find((k) => flags[k] !== undefined);
    if (model) throw new CliError(`--hyp scores a file without a model; --${flagName(model)} does not go with it`);
    return scoreFiles(flags.hyp, refFiles, Boolean(flags.rouge), Boolean(flags.json), io);
  }
  for (const name of ['checkpoint', 'src'] as const) if (typeof flags[name] !== 'string') throw new CliError(`--${name} is required (or --hyp FILE to score outputs without a model)`);
  const srcLines = await readInputLines(flags.src as string, io);
  const refs = await readReferences(refFiles, srcLines.length, `--src ${flags.src}`, 'source', io);
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
  const s = scoreText(hyps, refs, Boolean(flags.rouge));
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

/** The lines of each --ref file, each checked to have `n` lines (those of `what`). */
async function readReferences(files: readonly string[], n: number, what: string, per: string, io: Io): Promise<string[][]> {
  const streams: string[][] = [];
  for (const file of files) {
    const lines = await readInputLines(file, io);
    if (lines.length !== n) throw new CliError(`${what} has ${n} lines but --ref ${file} has ${lines.length} (one reference per ${per} line)`, 1);
    streams.push(lines);
  }
  return streams;
}

/** gloss evaluate --hyp: BLEU, chrF (and ROUGE) of a file of outputs against one or more reference files. */
async function scoreFiles(hypFile: string, refFiles: readonly string[], withRouge: boolean, json: boolean, io: Io): Promise<number> {
  const hyps = await readInputLines(hypFile, io);
  if (hyps.length === 0) throw new CliError(`--hyp ${hypFile} is empty (nothing to score)`, 1);
  const refs = await readReferences(refFiles, hyps.length, `--hyp ${hypFile}`, 'output', io);
  const s = scoreText(hyps, refs, withRouge);
  if (json) {
    io.out(`${JSON.stringify({ hyp: hypFile, refs: refFiles, sentences: hyps.length, ...s })}\n`);
    return 0;
  }
  const lines = [
    `${hypFile}: ${hyps.length} sentences, ${refFiles.length} reference${refFiles.length === 1 ? '' : 's'} each`,
    `BLEU ${s.bleu.toFixed(2)}   ${s.bleuSignature}`,
    `chrF ${s.chrf.toFixed(2)}   ${s.chrfSignature}`,
  ];
  if (withRouge) lines.push(`ROUGE-1/2/L F1 ${s.rouge1!.toFixed(2)} / ${s.rouge2!.toFixed(2)} / ${s.rougeL!.toFixed(2)}`);
  io.out(`${lines.join('\n')}\n`);
  return 0;
}

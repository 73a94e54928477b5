// `gloss translate`: lines in (stdin or a file), translations out, one per line — or the n best with scores.
import { loadCheckpoint } from '@gloss/transformer/node';
import { parseArgs, type ParsedArgs } from '../args.js';
import { flagName } from '../config.js';
import { CliError } from '../errors.js';
import { loadTokenizers } from '../corpus.js';
import { decodeText } from '../decode-text.js';
import { resolveCheckpointDir } from './inspect.js';
import { useBackend } from '../backend.js';
import { readInputLines, type Io } from '../io.js';
import { writeFileAtomic } from '@gloss/tensor/node';
import { attentionHtml, type AttentionViewInput } from '../attention-view.js';
import type { Tokenizers } from '../corpus.js';
import type { DecodedText } from '../decode-text.js';

export const TRANSLATE_HELP = `Usage: gloss translate --checkpoint DIR [--input FILE] [--beam 5] [--nbest 3] [options]

Translates (or summarizes) each line of FILE, or of stdin, with the checkpoint in DIR (a run directory uses
its best/ checkpoint). Prints one output line per input line; with --nbest N > 1, N lines per input:
INDEX<TAB>SCORE<TAB>TEXT (scores are length-normalized log-probabilities, best first).

  --checkpoint DIR          checkpoint directory (required)
  --input FILE              input file (default: stdin)
  --beam N                  beam size; 1 is greedy (default 5)
  --nbest N                 hypotheses per line (default 1)
  --length-penalty A        GNMT length penalty α (default 0.6)
  --max-len-a A             output length limit A·srcLen + B (default 1.5)
  --max-len-b B             (default 10)
  --batch-size N            sentences decoded together (default 16 with beam search, 64 greedy)
  --attention FILE          write the first line's cross-attention (every layer and head) as an HTML heatmap
  --backend NAME            auto, cpu, reference, gpu, webasm, headlessgl, webgl2, webgl, gpu:cpu (default auto; also GLOSS_BACKEND)`;

/** The attention view's input for one decoded line: source tokens × output tokens (eos included), per layer. */
export function attentionInput(line: string, decoded: DecodedText, tok: Tokenizers): AttentionViewInput {
  const best = decoded.nbest[0];
  if (!best?.attention) throw new CliError('no attention was recorded for this line (it tokenized to nothing?)', 1);
  const tgtTokens = best.tokens.map((id) => tok.tgt.vocab.tokenOf(id));
  if (best.finished) tgtTokens.push('<eos>');
  return { srcTokens: tok.src.tokenize(line), tgtTokens, attention: best.attention, title: `${line} → ${best.text}` };
}

/** The attention view of one decoded line, as a page. */
export function attentionPage(line: string, decoded: DecodedText, tok: Tokenizers): string {
  return attentionHtml(attentionInput(line, decoded, tok));
}

/** The attention view of `line` as the checkpoint in `dir` translates it (beam search of width `beam`), as a page. */
export function checkpointAttentionPage(dir: string, line: string, beam: number): string {
  const { model } = loadCheckpoint(dir);
  const tok = loadTokenizers(dir);
  const [decoded] = decodeText(model, tok, [line], { beam, returnAttention: true });
  return attentionPage(line, decoded, tok);
}

/** A positive integer flag, or a CliError naming it. */
export function intFlag(flags: ParsedArgs['flags'], name: string, fallback: number, min = 1): number {
  const v = flags[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < min) throw new CliError(`--${flagName(name)} must be an integer ≥ ${min}, got "${v}"`);
  return n;
}

/** A finite number flag. */
export function numberFlag(flags: ParsedArgs['flags'], name: string, fallback: number): number {
  const v = flags[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new CliError(`--${flagName(name)} must be a number, got "${v}"`);
  return n;
}

export const DECODE_FLAGS = {
  checkpoint: { type: 'string' }, beam: { type: 'string' }, nbest: { type: 'string' }, lengthPenalty: { type: 'string' },
  maxLenA: { type: 'string' }, maxLenB: { type: 'string' }, batchSize: { type: 'string' }, backend: { type: 'string' },
} as const;

export async function runTranslate(argv: string[], io: Io): Promise<number> {
  const { flags, positionals } = parseArgs(argv, { ...DECODE_FLAGS, input: { type: 'string' }, attention: { type: 'string' } }, 'translate');
  if (positionals.length > 0) throw new CliError(`unexpected argument "${positionals[0]}" (use --input FILE, or stdin)`);
  if (typeof flags.checkpoint !== 'string') throw new CliError('--checkpoint DIR is required');
  const beam = intFlag(flags, 'beam', 5);
  const nBest = intFlag(flags, 'nbest', 1);
  if (nBest > beam) throw new CliError(`--nbest (${nBest}) cannot exceed --beam (${beam})`);
  await useBackend(typeof flags.backend === 'string' ? flags.backend : 'auto');
  const dir = resolveCheckpointDir(flags.checkpoint);
  const { model } = loadCheckpoint(dir);
  const tok = loadTokenizers(dir);
  const lines = await readInputLines(typeof flags.input === 'string' ? flags.input : undefined, io);
  const results = decodeText(model, tok, lines, {
    beam, nBest, lengthPenalty: numberFlag(flags, 'lengthPenalty', 0.6), maxLenA: numberFlag(flags, 'maxLenA', 1.5),
    maxLenB: numberFlag(flags, 'maxLenB', 10), batchSize: flags.batchSize === undefined ? undefined : intFlag(flags, 'batchSize', 64),
    returnAttention: typeof flags.attention === 'string',
  });
  if (typeof flags.attention === 'string' && lines.length > 0) writeFileAtomic(flags.attention, attentionPage(lines[0], results[0], tok));
  const out: string[] = [];
  results.forEach((r, i) => {
    if (nBest === 1) out.push(r.text);
    else for (const h of r.nbest) out.push(`${i}\t${h.score.toFixed(4)}\t${h.text}`);
  });
  io.out(out.length > 0 ? `${out.join('\n')}\n` : '');
  return 0;
}

// `gloss inspect DIR`: what a checkpoint holds — model config, parameter count, vocabularies, training state —
// read from its files without building the model.
import fs from 'node:fs';
import path from 'node:path';
import { loadSafetensors } from '@gloss/tensor/node';
import { parseArgs } from '../args.js';
import { CliError } from '../errors.js';
import { loadTokenizers } from '../corpus.js';
import type { Io } from '../io.js';

export const INSPECT_HELP = `Usage: gloss inspect DIR [--json]

Shows what a checkpoint directory holds: the model config, the parameter count (by top-level module),
the vocabulary sizes, and the training state (step, epoch, best metric) when it was written by gloss train.
DIR may be a run directory (then its best/ checkpoint, else last/, is shown).

  --json    print one JSON object instead of text`;

/** A run directory's checkpoint to read: DIR itself if it holds config.json, else DIR/best or DIR/last. */
export function resolveCheckpointDir(dir: string): string {
  if (!fs.existsSync(dir)) throw new CliError(`checkpoint directory not found: ${dir}`, 1);
  if (fs.existsSync(path.join(dir, 'config.json'))) return dir;
  for (const sub of ['best', 'last']) {
    if (fs.existsSync(path.join(dir, sub, 'config.json'))) return path.join(dir, sub);
  }
  throw new CliError(`${dir} is not a gloss checkpoint (no config.json in it, nor in best/ or last/)`, 1);
}

function readJson(file: string): Record<string, unknown> | null {
  if (!fs.existsSync(file)) return null;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new CliError(`${file}: not valid JSON (${(e as Error).message})`, 1);
  }
}

export async function runInspect(argv: string[], io: Io): Promise<number> {
  const { flags, positionals } = parseArgs(argv, { json: { type: 'bool' } }, 'inspect');
  if (positionals.length !== 1) throw new CliError(`expected one checkpoint directory, got ${positionals.length} arguments (see gloss inspect --help)`);
  const dir = resolveCheckpointDir(positionals[0]);
  const config = readJson(path.join(dir, 'config.json'));
  const weights = loadSafetensors(path.join(dir, 'model.safetensors')).tensors;
  const byModule = new Map<string, number>();
  let total = 0;
  for (const [name, t] of weights) {
    const top = name.split('.').slice(0, name.startsWith('transformer.') ? 2 : 1).join('.');
    byModule.set(top, (byModule.get(top) ?? 0) + t.size);
    total += t.size;
  }
  const tok = loadTokenizers(dir);
  const vocab = tok.src === tok.tgt ? { shared: tok.src.vocab.size } : { src: tok.src.vocab.size, tgt: tok.tgt.vocab.size };
  const state = readJson(path.join(dir, 'trainer-state.json'));
  const summary = {
    dir, config, parameters: total, parametersByModule: Object.fromEntries(byModule), tokenizer: tok.src.kind, vocab,
    training: state ? { step: state.step, epoch: state.epoch, best: state.best ?? state.bestMetric ?? null } : null,
  };
  if (flags.json) {
    io.out(`${JSON.stringify(summary)}\n`);
    return 0;
  }
  const lines = [`checkpoint  ${dir}`, '', 'config:'];
  for (const [k, v] of Object.entries(config ?? {})) lines.push(`  ${k.padEnd(20)} ${JSON.stringify(v)}`);
  lines.push('', `parameters  ${total.toLocaleString('en-US')}`);
  for (const [k, n] of byModule) lines.push(`  ${k.padEnd(22)} ${n.toLocaleString('en-US')}`);
  lines.push('', `tokenizer   ${tok.src.kind}, vocabulary ${Object.entries(vocab).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  if (summary.training) lines.push(`training    step ${summary.training.step}, epoch ${summary.training.epoch}, best ${JSON.stringify(summary.training.best)}`);
  io.out(`${lines.join('\n')}\n`);
  return 0;
}

// The sweep that chose config.json's settings: each variant is `gloss train` on config.json with a few flags
// changed, under the same time budget, scored by its final validation (greedy BLEU/chrF on config.json's
// validSentences); the test split is not touched. Prints one row per variant and writes runs/sweep/report.html
// (gloss report over all of them).
//
//   node scripts/sweep.mjs [--max-time 3m] [--clock cpu] [--threads 1] [--only NAME,NAME] [--parallel 1]
//
// On a machine busy with other work, --clock cpu with --threads 1 gives every variant the same CPU seconds.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const bin = path.resolve(root, '../../packages/cli/dist/bin.js');
const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const maxTime = args['max-time'] ?? '3m';
const threads = args.threads ?? '1';
const clock = args.clock ?? 'cpu';
const parallel = Number(args.parallel ?? 1);

/** Each variant: config.json plus these flags. */
export const VARIANTS = {
  base: [],
  'd256-3+3': ['--d-model', '256', '--num-encoder-layers', '3', '--num-decoder-layers', '3', '--dim-feedforward', '1024'],
  'd128-3+3': ['--num-encoder-layers', '3', '--num-decoder-layers', '3'],
  'd192': ['--d-model', '192', '--dim-feedforward', '768'],
  'bpe4000': ['--vocab-size', '4000'],
  'bpe16000': ['--vocab-size', '16000'],
  'bpe-separate': ['--no-shared-vocab'],
  'word': ['--tokenizer', 'word', '--min-frequency', '2', '--vocab-size', '100000', '--no-shared-vocab'],
  'lr1e-3': ['--lr', '0.001'],
  'lr3e-3': ['--lr', '0.003'],
  'constant5e-4': ['--schedule', 'constant', '--lr', '0.0005', '--warmup', '0'],
  'tokens2048': ['--max-tokens', '2048'],
  'batch128': ['--batch-size', '128'],
  'warmup50': ['--warmup', '50'],
  'tokens8192': ['--max-tokens', '8192'],
  'dropout0': ['--dropout', '0'],
  'dropout0.3': ['--dropout', '0.3'],
};

const only = args.only ? args.only.split(',') : Object.keys(VARIANTS);
for (const name of only) if (!(name in VARIANTS)) throw new Error(`unknown variant ${name}; known: ${Object.keys(VARIANTS).join(', ')}`);
const outDir = path.join(root, 'runs', 'sweep');
fs.mkdirSync(outDir, { recursive: true });

function run(name) {
  const out = path.join(outDir, name);
  fs.rmSync(out, { recursive: true, force: true });
  const argv = [bin, 'train', '--config', path.join(root, 'config.json'), '--out', out, '--test', '', '--max-time', maxTime,
    '--clock', clock, '--threads', threads, '--log', 'quiet', '--backend', 'cpu', ...VARIANTS[name]];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => (code === 0 ? resolve(summarize(name, out)) : reject(new Error(`${name}: exit ${code}\n${err}`))));
  });
}

function summarize(name, out) {
  const records = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const train = records.filter((r) => r.type === 'train');
  const valid = records.filter((r) => r.type === 'valid').at(-1);
  const tokens = train.reduce((s, r) => s + r.tokens, 0);
  const row = { name, steps: train.length, tokensPerSec: Math.round(tokens / train.at(-1).elapsed), ...valid.metrics };
  process.stdout.write(`${JSON.stringify(row)}\n`);
  return row;
}

const queue = [...only];
const rows = [];
await Promise.all(Array.from({ length: parallel }, async () => {
  while (queue.length) rows.push(await run(queue.shift()));
}));
rows.sort((a, b) => b.bleu - a.bleu);
console.log('\n| variant | steps | target tok/s | valid BLEU | valid chrF | valid loss |\n| --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.name} | ${r.steps} | ${r.tokensPerSec} | ${r.bleu.toFixed(2)} | ${r.chrf.toFixed(2)} | ${r.loss.toFixed(3)} |`);
const report = spawn(process.execPath, [bin, 'report', ...only.map((n) => path.join(outDir, n)), '--out', path.join(outDir, 'report.html')], { stdio: 'inherit' });
await new Promise((resolve) => report.on('exit', resolve));

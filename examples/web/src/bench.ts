// Measures the web app against gloss in Node, in the same run on the same machine: the time per training step of a
// model trained in the page (the train view, in its Worker) vs `gloss train` given that run's train-config.json
// and the same pairs, and the latency of translating one sentence (beam 5) in the page's Worker vs decodeText in
// Node on the same checkpoint. Wall-clock medians (a page has no CPU clock); the ratio is what to read.
//   npm run bench -w @gloss/example-web              # presets tiny and small, 30 steps each (~1.5 min)
//   npm run bench -w @gloss/example-web -- --long    # also the demo preset (d 128, 2+2 layers)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { decodeText, loadTokenizers, resolveCheckpointDir } from '@gloss/cli';
import { loadCheckpoint } from '@gloss/transformer/node';
import { setBackend, cpuBackend } from '@gloss/tensor';
import { buildApp, checkpointIn, CORPUS_DIR, DEMO_RUN, serveApp } from './server.js';
import type { RunView } from './protocol.js';

const STEPS = 30;
const PAIRS = 2000;
const SENTENCE = 'The big queen dances on the hot farm every day.';
const REPEATS = 15;
const presets = process.argv.includes('--long') ? ['tiny', 'small', 'demo'] : ['tiny', 'small'];
const GLOSS = fileURLToPath(new URL('../../../packages/cli/dist/bin.js', import.meta.url));

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
/** Median seconds per step from a metrics log's elapsed, the first step (warm-up) left out. */
const stepTime = (elapsed: number[]) => median(elapsed.slice(2).map((e, i) => e - elapsed[i + 1]));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-web-bench-'));
const lines = (f: string, n: number) => fs.readFileSync(path.join(CORPUS_DIR, f), 'utf8').split('\n').slice(0, n).join('\n') + '\n';
fs.writeFileSync(path.join(tmp, 'train.tsv'), lines('train.tsv', PAIRS));
fs.writeFileSync(path.join(tmp, 'valid.tsv'), lines('valid.tsv', 200));
fs.writeFileSync(path.join(tmp, 'train-300.tsv'), lines('train.tsv', 300));
const server = await serveApp({ dir: await buildApp(path.join(tmp, 'app')), demo: path.join(tmp, 'none') });
const context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
  executablePath: process.env.GLOSS_CHROMIUM ?? '/usr/bin/chromium', headless: true, acceptDownloads: true, args: ['--no-sandbox'],
});
const page = context.pages()[0] ?? await context.newPage();
await page.goto(`${server.url}#train`);
await page.waitForFunction('globalThis.glossReady === true');
await page.waitForFunction(() => (document.getElementById('env')?.textContent ?? '').includes('training Worker'));
console.log(`${await page.textContent('#env')}; Chromium ${context.browser()?.version() ?? ''}, Node ${process.version}`);
await page.getByLabel('Pairs used').fill(String(PAIRS));
await page.getByRole('button', { name: 'Load corpus' }).click();
await page.waitForFunction('globalThis.gloss.corpus !== null');

const rows: string[] = [];
setBackend(cpuBackend);
for (const preset of presets) {
  if (await page.getByRole('button', { name: 'Discard run' }).isEnabled()) {
    await page.getByRole('button', { name: 'Discard run' }).click();
    await page.waitForFunction('globalThis.gloss.run === null');
  }
  await page.getByLabel('Model size').selectOption(preset);
  await page.getByLabel('Steps').fill(String(STEPS));
  await page.getByLabel('Validate every').fill(String(STEPS));
  await page.getByRole('button', { name: 'Start training' }).click();
  await page.waitForFunction("globalThis.gloss.run?.phase === 'done'", undefined, { timeout: 600_000, polling: 200 });
  const run = await page.evaluate('globalThis.gloss.run') as RunView;
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download run (.tar)' }).click()]);
  const dir = path.join(tmp, preset);
  fs.mkdirSync(dir);
  await download.saveAs(path.join(dir, 'run.tar'));
  execFileSync('tar', ['xf', 'run.tar'], { cwd: dir });
  const runDir = path.join(dir, 'gloss-web-run');
  execFileSync(process.execPath, [GLOSS, 'train', '--config', path.join(runDir, 'last/train-config.json'), '--train', path.join(tmp, 'train.tsv'),
    '--valid', path.join(tmp, 'valid.tsv'), '--out', path.join(dir, 'node-run'), '--quiet']);
  const node = fs.readFileSync(path.join(dir, 'node-run/metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.type === 'train');
  const same = node.every((r, i) => r.loss === run.train[i].loss);
  const pageStep = stepTime(run.train.map((r) => r.elapsed));
  const nodeStep = stepTime(node.map((r) => r.elapsed));

  rows.push(`| ${preset} | ${run.parameters.toLocaleString('en-US')} | ${(pageStep * 1000).toFixed(0)} | ${(nodeStep * 1000).toFixed(0)} | ${(pageStep / nodeStep).toFixed(2)} | ${same ? 'yes' : 'NO'} |`);
  console.log(rows.at(-1));
}

// One sentence, beam 5: the page's Worker (decodeText's time there) vs decodeText in Node, on checkpoints that
// translate (gloss train, 100 steps on 300 pairs), and on npm run demo's when it is there.
const latency: string[] = [];
const trained = path.join(tmp, 'latency');
execFileSync(process.execPath, [GLOSS, 'train', '--train', path.join(tmp, 'train-300.tsv'), '--valid', path.join(tmp, 'valid.tsv'), '--out', trained,
  '--tokenizer', 'word', '--d-model', '32', '--num-heads', '2', '--num-encoder-layers', '1', '--num-decoder-layers', '1', '--dim-feedforward', '64',
  '--max-steps', '100', '--max-tokens', '1024', '--warmup', '10', '--lr', '0.01', '--validate-every', '100', '--valid-sentences', '10', '--backend', 'cpu', '--quiet']);
await page.getByRole('tab', { name: 'Translate' }).click();
await page.getByLabel('Beam').fill('5');
await page.getByLabel('N-best').fill('1');
for (const dir of [trained, ...(checkpointIn(DEMO_RUN) ? [DEMO_RUN] : [])]) {
  const ckpt = resolveCheckpointDir(dir);
  await page.evaluate('globalThis.gloss.checkpoint = null');
  await page.locator('#ckpt-files').setInputFiles(fs.readdirSync(ckpt).map((f) => path.join(ckpt, f)));
  await page.waitForFunction('globalThis.gloss.checkpoint !== null', undefined, { timeout: 120_000 });
  const pageMs: number[] = [];
  for (let i = 0; i < REPEATS + 1; i++) {
    await page.evaluate('globalThis.gloss.translateMs = null');
    await page.getByLabel('Sentences, one per line').fill(i % 2 ? `${SENTENCE} ` : SENTENCE);
    await page.waitForFunction('globalThis.gloss.translateMs !== null');
    if (i > 0) pageMs.push(await page.evaluate('globalThis.gloss.translateMs') as number);
  }
  const pageText = await page.evaluate('globalThis.gloss.translations[0].nbest[0].text') as string;
  const { model } = loadCheckpoint(ckpt);
  const tok = loadTokenizers(ckpt);
  const nodeMs: number[] = [];
  let nodeText = '';
  for (let i = 0; i < REPEATS + 1; i++) {
    const t0 = performance.now();
    nodeText = decodeText(model, tok, [i % 2 ? `${SENTENCE} ` : SENTENCE], { beam: 5 })[0].text;
    if (i > 0) nodeMs.push(performance.now() - t0);
  }
  if (pageText !== nodeText) throw new Error(`${ckpt}: the page translated "${SENTENCE}" as "${pageText}", Node as "${nodeText}"`);
  latency.push(`| ${path.relative(tmp, ckpt).startsWith('..') ? path.relative(process.cwd(), ckpt) : 'gloss train, 100 steps'} | ${model.numParameters().toLocaleString('en-US')} | "${nodeText}" | ${median(pageMs).toFixed(1)} (${Math.min(...pageMs).toFixed(1)}) | ${median(nodeMs).toFixed(1)} (${Math.min(...nodeMs).toFixed(1)}) | ${(median(pageMs) / median(nodeMs)).toFixed(2)} |`);
  console.log(latency.at(-1));
}

console.log('\n| preset | parameters | page ms/step | gloss train ms/step | page / node | same losses |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
console.log(`(${STEPS} steps on the first ${PAIRS} bundled pairs, word tokenizer; median step time, the first step left out)`);
console.log(`\n| checkpoint | parameters | "${SENTENCE}" → | page ms, median (min) | node ms, median (min) | page / node (medians) |`);
console.log('|---|---|---|---|---|---|');
for (const r of latency) console.log(r);
console.log(`(one sentence, beam 5, median of ${REPEATS}; the page's time is decodeText's in its Worker)`);
await context.close();
await server.close();
fs.rmSync(tmp, { recursive: true, force: true });

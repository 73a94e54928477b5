// The gloss web app driven in headless Chromium (Debian's /usr/bin/chromium through playwright-core) as a person
// would: open a checkpoint written by `gloss train` and translate three sentences, n-best and scores equal to
// `gloss translate`'s on the same checkpoint and beam; hover the attention heatmap; train 30 steps in the page and
// watch the loss fall and the chart update; pause, reload, resume from the same step to the same losses; download
// the run and translate with it in Node; drop a JSONL corpus and two parallel files and train on them; refuse a
// malformed TSV, a malformed JSONL line, a missing JSONL field, parallel files of different lengths and a corrupt
// checkpoint naming file and line. It takes the screenshots the README shows. Without Chromium it says so in one line and skips, except under CI.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { buildApp, CORPUS_DIR, serveApp, type Server } from './server.js';
import type { RunView, TranslatedLine } from './protocol.js';

const CHROMIUM = process.env.GLOSS_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const GLOSS = path.join(ROOT, 'packages/cli/dist/bin.js');
const SHOTS = fileURLToPath(new URL('../screenshots', import.meta.url));
const SENTENCES = ['The phone is on this box.', 'We visit her pretty airport.', 'Tom obeyed.'];
const BEAM = 4;
const NBEST = 3;

const missing = fs.existsSync(CHROMIUM) ? null : `web app tests not run: no Chromium at ${CHROMIUM} (install it with \`apt-get install -y chromium\`, or set GLOSS_CHROMIUM)`;
const underCi = process.env.CI === 'true';
if (missing !== null && !underCi) console.log(missing);
if (missing !== null && underCi) {
  it('starts headless Chromium (required under CI)', () => { throw new Error(`${missing} — CI=true, so the web app tests must run`); });
}

let tmp: string;
let server: Server;
let context: BrowserContext;
let page: Page;
const errors: string[] = [];

const gloss = (args: string[], input?: string) => execFileSync(process.execPath, [GLOSS, ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
const state = <T>(expr: string) => page.evaluate(`globalThis.gloss.${expr}`) as Promise<T>;
const waitFor = (expr: string, timeout = 100_000) => page.waitForFunction(expr, undefined, { timeout, polling: 50 });

/** gloss translate's n-best lines (INDEX<TAB>SCORE<TAB>TEXT) as [index, score, text]. */
function nodeNbest(dir: string, lines: readonly string[]): [number, number, string][] {
  const out = gloss(['translate', '--checkpoint', dir, '--beam', String(BEAM), '--nbest', String(NBEST), '--backend', 'cpu'], `${lines.join('\n')}\n`);
  return out.trimEnd().split('\n').map((l) => { const [i, s, ...t] = l.split('\t'); return [Number(i), Number(s), t.join('\t')]; });
}
const pageNbest = (results: TranslatedLine[]): [number, number, string][] =>
  results.flatMap((r, i) => r.nbest.map((h): [number, number, string] => [i, Number(h.score.toFixed(4)), h.text]));

async function screenshot(name: string, width: number): Promise<void> {
  await page.setViewportSize({ width, height: width < 600 ? 780 : 900 });
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
  // Readable at this width: nothing makes the page scroll sideways.
  const wide = await page.evaluate((w) => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > w + 0.5).slice(0, 5).map((e) => `${e.tagName}#${e.id}.${e.className}`), width);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${width} px: ${wide.join(', ')}`).toBeLessThanOrEqual(width);
}

beforeAll(async () => {
  if (missing) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-web-test-'));
  // The checkpoint the page offers as the demo: gloss train on 300 pairs of the bundled corpus, 100 steps (~4 s).
  const lines = (f: string, n: number) => fs.readFileSync(path.join(CORPUS_DIR, f), 'utf8').split('\n').slice(0, n).join('\n') + '\n';
  fs.writeFileSync(path.join(tmp, 'train.tsv'), lines('train.tsv', 300));
  fs.writeFileSync(path.join(tmp, 'valid.tsv'), lines('valid.tsv', 20));
  gloss(['train', '--train', path.join(tmp, 'train.tsv'), '--valid', path.join(tmp, 'valid.tsv'), '--out', path.join(tmp, 'demo'),
    '--tokenizer', 'word', '--d-model', '32', '--num-heads', '2', '--num-encoder-layers', '1', '--num-decoder-layers', '1',
    '--dim-feedforward', '64', '--max-steps', '100', '--max-tokens', '1024', '--warmup', '10', '--lr', '0.01',
    '--validate-every', '100', '--valid-sentences', '10', '--backend', 'cpu', '--quiet']);
  const dir = await buildApp(path.join(tmp, 'app'));
  server = await serveApp({ dir, demo: path.join(tmp, 'demo') });
  const { chromium } = await import('playwright-core');
  context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: CHROMIUM, headless: true, acceptDownloads: true, viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-default-apps'],
  });
  page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  // Every request stays on the page's server: nothing is fetched from the network.
  page.on('request', (r) => { if (!r.url().startsWith(server.url) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) errors.push(`external request: ${r.url()}`); });
  await page.goto(server.url);
  await waitFor('globalThis.glossReady === true');
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(missing !== null)('the gloss web app in headless Chromium', () => {
  it('is cross-origin isolated, with the training Worker on several threads', async () => {
    await expect.poll(() => page.textContent('#env')).toMatch(/^cross-origin isolated, \d+ cores; training Worker: [2-9] threads \(web workers\)/);
  });

  it("opens the demo checkpoint and translates three sentences as `gloss translate` does (beam 4, 3-best, scores)", async () => {
    expect(await page.getByRole('button', { name: 'Use the model trained here' }).isHidden()).toBe(true);   // nothing trained yet
    await page.getByRole('button', { name: /Open the demo checkpoint/ }).click();
    await waitFor('globalThis.gloss.checkpoint !== null');
    expect(await page.textContent('#ckpt-info')).toMatch(/demo\/best: [\d,]+ parameters \(d 32, 2 heads, 1\+1 layers\), word vocabulary \d+ \(shared\), step 100; .*Backend: cpu \(WebAssembly/);
    await page.getByLabel('Beam').fill(String(BEAM));
    await page.getByLabel('N-best').fill(String(NBEST));
    await page.getByLabel('Sentences, one per line').fill(SENTENCES.join('\n'));   // typed: translated after the debounce
    await waitFor(`globalThis.gloss.translations.length === 3 && globalThis.gloss.translations[0].nbest.length === ${NBEST}`);
    const results = await state<TranslatedLine[]>('translations');
    expect(results.map((r) => r.src)).toEqual(SENTENCES);
    expect(pageNbest(results)).toEqual(nodeNbest(path.join(tmp, 'demo'), SENTENCES));
    expect(await page.textContent('#latency')).toMatch(/^3 sentences translated in \d+ ms \(beam 4\)\.$/);
    const latency = await state<number>('translateMs');
    console.log(`translate view: 3 sentences, beam ${BEAM}, in ${latency.toFixed(0)} ms`);
  });

  it('shows the cross-attention per layer and head; hover and the arrow keys read out tokens and weight', async () => {
    const all = await state<TranslatedLine[]>('translations');
    const index = all.reduce((best, l, i) => (l.nbest[0].tgtTokens.length > all[best].nbest[0].tgtTokens.length ? i : best), 0);
    const line = all[index];   // the longest output: at least two rows
    const [heads, rows, cols] = line.attention[0].shape;
    expect([heads, rows, cols]).toEqual([2, line.nbest[0].tgtTokens.length, line.srcTokens.length]);
    expect(rows).toBeGreaterThanOrEqual(2);
    await page.getByLabel('Sentence', { exact: true }).selectOption(String(index));
    await page.getByLabel('Head').selectOption('1');
    expect(await page.locator('#att-map rect').count()).toBe(rows * cols);
    await page.locator('#att-map rect').nth(cols + 1).hover();   // row 1, column 1
    const w = line.attention[0].data[rows * cols + cols + 1];     // head 1
    expect(await page.textContent('#att-readout')).toBe(`${line.nbest[0].tgtTokens[1]} → ${line.srcTokens[1]}: ${w.toFixed(3)}`);
    await page.locator('#att-map').focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.textContent('#att-readout')).toBe(`${line.nbest[0].tgtTokens[1]} → ${line.srcTokens[2]}: ${line.attention[0].data[rows * cols + cols + 2].toFixed(3)}`);
    await page.getByLabel('Head').selectOption('mean');
    await page.locator('#att-map rect').first().hover();
    const mean = (line.attention[0].data[0] + line.attention[0].data[rows * cols]) / 2;
    expect(await page.textContent('#att-readout')).toBe(`${line.nbest[0].tgtTokens[0]} → ${line.srcTokens[0]}: ${mean.toFixed(3)}`);
    await page.getByLabel('Head').selectOption('0');
    await screenshot('translate', 1280);
    await screenshot('translate', 360);
    await screenshot('translate', 320);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('refuses a corrupt or incomplete checkpoint, naming the file', async () => {
    const best = path.join(tmp, 'demo/best');
    const weights = fs.readFileSync(path.join(best, 'model.safetensors'));
    const bad = path.join(tmp, 'bad');
    fs.mkdirSync(bad);
    fs.copyFileSync(path.join(best, 'config.json'), path.join(bad, 'config.json'));
    fs.copyFileSync(path.join(best, 'tokenizer.json'), path.join(bad, 'tokenizer.json'));
    fs.writeFileSync(path.join(bad, 'model.safetensors'), weights.subarray(0, weights.length - 100));
    await page.locator('#ckpt-files').setInputFiles(['config.json', 'tokenizer.json', 'model.safetensors'].map((f) => path.join(bad, f)));
    await waitFor("!document.getElementById('ckpt-error').hidden");
    const message = await page.textContent('#ckpt-error');
    expect(message).toMatch(/the files chosen\/model\.safetensors.*(truncated|corrupt|bytes)/);
    await page.locator('#ckpt-files').setInputFiles([path.join(bad, 'config.json'), path.join(bad, 'tokenizer.json')]);
    await expect.poll(() => page.textContent('#ckpt-error')).toBe('the files chosen/model.safetensors is missing: the checkpoint is incomplete (it has config.json, tokenizer.json)');
  });

  /** Drops `files` (name, content) on the element, as a person dragging them from a file manager would. */
  async function drop(selector: string, files: [name: string, content: string][]): Promise<void> {
    const dataTransfer = await page.evaluateHandle((fs) => {
      const dt = new DataTransfer();
      for (const [name, content] of fs) dt.items.add(new File([content], name));
      return dt;
    }, files);
    await page.dispatchEvent(selector, 'drop', { dataTransfer });
  }
  const firstPairs = (n: number) => fs.readFileSync(path.join(CORPUS_DIR, 'train.tsv'), 'utf8').split('\n').slice(0, n).map((l) => l.split('\t'));

  /** Trains the tiny model 5 steps on the corpus loaded, validating at step 5; returns the run. */
  async function trainFiveSteps(): Promise<RunView> {
    await page.getByLabel('Model size').selectOption('tiny');
    await page.getByLabel('Steps').fill('5');
    await page.getByLabel('Validate every').fill('5');
    await page.getByRole('button', { name: 'Start training' }).click();
    await waitFor("globalThis.gloss.run?.phase === 'done' && globalThis.gloss.run.maxSteps === 5 && globalThis.gloss.run.valid.length === 1");
    const run = await state<RunView>('run');
    expect(run.train).toHaveLength(5);
    expect(run.train.every((r) => Number.isFinite(r.loss) && r.loss > 0)).toBe(true);
    expect(await page.textContent('#progress-text')).toBe('done: step 5 of 5');
    expect((await page.locator('#chart-loss polyline.series').first().getAttribute('points'))!.trim().split(' ')).toHaveLength(5);
    return run;
  }
  async function discardRun(): Promise<void> {
    await page.getByRole('button', { name: 'Discard run' }).click();
    await waitFor('globalThis.gloss.run === null');
  }

  it('trains on a dropped JSONL corpus, with its source and target field names given (article → summary)', async () => {
    await page.getByRole('tab', { name: 'Train' }).click();
    const jsonl = firstPairs(120).map(([src, tgt], i) => JSON.stringify({ id: i, article: src, summary: tgt })).join('\n') + '\n';
    await page.getByLabel('JSONL source field').fill('article');
    await page.getByLabel('JSONL target field').fill('summary');
    await page.getByLabel('Pairs used').fill('120');
    await drop('#corpus-drop', [['pairs.jsonl', jsonl]]);
    await waitFor('globalThis.gloss.corpus?.name.startsWith("pairs.jsonl")');
    expect(await page.textContent('#corpus-info')).toMatch(/^pairs\.jsonl \("article" → "summary"\): 108 training pairs, 12 held out for validation; word vocabulary \d+\.$/);
    expect(await page.getByRole('radio', { name: /your files/ }).isChecked()).toBe(true);
    const run = await trainFiveSteps();
    expect(run.corpus).toBe('pairs.jsonl ("article" → "summary")');
    await discardRun();
  }, 60_000);

  it('trains on two dropped parallel files, asking which is the source when the language suffixes do not say', async () => {
    const pairs = firstPairs(120);
    await page.getByLabel('Source language').fill('src');   // gloss train's defaults: neither .en nor .fr
    await page.getByLabel('Target language').fill('tgt');
    await drop('#corpus-drop', [['train.fr', pairs.map((p) => p[1]).join('\n') + '\n'], ['train.en', pairs.map((p) => p[0]).join('\n') + '\n']]);
    await expect.poll(() => page.textContent('#corpus-files-info')).toMatch(/^Parallel files train\.fr and train\.en: .* choose the source file\.$/);
    expect(await page.getByLabel('Source file').inputValue()).toBe('');
    expect(await page.getByLabel('Source file').locator('option').allTextContents()).toEqual(['(choose which file is the source)', 'train.fr (.fr)', 'train.en (.en)']);
    await page.getByRole('button', { name: 'Load corpus' }).click();   // not until the source is chosen
    await expect.poll(() => page.textContent('#train-error')).toMatch(/^choose which of train\.fr and train\.en is the source/);
    await page.getByLabel('Source file').selectOption({ label: 'train.en (.en)' });
    await waitFor('globalThis.gloss.corpus?.name === "train.en → train.fr"');
    expect(await page.textContent('#corpus-files-info')).toBe('Parallel files: source train.en, target train.fr (prefix train).');
    expect(await page.textContent('#corpus-info')).toMatch(/^train\.en → train\.fr: 108 training pairs, 12 held out for validation; word vocabulary \d+\.$/);
    const run = await trainFiveSteps();
    // The samples are English sources with French references: the direction chosen.
    expect(run.samples!.samples[0].src).toBe(pairs[108][0]);
    expect(run.samples!.samples[0].ref).toBe(pairs[108][1]);
    // The run's train-config.json names the format, the prefix and the suffixes: gloss train on the same pairs, as
    // parallel files train.en/train.fr (the first 108) and valid.en/valid.fr (the 12 held out), repeats its losses.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download run (.tar)' }).click()]);
    const dir = path.join(tmp, 'parallel');
    fs.mkdirSync(dir, { recursive: true });
    await download.saveAs(path.join(dir, 'run.tar'));
    execFileSync('tar', ['xf', 'run.tar'], { cwd: dir });
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'gloss-web-run/last/train-config.json'), 'utf8'));
    expect([config.format, config.train, config.srcLang, config.tgtLang]).toEqual(['parallel', 'train', 'en', 'fr']);
    for (const [side, lang] of [[0, 'en'], [1, 'fr']] as const) {
      fs.writeFileSync(path.join(dir, `train.${lang}`), pairs.slice(0, 108).map((p) => p[side]).join('\n') + '\n');
      fs.writeFileSync(path.join(dir, `valid.${lang}`), pairs.slice(108).map((p) => p[side]).join('\n') + '\n');
    }
    gloss(['train', '--config', path.join(dir, 'gloss-web-run/last/train-config.json'), '--train', path.join(dir, 'train'),
      '--valid', path.join(dir, 'valid'), '--out', path.join(dir, 'node-run'), '--quiet']);
    const nodeLosses = fs.readFileSync(path.join(dir, 'node-run/metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.type === 'train').map((r) => r.loss);
    expect(nodeLosses).toEqual(run.train.map((r) => r.loss));
    await discardRun();
  }, 60_000);

  it('refuses a malformed JSONL line, a missing field (gzipped) and parallel files of different lengths, naming file and line', async () => {
    const zlib = await import('node:zlib');
    const bad = path.join(tmp, 'bad-corpora');
    fs.mkdirSync(bad, { recursive: true });
    fs.writeFileSync(path.join(bad, 'broken.jsonl'), '{"article": "Hi.", "summary": "Salut."}\n{"article": "Yes.", "summary": "Oui."\n');
    await page.locator('#corpus-files').setInputFiles(path.join(bad, 'broken.jsonl'));
    await expect.poll(() => page.textContent('#train-error')).toMatch(/^broken\.jsonl:2: readJsonlPairs: invalid JSON \(.*\): "\{\\?"article/);
    fs.writeFileSync(path.join(bad, 'fields.jsonl.gz'), zlib.gzipSync('{"article": "Hi.", "summary": "Salut."}\n{"article": "Yes.", "summry": "Oui."}\n'));
    await page.locator('#corpus-files').setInputFiles(path.join(bad, 'fields.jsonl.gz'));
    await expect.poll(() => page.textContent('#train-error')).toBe('fields.jsonl.gz:2: readJsonlPairs: missing field "summary" (fields present: "article", "summry")');
    await page.getByLabel('Source language').fill('en');   // now the suffixes say which is the source
    await page.getByLabel('Target language').fill('fr');
    fs.writeFileSync(path.join(bad, 'short.fr'), 'Bonjour.\nMerci.\nOui.\n');
    fs.writeFileSync(path.join(bad, 'short.en'), 'Hello.\nThanks.\nYes.\nNo.\n');
    await page.locator('#corpus-files').setInputFiles([path.join(bad, 'short.fr'), path.join(bad, 'short.en')]);
    await expect.poll(() => page.textContent('#train-error')).toBe('short.en:4: readParallelFiles: line counts differ: short.en has 4 lines but short.fr has 3');
    expect(await page.getByLabel('Source file').inputValue()).toBe('1');   // short.en, by its suffix
    for (const [label, value] of [['JSONL source field', 'src'], ['JSONL target field', 'tgt'], ['Source language', 'src'], ['Target language', 'tgt']]) {
      await page.getByLabel(label).fill(value);   // back to gloss train's defaults
    }
  });

  it('refuses a malformed TSV, naming its line', async () => {
    await page.getByRole('tab', { name: 'Train' }).click();
    const tsv = path.join(tmp, 'pairs.tsv');
    fs.writeFileSync(tsv, 'Hello.\tBonjour.\nThanks.\tMerci.\nno tab on this line\nYes.\tOui.\n');
    await page.locator('#corpus-files').setInputFiles(tsv);
    await expect.poll(() => page.textContent('#train-error')).toBe('pairs.tsv:3: readTsvPairs: expected at least 2 tab-separated fields (source<TAB>target), got 1: "no tab on this line"');
  });

  let uninterrupted: number[];

  it('trains 30 steps in a Worker on the bundled corpus: the loss falls and the chart follows it', async () => {
    await page.getByRole('radio', { name: /bundled/ }).check();
    await page.getByLabel('Pairs used').fill('2000');
    await page.getByRole('button', { name: 'Load corpus' }).click();
    await waitFor('globalThis.gloss.corpus?.name.startsWith("bundled")');
    expect(await page.textContent('#corpus-info')).toMatch(/^bundled synthetic English→French .*: 2,000 training pairs, 200 held out for validation; word vocabulary \d+\.$/);
    expect(await page.locator('#preset option').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^tiny \(d 32, 1\+1 layers\): [\d,]+ parameters$/)]));
    await page.getByLabel('Model size').selectOption('tiny');
    await page.getByLabel('Steps').fill('30');
    await page.getByRole('button', { name: 'Measure its step time here' }).click();
    await waitFor("globalThis.gloss.measured.tiny !== undefined");
    expect(await page.textContent('#measure-info')).toMatch(/^tiny: \d+ ms per step measured in this page, so 30 steps take about \d+ s \(validations not included\)\.$/);
    await page.getByLabel('Steps').fill('30');
    await page.getByLabel('Validate every').fill('10');
    const t0 = performance.now();
    await page.getByRole('button', { name: 'Start training' }).click();
    await waitFor("globalThis.gloss.run?.step >= 5 && globalThis.gloss.run.phase === 'training'");
    const early = await state<number>('chartUpdates');
    expect(await page.textContent('#progress-text')).toMatch(/^training: step \d+ of 30/);
    await waitFor("globalThis.gloss.run?.phase === 'done'");
    const seconds = (performance.now() - t0) / 1000;
    const run = await state<RunView>('run');
    uninterrupted = run.train.map((r) => r.loss);
    expect(uninterrupted).toHaveLength(30);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(uninterrupted.slice(-5))).toBeLessThan(mean(uninterrupted.slice(0, 5)) - 0.5);
    expect(run.valid.map((v) => v.step)).toEqual([10, 20, 30]);
    expect(run.valid[2].metrics.loss).toBeLessThan(run.valid[0].metrics.loss);
    expect(await state<number>('chartUpdates')).toBeGreaterThan(early);
    const drawn = await page.locator('#chart-loss polyline.series').first().getAttribute('points');
    expect(drawn!.trim().split(' ')).toHaveLength(30);   // one point per step, as logged
    expect(await page.locator('#samples tbody tr').count()).toBe(3);
    expect(await page.textContent('#progress-text')).toBe('done: step 30 of 30');
    const perStep = (run.train[29].elapsed - run.train[0].elapsed) / 29;
    console.log(`train view: 30 steps (tiny, ${run.parameters} parameters) in ${seconds.toFixed(1)} s, ${(perStep * 1000).toFixed(0)} ms per step`);
    await screenshot('train', 1280);
    await screenshot('train', 360);
    await screenshot('train', 320);
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 150_000);

  it('downloads the run as a .tar that `gloss translate` loads, translating as the page does; gloss train repeats its losses', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download run (.tar)' }).click()]);
    expect(download.suggestedFilename()).toBe('gloss-web-run.tar');
    const tar = path.join(tmp, 'run.tar');
    await download.saveAs(tar);
    execFileSync('tar', ['xf', tar], { cwd: tmp });
    const runDir = path.join(tmp, 'gloss-web-run');
    expect(fs.readdirSync(runDir).sort()).toEqual(['best', 'last', 'metrics.jsonl']);
    expect(fs.readdirSync(path.join(runDir, 'last')).sort()).toEqual(['config.json', 'model.safetensors', 'optimizer.safetensors', 'tokenizer.json', 'train-config.json', 'trainer-state.json']);
    const inspected = JSON.parse(gloss(['inspect', path.join(runDir, 'last'), '--json']));
    expect(inspected.training.step).toBe(30);
    // gloss train in Node, given the run's own train-config.json and the same pairs (the bundled corpus's first 2,000
    // and the 200 validation pairs), trains the same model the same way: the same losses, bit for bit.
    const lines = (f: string, n: number) => fs.readFileSync(path.join(CORPUS_DIR, f), 'utf8').split('\n').slice(0, n).join('\n') + '\n';
    fs.writeFileSync(path.join(tmp, 'train-2000.tsv'), lines('train.tsv', 2000));
    fs.writeFileSync(path.join(tmp, 'valid-200.tsv'), lines('valid.tsv', 200));
    gloss(['train', '--config', path.join(runDir, 'last/train-config.json'), '--train', path.join(tmp, 'train-2000.tsv'),
      '--valid', path.join(tmp, 'valid-200.tsv'), '--out', path.join(tmp, 'node-run'), '--quiet']);
    const losses = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.type === 'train').map((r) => r.loss as number);
    expect(losses(path.join(tmp, 'node-run/metrics.jsonl'))).toEqual(uninterrupted);
    expect(losses(path.join(runDir, 'metrics.jsonl'))).toEqual(uninterrupted);
    // The page translates with the same model (best/, as gloss translate picks) to the same n-best.
    await page.getByRole('button', { name: 'Translate with it' }).click();
    await waitFor("globalThis.gloss.checkpoint?.source === 'the model trained here: gloss-web-run/best'");
    await waitFor(`globalThis.gloss.translations.length === 3 && globalThis.gloss.translations[0].nbest.length === ${NBEST}`);
    await expect.poll(async () => pageNbest(await state<TranslatedLine[]>('translations'))).toEqual(nodeNbest(runDir, SENTENCES));
  }, 150_000);

  it('pauses, survives a reload at the same step, and resumes to the same losses as the run never paused', async () => {
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('button', { name: 'Discard run' }).click();
    await waitFor('globalThis.gloss.run === null');
    await page.getByRole('button', { name: 'Start training' }).click();
    await waitFor('globalThis.gloss.run?.step >= 13');
    await page.getByRole('button', { name: 'Pause' }).click();
    await waitFor("globalThis.gloss.run.phase === 'paused'");
    const paused = await state<number>('run.step');
    expect(paused).toBeGreaterThanOrEqual(13);
    expect(paused).toBeLessThan(30);
    await page.reload();
    await waitFor('globalThis.glossReady === true && globalThis.gloss.run !== null');
    const restored = await state<RunView>('run');
    expect(restored.phase).toBe('paused');
    expect(restored.step).toBe(paused);
    expect(restored.train.map((r) => r.loss)).toEqual(uninterrupted.slice(0, paused));
    expect(await page.textContent('#progress-text')).toBe(`paused: step ${paused} of 30`);
    await page.getByRole('button', { name: 'Resume' }).click();
    await waitFor("globalThis.gloss.run?.phase === 'done'");
    expect((await state<RunView>('run')).train.map((r) => r.loss)).toEqual(uninterrupted);
    expect(errors).toEqual([]);
  }, 150_000);

  it('is keyboard operable: the tabs move with the arrow keys', async () => {
    await page.getByRole('tab', { name: 'Train' }).focus();
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByRole('tab', { name: 'Translate' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-translate');
    expect(await page.locator('#view-train').isHidden()).toBe(true);
  });
});

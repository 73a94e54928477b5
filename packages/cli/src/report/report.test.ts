// gloss report end to end on two synthetic runs (metrics.jsonl and train-config.json written here, the first with
// a tiny untrained checkpoint for the attention view): the page holds every record, one curve per run per chart,
// the config differences, escaped text; the CLI writes where it says and refuses bad data by file:line; and, when
// /usr/bin/chromium exists, the page's script runs in a browser without error.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '@gloss/tensor';
import { WordTokenizer } from '@gloss/data';
import { Seq2SeqTransformer } from '@gloss/transformer';
import { saveCheckpoint } from '@gloss/transformer/node';
import { resolveConfig } from '../config.js';
import { tokenizerFiles } from '../corpus.js';
import { main } from '../main.js';
import { memoryIo } from '../io.js';
import { reportPage } from '../commands/report.js';
import { renderReport, type ReportData } from './page.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-report-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const EVIL = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';
const validFile = path.join(root, 'valid.tsv');
const runA = path.join(root, 'base');
const runB = path.join(root, 'wide<b>');

/** Writes a run directory: `steps` train records (a falling noisy loss, warmup then constant lr), a validation every 50 steps. */
function writeRun(dir: string, seed: number, steps: number, dModel: number, secondsPerStep: number): Record<string, unknown>[] {
  const g = new Generator(seed);
  const records: Record<string, unknown>[] = [];
  let elapsed = 0;
  for (let step = 1; step <= steps; step++) {
    elapsed += secondsPerStep * (0.9 + 0.2 * g.random());
    const loss = 1.5 + 5 * Math.exp(-step / (dModel * 3)) + 0.3 * g.normal();
    records.push({ type: 'train', step, epoch: Math.floor(step / 120), loss, nll: loss - 0.2, lr: 1e-3 * Math.min(1, step / 40), gradNorm: 1 + g.random(), tokens: 2000 + g.int(500), elapsed });
    if (step % 50 === 0) {
      elapsed += 3;
      const vloss = loss - 0.3;
      records.push({ type: 'valid', step, elapsed, metrics: { loss: vloss, ppl: Math.exp(vloss), bleu: 40 - 6 * vloss, chrf: 60 - 5 * vloss } });
    }
  }
  fs.mkdirSync(path.join(dir, 'last'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  const config = resolveConfig({ train: path.join(root, 'train.tsv'), valid: validFile, out: dir, tokenizer: 'word', dModel, numHeads: 2, maxSteps: steps, validateEvery: 50 });
  fs.writeFileSync(path.join(dir, 'last', 'train-config.json'), `${JSON.stringify(config, null, 2)}\n`);
  return records;
}

let recordsA: Record<string, unknown>[], recordsB: Record<string, unknown>[];
let page: string;
let data: ReportData;

beforeAll(() => {
  fs.writeFileSync(validFile, `${EVIL}\tle chat\nred cat\tchat rouge\n`);
  recordsA = writeRun(runA, 1, 300, 32, 0.5);
  recordsB = writeRun(runB, 2, 240, 64, 0.9);
  // A tiny untrained checkpoint in base/best: enough for a real attention view.
  const tok = WordTokenizer.train([EVIL, 'red cat', 'le chat', 'chat rouge']);
  const model = new Seq2SeqTransformer({ srcVocabSize: tok.vocab.size, tgtVocabSize: tok.vocab.size, dModel: 16, numHeads: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 32, dropout: 0, maxLen: 64 }, { generator: new Generator(3) });
  saveCheckpoint(path.join(runA, 'best'), model, { files: tokenizerFiles({ src: tok, tgt: tok }) });
  page = reportPage([runA, runB]);
  const json = /<script type="application\/json" id="gloss-report-data">(.*?)<\/script>/s.exec(page);
  data = JSON.parse(json![1]) as ReportData;
});

/** The <figure class="chart"> with this id. */
const chart = (id: string) => new RegExp(`<figure class="chart" id="${id}">.*?</figure>`, 's').exec(page)?.[0] ?? '';

describe('reportPage', () => {
  it('embeds every record of both runs, their configs and summaries as JSON', () => {
    expect(data.runs.map((r) => r.name)).toEqual(['base', 'wide<b>']);
    for (const [run, records] of [[data.runs[0], recordsA], [data.runs[1], recordsB]] as const) {
      expect(run.train).toEqual(records.filter((r) => r.type === 'train'));
      expect(run.valid).toEqual(records.filter((r) => r.type === 'valid'));
    }
    expect(data.runs[1].config?.dModel).toBe(64);
    expect(data.runs[0].summary.steps).toBe(300);
    expect(data.runs[1].summary.best?.metric).toBe('bleu');
    expect(data.runs[1].summary.best?.value).toBe(Math.max(...recordsB.filter((r) => r.type === 'valid').map((r) => (r.metrics as { bleu: number }).bleu)));
  });

  it('draws one curve per run in every chart (and the raw loss faint behind), against step and time', () => {
    const ids = ['train-loss-step', 'train-loss-time', 'lr-step', 'tokens-time', ...['bleu', 'chrf', 'loss'].flatMap((m) => [`valid-${m}-step`, `valid-${m}-time`])];
    for (const id of ids) {
      const svg = chart(id);
      expect(svg, id).toContain('<svg');
      for (const run of [0, 1]) expect(svg.match(new RegExp(`class="series" data-run="${run}"`, 'g')), `${id} run ${run}`).toHaveLength(1);
    }
    expect(page.match(/<figure class="chart"/g)).toHaveLength(ids.length);   // ppl is not charted (it is exp(loss))
    expect(chart('train-loss-step').match(/class="raw"/g)).toHaveLength(2);
    expect(chart('valid-bleu-step').match(/<circle class="dot" data-run="0"/g)).toHaveLength(6);   // 300 steps / 50
    expect(chart('train-loss-time')).toContain('training time (min)');
    expect(chart('lr-step')).toContain('>1e-3<');   // a tick label at the peak learning rate
  });

  it('puts the configs side by side and marks the fields that differ', () => {
    expect(page).toMatch(/<tr class="differs"><th>dModel<\/th><td>32<\/td><td>64<\/td><\/tr>/);
    expect(page).toMatch(/<tr><th>tokenizer<\/th><td>&quot;word&quot;<\/td><td>&quot;word&quot;<\/td><\/tr>/);
    expect(page).toContain('id="only-differing"');
  });

  it('escapes text from files: corpus sentences, run names, config values', () => {
    expect(page.match(/<script/g)).toHaveLength(2);   // the JSON data and the page's script, nothing else
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b>');
    expect(page).toContain('wide&lt;b&gt;');
    expect(page).toContain('<p class="sentence">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt; <span');
    expect(data.attention).toMatchObject({ run: 'base', sentence: EVIL, checkpoint: path.join(runA, 'best') });
  });

  it('shows the attention view of the first validation sentence from the first run', () => {
    expect(page).toContain('<h2 id="attention">Attention</h2>');
    expect(page).toContain('<figcaption>layer 0, mean of 2 heads</figcaption>');
    expect(page).not.toMatch(/<link|<img|<iframe|\bsrc="|href="|url\((?!#)|@import/);   // self-contained: nothing to fetch
  });
});

describe('renderReport', () => {
  it('renders a run that has not written a record or a config yet', () => {
    const html = renderReport([{ name: 'new', dir: 'runs/new', config: null, train: [], valid: [] }], { attention: { run: 'new', note: 'no checkpoint yet' } });
    expect(html.match(/<p class="empty">no data yet<\/p>/g)).toHaveLength(4);
    expect(html).toContain('<p class="empty">No validation yet.</p>');
    expect(html).toContain('No run has a train-config.json yet');
    expect(html).toContain('<p class="note">No attention view for new: no checkpoint yet</p>');
  });
});

describe('gloss report', () => {
  const bin = path.resolve(__dirname, '../../dist/bin.js');
  const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [bin, 'report', ...args], { encoding: 'utf8', cwd });

  it('writes RUN/report.html for one run, ./report.html for several, or --out; prints the path', async () => {
    const one = memoryIo();
    expect(await main(['report', runB], one)).toBe(0);
    expect(one.stdout).toBe(`${path.join(runB, 'report.html')}\n`);
    expect(one.stderr).toBe(`gloss report: no attention view: no checkpoint in ${runB} yet (best/ or last/)\n`);
    expect(fs.readFileSync(path.join(runB, 'report.html'), 'utf8')).toContain('<p class="note">No attention view for wide&lt;b&gt;: no checkpoint in');
    const quiet = memoryIo();
    const out = path.join(root, 'both.html');
    expect(await main(['report', runA, runB, '--out', out, '-q'], quiet)).toBe(0);
    expect(quiet.stdout + quiet.stderr).toBe('');
    expect(fs.readFileSync(out, 'utf8')).toContain('<h1>gloss report: base, wide&lt;b&gt;</h1>');
    const several = run(root, 'base', 'wide<b>');
    expect(several.stderr).toBe('');
    expect(several.stdout).toBe('report.html\n');
    expect(fs.existsSync(path.join(root, 'report.html'))).toBe(true);
  }, 30_000);

  it('refuses a missing run, a missing metrics.jsonl and a malformed line with one line and exit code 1', () => {
    const missing = run(root, 'base', 'nope');
    expect([missing.status, missing.stderr]).toEqual([1, 'gloss report: run directory not found: nope\n']);
    fs.mkdirSync(path.join(root, 'empty'), { recursive: true });
    const empty = run(root, 'empty');
    expect([empty.status, empty.stderr]).toEqual([1, 'gloss report: empty/metrics.jsonl: not found (is empty a gloss train run directory?)\n']);
    const bad = path.join(root, 'bad');
    fs.mkdirSync(bad, { recursive: true });
    fs.writeFileSync(path.join(bad, 'metrics.jsonl'), `${JSON.stringify(recordsA[0])}\n\n{"type":"train","step":3,"loss":"high","elapsed":1}\n`);
    const malformed = run(root, 'bad');
    expect([malformed.status, malformed.stderr]).toEqual([1, 'gloss report: bad/metrics.jsonl:3: a train record needs a number "loss", got "high"\n']);
    const usage = run(root);
    expect([usage.status, usage.stderr]).toEqual([2, 'gloss report: expected one or more run directories (see gloss report --help)\n']);
    expect(run(root, '--help').stdout).toMatch(/^Usage: gloss report RUN \[RUN …\]/);
  }, 30_000);

  it('runs its script in headless Chromium: values under the pointer, a legend click hides a run', (ctx) => {
    if (!fs.existsSync('/usr/bin/chromium')) {
      console.warn(`skipped: ${ctx.task.name} — needs /usr/bin/chromium`);
      ctx.skip('needs /usr/bin/chromium');
    }
    // The page as written, plus a probe that moves the pointer over the first chart and clicks the second run's legend entry.
    const probe = `<script>
      var svg = document.querySelector('#train-loss-step svg'), box = svg.getBoundingClientRect();
      svg.dispatchEvent(new MouseEvent('mousemove', { clientX: box.left + box.width / 2, clientY: box.top + box.height / 2, bubbles: true }));
      document.body.setAttribute('data-probe-tip', document.querySelector('.tip').textContent);
      document.querySelector('.legend button[data-run="1"]').click();
      document.body.setAttribute('data-probe-hidden', document.querySelectorAll('svg [data-run="1"][style*="none"]').length);
    </script>`;
    const file = path.join(root, 'probed.html');
    fs.writeFileSync(file, fs.readFileSync(path.join(root, 'both.html'), 'utf8').replace('</body>', `${probe}</body>`));
    const dom = spawnSync('/usr/bin/chromium', ['--headless', '--no-sandbox', '--disable-gpu', `--user-data-dir=${path.join(root, 'chromium')}`,
      '--dump-dom', `file://${file}`], { encoding: 'utf8', timeout: 60_000 });
    expect(dom.status, dom.stderr).toBe(0);
    const body = /<body([^>]*)>/.exec(dom.stdout)?.[1] ?? '';
    expect(body).toContain('data-script="ok"');
    expect(body).toContain('data-runs="2"');
    expect(body).not.toContain('data-script-error');
    expect(body).toMatch(/data-probe-tip="base: \d\.\d+ {2}\(step 1\d\d\)\nwide&lt;b&gt;: \d\.\d+ {2}\(step 1\d\d\)"/);
    // Every element of run 1 in the charts: 2 raw loss lines + 10 curves + 3 metrics × 2 charts × 4 validation dots (240 steps / 50).
    expect(body).toContain(`data-probe-hidden="${2 + 10 + 3 * 2 * 4}"`);
  }, 90_000);
});

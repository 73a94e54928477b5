// The report page: one self-contained HTML file (inline SVG charts, inline CSS and script, no network) that
// overlays training runs — loss, validation metrics, learning rate, throughput, a summary and the configurations
// side by side — with the parsed records embedded as JSON in <script type="application/json" id="gloss-report-data">.
import { REPORT_SCRIPT } from './script.js';
import { escapeHtml as esc, formatNumber, lineChart, type ChartSeries } from './svg-chart.js';
import { SMOOTHED_POINTS, configRows, smoothingWindow, summarize, thin, tokensPerSecond, windowMeans, type Point, type RunSummary } from './series.js';
import type { ReportAttention } from './attention.js';
import type { ReportRun, TrainRecord, ValidRecord } from './runs.js';

/** Run colours, in order (Tableau 10); the 11th run takes the first again. */
export const RUN_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** Validation metrics charted, in this order (then any others the runs record; perplexity is the loss's exp). */
const VALID_METRICS: Record<string, string> = { bleu: 'BLEU', chrf: 'chrF', rougeL: 'ROUGE-L', loss: 'loss' };

export const REPORT_DATA_ID = 'gloss-report-data';

/** What the page embeds as JSON: every run with its records, config and summary, and the attention view's sentence. */
export interface ReportData {
  format: 'gloss-report';
  version: 1;
  generated: string;
  runs: (ReportRun & { summary: RunSummary })[];
  attention: Omit<Extract<ReportAttention, { html: string }>, 'html'> | Extract<ReportAttention, { note: string }> | null;
}

export interface RenderOptions {
  /** The attention view (runAttention) of one run, or a note why there is none; none: the section is left out. */
  attention?: ReportAttention;
  /** The time printed on the page and in the data. Default now. */
  generated?: Date;
}

/** The time axis's unit for runs that trained `seconds` at most. */
function timeUnit(seconds: number): { scale: number; label: string } {
  if (seconds >= 2 * 3600) return { scale: 3600, label: 'training time (h)' };
  if (seconds >= 120) return { scale: 60, label: 'training time (min)' };
  return { scale: 1, label: 'training time (s)' };
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  return hms[0] > 0 ? `${hms[0]}h ${String(hms[1]).padStart(2, '0')}m` : hms[1] > 0 ? `${hms[1]}m ${String(hms[2]).padStart(2, '0')}s` : `${s}s`;
}

/** JSON safe inside <script>: no '<' (so no '</script>' or '<!--'), no line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Per run, a chart's series: the smoothed curve, and optionally its raw points faint behind it. */
function trainSeries(runs: readonly ReportRun[], x: (r: TrainRecord) => number, y: (r: TrainRecord) => number | undefined, raw: boolean): ChartSeries[] {
  return runs.flatMap((run, i) => {
    const color = RUN_COLORS[i % RUN_COLORS.length];
    const points: Point[] = run.train.filter((r) => y(r) !== undefined).map((r) => [x(r), y(r)!]);
    const curve: ChartSeries = { run: i, label: run.name, color, points: windowMeans(points, smoothingWindow(points.length)) };
    return raw ? [{ run: i, label: run.name, color, points: thin(points), faint: true }, curve] : [curve];
  });
}

function validSeries(runs: readonly ReportRun[], metric: string, x: (r: ValidRecord) => number): ChartSeries[] {
  return runs.map((run, i) => ({
    run: i, label: run.name, color: RUN_COLORS[i % RUN_COLORS.length], dots: true,
    points: run.valid.filter((v) => v.metrics[metric] !== undefined).map((v): Point => [x(v), v.metrics[metric]]),
  }));
}

function charts(runs: readonly ReportRun[]): string {
  const longest = Math.max(0, ...runs.flatMap((r) => [r.train.at(-1)?.elapsed ?? 0, r.valid.at(-1)?.elapsed ?? 0]));
  const time = timeUnit(longest);
  const row = (...figures: string[]) => `<div class="row">${figures.join('')}</div>`;
  const window = Math.max(1, ...runs.map((r) => smoothingWindow(r.train.length)));
  const step = (r: { step: number }) => r.step;
  const elapsed = (r: { elapsed: number }) => r.elapsed;
  const parts = [
    '<h2 id="training">Training</h2>',
    `<p class="hint">Curves are means over windows of ${window === 1 ? 'one step' : `up to ${window} steps`} (about ${SMOOTHED_POINTS} per run); the raw per-step loss is drawn faint behind.</p>`,
    row(lineChart({ id: 'train-loss-step', title: 'training loss by step', xLabel: 'step', yLabel: 'loss', series: trainSeries(runs, step, (r) => r.loss, true) }),
      lineChart({ id: 'train-loss-time', title: 'training loss by time', xLabel: time.label, yLabel: 'loss', xScale: time.scale, series: trainSeries(runs, elapsed, (r) => r.loss, true) })),
    row(lineChart({ id: 'lr-step', title: 'learning rate by step', xLabel: 'step', yLabel: 'learning rate', series: runs.map((run, i) => ({ run: i, label: run.name, color: RUN_COLORS[i % RUN_COLORS.length], points: thin(run.train.filter((r) => r.lr !== undefined).map((r): Point => [r.step, r.lr!]), 400) })) }),
      lineChart({ id: 'tokens-time', title: 'throughput (target tokens per second)', xLabel: time.label, yLabel: 'tokens/s', xScale: time.scale, series: runs.map((run, i) => ({ run: i, label: run.name, color: RUN_COLORS[i % RUN_COLORS.length], points: tokensPerSecond(run.train, run.valid, smoothingWindow(run.train.length)) })) })),
    '<h2 id="validation">Validation</h2>',
  ];
  const recorded = new Set(runs.flatMap((r) => r.valid.flatMap((v) => Object.keys(v.metrics))));
  const metrics = [...Object.keys(VALID_METRICS).filter((m) => recorded.has(m)), ...[...recorded].filter((m) => !(m in VALID_METRICS) && m !== 'ppl').sort()];
  if (metrics.length === 0) parts.push('<p class="empty">No validation yet.</p>');
  for (const m of metrics) {
    const name = VALID_METRICS[m] ?? m;
    parts.push(row(lineChart({ id: `valid-${m}-step`, title: `validation ${name} by step`, xLabel: 'step', yLabel: name, series: validSeries(runs, m, step) }),
      lineChart({ id: `valid-${m}-time`, title: `validation ${name} by time`, xLabel: time.label, yLabel: name, xScale: time.scale, series: validSeries(runs, m, elapsed) })));
  }
  return parts.join('\n');
}

function swatch(i: number): string {
  return `<span class="swatch" style="background:${RUN_COLORS[i % RUN_COLORS.length]}"></span>`;
}

function summaryTable(runs: readonly ReportRun[], summaries: readonly RunSummary[]): string {
  const head = ['run', 'directory', 'steps', 'epochs', 'training time', 'tokens/s', 'final loss', 'validations', 'best validation'];
  const rows = runs.map((run, i) => {
    const s = summaries[i];
    const best = s.best ? `${esc(VALID_METRICS[s.best.metric] ?? s.best.metric)} ${s.best.value.toFixed(2)} <span class="muted">at step ${s.best.step}</span>` : '—';
    const cells = [`${swatch(i)}${esc(run.name)}`, `<code>${esc(run.dir)}</code>`, String(s.steps), String(s.epochs), duration(s.elapsed),
      s.tokensPerSecond > 0 ? formatNumber(s.tokensPerSecond) : '—', s.finalLoss === null ? '—' : s.finalLoss.toFixed(3), String(s.validations), best];
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  return `<table class="summary"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="hint">Final loss: the mean training loss of the last smoothing window. Best validation: the run's selection metric (its config's <code>metric</code>).</p>`;
}

function configTable(runs: readonly ReportRun[]): string {
  const rows = configRows(runs);
  if (rows.length === 0) return '<p class="empty">No run has a train-config.json yet (it is written with the first checkpoint).</p>';
  const missing = runs.filter((r) => r.config === null).map((r) => esc(r.name));
  const differing = rows.filter((r) => r.differs).length;
  const body = rows.map((r) => `<tr${r.differs ? ' class="differs"' : ''}><th>${esc(r.field)}</th>${r.values.map((v) => `<td>${v === '' ? '<span class="muted">—</span>' : esc(v)}</td>`).join('')}</tr>`);
  return `<p class="hint">${runs.length > 1 ? `${differing} of ${rows.length} fields differ (highlighted). <label><input type="checkbox" id="only-differing"> only differing fields</label>` : `${rows.length} fields.`}${missing.length > 0 ? ` No train-config.json yet: ${missing.join(', ')}.` : ''}</p>
<table class="config" id="config"><thead><tr><th>field</th>${runs.map((r, i) => `<th>${swatch(i)}${esc(r.name)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

function attentionBlock(a: ReportAttention): string {
  if ('note' in a) return `<p class="note">No attention view for ${esc(a.run)}: ${esc(a.note)}</p>`;
  return `<p>The first sentence of ${esc(a.run)}'s validation corpus, decoded greedily with <code>${esc(a.checkpoint)}</code>:</p>
<p class="sentence">${esc(a.sentence)} <span class="muted">→</span> ${esc(a.translation)}</p>
<p class="hint">Each row is an output token (eos included), each column a source token; darker is more weight (hover a cell for its value). Rows sum to 1.</p>
<div class="attention">${a.html}</div>`;
}

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;padding:1.5em 2em;max-width:1000px;color:#222;background:#fff}
h1{font-size:1.35em;margin:0 0 .2em}h2{font-size:1.1em;margin:1.8em 0 .5em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.muted,.hint{color:#666}.hint{font-size:13px;margin:.3em 0 .8em}.note,.empty{color:#8a5a00;background:#fff8e5;padding:.5em .8em;border-radius:4px}
.legend{display:flex;flex-wrap:wrap;gap:.4em 1em;margin:.8em 0}.legend button{font:inherit;background:none;border:1px solid #ccc;border-radius:4px;padding:.15em .6em;cursor:pointer}
.legend button.off{opacity:.35;text-decoration:line-through}.swatch{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.4em;vertical-align:-1px}
table{border-collapse:collapse;font-size:13px}th,td{padding:.25em .7em;border-bottom:1px solid #eee;text-align:left;vertical-align:top}thead th{border-bottom:2px solid #ccc}
table.summary td:nth-child(n+3){text-align:right;white-space:nowrap}table.config td{font-family:ui-monospace,monospace;word-break:break-all}
tr.differs{background:#fff3c4}tr.differs th::after{content:" ≠";color:#b8860b}.only-differing tr:not(.differs){display:none}.only-differing thead tr{display:table-row}
.row{display:flex;flex-wrap:wrap;gap:1em;margin-bottom:1em}figure.chart{margin:0}figure.chart figcaption{font-size:13px;font-weight:600;margin-bottom:.2em}
svg .grid{stroke:#eee}svg .frame{fill:none;stroke:#bbb}svg .tick{font-size:10px;fill:#666}svg .axis{font-size:11px;fill:#444}
svg polyline{fill:none;stroke-width:1.8;stroke-linejoin:round}svg polyline.raw{stroke-width:.7;opacity:.22}svg .cursor{stroke:#999;stroke-dasharray:3 3;display:none}
.tip{position:absolute;display:none;white-space:pre;font-size:12px;background:rgba(255,255,255,.95);border:1px solid #ccc;border-radius:4px;padding:.3em .5em;pointer-events:none;box-shadow:0 1px 4px rgba(0,0,0,.15)}
.sentence{font-size:15px}.attention .grid{display:flex;flex-wrap:wrap;gap:1.5em}.attention figure{margin:0}.attention figcaption{font-size:12px;color:#555;text-align:center}.attention h2{font-size:1em;border:0}`;

/** The report page of `runs` (read with readRuns), the first run's colour first. */
export function renderReport(runs: readonly ReportRun[], { attention, generated = new Date() }: RenderOptions = {}): string {
  const summaries = runs.map(summarize);
  const data: ReportData = {
    format: 'gloss-report', version: 1, generated: generated.toISOString(),
    runs: runs.map((r, i) => ({ ...r, summary: summaries[i] })),
    attention: attention ? ('html' in attention ? { run: attention.run, checkpoint: attention.checkpoint, sentence: attention.sentence, translation: attention.translation } : attention) : null,
  };
  const title = `gloss report: ${runs.map((r) => r.name).join(', ')}`;
  const legend = runs.map((r, i) => `<button type="button" data-run="${i}" aria-pressed="true" title="hide or show ${esc(r.name)}">${swatch(i)}${esc(r.name)}</button>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head><body>
<h1>${esc(title)}</h1>
<p class="muted">${runs.length} run${runs.length === 1 ? '' : 's'}, generated ${esc(data.generated.slice(0, 19).replace('T', ' '))} UTC by <code>gloss report</code>. Click a run to hide or show it; hover a chart for values.</p>
<nav class="legend">${legend}</nav>
<h2 id="summary">Summary</h2>
${summaryTable(runs, summaries)}
${charts(runs)}
<h2 id="configuration">Configuration</h2>
${configTable(runs)}
${attention ? `<h2 id="attention">Attention</h2>\n${attentionBlock(attention)}` : ''}
<script type="application/json" id="${REPORT_DATA_ID}">${scriptJson(data)}</script>
<script>${REPORT_SCRIPT}</script>
</body></html>
`;
}

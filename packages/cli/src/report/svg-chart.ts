// A line chart as inline SVG: axes with round tick values, one polyline per series, faint series (raw values
// behind their smoothed curve) clipped to the plot. The page's script reads the data-* attributes to show
// values under the pointer; without it the chart is complete.
import type { Point } from './series.js';

export interface ChartSeries {
  /** Index of the run it belongs to (legend and colour). */
  run: number;
  label: string;
  color: string;
  points: readonly Point[];
  /** Drawn thin and light, and left out of the axis range (raw values behind a smoothed curve). */
  faint?: boolean;
  /** Draw a dot at each point (validations: few points). */
  dots?: boolean;
}

export interface ChartSpec {
  /** Element id, unique in the page. */
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  /** x values are divided by this for the axis (seconds → minutes: 60). Default 1. */
  xScale?: number;
}

const W = 440, H = 250;
const M = { left: 58, right: 14, top: 12, bottom: 40 };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** About `count` round values (1, 2 or 5 × 10^k apart) within [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const err = raw / mag;   // in [1, 10): round to the nearest of 1, 2, 5, 10 on a log scale (as d3's ticks)
  const step = mag * (err >= Math.sqrt(50) ? 10 : err >= Math.sqrt(10) ? 5 : err >= Math.sqrt(2) ? 2 : 1);
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** A tick or value label: short, without float noise (0.0005 → 5e-4, 12000 → 12k). */
export function formatNumber(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  if (a < 1e-2) return v.toExponential(1).replace('.0e', 'e');
  return String(Number(v.toPrecision(3)));
}

function extent(values: number[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (lo === hi) { const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1; return [lo - pad, hi + pad]; }
  return [lo, hi];
}

/** The chart's SVG, or a note in its place when no series has a point. */
export function lineChart(spec: ChartSpec): string {
  const xScale = spec.xScale ?? 1;
  const drawn = spec.series.filter((s) => s.points.length > 0);
  const head = `<figure class="chart" id="${escapeHtml(spec.id)}"><figcaption>${escapeHtml(spec.title)}</figcaption>`;
  if (drawn.length === 0) return `${head}<p class="empty">no data yet</p></figure>`;
  const ranged = drawn.filter((s) => !s.faint);
  const [x0, x1] = extent(drawn.flatMap((s) => s.points.map((p) => p[0] / xScale)));
  const yPoints = (ranged.length > 0 ? ranged : drawn).flatMap((s) => s.points.map((p) => p[1]));
  const [yLo, yHi] = extent(yPoints);
  const yPad = (yHi - yLo) * 0.05;
  const [y0, y1] = [yLo - yPad, yHi + yPad];
  const px = (x: number) => M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (y: number) => H - M.bottom - ((y - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const f = (v: number) => v.toFixed(1);

  const parts: string[] = [
    `${head}<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(spec.title)}"`,
    ` data-x0="${x0}" data-x1="${x1}" data-y0="${y0}" data-y1="${y1}" data-x-scale="${xScale}" data-x-label="${escapeHtml(spec.xLabel)}"`,
    ` data-left="${M.left}" data-right="${W - M.right}" data-top="${M.top}" data-bottom="${H - M.bottom}">`,
    `<defs><clipPath id="${escapeHtml(spec.id)}-clip"><rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}"/></clipPath></defs>`,
  ];
  // Axes: grid lines at the ticks, labels, titles.
  for (const t of niceTicks(y0, y1)) {
    parts.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${f(py(t))}" y2="${f(py(t))}"/>`,
      `<text class="tick" x="${M.left - 6}" y="${f(py(t) + 4)}" text-anchor="end">${formatNumber(t)}</text>`);
  }
  for (const t of niceTicks(x0, x1)) {
    parts.push(`<line class="grid" y1="${M.top}" y2="${H - M.bottom}" x1="${f(px(t))}" x2="${f(px(t))}"/>`,
      `<text class="tick" x="${f(px(t))}" y="${H - M.bottom + 16}" text-anchor="middle">${formatNumber(t)}</text>`);
  }
  parts.push(`<rect class="frame" x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}"/>`,
    `<text class="axis" x="${(M.left + W - M.right) / 2}" y="${H - 6}" text-anchor="middle">${escapeHtml(spec.xLabel)}</text>`,
    `<text class="axis" transform="translate(14,${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.yLabel)}</text>`,
    `<g clip-path="url(#${escapeHtml(spec.id)}-clip)">`);
  // Faint series first, so the curves they belong to are drawn over them.
  for (const s of [...drawn.filter((d) => d.faint), ...ranged]) {
    const pts = s.points.map(([x, y]) => `${f(px(x / xScale))},${f(py(y))}`);
    // A curve carries its values (4 significant digits) for the pointer read-out; raw points do not (too many).
    const values = s.faint ? '' : ` data-values="${JSON.stringify(s.points.map(([x, y]) => [Number(x.toPrecision(6)), Number(y.toPrecision(4))]))}"`;
    parts.push(`<polyline class="${s.faint ? 'raw' : 'series'}" data-run="${s.run}" data-label="${escapeHtml(s.label)}"${values} stroke="${s.color}" points="${pts.join(' ')}"/>`);
    if (s.dots) for (const p of pts) { const [cx, cy] = p.split(','); parts.push(`<circle class="dot" data-run="${s.run}" cx="${cx}" cy="${cy}" r="2.5" fill="${s.color}"/>`); }
  }
  parts.push('</g></svg></figure>');
  return parts.join('');
}

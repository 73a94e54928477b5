// The attention view: a translated sentence's cross-attention, one heatmap per decoder layer and head, as a
// self-contained HTML page (inline SVG, no scripts, no network) that a person opens in any browser.
import type { Tensor } from '@gloss/tensor';
import { ValueError, formatShape } from '@gloss/tensor';

export interface AttentionViewInput {
  /** Source tokens, as the tokenizer split them (columns). */
  srcTokens: readonly string[];
  /** Output tokens, one per decoding step, eos included (rows). */
  tgtTokens: readonly string[];
  /** Per decoder layer: cross-attention [numHeads, tgtTokens.length, srcTokens.length], rows summing to 1. */
  attention: readonly Tensor[];
  /** Heading of the page, e.g. the source sentence. */
  title?: string;
}

const CELL = 22;

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** White → dark blue by weight in [0, 1]. */
export function attentionColor(w: number): string {
  const t = Math.max(0, Math.min(1, w));
  const r = Math.round(255 - t * (255 - 8));
  const g = Math.round(255 - t * (255 - 48));
  const b = Math.round(255 - t * (255 - 107));
  return `rgb(${r},${g},${b})`;
}

/** One heatmap: rows = output tokens, columns = source tokens, cells shaded by weight (title = exact value). */
export function attentionHeatmap(weights: ArrayLike<number>, offset: number, srcTokens: readonly string[], tgtTokens: readonly string[], caption: string): string {
  const labelW = 8 * Math.max(4, ...tgtTokens.map((t) => t.length)) + 8;
  const labelH = 8 * Math.max(4, ...srcTokens.map((t) => t.length)) + 8;
  const width = labelW + CELL * srcTokens.length + Math.ceil(labelH / 2) + 4;   // the column labels lean right (cos 60° = 1/2)
  const height = labelH + CELL * tgtTokens.length + 4;
  const parts: string[] = [`<figure><svg width="${width}" height="${height}" font-family="monospace" font-size="12">`];
  srcTokens.forEach((tok, j) => {
    const x = labelW + j * CELL + CELL / 2 + 4;
    parts.push(`<text transform="translate(${x},${labelH - 4}) rotate(-60)">${escape(tok)}</text>`);
  });
  tgtTokens.forEach((tok, i) => {
    const y = labelH + i * CELL;
    parts.push(`<text x="${labelW - 6}" y="${y + CELL / 2 + 4}" text-anchor="end">${escape(tok)}</text>`);
    srcTokens.forEach((_, j) => {
      const w = weights[offset + i * srcTokens.length + j];
      parts.push(`<rect x="${labelW + j * CELL}" y="${y}" width="${CELL - 1}" height="${CELL - 1}" fill="${attentionColor(w)}"><title>${escape(tgtTokens[i])} → ${escape(srcTokens[j])}: ${w.toFixed(3)}</title></rect>`);
    });
  });
  parts.push(`</svg><figcaption>${escape(caption)}</figcaption></figure>`);
  return parts.join('');
}

/**
 * The heatmaps of one sentence, as an HTML fragment: a section per decoder layer with a heatmap per head and the
 * mean over heads. Throws if a layer's shape does not match the tokens.
 */
export function attentionSections({ srcTokens, tgtTokens, attention }: AttentionViewInput): string {
  const sections: string[] = [];
  attention.forEach((layer, l) => {
    const [heads, rows, cols] = layer.shape;
    if (layer.rank !== 3 || rows !== tgtTokens.length || cols !== srcTokens.length) {
      throw new ValueError('attentionHtml', `layer ${l} attention is ${formatShape(layer.shape)}, expected [numHeads, ${tgtTokens.length}, ${srcTokens.length}] (output tokens × source tokens)`);
    }
    const maps: string[] = [];
    const mean = new Float64Array(rows * cols);
    for (let h = 0; h < heads; h++) {
      maps.push(attentionHeatmap(layer.data, h * rows * cols, srcTokens, tgtTokens, `layer ${l}, head ${h}`));
      for (let k = 0; k < rows * cols; k++) mean[k] += layer.data[h * rows * cols + k] / heads;
    }
    maps.push(attentionHeatmap(mean, 0, srcTokens, tgtTokens, `layer ${l}, mean of ${heads} heads`));
    sections.push(`<section><h2>decoder layer ${l}</h2><div class="grid">${maps.join('')}</div></section>`);
  });
  return sections.join('\n');
}

/** What the view says about reading it. */
export const ATTENTION_LEGEND = `Cross-attention of the decoder: each row is an output token (eos included), each column a source token; darker is more
weight (hover a cell for its value). Rows sum to 1.`;

/** The HTML page for one sentence: attentionSections under a title. */
export function attentionHtml(input: AttentionViewInput): string {
  const title = input.title ?? 'cross-attention';
  const sections = attentionSections(input);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}.grid{display:flex;flex-wrap:wrap;gap:1.5em}
figure{margin:0}figcaption{font-size:13px;color:#555;text-align:center}h1{font-size:1.2em}h2{font-size:1em;margin-top:2em}</style>
</head><body><h1>${escape(title)}</h1>
<p>${ATTENTION_LEGEND}</p>
${sections}
</body></html>
`;
}

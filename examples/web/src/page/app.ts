// The gloss web app's page script: two views (Translate, Train) over two Workers. The page thread only draws —
// every model runs in a Worker — so typing and the charts stay responsive while a model trains.
import {
  attentionHeatmap, lineChart, smoothingWindow, thin, tokensPerSecond, windowMeans,
  type ChartSeries, type Point, type TrainRecord, type ValidRecord,
} from '@gloss/cli/browser';
import { PRESETS } from '../presets.js';
import type {
  CheckpointInfo, CorpusChoice, FileList_, PreparedCorpus, RunPhase, RunView, Sample, TrainReply, TrainRequest, TranslatedLine,
  TranslateReply, TranslateRequest,
} from '../protocol.js';
import { chooseCheckpoint, droppedFiles, pickedFiles, type OpenedFile } from './checkpoint-files.js';
import { corpusFiles, sourceIndex, type CorpusFiles } from './corpus-files.js';
import { writeTar } from './tar.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const html = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** State the tests (and a curious reader, in the console) can look at: what the page shows, as data. */
const state = {
  checkpoint: null as CheckpointInfo | null,
  translations: [] as TranslatedLine[],
  translateMs: null as number | null,
  corpus: null as PreparedCorpus | null,
  run: null as RunView | null,
  chartUpdates: 0,
  measured: {} as Record<string, number>,
  threads: '',
};
(globalThis as unknown as { gloss: typeof state }).gloss = state;

function showError(id: string, message: string | null): void {
  const el = $(id);
  el.hidden = message === null;
  el.textContent = message ?? '';
}

// ---- tabs -------------------------------------------------------------------------------------------------
const tabs = [$('tab-translate'), $('tab-train')] as HTMLButtonElement[];
function selectTab(tab: HTMLButtonElement): void {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute('aria-selected', String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute('aria-controls')!).hidden = !on;
  }
  location.hash = tab.id === 'tab-train' ? 'train' : '';
}
tabs.forEach((t, i) => {
  t.addEventListener('click', () => selectTab(t));
  t.addEventListener('keydown', (e) => {
    const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!d) return;
    const next = tabs[(i + d + tabs.length) % tabs.length];
    selectTab(next);
    next.focus();
  });
});
if (location.hash === '#train') selectTab(tabs[1]);
$('env').textContent = `${crossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated (one thread)'}, ${navigator.hardwareConcurrency} cores`;

// ---- translate ----------------------------------------------------------------------------------------------
const translator = new Worker('/translate-worker.js', { type: 'module' });
const sendTranslate = (m: TranslateRequest, transfer: Transferable[] = []) => translator.postMessage(m, transfer);
let lastFiles: { source: string; files: FileList_ } | null = null;
let requestId = 0;
let shownId = 0;

function openCheckpoint(opened: OpenedFile[], label: string): void {
  showError('ckpt-error', null);
  try {
    const { source, files } = chooseCheckpoint(opened, label);
    lastFiles = { source, files };
    loadCheckpoint();
  } catch (e) {
    showError('ckpt-error', (e as Error).message);
  }
}

function loadCheckpoint(): void {
  if (!lastFiles) return;
  $('ckpt-info').textContent = `Opening ${lastFiles.source}…`;
  const files = lastFiles.files.map(([n, d]) => [n, d.slice()] as [string, Uint8Array]);
  sendTranslate({ type: 'load', source: lastFiles.source, files, backend: $<HTMLSelectElement>('backend').value }, files.map(([, d]) => d.buffer));
}

translator.onmessage = (event: MessageEvent<TranslateReply>) => {
  const m = event.data;
  if (m.type === 'loaded') {
    state.checkpoint = m.info;
    const c = m.info.config as { dModel: number; numHeads: number; numEncoderLayers: number; numDecoderLayers: number };
    $('ckpt-info').textContent = `${m.info.source}: ${m.info.parameters.toLocaleString('en-US')} parameters ` +
      `(d ${c.dModel}, ${c.numHeads} heads, ${c.numEncoderLayers}+${c.numDecoderLayers} layers), ${m.info.tokenizer} vocabulary ${m.info.vocab}` +
      `${m.info.step !== null ? `, step ${m.info.step}` : ''}; loaded in ${m.info.ms.toFixed(0)} ms. Backend: ${m.info.backend}.`;
    const area = $<HTMLTextAreaElement>('source');
    area.disabled = false;
    translateNow();
  } else if (m.type === 'translated') {
    if (m.id < shownId) return;
    shownId = m.id;
    state.translations = m.results;
    state.translateMs = m.ms;
    showError('translate-error', null);
    const n = m.results.length;
    $('latency').textContent = n === 0 ? '' : `${n} sentence${n === 1 ? '' : 's'} translated in ${m.ms.toFixed(0)} ms (beam ${beamOf()}).`;
    renderTranslations();
  } else if (m.type === 'error') {
    if (m.id === undefined) {
      state.checkpoint = null;
      $('ckpt-info').textContent = 'No checkpoint open.';
      showError('ckpt-error', m.message);
    } else showError('translate-error', m.message);
  }
};

const beamOf = () => Math.max(1, Math.floor(Number($<HTMLInputElement>('beam').value) || 1));
const nbestOf = () => Math.max(1, Math.min(beamOf(), Math.floor(Number($<HTMLInputElement>('nbest').value) || 1)));

function translateNow(): void {
  if (!state.checkpoint) return;
  const lines = $<HTMLTextAreaElement>('source').value.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  sendTranslate({ type: 'translate', id: ++requestId, lines, beam: beamOf(), nbest: nbestOf() });
}

let timer: ReturnType<typeof setTimeout> | undefined;
function translateSoon(): void {
  clearTimeout(timer);
  timer = setTimeout(translateNow, 300);
}
$('source').addEventListener('input', translateSoon);
for (const id of ['beam', 'nbest']) $(id).addEventListener('change', translateNow);
$('backend').addEventListener('change', loadCheckpoint);

$('ckpt-files').addEventListener('change', async (e) => {
  const input = e.target as HTMLInputElement;
  if (input.files?.length) openCheckpoint(await pickedFiles(input.files), input.files.length === 1 ? input.files[0].name : 'the files chosen');
  input.value = '';
});
$('ckpt-folder').addEventListener('change', async (e) => {
  const input = e.target as HTMLInputElement;
  if (input.files?.length) openCheckpoint(await pickedFiles(input.files), input.files[0].webkitRelativePath.split('/')[0] || 'the folder chosen');
  input.value = '';
});
function dropZone(el: HTMLElement, onFiles: (files: OpenedFile[]) => void): void {
  el.addEventListener('dragover', (e) => { e.preventDefault(); el.classList.add('over'); });
  el.addEventListener('dragleave', () => el.classList.remove('over'));
  el.addEventListener('drop', async (e) => {
    e.preventDefault();
    el.classList.remove('over');
    if (e.dataTransfer) onFiles(await droppedFiles(e.dataTransfer.items));
  });
}
dropZone($('ckpt-drop'), (files) => openCheckpoint(files, files.length === 1 ? files[0].path : 'the dropped files'));

// The demo checkpoint (npm run demo's run directory), when the server has one.
fetch('/demo/index.json').then(async (res) => {
  if (!res.ok) return;
  const demo = await res.json() as { name: string; files: string[] };
  const button = $<HTMLButtonElement>('ckpt-demo');
  button.hidden = false;
  button.textContent = `Open the demo checkpoint (${demo.name})`;
  button.onclick = async () => {
    showError('ckpt-error', null);
    try {
      const files = await Promise.all(demo.files.map(async (f) => {
        const r = await fetch(`/demo/${f}`);
        if (!r.ok) throw new Error(`${demo.name}/${f}: ${r.status} ${r.statusText}`);
        return { path: f, data: new Uint8Array(await r.arrayBuffer()) };
      }));
      openCheckpoint(files, demo.name);
    } catch (e) {
      showError('ckpt-error', (e as Error).message);
    }
  };
}).catch(() => undefined);

function renderTranslations(): void {
  const list = $('translations');
  list.innerHTML = state.translations.map((t, i) => {
    const rows = t.nbest.map((h, k) => `<tr><td class="score">${k + 1}</td><td class="score">${h.score.toFixed(4)}</td><td>${html(h.text)}</td></tr>`).join('');
    return `<li data-line="${i}"><div><span class="src">${html(t.src)}</span> → <span class="best">${html(t.nbest[0]?.text ?? '')}</span></div>` +
      (t.nbest.length > 1 ? `<table aria-label="n-best for line ${i + 1}"><tbody>${rows}</tbody></table>` : '') + '</li>';
  }).join('');
  const lineSelect = $<HTMLSelectElement>('att-line');
  const keep = Math.min(Number(lineSelect.value) || 0, Math.max(0, state.translations.length - 1));
  lineSelect.innerHTML = state.translations.map((t, i) => `<option value="${i}">${i + 1}: ${html(t.src.slice(0, 40))}</option>`).join('');
  lineSelect.value = String(keep);
  renderAttentionControls();
}

function renderAttentionControls(): void {
  const line = state.translations[Number($<HTMLSelectElement>('att-line').value) || 0];
  const section = $('attention');
  section.hidden = !line || line.attention.length === 0;
  if (section.hidden) return;
  const layerSel = $<HTMLSelectElement>('att-layer');
  const headSel = $<HTMLSelectElement>('att-head');
  const layer = Math.min(Number(layerSel.value) || 0, line.attention.length - 1);
  layerSel.innerHTML = line.attention.map((_, l) => `<option value="${l}">${l}</option>`).join('');
  layerSel.value = String(layer);
  const heads = line.attention[layer].shape[0];
  const head = headSel.value === 'mean' ? 'mean' : String(Math.min(Number(headSel.value) || 0, heads - 1));
  headSel.innerHTML = Array.from({ length: heads }, (_, h) => `<option value="${h}">${h}</option>`).join('') + '<option value="mean">mean</option>';
  headSel.value = head;
  renderHeatmap();
}

let cell: [number, number] = [0, 0];
function renderHeatmap(): void {
  const line = state.translations[Number($<HTMLSelectElement>('att-line').value) || 0];
  if (!line || line.attention.length === 0) return;
  const l = Number($<HTMLSelectElement>('att-layer').value) || 0;
  const headValue = $<HTMLSelectElement>('att-head').value;
  const { shape: [heads, rows, cols], data } = line.attention[l];
  let weights: ArrayLike<number> = data;
  let offset = 0;
  if (headValue === 'mean') {
    const mean = new Float64Array(rows * cols);
    for (let h = 0; h < heads; h++) for (let k = 0; k < rows * cols; k++) mean[k] += data[h * rows * cols + k] / heads;
    weights = mean;
  } else offset = Number(headValue) * rows * cols;
  const tgt = line.nbest[0].tgtTokens;
  $('att-map').innerHTML = attentionHeatmap(weights, offset, line.srcTokens, tgt, `layer ${l}, ${headValue === 'mean' ? `mean of ${heads} heads` : `head ${headValue}`}`);
  cell = [Math.min(cell[0], rows - 1), Math.min(cell[1], cols - 1)];
  $('att-readout').innerHTML = '&nbsp;';
}
for (const id of ['att-line', 'att-layer', 'att-head']) $(id).addEventListener('change', id === 'att-head' ? renderHeatmap : renderAttentionControls);

/** Shows cell (row, col) of the heatmap: its <title> (output token → source token: weight), outlined. */
function pointAt(row: number, col: number): void {
  const rects = [...$('att-map').querySelectorAll('rect')];
  const cols = state.translations[Number($<HTMLSelectElement>('att-line').value) || 0]?.srcTokens.length ?? 0;
  const rect = rects[row * cols + col];
  if (!rect) return;
  rects.forEach((r) => r.classList.remove('sel'));
  rect.classList.add('sel');
  cell = [row, col];
  $('att-readout').textContent = rect.querySelector('title')?.textContent ?? '';
}
$('att-map').addEventListener('mouseover', (e) => {
  const rect = (e.target as Element).closest('rect');
  if (!rect) return;
  const rects = [...$('att-map').querySelectorAll('rect')];
  const cols = state.translations[Number($<HTMLSelectElement>('att-line').value) || 0]?.srcTokens.length ?? 1;
  const i = rects.indexOf(rect);
  pointAt(Math.floor(i / cols), i % cols);
});
$('att-map').addEventListener('keydown', (e) => {
  const line = state.translations[Number($<HTMLSelectElement>('att-line').value) || 0];
  if (!line) return;
  const rows = line.nbest[0].tgtTokens.length, cols = line.srcTokens.length;
  const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  const d = moves[e.key];
  if (!d) return;
  e.preventDefault();
  pointAt(Math.max(0, Math.min(rows - 1, cell[0] + d[0])), Math.max(0, Math.min(cols - 1, cell[1] + d[1])));
});
$('att-map').addEventListener('focus', () => pointAt(cell[0], cell[1]));

// ---- train --------------------------------------------------------------------------------------------------
const trainer = new Worker('/train-worker.js', { type: 'module' });
const sendTrain = (m: TrainRequest) => trainer.postMessage(m);
/** The corpus files picked or dropped, what they are (corpus-files.ts), and their bytes. */
let picked: { what: CorpusFiles; files: OpenedFile[] } | null = null;

function useCorpusFiles(files: OpenedFile[]): void {
  showError('train-error', null);
  $<HTMLInputElement>('corpus-set').querySelector<HTMLInputElement>('input[value=file]')!.checked = true;
  let what: CorpusFiles;
  try {
    what = corpusFiles(files.map((f) => f.path));
  } catch (e) {
    picked = null;
    $('corpus-files-info').textContent = '';
    showError('train-error', (e as Error).message);
    return;
  }
  picked = { what, files };
  const select = $<HTMLSelectElement>('src-file');
  select.replaceChildren(new Option(what.format === 'parallel' ? '(choose which file is the source)' : '(drop or choose two parallel files)', ''));
  if (what.format === 'parallel') {
    for (const [i, name] of what.names.entries()) select.add(new Option(`${name} (.${what.langs![i]})`, String(i)));
    inferSource();
    if (select.value === '') {
      $('corpus-files-info').textContent = `Parallel files ${what.names.join(' and ')}: their suffixes are neither the source language nor the target language given; choose the source file.`;
      select.focus();
      return;
    }
  }
  describePicked();
  prepare();
}

/** Selects the source file of parallel files by the language fields (gloss train's --src-lang/--tgt-lang), if they tell. */
function inferSource(): void {
  if (picked?.what.format !== 'parallel') return;
  const i = sourceIndex(picked.what.langs!, $<HTMLInputElement>('src-lang').value, $<HTMLInputElement>('tgt-lang').value);
  if (i !== null) $<HTMLSelectElement>('src-file').value = String(i);
}

function describePicked(): void {
  if (!picked) return;
  const { what } = picked;
  const src = Number($<HTMLSelectElement>('src-file').value);
  $('corpus-files-info').textContent = what.format === 'parallel'
    ? `Parallel files: source ${what.names[src]}, target ${what.names[1 - src]} (prefix ${what.prefix}).`
    : `${what.format === 'jsonl' ? 'JSONL' : 'TSV'} file ${what.names[0]}.`;
}

$('corpus-files').addEventListener('change', async (e) => {
  const input = e.target as HTMLInputElement;
  if (input.files?.length) useCorpusFiles(await pickedFiles(input.files));
  input.value = '';
});
dropZone($('corpus-drop'), useCorpusFiles);
for (const id of ['src-lang', 'tgt-lang']) $(id).addEventListener('change', () => { inferSource(); describePicked(); });
$('src-file').addEventListener('change', () => { if ($<HTMLSelectElement>('src-file').value !== '') { describePicked(); prepare(); } });

function corpusChoice(): CorpusChoice {
  const { what, files } = picked!;
  const field = (id: string) => $<HTMLInputElement>(id).value.trim();
  const common = { srcField: field('src-field'), tgtField: field('tgt-field'), prefix: what.prefix ?? '', srcLang: 'src', tgtLang: 'tgt' };
  const asFile = (f: OpenedFile) => ({ name: f.path, data: f.data });
  if (what.format !== 'parallel') return { kind: 'files', format: what.format, files: files.map(asFile), ...common };
  const src = Number($<HTMLSelectElement>('src-file').value);
  return {
    kind: 'files', format: 'parallel', files: [asFile(files[src]), asFile(files[1 - src])], ...common,
    srcLang: what.langs![src], tgtLang: what.langs![1 - src],
  };
}

function prepare(): void {
  showError('train-error', null);
  const kind = document.querySelector<HTMLInputElement>('input[name=corpus]:checked')!.value;
  if (kind === 'file' && !picked) { showError('train-error', 'choose or drop a TSV or JSONL file, or two parallel files, first'); return; }
  if (kind === 'file' && picked!.what.format === 'parallel' && $<HTMLSelectElement>('src-file').value === '') {
    showError('train-error', `choose which of ${picked!.what.names.join(' and ')} is the source (Source file), or give its suffix as the source language`);
    return;
  }
  // The corpus being read replaces the one before: nothing trains on it until the Worker has read it.
  state.corpus = null;
  ($('model-set') as HTMLFieldSetElement).disabled = true;
  renderRun();
  $('corpus-info').textContent = 'Reading the corpus and training the tokenizer…';
  sendTrain({
    type: 'prepare', corpus: kind === 'file' ? corpusChoice() : { kind: 'bundled' },
    tokenizer: { tokenizer: $<HTMLSelectElement>('tokenizer').value as 'word', vocabSize: Number($<HTMLInputElement>('vocab').value) || 4000 },
    maxPairs: Math.max(10, Number($<HTMLInputElement>('max-pairs').value) || 2000),
  });
}
$('prepare').addEventListener('click', prepare);

$('start').addEventListener('click', () => {
  showError('train-error', null);
  sendTrain({
    type: 'start', preset: $<HTMLSelectElement>('preset').value, maxSteps: Math.max(1, Number($<HTMLInputElement>('max-steps').value) || 1),
    validateEvery: Math.max(1, Number($<HTMLInputElement>('validate-every').value) || 50),
  });
});
$('measure').addEventListener('click', () => {
  showError('train-error', null);
  $('measure-info').textContent = 'Measuring a few training steps of this model…';
  ($('measure') as HTMLButtonElement).disabled = true;
  sendTrain({ type: 'measure', preset: $<HTMLSelectElement>('preset').value });
});
$('preset').addEventListener('change', () => { $('measure-info').textContent = ''; });
for (const t of ['pause', 'resume', 'stop'] as const) $(t).addEventListener('click', () => sendTrain({ type: t }));
$('discard').addEventListener('click', () => sendTrain({ type: 'discard' }));
let filesFor: 'download' | 'translate' = 'download';
$('download').addEventListener('click', () => { filesFor = 'download'; sendTrain({ type: 'files' }); });
$('use-trained').addEventListener('click', () => { filesFor = 'translate'; sendTrain({ type: 'files' }); });
$('ckpt-trained').addEventListener('click', () => { filesFor = 'translate'; sendTrain({ type: 'files' }); });

trainer.onmessage = (event: MessageEvent<TrainReply>) => {
  const m = event.data;
  switch (m.type) {
    case 'restored':
      state.run = m.run;
      if (m.threads) state.threads = m.threads;
      $('env').textContent = `${crossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated'}, ${navigator.hardwareConcurrency} cores; training Worker: ${state.threads}`;
      if (m.run) $('corpus-info').textContent = `Restored the run saved in this browser: ${m.run.corpus}, ${m.run.parameters.toLocaleString('en-US')} parameters, step ${m.run.step}.`;
      renderRun();
      break;
    case 'prepared': {
      state.corpus = m.corpus;
      const c = m.corpus;
      $('corpus-info').textContent = `${c.name}: ${c.trainPairs.toLocaleString('en-US')} training pairs, ${c.validPairs} held out for validation` +
        `${c.dropped ? ` (${c.dropped} too long or empty, dropped)` : ''}; ${c.tokenizer} vocabulary ${c.vocab}.`;
      const sel = $<HTMLSelectElement>('preset');
      const keep = sel.value || 'tiny';
      sel.innerHTML = PRESETS.map((p) => `<option value="${p.name}">${html(p.label)}: ${c.parameters[p.name].toLocaleString('en-US')} parameters</option>`).join('');
      sel.value = keep;
      ($('model-set') as HTMLFieldSetElement).disabled = false;
      renderRun();
      break;
    }
    case 'measured': {
      state.measured[m.preset] = m.ms;
      ($('measure') as HTMLButtonElement).disabled = false;
      const steps = Math.max(1, Number($<HTMLInputElement>('max-steps').value) || 1);
      const total = (m.ms * steps) / 1000;
      $('measure-info').textContent = `${m.preset}: ${m.ms.toFixed(0)} ms per step measured in this page, so ${steps} steps take about ` +
        `${total >= 90 ? `${Math.round(total / 60)} min` : `${Math.round(total)} s`} (validations not included).`;
      break;
    }
    case 'run':
      state.run = m.run;
      renderRun();
      break;
    case 'train':
      state.run?.train.push(m.record);
      if (state.run) state.run.step = m.record.step;
      scheduleRender();
      break;
    case 'valid':
      state.run?.valid.push(m.record);
      if (state.run) state.run.samples = { step: m.record.step, samples: m.samples };
      scheduleRender();
      break;
    case 'phase':
      if (state.run) {
        state.run.phase = m.phase;
        state.run.step = m.step;
        // After a resume the Trainer logs again from last/'s step: drop what came after it.
        if (m.phase === 'training') state.run.train = state.run.train.filter((r) => r.step <= m.step);
      }
      renderRun();
      break;
    case 'files':
      if (filesFor === 'download') {
        const tar = writeTar(m.files.map(([p, d]) => [`${m.name}/${p}`, d]));
        const a = document.createElement('a');
        a.href = URL.createObjectURL(new Blob([tar as Uint8Array<ArrayBuffer>], { type: 'application/x-tar' }));
        a.download = `${m.name}.tar`;
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
      } else {
        selectTab(tabs[0]);
        openCheckpoint(m.files.map(([path, data]) => ({ path: `${m.name}/${path}`, data })), 'the model trained here');
      }
      break;
    case 'error':
      ($('measure') as HTMLButtonElement).disabled = false;
      if ($('corpus-info').textContent!.startsWith('Reading the corpus')) $('corpus-info').textContent = '';
      showError('train-error', m.message);
      break;
  }
};

let pending = false;
function scheduleRender(): void {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => { pending = false; renderRun(); });
}

const COLORS = { train: '#1f77b4', valid: '#d62728', lr: '#2ca02c', tokens: '#9467bd', bleu: '#ff7f0e', chrf: '#8c564b' };

function renderRun(): void {
  const run = state.run;
  const phase: RunPhase | 'none' = run?.phase ?? 'none';
  const set = (id: string, on: boolean) => { ($(id) as HTMLButtonElement).disabled = !on; };
  const hasCheckpoint = !!run && (run.valid.length > 0 || ['paused', 'stopped', 'done'].includes(phase)) && run.step > 0;
  set('start', !!state.corpus && (phase === 'none' || phase === 'stopped' || phase === 'done'));
  set('prepare', phase !== 'training' && phase !== 'pausing');
  set('pause', phase === 'training');
  set('resume', phase === 'paused');
  set('stop', phase === 'training' || phase === 'paused');
  set('download', hasCheckpoint && phase !== 'pausing');
  set('use-trained', hasCheckpoint && phase !== 'pausing');
  set('discard', !!run && phase !== 'pausing');
  $('ckpt-trained').hidden = !hasCheckpoint;
  const progress = $<HTMLProgressElement>('progress');
  if (!run) {
    progress.value = 0;
    $('progress-text').textContent = 'No run.';
    $('charts').innerHTML = '';
    $('samples').querySelector('tbody')!.innerHTML = '';
    return;
  }
  progress.max = run.maxSteps;
  progress.value = run.step;
  $('progress-text').textContent = `${phaseText(phase as RunPhase)}: step ${run.step} of ${run.maxSteps}${eta(run)}`;
  drawCharts(run);
  const s = run.samples;
  $('samples-hint').textContent = s ? `At step ${s.step}: validation sentences, translated as gloss train validates.` : 'Shown at each validation.';
  $('samples').querySelector('tbody')!.innerHTML = (s?.samples ?? []).map((x: Sample) =>
    `<tr><td>${html(x.src)}</td><td>${html(x.ref)}</td><td>${html(x.hyp)}</td></tr>`).join('');
}

function phaseText(p: RunPhase): string {
  return { idle: 'starting', training: 'training', pausing: 'pausing after this step', paused: 'paused', stopped: 'stopped', done: 'done' }[p];
}

/** Time left at the pace of the last steps (seconds per step from the metrics log's elapsed). */
function eta(run: RunView): string {
  const t = run.train;
  if (run.phase !== 'training' || t.length < 3) return '';
  const recent = t.slice(-20);
  const perStep = (recent.at(-1)!.elapsed - recent[0].elapsed) / Math.max(1, recent.at(-1)!.step - recent[0].step);
  const left = Math.max(0, (run.maxSteps - run.step) * perStep);
  const fmt = left >= 90 ? `${Math.round(left / 60)} min` : `${Math.round(left)} s`;
  return `, ${(perStep * 1000).toFixed(0)} ms per step, about ${fmt} left`;
}

function drawCharts(run: RunView): void {
  state.chartUpdates++;
  const train: TrainRecord[] = run.train;
  const valid: ValidRecord[] = run.valid;
  const w = smoothingWindow(train.length);
  const loss: Point[] = train.map((r) => [r.step, r.loss]);
  const series = (label: string, color: string, points: Point[], extra: Partial<ChartSeries> = {}): ChartSeries => ({ run: 0, label, color, points, ...extra });
  const charts = [
    lineChart({
      id: 'chart-loss', title: 'loss by step', xLabel: 'step', yLabel: 'loss', series: [
        series('train (per step)', COLORS.train, thin(loss, 1000), { faint: true }),
        series(w === 1 ? 'train' : `train (mean of ${w} steps)`, COLORS.train, windowMeans(loss, w)),
        series('validation', COLORS.valid, valid.filter((v) => v.metrics.loss !== undefined).map((v): Point => [v.step, v.metrics.loss]), { dots: true }),
      ],
    }),
    lineChart({ id: 'chart-lr', title: 'learning rate by step', xLabel: 'step', yLabel: 'learning rate', series: [series('learning rate', COLORS.lr, thin(train.filter((r) => r.lr !== undefined).map((r): Point => [r.step, r.lr!]), 400))] }),
    lineChart({ id: 'chart-tokens', title: 'throughput (target tokens per second)', xLabel: 'seconds', yLabel: 'tokens/s', series: [series('tokens/s', COLORS.tokens, tokensPerSecond(train, valid, Math.max(5, w)))] }),
    lineChart({
      id: 'chart-bleu', title: 'validation BLEU and chrF by step', xLabel: 'step', yLabel: 'score', series: [
        series('BLEU', COLORS.bleu, valid.filter((v) => v.metrics.bleu !== undefined).map((v): Point => [v.step, v.metrics.bleu]), { dots: true }),
        series('chrF', COLORS.chrf, valid.filter((v) => v.metrics.chrf !== undefined).map((v): Point => [v.step, v.metrics.chrf]), { dots: true }),
      ],
    }),
  ];
  const legend = (items: [string, string][]) => `<p class="legend">${items.map(([l, c]) => `<span style="background:${c}"></span>${html(l)}`).join('')}</p>`;
  const legends = [legend([['train', COLORS.train], ['validation', COLORS.valid]]), '', '', legend([['BLEU', COLORS.bleu], ['chrF', COLORS.chrf]])];
  $('charts').innerHTML = charts.map((c, i) => `<div>${c}${legends[i]}</div>`).join('');
}

// Chart read-out: the nearest value of each curve under the pointer.
$('charts').addEventListener('mousemove', (e) => {
  const svg = (e.target as Element).closest('svg') as SVGSVGElement | null;
  const tip = $('tip');
  if (!svg) { tip.hidden = true; return; }
  const d = svg.dataset;
  const box = svg.getBoundingClientRect();
  const width = Number(svg.getAttribute('width'));
  const sx = (e.clientX - box.left) * width / box.width;
  const x = Number(d.x0) + (sx - Number(d.left)) / (Number(d.right) - Number(d.left)) * (Number(d.x1) - Number(d.x0));
  const lines: string[] = [];
  svg.querySelectorAll<SVGPolylineElement>('polyline.series').forEach((pl) => {
    const values = JSON.parse(pl.dataset.values ?? '[]') as [number, number][];
    let best: [number, number] | null = null;
    for (const p of values) if (!best || Math.abs(p[0] - x) < Math.abs(best[0] - x)) best = p;
    if (best) lines.push(`${pl.dataset.label}: ${Number(best[1].toPrecision(4))} (${d.xLabel} ${Number(best[0].toPrecision(5))})`);
  });
  tip.hidden = lines.length === 0;
  tip.textContent = lines.join('\n');
  tip.style.whiteSpace = 'pre';
  tip.style.left = `${e.clientX + 14}px`;
  tip.style.top = `${e.clientY + 14}px`;
});
$('charts').addEventListener('mouseleave', () => { $('tip').hidden = true; });

sendTrain({ type: 'restore' });
(globalThis as unknown as { glossReady: boolean }).glossReady = true;

// The train view's Worker: reads the corpus (the bundled one, or a dropped TSV, JSONL or pair of parallel files,
// plain or gzipped, by @gloss/data's readers, with their file:line errors), trains the
// tokenizer, and trains the model the way gloss train does (@gloss/cli/browser builds the model, optimizer,
// schedule and validation; @gloss/training's Trainer runs it) over a RunStorage in memory whose every checkpoint
// also goes to IndexedDB, so a reload resumes exactly from the last one. Pause and stop abort the Trainer after
// the current update (it saves last/); resume starts a Trainer from last/, as `gloss train` run again does.
import { Generator, matmulThreadsReport, startMatmulThreads } from '@gloss/tensor';
import { BatchIterator, readJsonlPairs, readParallelFiles, readTsvPairs, textSource, type Batch, type SentencePair } from '@gloss/data';
import { batchIteratorSource, memoryStorage, Trainer, type MemoryStorage } from '@gloss/training';
import {
  buildModel, checkpointExtraFiles, encodePairs, makeOptimizer, makeSchedule, resolveConfig, tokenizersFromFiles, trainingLoss,
  trainTokenizers, validator, type Tokenizers, type TrainConfig, type TrainRecord, type ValidRecord,
} from '@gloss/cli/browser';
import { PAGE_FIELDS, PRESETS, presetByName, type TokenizerChoice } from '../presets.js';
import type { CorpusChoice, CorpusFile, CorpusFormat, FileList_, PreparedCorpus, RunPhase, RunView, Sample, TrainReply, TrainRequest } from '../protocol.js';
import * as idb from './idb.js';

const post = (m: TrainReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

/** Validation pairs held out of a dropped corpus (its last ones), and of the bundled valid.tsv. */
const MAX_VALID = 200;
const SAMPLES = 3;

/** A corpus as read and kept (in IndexedDB too, so a reload reads it again): its files, format and fields. */
interface CorpusText {
  name: string;
  format: CorpusFormat;
  /** The training files (parallel: source, then target) and what gloss train's --train names (parallel: the prefix). */
  train: CorpusFile[];
  trainName: string;
  valid: CorpusFile[] | null;
  validName: string | null;
  srcField: string;
  tgtField: string;
  srcLang: string;
  tgtLang: string;
  maxPairs: number;
}

interface Prepared {
  text: CorpusText;
  choice: TokenizerChoice;
  pairs: SentencePair[];
  validPairs: SentencePair[];
  tok: Tokenizers;
}

interface Run {
  config: TrainConfig;
  preset: string;
  storage: MemoryStorage;
  phase: RunPhase;
  step: number;
  parameters: number;
  samples: { step: number; samples: Sample[] } | null;
  abort: AbortController | null;
  /** Stop (not pause) was asked for: the run ends when the Trainer returns. */
  stopping: boolean;
}

let prepared: Prepared | null = null;
let run: Run | null = null;
let persisting: Promise<void> = Promise.resolve();

/** Queues an IndexedDB write after the earlier ones (so the store never goes back in time); failures are posted. */
function persist(values: Record<string, unknown>): void {
  persisting = persisting.then(() => idb.put(values)).catch((e: Error) => post({ type: 'error', message: `saving the run in the browser failed: ${e.message}` }));
}

/** Every pair of the files, read by @gloss/data's reader for the format; a malformed line throws naming file:line. */
function readPairs(text: CorpusText, files: CorpusFile[]): Promise<SentencePair[]> {
  const source = (f: CorpusFile) => textSource(f.data, f.name);   // .gz or gzip bytes: gunzipped on the way
  const reader = text.format === 'jsonl' ? readJsonlPairs(source(files[0]), { onError: 'throw', fields: { src: text.srcField, tgt: text.tgtField } })
    : text.format === 'parallel' ? readParallelFiles(source(files[0]), source(files[1]), { onError: 'throw' })
    : readTsvPairs(source(files[0]), { onError: 'throw' });
  return reader.toArray();
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${res.statusText} (${(await res.text()).slice(0, 200)})`);
  return new Uint8Array(await res.arrayBuffer());
}

const DEFAULT_FIELDS = { srcField: 'src', tgtField: 'tgt', srcLang: 'src', tgtLang: 'tgt' } as const;

async function corpusText(choice: CorpusChoice, maxPairs: number): Promise<CorpusText> {
  if (choice.kind === 'bundled') {
    return {
      name: 'bundled synthetic English→French (datasets/translation)', format: 'tsv',
      train: [{ name: 'train.tsv', data: await fetchBytes('/corpus/train.tsv') }], trainName: 'train.tsv',
      valid: [{ name: 'valid.tsv', data: await fetchBytes('/corpus/valid.tsv') }], validName: 'valid.tsv', ...DEFAULT_FIELDS, maxPairs,
    };
  }
  const { format, files, srcField, tgtField, prefix, srcLang, tgtLang } = choice;
  if (format === 'jsonl' && (!srcField.trim() || !tgtField.trim())) throw new Error(`${files[0].name}: give the JSONL source and target field names (e.g. src and tgt, or article and summary)`);
  if (files.length !== (format === 'parallel' ? 2 : 1)) throw new Error(`a ${format} corpus is ${format === 'parallel' ? 'two files' : 'one file'}, got ${files.length}`);
  const name = format === 'parallel' ? `${files[0].name} → ${files[1].name}`
    : format === 'jsonl' ? `${files[0].name} ("${srcField}" → "${tgtField}")` : files[0].name;
  return {
    name, format, train: files, trainName: format === 'parallel' ? prefix : files[0].name, valid: null, validName: null,
    ...DEFAULT_FIELDS, ...(format === 'jsonl' ? { srcField, tgtField } : {}), ...(format === 'parallel' ? { srcLang, tgtLang } : {}), maxPairs,
  };
}

const EXPECTED: Record<CorpusFormat, string> = {
  tsv: 'lines of source<TAB>target',
  jsonl: 'lines of JSON objects',
  parallel: 'line i of one file translating line i of the other',
};

/** The pairs of a corpus: all lines are checked (errors name file:line), then the first maxPairs are used. */
async function splitPairs(text: CorpusText): Promise<{ pairs: SentencePair[]; validPairs: SentencePair[] }> {
  const all = await readPairs(text, text.train);
  if (all.length === 0) throw new Error(`${text.train.map((f) => f.name).join(' and ')}: no sentence pairs (expected ${EXPECTED[text.format]})`);
  if (text.valid !== null) {
    return { pairs: all.slice(0, text.maxPairs), validPairs: (await readPairs(text, text.valid)).slice(0, MAX_VALID) };
  }
  const used = all.slice(0, text.maxPairs);
  const held = Math.min(MAX_VALID, Math.max(1, Math.floor(used.length / 10)));
  if (used.length < 2) throw new Error(`${text.trainName}: ${used.length} sentence pair; at least 2 are needed (one is held out for validation)`);
  return { pairs: used.slice(0, used.length - held), validPairs: used.slice(used.length - held) };
}

function configFor(preset: string, text: CorpusText, choice: TokenizerChoice, maxSteps: number, validateEvery: number): TrainConfig {
  return resolveConfig({
    ...PAGE_FIELDS, ...presetByName(preset).fields, tokenizer: choice.tokenizer, vocabSize: choice.vocabSize,
    format: text.format, srcLang: text.srcLang, tgtLang: text.tgtLang, srcField: text.srcField, tgtField: text.tgtField,
    train: text.trainName, valid: text.validName ?? `${text.trainName} (last pairs held out)`, maxSteps, validateEvery,
  }, 'the train view');
}

function summary(p: Prepared): PreparedCorpus {
  const base = configFor('tiny', p.text, p.choice, 1, 1);
  const parameters: Record<string, number> = {};
  for (const preset of PRESETS) {
    parameters[preset.name] = buildModel({ ...base, ...preset.fields } as TrainConfig, p.tok, new Generator(0)).numParameters();
  }
  const { dropped } = encodePairs(p.pairs, p.tok, base.maxLength);
  return {
    name: p.text.name, trainPairs: p.pairs.length, validPairs: p.validPairs.length, dropped, tokenizer: p.tok.src.kind,
    vocab: p.tok.src.vocab.size, parameters,
  };
}

function view(r: Run): RunView {
  const train = r.storage.metrics.filter((m) => m.type === 'train') as unknown as TrainRecord[];
  const valid = r.storage.metrics.filter((m) => m.type === 'valid') as unknown as ValidRecord[];
  return {
    phase: r.phase, preset: r.preset, step: r.step, maxSteps: r.config.maxSteps, corpus: prepared?.text.name ?? '',
    parameters: r.parameters, train, valid, samples: r.samples,
  };
}

/** Records the run's phase; the page hears of a pause or an end once it is in IndexedDB (a reload then finds that step). */
function setPhase(r: Run, phase: RunPhase): void {
  r.phase = phase;
  if (run !== r) return;   // discarded while its last step finished
  persist({ meta: metaOf(r) });
  const step = r.step;
  if (phase === 'training') post({ type: 'phase', phase, step });   // before its first step's record
  else void persisting.then(() => post({ type: 'phase', phase, step }));
}

function metaOf(r: Run) {
  return { config: r.config, preset: r.preset, phase: r.phase, parameters: r.parameters, samples: r.samples, choice: prepared!.choice };
}

/** memoryStorage whose commits carry gloss train's extra files and are kept in IndexedDB; metrics are posted as logged. */
function pageStorage(r: Run, extras: () => Record<string, string>): MemoryStorage {
  const inner = r.storage;
  return {
    ...inner,
    commit(name, files) {
      const all = new Map<string, string | Uint8Array>([...Object.entries(extras()), ...files]);
      const location = inner.commit(name, all);
      if (run === r) persist({ [`checkpoint:${name}`]: [...all], metrics: [...inner.metrics], meta: metaOf(r) });
      return location;
    },
    openMetrics(upToStep) {
      const sink = inner.openMetrics(upToStep);
      return {
        train(record, elapsed) {
          sink.train(record, elapsed);
          if (run === r) post({ type: 'train', record: inner.metrics.at(-1) as unknown as TrainRecord });
        },
        valid(step, elapsed, m) {
          sink.valid(step, elapsed, m);
          if (run === r) post({ type: 'valid', record: inner.metrics.at(-1) as unknown as ValidRecord, samples: r.samples?.samples ?? [] });
        },
        flush: (durable) => sink.flush(durable),
      };
    },
  };
}

/** One Trainer over the run's storage, built as gloss train builds it; returns when it ends, pauses or stops. */
async function fit(r: Run, resume: boolean): Promise<void> {
  const p = prepared!;
  const config = r.config;
  const generator = new Generator(config.seed);
  const model = buildModel(config, p.tok, generator);
  const train = encodePairs(p.pairs, p.tok, config.maxLength);
  if (train.examples.length === 0) throw new Error(`${p.text.trainName}: no training pairs left after tokenizing and the maxLength (${config.maxLength}) filter`);
  const batches = new BatchIterator(train.examples, { maxTokens: config.maxTokens, batchSize: config.batchSize, seed: config.seed });
  const lossFn = trainingLoss(config, model);
  const validate = validator(config, model, p.tok, p.validPairs, (pairs, hyps) => {
    r.samples = { step: r.step, samples: pairs.slice(0, SAMPLES).map((x, i) => ({ src: x.src, ref: x.tgt, hyp: hyps[i] })) };
  });
  r.abort = new AbortController();
  const metric = { metric: config.metric, mode: config.metric === 'loss' ? 'min' as const : 'max' as const };
  const storage = pageStorage(r, () => checkpointExtraFiles(model, p.tok, config));
  const result = await new Trainer<Batch>({
    model, optimizer: makeOptimizer(config, model), data: batchIteratorSource(batches), lossFn,
    schedule: makeSchedule(config, config.maxSteps), validate, generators: { model: generator }, storage, resume,
    maxSteps: config.maxSteps, accumulate: config.accumulate, clipNorm: config.clipNorm > 0 ? config.clipNorm : undefined,
    validateEvery: config.validateEvery, checkpointEvery: config.validateEvery, bestMetric: metric, log: 'quiet',
    onStep: (s) => { r.step = s.step; }, signal: r.abort.signal,
  }).fit();
  r.abort = null;
  r.step = result.step;
  if (result.stopReason !== 'interrupted') setPhase(r, 'done');
  else setPhase(r, r.stopping ? 'stopped' : 'paused');
}

/** Milliseconds per update of `preset`'s model on this corpus here: the median of updates 2–4 (the first warms up). */
async function measureStep(preset: string): Promise<number> {
  const p = prepared!;
  const config = configFor(preset, p.text, p.choice, MEASURED_STEPS, MEASURED_STEPS);
  const generator = new Generator(config.seed);
  const model = buildModel(config, p.tok, generator);
  const batches = new BatchIterator(encodePairs(p.pairs, p.tok, config.maxLength).examples, { maxTokens: config.maxTokens, batchSize: config.batchSize, seed: config.seed });
  const times: number[] = [];
  let last = performance.now();
  // No storage: nothing is saved; the same updates as a run's first ones.
  await new Trainer<Batch>({
    model, optimizer: makeOptimizer(config, model), data: batchIteratorSource(batches),
    lossFn: trainingLoss(config, model),
    schedule: makeSchedule(config, config.maxSteps), generators: { model: generator }, maxSteps: MEASURED_STEPS,
    clipNorm: config.clipNorm > 0 ? config.clipNorm : undefined, log: 'quiet',
    onStep: () => { const now = performance.now(); times.push(now - last); last = now; },
  }).fit();
  const sorted = times.slice(1).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
const MEASURED_STEPS = 4;

async function train(r: Run, resume: boolean): Promise<void> {
  setPhase(r, 'training');
  try {
    await fit(r, resume);
  } catch (e) {
    r.abort = null;
    setPhase(r, 'paused');
    throw e;
  }
}

/** The run as restored from IndexedDB, or null when there is none. */
async function restore(): Promise<RunView | null> {
  const meta = await idb.get<ReturnType<typeof metaOf>>('meta');
  const text = await idb.get<CorpusText>('corpus');
  const last = await idb.get<FileList_>('checkpoint:last');
  if (!meta || !text) return null;
  const { pairs, validPairs } = await splitPairs(text);
  const storage = memoryStorage('page');
  let step = 0;
  let tok: Tokenizers;
  if (last) {
    // As gloss train resuming: the tokenizers are last/'s, the step is last/'s, the metrics log is cut there.
    const files = new Map(last);
    tok = tokenizersFromFiles((n) => (files.has(n) ? asText(files.get(n)!) : null), 'the saved run/last');
    storage.checkpoints.set('last', files);
    const best = await idb.get<FileList_>('checkpoint:best');
    if (best) storage.checkpoints.set('best', new Map(best));
    const state = JSON.parse(asText(files.get('trainer-state.json')!)) as { step: number };
    step = state.step;
    const metrics = (await idb.get<Record<string, unknown>[]>('metrics')) ?? [];
    storage.metrics.push(...metrics.filter((m) => (m.step as number) <= step));
  } else {
    tok = trainTokenizers(pairs, meta.config);
  }
  prepared = { text, choice: meta.choice, pairs, validPairs, tok };
  const phase: RunPhase = meta.phase === 'training' || meta.phase === 'pausing' ? 'paused' : meta.phase;
  run = { config: meta.config, preset: meta.preset, storage, phase, step, parameters: meta.parameters, samples: meta.samples, abort: null, stopping: false };
  return view(run);
}

const asText = (d: string | Uint8Array): string => (typeof d === 'string' ? d : new TextDecoder().decode(d));

/** The run as a run directory's files, as gloss train leaves one: last/…, best/…, metrics.jsonl. */
function runFiles(r: Run): FileList_ {
  const enc = new TextEncoder();
  const out: FileList_ = [];
  for (const name of ['best', 'last']) {
    const files = r.storage.checkpoints.get(name);
    if (files) for (const [f, d] of files) out.push([`${name}/${f}`, typeof d === 'string' ? enc.encode(d) : d]);
  }
  out.push(['metrics.jsonl', enc.encode(r.storage.metrics.map((m) => JSON.stringify(m)).join('\n') + (r.storage.metrics.length ? '\n' : ''))]);
  return out;
}

async function handle(m: TrainRequest): Promise<void> {
  switch (m.type) {
    case 'restore': {
      await threadsReady;
      const restored = await restore().catch((e: Error) => {
        post({ type: 'error', message: `the run saved in this browser cannot be restored (${e.message}); discard it to start again` });
        return null;
      });
      const t = matmulThreadsReport();
      post({ type: 'restored', run: restored, threads: `${t.threads} thread${t.threads === 1 ? '' : 's'} (${t.pool}${t.singleThreaded ? `: ${t.singleThreaded}` : ''})` });
      return;
    }
    case 'prepare': {
      if (run && ['training', 'pausing', 'paused'].includes(run.phase)) throw new Error(`a run is ${run.phase}: stop or discard it before loading another corpus`);
      const text = await corpusText(m.corpus, m.maxPairs);
      const { pairs, validPairs } = await splitPairs(text);
      const tok = trainTokenizers(pairs, configFor('tiny', text, m.tokenizer, 1, 1));
      prepared = { text, choice: m.tokenizer, pairs, validPairs, tok };
      post({ type: 'prepared', corpus: summary(prepared) });
      return;
    }
    case 'measure': {
      if (!prepared) throw new Error('load a corpus first');
      if (run && run.phase === 'training') throw new Error('a run is training: measure once it is paused or done');
      post({ type: 'measured', preset: m.preset, ms: await measureStep(m.preset) });
      return;
    }
    case 'start': {
      if (!prepared) throw new Error('load a corpus first');
      if (run && (run.phase === 'training' || run.phase === 'paused')) throw new Error('a run is in progress: stop or discard it first');
      const config = configFor(m.preset, prepared.text, prepared.choice, m.maxSteps, m.validateEvery);
      await persisting;
      await idb.clear();
      persist({ corpus: prepared.text });
      const parameters = buildModel(config, prepared.tok, new Generator(0)).numParameters();
      run = { config, preset: m.preset, storage: memoryStorage('page'), phase: 'idle', step: 0, parameters, samples: null, abort: null, stopping: false };
      post({ type: 'run', run: view(run) });
      await train(run, false);
      return;
    }
    case 'pause':
    case 'stop': {
      if (!run) throw new Error('there is no run');
      if (run.phase === 'training') {
        run.stopping = m.type === 'stop';
        run.phase = 'pausing';
        post({ type: 'phase', phase: 'pausing', step: run.step });
        run.abort?.abort();
      } else if (m.type === 'stop' && run.phase === 'paused') {
        setPhase(run, 'stopped');
      }
      return;
    }
    case 'resume': {
      if (!run) throw new Error('there is no run to resume');
      if (run.phase !== 'paused') throw new Error(`the run is ${run.phase}, not paused`);
      run.stopping = false;
      await train(run, run.storage.checkpoints.has('last'));
      return;
    }
    case 'discard': {
      run?.abort?.abort();   // its last step finishes unseen: nothing of it is saved or shown after this
      run = null;
      await persisting;
      await idb.clear();
      post({ type: 'restored', run: null, threads: '' });
      return;
    }
    case 'files': {
      if (!run || !run.storage.checkpoints.has('last')) throw new Error('no checkpoint yet: it is saved at each validation and when the run pauses or stops');
      await persisting;
      post({ type: 'files', name: 'gloss-web-run', files: runFiles(run) });
      return;
    }
  }
}

const threadsReady = startMatmulThreads().catch(() => undefined);

/** An error as a person can act on it: running out of memory says what to change. */
function explain(e: Error): string {
  if (e instanceof RangeError && /allocation|array length|memory/i.test(e.message)) {
    return `the model does not fit in this page's memory (${e.message}): choose a smaller model size, fewer pairs or a smaller vocabulary`;
  }
  return e.message;
}

self.onmessage = (event: MessageEvent<TrainRequest>) => {
  handle(event.data).catch((e: Error) => post({ type: 'error', message: explain(e) }));
};

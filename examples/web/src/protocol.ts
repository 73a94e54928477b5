// Messages between the page and its two Workers (translate-worker.ts, train-worker.ts).
import type { TrainRecord, ValidRecord } from '@gloss/cli/browser';
import type { TokenizerChoice } from './presets.js';

/** A checkpoint's files as the page read them: plain names (config.json, model.safetensors, tokenizer.json …). */
export type FileList_ = [name: string, data: Uint8Array][];

export interface CheckpointInfo {
  /** Where it came from: a folder, a file list, the demo run, the model trained in the page. */
  source: string;
  parameters: number;
  config: Record<string, unknown>;
  vocab: string;
  tokenizer: string;
  step: number | null;
  /** The backend the decoding runs on, and why. */
  backend: string;
  ms: number;
}

export interface AttentionLayer {
  /** [numHeads, tgtTokens, srcTokens] */
  shape: [number, number, number];
  data: Float32Array;
}

export interface TranslatedLine {
  src: string;
  srcTokens: string[];
  nbest: { text: string; score: number; tgtTokens: string[] }[];
  /** The best hypothesis's cross-attention, per decoder layer (empty for a line that tokenized to nothing). */
  attention: AttentionLayer[];
}

export type TranslateRequest =
  | { type: 'load'; source: string; files: FileList_; backend: string }
  | { type: 'translate'; id: number; lines: string[]; beam: number; nbest: number };

export type TranslateReply =
  | { type: 'loaded'; info: CheckpointInfo }
  | { type: 'translated'; id: number; results: TranslatedLine[]; ms: number }
  | { type: 'error'; id?: number; message: string };

export type CorpusFormat = 'tsv' | 'jsonl' | 'parallel';

/** One corpus file as picked or dropped: its name (named in errors) and bytes (gzip when .gz). */
export interface CorpusFile { name: string; data: Uint8Array }

/**
 * The corpus to train on: the bundled one, or files picked or dropped — one TSV, one JSONL (source and target
 * under srcField/tgtField, as gloss train's --src-field/--tgt-field), or two parallel files, source first, with
 * their language suffixes (gloss train's --src-lang/--tgt-lang) and shared prefix (its --train).
 */
export type CorpusChoice =
  | { kind: 'bundled' }
  | { kind: 'files'; format: CorpusFormat; files: CorpusFile[]; srcField: string; tgtField: string; prefix: string; srcLang: string; tgtLang: string };

export interface PreparedCorpus {
  name: string;
  trainPairs: number;
  validPairs: number;
  /** Pairs dropped: empty after tokenizing, or longer than maxLength. */
  dropped: number;
  vocab: number;
  tokenizer: string;
  /** Parameters of each preset's model over this vocabulary. */
  parameters: Record<string, number>;
}

export interface Sample { src: string; ref: string; hyp: string }

export type RunPhase = 'idle' | 'training' | 'pausing' | 'paused' | 'stopped' | 'done';

/** What the page shows of a run (also after a reload). */
export interface RunView {
  phase: RunPhase;
  preset: string;
  step: number;
  maxSteps: number;
  corpus: string;
  parameters: number;
  train: TrainRecord[];
  valid: ValidRecord[];
  samples: { step: number; samples: Sample[] } | null;
}

export type TrainRequest =
  | { type: 'restore' }
  | { type: 'prepare'; corpus: CorpusChoice; tokenizer: TokenizerChoice; maxPairs: number }
  | { type: 'measure'; preset: string }
  | { type: 'start'; preset: string; maxSteps: number; validateEvery: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'discard' }
  | { type: 'files' };

export type TrainReply =
  | { type: 'restored'; run: RunView | null; threads: string }
  | { type: 'prepared'; corpus: PreparedCorpus }
  | { type: 'measured'; preset: string; ms: number }
  | { type: 'run'; run: RunView }
  | { type: 'train'; record: TrainRecord }
  | { type: 'valid'; record: ValidRecord; samples: Sample[] }
  | { type: 'phase'; phase: RunPhase; step: number }
  | { type: 'files'; name: string; files: FileList_ }
  | { type: 'error'; message: string };

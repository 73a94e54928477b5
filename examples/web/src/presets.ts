// The model sizes the train view offers, as gloss train config fields over CONFIG_FIELDS' defaults, and the
// fields every run in the page shares. `demo` is the model of `npm run demo` (examples/tatoeba/config.json).
export interface Preset {
  readonly name: string;
  readonly label: string;
  readonly fields: Readonly<Record<string, number | string | boolean>>;
}

export const PRESETS: readonly Preset[] = [
  { name: 'tiny', label: 'tiny (d 32, 1+1 layers)', fields: { dModel: 32, numHeads: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 64, maxTokens: 1024, lr: 3e-3, warmup: 20 } },
  { name: 'small', label: 'small (d 64, 2+2 layers)', fields: { dModel: 64, numHeads: 4, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 256, maxTokens: 2048, lr: 2e-3, warmup: 50 } },
  { name: 'demo', label: 'demo (d 128, 2+2 layers, as npm run demo)', fields: { dModel: 128, numHeads: 4, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 512, maxTokens: 4096, lr: 2e-3, warmup: 100 } },
];

/** Fields of every run in the page (the rest are gloss train's defaults). */
export const PAGE_FIELDS = {
  out: 'browser', maxLength: 64, maxEpochs: 0, dropout: 0.1, labelSmoothing: 0.1, clipNorm: 1, schedule: 'cosine',
  validSentences: 40, metric: 'bleu', seed: 1, backend: 'cpu', log: 'quiet',
} as const;

/** The tokenizer fields a corpus is prepared with. */
export interface TokenizerChoice {
  tokenizer: 'word' | 'bpe' | 'char';
  vocabSize: number;
}

export function presetByName(name: string): Preset {
  const p = PRESETS.find((x) => x.name === name);
  if (!p) throw new Error(`unknown model size "${name}" (expected ${PRESETS.map((x) => x.name).join(', ')})`);
  return p;
}

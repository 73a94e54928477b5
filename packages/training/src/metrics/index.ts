// @gloss/training metrics: corpus BLEU and chrF as sacreBLEU 2.6.0, ROUGE as rouge-score, and perplexity.
export {
  corpusBleu, sentenceBleu, bleuStatistics, mergeBleuStatistics, computeBleu, formatBleu, SACREBLEU_VERSION,
  type BleuOptions, type BleuScore, type BleuStatistics, type BleuSmoothMethod,
} from './bleu.js';
export { tokenize13a, tokenizeIntl, preprocessForBleu, BLEU_TOKENIZERS, type BleuTokenizerName } from './bleu-tokenizers.js';
export { corpusChrF, sentenceChrF, chrFStatistics, formatChrF, type ChrFOptions, type ChrFScore, type ChrFStatistics } from './chrf.js';
export { rouge, sentenceRouge, rougeTokenize, lcsLength, type RougeOptions, type RougeResult, type RougeScore } from './rouge.js';
export { perplexity, PerplexityAccumulator, type PerplexityState } from './perplexity.js';
export { transposeReferences, type References } from './references.js';

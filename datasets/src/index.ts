// @gloss/datasets: seeded generators for gloss's bundled corpora (synthetic English→French translation,
// report summarization) and the copy/reverse sanity tasks, plus the splits behind the committed files
// (the Tatoeba split included; reading the bundled exports is Node-only, in src/tatoeba/files.ts).
export {
  generateTranslationPairs, MIN_WORDS, MAX_WORDS, type TranslationPair, type TranslationOptions,
} from './translation/pairs.js';
export {
  generateSummarizationExamples, MIN_ARTICLE_WORDS, MAX_ARTICLE_WORDS, type SummarizationExample, type SummarizationOptions,
} from './summarization/examples.js';
export {
  copyTask, reverseTask, copyTaskIds, reverseTaskIds, toyTaskTokens, TOY_ID_OFFSET,
  type ToyTaskOptions, type ToyPair, type ToyIdPair,
} from './toy-tasks.js';
export {
  translationCorpus, summarizationCorpus, corpusFiles, corpusFileUrl, toTsv, toJsonl,
  TRANSLATION_SEED, SUMMARIZATION_SEED, TRANSLATION_SPLITS, SUMMARIZATION_SPLITS,
  type Splits, type SplitName, type CorpusFile, type CorpusPath,
} from './corpus-files.js';
export {
  splitTatoeba, normalizeSentence, TATOEBA_SEED, TATOEBA_HELD_OUT, SPACE_CHARACTERS,
  type TatoebaSplit, type TatoebaReport, type TatoebaSplitOptions,
} from './tatoeba/split.js';

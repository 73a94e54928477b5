// Decoding, apart from the model (as JoeyNMT's search.py): greedy, beam search and sampling, all batched on the KV cache.
export { greedyDecode, type GreedyOptions } from './greedy.js';
export { beamSearch, lengthPenalty, type BeamSearchOptions } from './beam-search.js';
export { sampleDecode, type SamplingOptions } from './sampling.js';
export type { Hypothesis, LengthOptions } from './hypothesis.js';

// Text in, text out: tokenize sentences, decode them in length-sorted batches (greedy or beam search on the
// KV cache), detokenize, and hand the results back in input order. Shared by translate, evaluate and the
// validation of train.
import { Tensor } from '@gloss/tensor';
import { beamSearch, greedyDecode, type Hypothesis, type Seq2SeqTransformer } from '@gloss/transformer';
import { corpusBleu, corpusChrF, rouge, sentenceRouge } from '@gloss/training';
import type { Tokenizers } from './corpus.js';

export interface DecodeTextOptions {
  /** 1: greedy; more: beam search. Default 1. */
  beam?: number;
  /** GNMT α for beam search. Default 0.6. */
  lengthPenalty?: number;
  /** Hypotheses per sentence (≤ beam). Default 1. */
  nBest?: number;
  /** Sentences per decoding batch. Default 64 (16 for beam search: each sentence takes beam rows). */
  batchSize?: number;
  /** Output length limit: maxLenA·srcLen + maxLenB. Defaults 1.5 and 10. */
  maxLenA?: number;
  maxLenB?: number;
  returnAttention?: boolean;
}

export interface DecodedText {
  /** The best hypothesis's text. */
  text: string;
  /** Best first: each of the n best hypotheses (tokens, score, finished, attention) with its text. */
  nbest: (Hypothesis & { text: string })[];
}

/**
 * Decodes `lines` with `model`. Lines that tokenize to nothing decode to the empty string. A source longer than
 * the model's maxLen is cut to it (never an error mid-file).
 */
export function decodeText(model: Seq2SeqTransformer, tok: Tokenizers, lines: readonly string[], options: DecodeTextOptions = {}): DecodedText[] {
  const { beam = 1, lengthPenalty = 0.6, nBest = 1, maxLenA = 1.5, maxLenB = 10, returnAttention = false } = options;
  const batchSize = options.batchSize ?? (beam > 1 ? 16 : 64);
  const maxLen = model.config.maxLen;
  const encoded = lines.map((line) => tok.src.encode(line).slice(0, maxLen));
  const order = encoded.map((_, i) => i).filter((i) => encoded[i].length > 0).sort((a, b) => encoded[a].length - encoded[b].length || a - b);
  const results: DecodedText[] = lines.map(() => ({ text: '', nbest: [] }));
  for (let start = 0; start < order.length; start += batchSize) {
    const rows = order.slice(start, start + batchSize);
    const width = Math.max(...rows.map((i) => encoded[i].length));
    const ids = new Int32Array(rows.length * width).fill(model.config.padId);
    rows.forEach((i, r) => ids.set(encoded[i], r * width));
    const src = new Tensor(ids, [rows.length, width], 'int32');
    const hyps = beam > 1
      ? beamSearch(model, src, { beamSize: beam, lengthPenalty, nBest, maxLenA, maxLenB, returnAttention })
      : greedyDecode(model, src, { maxLenA, maxLenB, returnAttention });
    rows.forEach((i, r) => {
      const nbest = hyps[r].map((h) => ({ ...h, text: tok.tgt.decode(h.tokens) }));
      results[i] = { text: nbest[0]?.text ?? '', nbest };
    });
  }
  return results;
}

export interface Scores {
  bleu: number;
  chrf: number;
  rouge1?: number;
  rouge2?: number;
  rougeL?: number;
  bleuSignature: string;
  chrfSignature: string;
}

/**
 * Corpus BLEU and chrF (sacreBLEU's defaults), and ROUGE F1 ×100 when `withRouge`. `references` is one reference per
 * hypothesis, or several reference streams (`references[k][i]`: the k-th reference of hypothesis i), as sacreBLEU
 * takes them; with several, each ROUGE score is the best over a hypothesis's references (rouge-score's score_multi).
 */
export function scoreText(hypotheses: readonly string[], references: readonly string[] | readonly (readonly string[])[], withRouge = false): Scores {
  const streams = (typeof references[0] === 'string' ? [references] : references) as readonly (readonly string[])[];
  const bleu = corpusBleu(hypotheses, streams);
  const chrf = corpusChrF(hypotheses, streams);
  const scores: Scores = { bleu: bleu.score, chrf: chrf.score, bleuSignature: bleu.signature, chrfSignature: chrf.signature };
  if (withRouge) {
    const r = streams.length === 1 ? rouge(hypotheses, streams[0]) : null;
    const each = r ? [] : hypotheses.map((h, i) => streams.map((s) => sentenceRouge(h, s[i])));   // [segment][reference]
    const best = (key: 'rouge1' | 'rouge2' | 'rougeL') => r ? r[key].f1
      : each.reduce((sum, rs) => sum + Math.max(...rs.map((x) => x[key].f1)), 0) / hypotheses.length;
    scores.rouge1 = 100 * best('rouge1');
    scores.rouge2 = 100 * best('rouge2');
    scores.rougeL = 100 * best('rougeL');
  }
  return scores;
}

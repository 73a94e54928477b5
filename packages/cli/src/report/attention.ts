// The report's attention view: the first source sentence of a run's validation corpus decoded (greedily) with its
// best checkpoint, as heatmaps of the decoder's cross-attention. When the run has no checkpoint or corpus yet,
// a note says why in its place.
import fs from 'node:fs';
import path from 'node:path';
import { loadCheckpoint } from '@gloss/transformer/node';
import { attentionSections } from '../attention-view.js';
import { CONFIG_FIELDS } from '../config.js';
import { loadTokenizers, openCorpus, type CorpusSpec } from '../corpus.js';
import { decodeText } from '../decode-text.js';
import { attentionInput } from '../commands/translate.js';
import type { ReportRun } from './runs.js';

export type ReportAttention =
  | { run: string; checkpoint: string; sentence: string; translation: string; html: string }
  | { run: string; note: string };

/** The checkpoint the view uses: RUN/best, else RUN/last; null when neither holds a model. */
export function viewCheckpoint(dir: string): string | null {
  for (const sub of ['best', 'last']) {
    const d = path.join(dir, sub);
    if (fs.existsSync(path.join(d, 'config.json')) && fs.existsSync(path.join(d, 'model.safetensors'))) return d;
  }
  return null;
}

/** The corpus fields of a run's config, with gloss train's defaults for those it lacks. */
function corpusSpec(config: Record<string, unknown>): CorpusSpec {
  const pick = (k: keyof CorpusSpec) => String(config[k] ?? CONFIG_FIELDS[k].default);
  return { format: pick('format'), srcLang: pick('srcLang'), tgtLang: pick('tgtLang'), srcField: pick('srcField'), tgtField: pick('tgtField'), onError: 'skip' };
}

/**
 * The attention view of `run`'s first validation sentence, or a note: no checkpoint, no `valid` corpus in its
 * config, the corpus missing or empty, or the checkpoint unreadable (say, being rewritten). A relative corpus path
 * is taken from the working directory, as gloss train took it.
 */
export function runAttention(run: ReportRun): ReportAttention {
  const note = (text: string): ReportAttention => ({ run: run.name, note: text });
  const checkpoint = viewCheckpoint(run.dir);
  if (!checkpoint) return note(`no checkpoint in ${run.dir} yet (best/ or last/)`);
  const valid = run.config?.valid;
  if (typeof valid !== 'string' || valid === '') return note('the run has no validation corpus ("valid" in its train-config.json)');
  try {
    let sentence: string | undefined;
    for (const pair of openCorpus(valid, corpusSpec(run.config!))) { sentence = pair.src; break; }
    if (sentence === undefined) return note(`${valid}: no sentence pairs`);
    const { model } = loadCheckpoint(checkpoint);
    const tok = loadTokenizers(checkpoint);
    const [decoded] = decodeText(model, tok, [sentence], { returnAttention: true });
    return { run: run.name, checkpoint, sentence, translation: decoded.text, html: attentionSections(attentionInput(sentence, decoded, tok)) };
  } catch (e) {
    return note((e as Error).message);
  }
}

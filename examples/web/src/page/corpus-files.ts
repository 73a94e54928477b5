// What a set of corpus files picked or dropped on the train view is: one TSV (source<TAB>target; any name but
// .jsonl), one JSONL (.jsonl, one object per line), or two parallel files PREFIX.SRC and PREFIX.TGT (train.en +
// train.fr), each maybe gzipped (.gz). For parallel files the source is the file whose suffix is srcLang (or whose
// partner's is tgtLang), as gloss train's --src-lang/--tgt-lang choose; when neither says, the person chooses.
import type { CorpusFormat } from '../protocol.js';

export interface CorpusFiles {
  format: CorpusFormat;
  /** The file names, as they will be named in errors (parallel: in the order given). */
  names: string[];
  /** Parallel files: the shared prefix (gloss train's --train), and each file's language suffix. */
  prefix?: string;
  langs?: [string, string];
}

const stripGz = (name: string) => name.replace(/\.gz$/i, '');

/** The format of `names` (what was picked or dropped), or an Error saying what the page takes. */
export function corpusFiles(names: readonly string[]): CorpusFiles {
  if (names.length === 1) return { format: /\.jsonl$/i.test(stripGz(names[0])) ? 'jsonl' : 'tsv', names: [...names] };
  if (names.length === 2) {
    const split = names.map((n) => {
      const base = stripGz(n);
      const dot = base.lastIndexOf('.');
      return dot > 0 && dot > base.lastIndexOf('/') && dot < base.length - 1 ? [base.slice(0, dot), base.slice(dot + 1)] : null;
    });
    if (!split[0] || !split[1] || split[0][0] !== split[1][0]) {
      throw new Error(`two files are read as parallel files, PREFIX.SRC and PREFIX.TGT (train.en and train.fr), with the same prefix; got ${names.join(' and ')}`);
    }
    if (split[0][1] === split[1][1]) throw new Error(`parallel files need different language suffixes; ${names.join(' and ')} both end in .${split[0][1]}`);
    return { format: 'parallel', names: [...names], prefix: split[0][0], langs: [split[0][1], split[1][1]] };
  }
  throw new Error(`drop or choose one TSV or JSONL file, or two parallel files (PREFIX.SRC and PREFIX.TGT); got ${names.length} files${names.length ? `: ${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''}` : ''}`);
}

/** Which of two parallel files is the source (0 or 1) by the language suffixes, or null when srcLang/tgtLang do not tell. */
export function sourceIndex(langs: readonly [string, string], srcLang: string, tgtLang: string): 0 | 1 | null {
  const bySrc = langs.indexOf(srcLang.trim());
  const byTgt = langs.indexOf(tgtLang.trim());
  if (bySrc >= 0 && (byTgt < 0 || byTgt !== bySrc)) return bySrc as 0 | 1;
  if (byTgt >= 0 && bySrc < 0) return (1 - byTgt) as 0 | 1;
  return null;
}

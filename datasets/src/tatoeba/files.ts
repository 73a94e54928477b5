// The committed Tatoeba files (Node only): the bundled manythings.org exports, checked against their
// SHA-256, split by splitTatoeba, and written as tatoeba/<pair>/{train.tsv.gz,valid.tsv,test.tsv}.
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ValueError } from '@gloss/tensor';
import { sha256 } from '../checksums.js';
import { toTsv, type CorpusFile } from '../corpus-files.js';
import { splitTatoeba, type TatoebaSplit } from './split.js';

/** One bundled export: language pair, file under datasets/tatoeba/, its SHA-256 and manythings.org's export date. */
export interface TatoebaSource {
  readonly pair: 'en-fr' | 'en-de';
  readonly target: string;
  readonly file: string;
  readonly sha256: string;
  readonly exported: string;
}

export const TATOEBA_SOURCES: readonly TatoebaSource[] = [
  { pair: 'en-fr', target: 'French', file: 'tatoeba-en-fr.tsv.gz', sha256: 'cae7b974eebda5a29dd4d0d4b576eeddbb082c03feeabbaeb6a8de091fbaf751', exported: '2019-04-08' },
  { pair: 'en-de', target: 'German', file: 'tatoeba-en-de.tsv.gz', sha256: 'b9be7340285a7dad703af41d9499c5a5ce19064732e65b3138579cc5eb6eabb1', exported: '2018-05-13' },
];

const TATOEBA_DIR = new URL('../../tatoeba/', import.meta.url); // datasets/tatoeba/, from src/ or dist/

/** OS byte of the gzip header (RFC 1952 §2.3.1): 3 = Unix, whatever platform zlib was built for. */
const GZIP_OS_UNIX = 3;

/**
 * `text` gzipped the same way on every run: zlib level 9, header mtime 0 (Node's default) and OS byte 3
 * (zlib writes its build platform's code there). Neither header field is covered by the gzip CRC.
 */
export function gzipText(text: string): Buffer {
  const bytes = gzipSync(text, { level: 9 });
  bytes.writeUInt32LE(0, 4); // MTIME
  bytes[9] = GZIP_OS_UNIX;
  return bytes;
}

/** The decoded text of a bundled export, refused if its bytes are not the pinned SHA-256. */
export function readTatoebaSource(source: TatoebaSource): string {
  const path = new URL(source.file, TATOEBA_DIR);
  const bytes = readFileSync(path);
  const got = sha256(bytes);
  if (got !== source.sha256) {
    throw new ValueError('readTatoebaSource', `tatoeba/${source.file} has sha256 ${got}, expected ${source.sha256} (the bundled export changed; restore it or update TATOEBA_SOURCES and regenerate)`);
  }
  return gunzipSync(bytes).toString('utf8');
}

/** The split of one bundled export with the committed seed and sizes. */
export function tatoebaCorpus(source: TatoebaSource): TatoebaSplit {
  return splitTatoeba(readTatoebaSource(source));
}

/** The three files of one language pair: train gzipped (it is most of the size), valid and test plain. */
export function tatoebaCorpusFiles(source: TatoebaSource, { splits }: TatoebaSplit): CorpusFile[] {
  const train = toTsv(splits.train);
  return [
    { path: `tatoeba/${source.pair}/train.tsv.gz`, text: train, bytes: gzipText(train) },
    { path: `tatoeba/${source.pair}/valid.tsv`, text: toTsv(splits.valid) },
    { path: `tatoeba/${source.pair}/test.tsv`, text: toTsv(splits.test) },
  ];
}

/** Every committed Tatoeba file, in a fixed order (after corpusFiles() in SHA256SUMS). */
export function tatoebaFiles(): CorpusFile[] {
  return TATOEBA_SOURCES.flatMap((source) => tatoebaCorpusFiles(source, tatoebaCorpus(source)));
}

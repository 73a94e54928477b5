// Writes every committed corpus file and SHA256SUMS under datasets/, byte for byte from the fixed seeds.
//   npm run generate -w @gloss/datasets               write the files
//   npm run generate -w @gloss/datasets -- --check    compare without writing; exit 1 on drift
//   npm run generate -w @gloss/datasets -- --stats    print sizes, vocabularies and baselines
// The synthetic corpora come from their generators; tatoeba/ from the bundled exports (src/tatoeba/files.ts).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { CHECKSUM_FILE, checksumList, fileBytes, sha256 } from './checksums.js';
import { corpusFiles, type CorpusFile } from './corpus-files.js';
import { describeCorpora } from './stats.js';
import { tatoebaCorpus, tatoebaCorpusFiles, TATOEBA_SOURCES } from './tatoeba/files.js';
import { describeTatoeba } from './tatoeba/stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function readOrNull(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}

/** Why a committed file differs from the generated one; for gzip, whether only the compressed bytes do. */
function describeDrift(file: CorpusFile, current: Buffer | null): string {
  if (current === null) return `drift: ${file.path} is missing`;
  let note = '';
  if (file.bytes !== undefined) {
    let same = false;
    try {
      same = gunzipSync(current).toString('utf8') === file.text;
    } catch { /* not gzip: the content differs too */ }
    note = same ? ' (same content, different compressed bytes: this Node\'s zlib compresses differently)' : ' (content differs)';
  }
  return `drift: ${file.path} is sha256 ${sha256(current)}, generated sha256 ${sha256(fileBytes(file))}${note}`;
}

function main(args: readonly string[]): number {
  const unknown = args.filter((a) => a !== '--check' && a !== '--stats');
  if (unknown.length > 0) {
    console.error(`generate: unknown option ${unknown.join(' ')} (expected --check or --stats)`);
    return 2;
  }
  const started = performance.now();
  const synthetic: CorpusFile[] = corpusFiles();
  const tatoeba = TATOEBA_SOURCES.map((source) => ({ source, split: tatoebaCorpus(source) }));
  const files = [...synthetic, ...tatoeba.flatMap(({ source, split }) => tatoebaCorpusFiles(source, split))];
  const all = [...files, { path: CHECKSUM_FILE, text: checksumList(files) }];
  if (args.includes('--stats')) {
    for (const line of describeCorpora(synthetic)) console.log(line);
    for (const { source, split } of tatoeba) {
      for (const line of describeTatoeba(`tatoeba/${source.pair}`, source.target, split.splits, split.report)) console.log(line);
    }
    return 0;
  }
  if (args.includes('--check')) {
    const drifted = all.filter((f) => !readOrNull(join(root, f.path))?.equals(fileBytes(f)));
    for (const f of drifted) console.error(describeDrift(f, readOrNull(join(root, f.path))));
    console.log(`${all.length - drifted.length}/${all.length} files match (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return drifted.length === 0 ? 0 : 1;
  }
  for (const f of all) {
    const path = join(root, f.path);
    mkdirSync(dirname(path), { recursive: true });
    const bytes = fileBytes(f);
    writeFileSync(path, bytes);
    console.log(`${sha256(bytes).slice(0, 16)}  ${bytes.length.toString().padStart(9)} bytes  ${f.path}`);
  }
  console.log(`wrote ${all.length} files in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));

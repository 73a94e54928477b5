// Writes every committed corpus file and SHA256SUMS under datasets/, byte for byte from the fixed seeds.
//   npm run generate -w @gloss/datasets               write the files
//   npm run generate -w @gloss/datasets -- --check    compare without writing; exit 1 on drift
//   npm run generate -w @gloss/datasets -- --stats    print sizes, vocabularies and baselines
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECKSUM_FILE, checksumList, sha256 } from './checksums.js';
import { corpusFiles, type CorpusFile } from './corpus-files.js';
import { describeCorpora } from './stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function main(args: readonly string[]): number {
  const unknown = args.filter((a) => a !== '--check' && a !== '--stats');
  if (unknown.length > 0) {
    console.error(`generate: unknown option ${unknown.join(' ')} (expected --check or --stats)`);
    return 2;
  }
  const started = performance.now();
  const files: CorpusFile[] = corpusFiles();
  const all = [...files, { path: CHECKSUM_FILE, text: checksumList(files) }];
  if (args.includes('--stats')) {
    for (const line of describeCorpora(files)) console.log(line);
    return 0;
  }
  if (args.includes('--check')) {
    const drifted = all.filter((f) => readOrNull(join(root, f.path)) !== f.text);
    for (const f of drifted) {
      const current = readOrNull(join(root, f.path));
      console.error(`drift: ${f.path} is ${current === null ? 'missing' : `sha256 ${sha256(current)}`}, generated sha256 ${sha256(f.text)}`);
    }
    console.log(`${all.length - drifted.length}/${all.length} files match (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return drifted.length === 0 ? 0 : 1;
  }
  for (const f of all) {
    const path = join(root, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.text);
    console.log(`${sha256(f.text).slice(0, 16)}  ${Buffer.byteLength(f.text).toString().padStart(9)} bytes  ${f.path}`);
  }
  console.log(`wrote ${all.length} files in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));

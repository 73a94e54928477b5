// @gloss/cli/browser is what examples/web bundles: it must build for a page with no Node built-ins (and the main
// entry, which reads files, must not — so the check can fail), and its tokenizer files round-trip.
import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { WordTokenizer } from '@gloss/data';
import { TOKENIZER_FILES, tokenizerFiles, tokenizersFromFiles } from './browser.js';

const bundle = (entry: string) => build({
  entryPoints: [fileURLToPath(new URL(entry, import.meta.url))], bundle: true, write: false, format: 'esm',
  platform: 'browser', logLevel: 'silent',
});

describe('@gloss/cli/browser', () => {
  it('bundles for the browser without Node built-ins; the main entry does not', async () => {
    const out = await bundle('./browser.ts');
    expect(out.errors).toEqual([]);
    expect(out.outputFiles[0].text.length).toBeGreaterThan(10_000);
    await expect(bundle('./index.ts')).rejects.toThrow(/node:/);
  }, 60_000);

  it("reads back the tokenizers tokenizerFiles wrote, shared or per side, and names what is missing", () => {
    const src = WordTokenizer.train(['a b c', 'b c d']);
    const tgt = WordTokenizer.train(['x y', 'y z']);
    const read = (files: Record<string, string>) => (name: string) => files[name] ?? null;
    const shared = tokenizersFromFiles(read(tokenizerFiles({ src, tgt: src })), 'ckpt');
    expect(shared.src).toBe(shared.tgt);
    expect(shared.src.encode('a b d')).toEqual(src.encode('a b d'));
    const split = tokenizersFromFiles(read(tokenizerFiles({ src, tgt })), 'ckpt');
    expect(split.tgt.encode('x z')).toEqual(tgt.encode('x z'));
    expect(() => tokenizersFromFiles(read({}), 'ckpt')).toThrow(`ckpt: no tokenizer in this checkpoint (expected ${TOKENIZER_FILES.shared}, or ${TOKENIZER_FILES.src} and ${TOKENIZER_FILES.tgt})`);
    expect(() => tokenizersFromFiles(read({ [TOKENIZER_FILES.src]: JSON.stringify(src) }), 'ckpt')).toThrow(/ckpt\/tokenizer\.tgt\.json: cannot load the tokenizer: the file is missing/);
    expect(() => tokenizersFromFiles(read({ [TOKENIZER_FILES.shared]: '{"kind":' }), 'ckpt')).toThrow(/^ckpt\/tokenizer\.json: cannot load the tokenizer: /);
  });
});

// Every library package's main entry bundles for the browser with no Node shims: esbuild (platform 'browser')
// fails on any node: module an entry imports, directly or through another package. The /node entries must not
// bundle, which shows the check can fail.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

export const PACKAGES = ['tensor', 'autograd', 'attention', 'gpu', 'transformer', 'data', 'training'] as const;
const NODE_ENTRIES = ['tensor', 'transformer', 'data', 'training'] as const;

/** esbuild's errors for a browser bundle of `entry` (a bare import such as '@gloss/data'), [] when it bundles. */
async function browserBundleErrors(entry: string): Promise<string[]> {
  const result = await build({
    stdin: { contents: `export * from '${entry}';`, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'js' },
    bundle: true, write: false, format: 'esm', platform: 'browser', logLevel: 'silent',
  }).catch((e: { errors?: { text: string }[] }) => ({ errors: e.errors ?? [{ text: String(e) }] }));
  return result.errors.map((e) => e.text);
}

describe('browser bundles', () => {
  it.each(PACKAGES)('@gloss/%s imports no Node built-in', async (name) => {
    expect(await browserBundleErrors(`@gloss/${name}`)).toEqual([]);
  });

  it.each(NODE_ENTRIES)('@gloss/%s/node needs Node (so the check above can fail)', async (name) => {
    const errors = await browserBundleErrors(`@gloss/${name}/node`);
    expect(errors.some((e) => /Could not resolve "node:/.test(e)), errors.join('\n')).toBe(true);
  });
});

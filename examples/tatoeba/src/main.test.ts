// The Tatoeba example in a reduced configuration (a tiny model on the 2,000 validation pairs, a few seconds of
// training under a step limit, a slice of the test split): every stage runs — training with validation, the
// metrics log, test scoring with beam search on real sentences, the report page, the attention view and the
// checkpoint gloss translate reads. Quality is the full run's business (README), not this test's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, memoryIo } from '@gloss/cli';
import { CONFIG_FILE, runTatoebaExample } from './main.js';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-tatoeba-example-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));
const config = JSON.parse(fs.readFileSync(CONFIG_FILE, 'utf8')) as Record<string, string>;
const data = (name: string) => path.resolve(path.dirname(CONFIG_FILE), config[name]);

describe('Tatoeba example (reduced)', () => {
  it('reads the bundled split, trains, scores real test sentences, and writes the report and a checkpoint', async () => {
    expect(config.train).toMatch(/tatoeba\/en-fr\/train\.tsv\.gz$/);
    for (const name of ['train', 'valid', 'test']) expect(fs.existsSync(data(name))).toBe(true);
    const log = memoryIo();
    const r = await runTatoebaExample(['--train', data('valid'), '--out', out, '--vocab-size', '400', '--d-model', '32',
      '--num-heads', '2', '--num-encoder-layers', '1', '--num-decoder-layers', '1', '--dim-feedforward', '64',
      '--max-steps', '30', '--warmup', '5', '--validate-every', '15', '--valid-sentences', '10', '--test-sentences', '20',
      '--beam', '2', '--log', 'jsonl'], log);
    expect(r.result.step).toBe(30);
    expect(r.test!.sentences).toBe(20);
    const [src, ref] = fs.readFileSync(data('test'), 'utf8').split('\n')[0].split('\t');
    expect(r.test!.samples[0]).toMatchObject({ src, ref });
    expect(log.stdout).toMatch(/test \(20 sentences, best\/, beam 2\):\n {2}BLEU [\d.]+ {3}nrefs:1\|case:mixed\|eff:no\|tok:13a/);

    const records = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; step: number });
    expect(records.filter((x) => x.type === 'train').map((x) => x.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(records.filter((x) => x.type === 'valid').map((x) => x.step)).toEqual([15, 30]);
    const page = fs.readFileSync(r.reportFile, 'utf8');
    const embedded = JSON.parse(page.match(/<script type="application\/json" id="gloss-report-data">([\s\S]*?)<\/script>/)![1]) as { runs: { train: unknown[] }[] };
    expect(embedded.runs[0].train).toHaveLength(30);
    expect(fs.readFileSync(r.attentionFile, 'utf8')).toMatch(/<figcaption>layer 0, mean of 2 heads<\/figcaption>/);

    const t = memoryIo('I would like a cup of coffee.\n');
    expect(await main(['translate', '--checkpoint', out, '--beam', '2'], t)).toBe(0);
    expect(t.stdout.split('\n')).toHaveLength(2);
  }, 300_000);
});

// The gloss command end to end on a small generated corpus (reverse a sequence of 6 words): train converges
// (loss falls, validation BLEU rises), translate/evaluate/inspect read the checkpoint it wrote, a second run
// resumes, and bad input gives one clear line and a non-zero exit code.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '@gloss/tensor';
import { main } from './main.js';
import { memoryIo } from './io.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-cli-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const WORDS = ['red', 'blue', 'green', 'cat', 'dog', 'runs'];
function corpus(seed: number, n: number): string {
  const g = new Generator(seed);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const len = 2 + Math.floor(g.random() * 4);
    const s = Array.from({ length: len }, () => WORDS[Math.floor(g.random() * WORDS.length)]);
    lines.push(`${s.join(' ')}\t${[...s].reverse().join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

const io = memoryIo;

const out = path.join(root, 'run');
const tiny = ['--tokenizer', 'word', '--d-model', '32', '--num-heads', '2', '--num-encoder-layers', '1', '--num-decoder-layers', '1',
  '--dim-feedforward', '64', '--dropout', '0', '--lr', '0.01', '--schedule', 'constant', '--warmup', '0', '--max-tokens', '400',
  '--valid-sentences', '60', '--backend', 'cpu', '--log', 'jsonl'];
let trainRun: ReturnType<typeof io>;

beforeAll(async () => {
  for (const [name, seed, n] of [['train.tsv', 1, 1500], ['valid.tsv', 2, 60], ['test.tsv', 3, 40]] as const) {
    fs.writeFileSync(path.join(root, name), corpus(seed, n));
  }
  trainRun = io();
  // 400 steps: the tiny model then translates the probes on relaxed and plain SIMD alike (at 300 it sat at the
  // edge, and rounding-level differences between the two dropped a word).
  const code = await main(['train', '--train', path.join(root, 'train.tsv'), '--valid', path.join(root, 'valid.tsv'),
    '--test', path.join(root, 'test.tsv'), '--out', out, '--max-steps', '400', '--validate-every', '100', ...tiny], trainRun);
  expect(trainRun.stderr).not.toMatch(/error/i);
  expect(code).toBe(0);
}, 300_000);

const events = (text: string) => text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, number & string>);

describe('gloss train', () => {
  it('converges: training loss falls and validation BLEU rises', () => {
    const ev = events(trainRun.stdout);
    const steps = ev.filter((e) => e.event === 'train');
    const valid = ev.filter((e) => e.event === 'valid');
    expect(steps.length).toBeGreaterThan(5);
    expect(steps.at(-1)!.loss).toBeLessThan(steps[0].loss * 0.6);
    expect(valid.map((v) => v.step)).toEqual([100, 200, 300, 400]);
    expect(valid.at(-1)!.bleu).toBeGreaterThan(valid[0].bleu);
    expect(valid.at(-1)!.bleu).toBeGreaterThan(40);
    expect(trainRun.stdout).toMatch(/test \(40 sentences, best\/, beam 1\):\n {2}BLEU \d+\.\d\d {3}nrefs:1\|case:mixed\|eff:no\|tok:13a\|smooth:exp/);
  });

  it('writes a complete checkpoint: config, weights, tokenizer, training state', () => {
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'train-config.json']) {
      expect(fs.existsSync(path.join(out, 'best', f))).toBe(true);
    }
    expect(fs.existsSync(path.join(out, 'last', 'trainer-state.json'))).toBe(true);
  });

  it('resumes from last/ when run again with a higher step limit, and refuses changed model fields', async () => {
    const again = io();
    const args = ['train', '--train', path.join(root, 'train.tsv'), '--valid', path.join(root, 'valid.tsv'), '--out', out, '--validate-every', '100', ...tiny];
    expect(await main([...args, '--max-steps', '420'], again)).toBe(0);
    const steps = events(again.stdout).filter((e) => e.event === 'train').map((e) => e.step);
    expect(steps[0]).toBeGreaterThan(400);
    expect(steps.at(-1)).toBe(420);
    const changed = io();
    expect(await main([...args, '--max-steps', '440', '--d-model', '64'], changed)).toBe(1);
    expect(changed.stderr).toMatch(/\n?gloss train: cannot resume/);
    expect(changed.stderr.trimEnd().split('\n').at(-1)).toBe(`gloss train: cannot resume ${out}: dModel was 32, now 64 (start a new run with another --out, or restore those values)`);
    const fresh = io();
    expect(await main([...args, '--max-steps', '440', '--no-resume'], fresh)).toBe(1);
    expect(fresh.stderr).toMatch(/already holds a run \(last\/\)/);
  }, 180_000);
});

describe('gloss translate, evaluate, inspect', () => {
  it('translates stdin with greedy and beam search, and prints n-best lists', async () => {
    const t = io('red cat runs\nblue dog\n');
    expect(await main(['translate', '--checkpoint', out, '--beam', '1'], t)).toBe(0);
    const lines = t.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('runs cat red');
    const b = io('red cat runs\nblue dog\n');
    expect(await main(['translate', '--checkpoint', out, '--beam', '3', '--nbest', '2'], b)).toBe(0);
    const nbest = b.stdout.trimEnd().split('\n').map((l) => l.split('\t'));
    expect(nbest.map((r) => r[0])).toEqual(['0', '0', '1', '1']);
    expect(Number(nbest[0][1])).toBeGreaterThanOrEqual(Number(nbest[1][1]));
    expect(nbest[0][2]).toBe('runs cat red');
    const page = path.join(root, 'attention.html');
    expect(await main(['translate', '--checkpoint', out, '--attention', page], io('red cat runs\n'))).toBe(0);
    const html = fs.readFileSync(page, 'utf8');
    expect(html).toContain('<title>red cat runs → runs cat red</title>');
    expect(html.match(/<rect /g)).toHaveLength((2 + 1) * 4 * 3);   // 1 layer × (2 heads + mean) × 4 outputs (eos) × 3 source tokens
  });

  it('evaluates a test set with BLEU and chrF (and ROUGE)', async () => {
    const src = path.join(root, 'test.src');
    const ref = path.join(root, 'test.ref');
    const pairs = fs.readFileSync(path.join(root, 'test.tsv'), 'utf8').trimEnd().split('\n').map((l) => l.split('\t'));
    fs.writeFileSync(src, pairs.map((p) => p[0]).join('\n') + '\n');
    fs.writeFileSync(ref, pairs.map((p) => p[1]).join('\n') + '\n');
    const e = io();
    expect(await main(['evaluate', '--checkpoint', out, '--src', src, '--ref', ref, '--rouge', '--json', '--beam', '2'], e)).toBe(0);
    const r = JSON.parse(e.stdout) as { bleu: number; chrf: number; rougeL: number; sentences: number };
    expect(r.sentences).toBe(40);
    expect(r.bleu).toBeGreaterThan(40);
    expect(r.chrf).toBeGreaterThan(40);
    expect(r.rougeL).toBeGreaterThan(40);
    fs.writeFileSync(ref, 'one line\n');
    const bad = io();
    expect(await main(['evaluate', '--checkpoint', out, '--src', src, '--ref', ref], bad)).toBe(1);
    expect(bad.stderr).toBe(`gloss evaluate: --src ${src} has 40 lines but --ref ${ref} has 1 (one reference per source line)\n`);
  });

  it('inspects a checkpoint: config, parameters, vocabulary, training state', async () => {
    const i = io();
    expect(await main(['inspect', path.join(out, 'last'), '--json'], i)).toBe(0);
    const s = JSON.parse(i.stdout) as { parameters: number; vocab: { shared: number }; config: { dModel: number }; training: { step: number } };
    expect(s.config.dModel).toBe(32);
    expect(s.vocab.shared).toBe(4 + 1 + WORDS.length);
    expect(s.training.step).toBe(420);
    // 2 embeddings + generator + 1 encoder layer + 1 decoder layer + final norms, counted from the shapes.
    const V = s.vocab.shared, d = 32, ff = 64;
    const attn = 3 * d * d + 3 * d + d * d + d;
    const ffn = d * ff + ff + ff * d + d;
    expect(s.parameters).toBe(2 * V * d + (d * V + V) + (attn + ffn + 4 * d) + (2 * attn + ffn + 6 * d) + 4 * d);
    const text = io();
    expect(await main(['inspect', out], text)).toBe(0);
    expect(text.stdout).toMatch(/parameters {2}[\d,]+\n/);
  });
});

describe('gloss train --attention-type', () => {
  for (const variant of [['local', '--attention-window', '2', '--global-tokens', '1'], ['linear'], ['block-sparse', '--block-size', '2', '--random-blocks', '1']]) {
    it(`${variant[0]}: trains, saves the variant in config.json, and translate / inspect load it`, async () => {
      const dir = path.join(root, `variant-${variant[0]}`);
      const t = io();
      expect(await main(['train', '--train', path.join(root, 'train.tsv'), '--out', dir, '--metric', 'loss', '--max-steps', '30',
        '--attention-type', ...variant, ...tiny], t)).toBe(0);
      const config = JSON.parse(fs.readFileSync(path.join(dir, 'last', 'config.json'), 'utf8')) as Record<string, unknown>;
      expect(config.attentionType).toBe(variant[0]);
      for (let i = 1; i < variant.length; i += 2) expect(String(config[variant[i].slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())])).toBe(variant[i + 1]);
      const tr = io('red cat runs\n');
      expect(await main(['translate', '--checkpoint', dir], tr)).toBe(0);
      expect(tr.stdout.trimEnd().split('\n')).toHaveLength(1);
      const i = io();
      expect(await main(['inspect', dir, '--json'], i)).toBe(0);
      expect((JSON.parse(i.stdout) as { config: { attentionType: string } }).config.attentionType).toBe(variant[0]);
    }, 120_000);
  }
});

describe('errors', () => {
  const bin = path.resolve(__dirname, '../dist/bin.js');
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', input: '' });

  it('prints one line and exits non-zero, without a stack trace', () => {
    const missing = run('translate', '--checkpoint', path.join(root, 'nope'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`gloss translate: checkpoint directory not found: ${path.join(root, 'nope')}\n`);
    const usage = run('train', '--d-model', '3');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toBe('gloss train: flags: "train" is required (--train): training corpus: a .tsv of source<TAB>target, a .jsonl, or a prefix for parallel files (PREFIX.SRC_LANG / PREFIX.TGT_LANG); each may be gzipped (.gz)\n');
    const unknown = run('fly');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^gloss: unknown command "fly"/);
    const corrupt = path.join(root, 'corrupt');
    fs.cpSync(path.join(out, 'best'), corrupt, { recursive: true });
    fs.truncateSync(path.join(corrupt, 'model.safetensors'), 100);
    const bad = run('translate', '--checkpoint', corrupt);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/model\.safetensors: truncated/);
  });

  it('reads boolean flags as people type them and suggests the flag a typo meant', () => {
    const base = ['train', '--train', path.join(root, 'train.tsv'), '--out', path.join(root, 'flags'), '--metric', 'loss', '--share-embeddings'];
    // shareEmbeddings needs sharedVocab: the refusal shows that "no" and "0" were read as false
    for (const value of ['no', '0', 'false']) {
      const off = run(...base, '--shared-vocab', value);
      expect(off.status).toBe(2);
      expect(off.stderr).toBe('gloss train: flags: shareEmbeddings needs sharedVocab (one vocabulary for both sides)\n');
    }
    const typo = run(...base, '--dropuot', '0.3');
    expect(typo.status).toBe(2);
    expect(typo.stderr).toBe('gloss train: unknown option --dropuot (did you mean --dropout?) (see gloss train --help)\n');
    const word = run(...base, '--shared-vocab', 'maybe');
    expect(word.stderr).toBe('gloss train: unexpected argument "maybe" after --shared-vocab (a boolean flag takes true or false, yes/no, on/off, 1/0; or write --no-shared-vocab)\n');
    expect(fs.existsSync(path.join(root, 'flags'))).toBe(false);                       // refused before the run directory is made
  });

  it('refuses a checkpoint with one flipped byte in model.safetensors, naming the file', () => {
    const flipped = path.join(root, 'flipped');
    fs.cpSync(path.join(out, 'best'), flipped, { recursive: true });
    const weights = path.join(flipped, 'model.safetensors');
    const bytes = fs.readFileSync(weights);
    bytes[bytes.length - 3] ^= 0x10;                     // inside the last tensor's data: still a well-formed file
    fs.writeFileSync(weights, bytes);
    for (const cmd of [['translate', '--checkpoint', flipped], ['inspect', flipped]]) {
      const r = run(...cmd);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^gloss ${cmd[0]}: loadSafetensors: ${weights} is corrupt: the SHA-256 of its tensor data is [0-9a-f]{64}, but its header records [0-9a-f]{64} \\(the file changed after it was written\\)\n$`));
    }
  });

  it('has --help on every command', () => {
    for (const cmd of ['train', 'translate', 'evaluate', 'inspect', 'report']) {
      const h = run(cmd, '--help');
      expect(h.status).toBe(0);
      expect(h.stdout).toMatch(new RegExp(`^Usage: gloss ${cmd}`));
    }
    expect(run('--help').stdout).toMatch(/Commands:[^]*\n {2}report {6}one HTML page comparing training runs/);
  });
});

// Decoding speed beside PyTorch, measured in the same run: greedy and beam search (beam 4, length penalty 0.6)
// on the peer benchmark's model (d 128, 4 heads, 2+2 layers, FF 512, vocab 8000, eval mode), source length 32
// with random lengths in [16, 32], 32 steps (eos made unreachable, so every sentence takes all 32), at batch 64
// and at batch 1 (sentences one at a time, each at its own length), on 1 and on 2 matmul threads
// (torch.set_num_threads likewise) → sentences/s. PyTorch runs bench/torch_decode.py: the peer's greedy loop
// (no KV cache: nn.Transformer has none) and a batched beam search a careful user would write on it.
// The machine is shared, so the two are interleaved — one gloss sample, then one PyTorch sample, `rounds` times
// per case — and each side reports its median; read the ratios. With --cpu-time the one-thread rows are timed by
// process CPU time on both sides (process.cpuUsage here, time.process_time in torch_decode.py), which holds up on a
// machine other work shares; rows on more threads keep the wall clock.
// Usage: npm run bench -w @gloss/transformer [-- --quick] [--no-torch] [--threads=1,2] [--rounds=5] [--cpu-time]
// (GLOSS_TORCH_BENCH=path/to/torch_bench.py if the shared peers folder lives elsewhere).
import { Generator, Tensor, setMatmulThreads } from '@gloss/tensor';
import { Seq2SeqTransformer, beamSearch, greedyDecode, type TransformerConfigInput } from '../src/index.js';
import { cpuSeconds, startTorch, wallSeconds } from './torch-child.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = process.argv.includes('--quick');
const withTorch = !process.argv.includes('--no-torch');
const cpuTime = process.argv.includes('--cpu-time');
const threadList = (arg('threads') ?? '1,2').split(',').map(Number);
const rounds = Number(arg('rounds') ?? (quick ? 3 : 5));
const VOCAB = 8000, SRC_LEN = 32, STEPS = 32, BEAM = 4, ALPHA = 0.6;
/** Sentences per batch-1 sample (decoded one after another). */
const SINGLES = quick ? 4 : 8;
const CONFIG: TransformerConfigInput = {
  srcVocabSize: VOCAB, tgtVocabSize: VOCAB, dModel: 128, numHeads: 4, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 512, dropout: 0.1,
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** torch_bench.py's make_batch sources: random tokens, lengths in [L/2, L] (row 0 full), right-padded. */
function makeSources(B: number, L: number, g: Generator): { batch: Tensor; singles: Tensor[] } {
  const x = new Int32Array(B * L);
  const singles: Tensor[] = [];
  for (let b = 0; b < B; b++) {
    const len = b === 0 ? L : Math.floor(L / 2) + g.int(L - Math.floor(L / 2) + 1);
    for (let i = 0; i < len; i++) x[b * L + i] = 3 + g.int(VOCAB - 3);
    singles.push(new Tensor(x.slice(b * L, b * L + len), [1, len], 'int32'));
  }
  return { batch: new Tensor(x, [B, L], 'int32'), singles };
}

const model = new Seq2SeqTransformer(CONFIG, { generator: new Generator(0) }).eval();
(model.outputProjection.bias!.value.data as Float32Array)[model.config.eosId] = -1e9;   // no early stop
const { batch, singles } = makeSources(64, SRC_LEN, new Generator(2));
const length = { maxLenA: 0, maxLenB: STEPS };

type Mode = 'greedy' | 'beam';
/** One gloss sample: seconds to decode the batch of 64, or SINGLES sentences one at a time. */
function glossSample(mode: Mode, batchSize: number, clock: () => number): number {
  const decode = (src: Tensor) => {
    const hyps = mode === 'greedy' ? greedyDecode(model, src, length) : beamSearch(model, src, { ...length, beamSize: BEAM, lengthPenalty: ALPHA });
    if (hyps[0][0].tokens.length !== STEPS) throw new Error(`decode bench: expected ${STEPS} steps, got ${hyps[0][0].tokens.length}`);
  };
  const t0 = clock();
  if (batchSize === 1) for (let i = 0; i < SINGLES; i++) decode(singles[i]);
  else decode(batch);
  return clock() - t0;
}

const torch = withTorch ? startTorch('torch_decode.py') : null;

interface Row { mode: Mode; batch: number; threads: number; clock: string; gloss: number; torch?: number }
const rows: Row[] = [];
for (const threads of threadList) {
  for (const mode of ['greedy', 'beam'] as const) {
    for (const batchSize of [64, 1]) {
      setMatmulThreads(threads);
      const sentences = batchSize === 1 ? SINGLES : 64;
      const onCpu = cpuTime && threads === 1;
      const req = { mode, batch: batchSize, threads, calls: 1, steps: STEPS, beam: BEAM, sentences, clock: onCpu ? 'cpu' : 'wall' };
      const clock = onCpu ? cpuSeconds : wallSeconds;
      glossSample(mode, batchSize, clock);                            // warm-up
      if (torch) await torch({ ...req, calls: 0 });                    // warm-up (the first request of a case)
      const g: number[] = [];
      const t: number[] = [];
      for (let r = 0; r < rounds; r++) {
        g.push(glossSample(mode, batchSize, clock));
        if (torch) t.push(...(await torch(req)));
      }
      const row: Row = { mode, batch: batchSize, threads, clock: onCpu ? 'CPU' : 'wall', gloss: sentences / median(g), torch: torch ? sentences / median(t) : undefined };
      rows.push(row);
      const unit = onCpu ? 'sent/CPU-s' : 'sent/s';
      console.error(`${mode} batch ${batchSize}, ${threads} thread(s): gloss ${row.gloss.toFixed(1)} ${unit}` +
        (row.torch ? `, PyTorch ${row.torch.toFixed(1)} ${unit}, ratio ${(row.gloss / row.torch).toFixed(2)}` : ''));
    }
  }
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
console.log(`| decode (src ${SRC_LEN}, ${STEPS} steps) | batch | threads | clock | gloss | PyTorch 1.13 | gloss / PyTorch |`);
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  const name = r.mode === 'greedy' ? 'greedy' : `beam ${BEAM}, α ${ALPHA}`;
  const unit = r.clock === 'CPU' ? 'sent/CPU-s' : 'sent/s';
  console.log(`| ${name} | ${r.batch} | ${r.threads} | ${r.clock} | ${fmt(r.gloss)} ${unit} | ${r.torch ? `${fmt(r.torch)} ${unit}` : '—'} | ${r.torch ? (r.gloss / r.torch).toFixed(2) : '—'} |`);
}
process.exit(0);

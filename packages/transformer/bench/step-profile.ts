// Where a training step's time goes, on the peer case of transformer.bench.ts (d 128, 4 heads, 2+2 layers, FF 512,
// vocab 8000, dropout 0.1, batch 64 × 32, label smoothing 0.1, Adam): runs `--steps` steps (after 2 warm-up steps)
// under the V8 CPU profiler and sums self time by category of the function (by name and file).
// Usage: npx tsx bench/step-profile.ts [--steps=10] [--threads=1] [--attention-dropout=0.1] [--forward] (crossEntropy on
//        forward's logits instead of model.loss)
import { Session } from 'node:inspector';
import { Generator, Tensor, setMatmulThreads } from '@gloss/tensor';
import { crossEntropy } from '@gloss/autograd';
import { Seq2SeqTransformer } from '../src/index.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const steps = Number(arg('steps', '10'));
const threads = Number(arg('threads', '1'));
const attentionDropout = Number(arg('attention-dropout', '0.1'));
const useForward = process.argv.includes('--forward');
const VOCAB = 8000, B = 64, L = 32;
setMatmulThreads(threads);

const g = new Generator(1);
function batch(): { src: Tensor; tgtIn: Tensor; tgtOut: Tensor } {
  const seqs = () => {
    const x = new Int32Array(B * L);
    for (let b = 0; b < B; b++) {
      const len = b === 0 ? L : L / 2 + g.int(L / 2 + 1);
      for (let i = 0; i < len; i++) x[b * L + i] = 3 + g.int(VOCAB - 3);
    }
    return x;
  };
  const src = seqs(), y = seqs(), tgtIn = new Int32Array(B * L);
  for (let b = 0; b < B; b++) { tgtIn[b * L] = 1; for (let i = 1; i < L; i++) tgtIn[b * L + i] = y[b * L + i - 1]; }
  return { src: new Tensor(src, [B, L], 'int32'), tgtIn: new Tensor(tgtIn, [B, L], 'int32'), tgtOut: new Tensor(y, [B, L], 'int32') };
}
const model = new Seq2SeqTransformer({ srcVocabSize: VOCAB, tgtVocabSize: VOCAB, dModel: 128, numHeads: 4, numEncoderLayers: 2,
  numDecoderLayers: 2, dimFeedforward: 512, dropout: 0.1, attentionDropout }, { generator: new Generator(0) }).train();
const params = model.parameters();
const m = params.map((p) => new Float32Array(p.size)), v = params.map((p) => new Float32Array(p.size));
let t = 0;
function adamStep(): void {
  t++;
  const stepSize = 5e-4 / (1 - 0.9 ** t), bc2 = Math.sqrt(1 - 0.999 ** t);
  params.forEach((p, i) => {
    const w = p.value.data as Float32Array, gr = p.grad!.data as Float32Array, mi = m[i], vi = v[i];
    for (let j = 0; j < w.length; j++) {
      mi[j] = 0.9 * mi[j] + 0.1 * gr[j];
      vi[j] = 0.999 * vi[j] + 0.001 * gr[j] * gr[j];
      w[j] -= (stepSize * mi[j]) / (Math.sqrt(vi[j]) / bc2 + 1e-8);
    }
  });
}
const batches = Array.from({ length: 4 }, batch);
function step(i: number): void {
  const { src, tgtIn, tgtOut } = batches[i % batches.length];
  model.zeroGrad();
  const loss = useForward
    ? crossEntropy(model.forward(src, tgtIn), tgtOut, { ignoreIndex: 0, labelSmoothing: 0.1 })
    : model.loss(src, tgtIn, tgtOut, { labelSmoothing: 0.1 });
  loss.backward();
  adamStep();
}
for (let i = 0; i < 2; i++) step(i);

const session = new Session();
session.connect();
const post = <T>(method: string, params?: object) => new Promise<T>((resolve, reject) =>
  session.post(method, params, (err, res) => (err ? reject(err) : resolve(res as T))));
await post('Profiler.enable');
await post('Profiler.setSamplingInterval', { interval: 200 });
await post('Profiler.start');
const t0 = performance.now();
const use0 = process.resourceUsage();
for (let i = 0; i < steps; i++) step(i);
const wall = (performance.now() - t0) / steps;
const use1 = process.resourceUsage();
// Page faults: a fresh large typed array is fresh pages from the OS, each zeroed on first touch.
const faults = (use1.minorPageFault - use0.minorPageFault) / steps;
const cpuMs = ((use1.userCPUTime - use0.userCPUTime) + (use1.systemCPUTime - use0.systemCPUTime)) / 1000 / steps;
const sysMs = (use1.systemCPUTime - use0.systemCPUTime) / 1000 / steps;
const { profile } = await post<{ profile: Profile }>('Profiler.stop');

interface ProfileNode { id: number; callFrame: { functionName: string; url: string }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

// Category of a sample: the innermost frame that names a category, walking out from the sampled function.
const RULES: [string, RegExp][] = [
  ['allocation (zero-filled typed arrays) and GC', /^allocate |\(garbage collector\)/],
  ['GEMM (WebAssembly kernel, packing, thread pool and its waits)', /matmul|gemm|packA|packB|wasm-function|thread-pool|runPool|runJob/i],
  ['attention (scores, softmax, masks)', /attention|attn|softmax|causal|maskedFill|masks\.js/i],
  ['cross-entropy', /crossEntropy|cross-entropy/i],
  ['layer norm', /layerNorm|layer-norm/i],
  ['dropout (masks and their backward)', /dropout|maskedScale/i],
  ['embedding, index select', /embed|indexSelect|index-select|gather|scatter/i],
  ['optimizer (Adam)', /adamStep/],
  ['elementwise (bias, ReLU, residual adds, gradient sums, scales)', /elementwise|biasActivation|positiveScale|addInPlace|add|mul|relu|gelu|binary|unary|broadcast|sumTo|reduce/i],
  ['movement (permute, reshape, head split, copy)', /permute|transpose|reshape|slice|strided|movement|contiguous|copy|packedHeads/i],
  ['autograd bookkeeping (graph, closures, shape checks)', /backward|defineOp|Node|Variable|accumulate|topo/i],
];
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const categoryOf = new Map<number, string>();
function categorize(id: number): string {
  const cached = categoryOf.get(id);
  if (cached) return cached;
  let cur: number | undefined = id;
  let result = 'other';
  while (cur !== undefined) {
    const { functionName, url } = byId.get(cur)!.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') { result = functionName; break; }
    const label = `${functionName} ${url.split('/').slice(-1)[0]}`;
    const hit = RULES.find(([, re]) => re.test(label));
    if (hit) { result = hit[0]; break; }
    cur = parent.get(cur);
  }
  categoryOf.set(id, result);
  return result;
}
const totals = new Map<string, number>();
const selfByFn = new Map<string, number>();
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] / 1000;
  const c = categorize(id);
  totals.set(c, (totals.get(c) ?? 0) + dt);
  const { functionName, url } = byId.get(id)!.callFrame;
  const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}`;
  selfByFn.set(key, (selfByFn.get(key) ?? 0) + dt);
});
const all = [...totals.values()].reduce((a, b) => a + b, 0);
console.log(`${useForward ? 'forward + crossEntropy' : 'model.loss'}, attention dropout ${attentionDropout}, ${threads} thread(s): ${wall.toFixed(1)} ms/step (${((B * L) / wall * 1000).toFixed(0)} tok/s); ` +
  `CPU ${cpuMs.toFixed(0)} ms/step (kernel ${sysMs.toFixed(0)} ms), ${faults.toFixed(0)} page faults/step`);
console.log('| part | ms/step | share |\n|---|---|---|');
for (const [c, ms] of [...totals].sort((a, b) => b[1] - a[1])) console.log(`| ${c} | ${(ms / steps).toFixed(1)} | ${((ms / all) * 100).toFixed(1)}% |`);
if (process.argv.includes('--functions')) {
  console.log('\nTop functions (self ms/step):');
  for (const [f, ms] of [...selfByFn].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${(ms / steps).toFixed(1).padStart(7)}  ${f}`);
}

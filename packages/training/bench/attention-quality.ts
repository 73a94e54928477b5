// What each attention variant buys and costs on a task where long range matters and one where it does not, over
// T = 1024 decoder positions whose inputs are random symbols (teacher forcing with inputs independent of the targets,
// so no target leaks into a later input): 'first' — every position from 512 on must output the symbol at position 1
// (long range: 511 or more back); 'previous' — the same positions output the symbol just before them (short range).
// The model is a decoder (no encoder layers; the source is one token, so cross-attention carries nothing) and the
// variant runs in its masked self-attention. Every variant trains with the same budget (steps), seed, data and init
// recipe; the table gives held-out accuracy and loss on the scored positions (chance: 1/16, ln 16 = 2.77) and the
// step time. Usage: npx tsx bench/attention-quality.ts [--steps N] [--task first,previous] [--variants full,local,...]
import { noGrad } from '@gloss/autograd';
import { Generator, Tensor, getMatmulThreads } from '@gloss/tensor';
import { Seq2SeqTransformer, type TransformerConfigInput } from '@gloss/transformer';
import { Adam, clipGradNorm } from '../src/index.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const STEPS = Number(arg('steps', '300'));
const LR = Number(arg('lr', '3e-3'));
const D_MODEL = Number(arg('d-model', '32'));
const TASKS = arg('task', 'first,previous').split(',');
const T = Number(arg('length', '1024'));
/** The scored positions: the second half. */
const FROM = T / 2;
const BATCH = 2;
const SYMBOLS = 16;
const FIRST = 4;   // ids 0–3 are pad, bos, eos, unk

const VARIANTS: Record<string, Partial<TransformerConfigInput>> = {
  full: { attentionType: 'full' },
  'local w=128': { attentionType: 'local', attentionWindow: 128 },
  'strided l=128': { attentionType: 'strided', attentionStride: 128 },
  'block-sparse 64 (3+2+3)': { attentionType: 'block-sparse', blockSize: 64 },
  'linear (elu+1)': { attentionType: 'linear' },
};
/** --variants takes name prefixes (full,local,linear …). */
const chosen = Object.keys(VARIANTS).filter((name) => arg('variants', '').split(',').some((p) => name.startsWith(p)));

/** A batch: tgtIn = [bos, random symbols], tgtOut = pad (ignored) before FROM, then the task's answer. */
function batch(g: Generator, task: string): { src: Tensor; tgtIn: Tensor; tgtOut: Tensor } {
  const tgtIn = new Int32Array(BATCH * T);
  const tgtOut = new Int32Array(BATCH * T);
  for (let b = 0; b < BATCH; b++) {
    const x = tgtIn.subarray(b * T, (b + 1) * T);
    for (let t = 0; t < T; t++) x[t] = t === 0 ? 1 : FIRST + g.int(SYMBOLS);
    for (let t = FROM; t < T; t++) tgtOut[b * T + t] = task === 'first' ? x[1] : x[t - 1];
  }
  return { src: new Tensor(Int32Array.from({ length: BATCH }, () => FIRST), [BATCH, 1], 'int32'), tgtIn: new Tensor(tgtIn, [BATCH, T], 'int32'), tgtOut: new Tensor(tgtOut, [BATCH, T], 'int32') };
}

function evaluate(model: Seq2SeqTransformer, task: string): { accuracy: number; loss: number } {
  const g = new Generator(999);
  let right = 0;
  let total = 0;
  let nll = 0;
  noGrad(() => {
    for (let r = 0; r < 4; r++) {
      const { src, tgtIn, tgtOut } = batch(g, task);
      const logits = model.forward(src, tgtIn).value.data;                      // [batch, T, vocab]
      const V = logits.length / (BATCH * T);
      const out = tgtOut.data as Int32Array;
      for (let row = 0; row < BATCH * T; row++) {
        if (out[row] === 0) continue;
        let best = 0;
        let max = -Infinity;
        for (let v = 0; v < V; v++) if (logits[row * V + v] > max) { max = logits[row * V + v]; best = v; }
        let sum = 0;
        for (let v = 0; v < V; v++) sum += Math.exp(logits[row * V + v] - max);
        nll += Math.log(sum) + max - logits[row * V + out[row]];
        right += +(best === out[row]);
        total++;
      }
    }
  });
  return { accuracy: right / total, loss: nll / total };
}

console.log(`attention quality: tasks ${TASKS.join(', ')}, T = ${T}, batch ${BATCH}, ${SYMBOLS} symbols, decoder dModel ${D_MODEL}, 2 heads, 2 layers, ` +
  `${STEPS} Adam steps (lr ${LR}), seed 1, kernel threads ${getMatmulThreads()}; accuracy / loss on held-out determined positions`);
const rows: Record<string, unknown>[] = [];
for (const task of TASKS) {
  for (const name of chosen) {
    const model = new Seq2SeqTransformer({
      srcVocabSize: FIRST + SYMBOLS, tgtVocabSize: FIRST + SYMBOLS, dModel: D_MODEL, numHeads: 2, numEncoderLayers: 0, numDecoderLayers: 2,
      dimFeedforward: 2 * D_MODEL, dropout: 0, maxLen: T + 1, attentionSeed: 1, ...VARIANTS[name],
    }, { generator: new Generator(1) });
    const opt = new Adam(model.parameters(), { lr: LR, betas: [0.9, 0.98] });
    const g = new Generator(2);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let step = 0; step < STEPS; step++) {
      const { src, tgtIn, tgtOut } = batch(g, task);
      opt.zeroGrad();
      const { sum, numTokens } = model.tokenLoss(src, tgtIn, tgtOut);
      sum.backward(new Tensor(new Float32Array([1 / numTokens]), [], 'float32'));
      clipGradNorm(model.parameters(), 1);
      opt.step();
    }
    const stepMs = (performance.now() - t0) / STEPS;
    const cpu = process.cpuUsage(cpu0);
    const { accuracy, loss } = evaluate(model.eval(), task);
    const row = { task, variant: name, accuracy, loss, stepMs, stepCpuMs: (cpu.user + cpu.system) / 1000 / STEPS };
    rows.push(row);
    console.log(`${task.padEnd(9)} ${name.padEnd(24)} accuracy ${(100 * accuracy).toFixed(1).padStart(5)}%  loss ${loss.toFixed(3)}  ` +
      `step ${stepMs.toFixed(0)} ms wall, ${row.stepCpuMs.toFixed(0)} ms CPU`);
  }
}
console.log(JSON.stringify({ bench: 'attention-quality', steps: STEPS, rows }));

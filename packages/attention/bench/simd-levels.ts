// `--simd` mode of attention.bench.ts: the fused attention kernel on relaxed SIMD (f32x4.relaxed_madd, fused
// multiply-adds) against plain SIMD (mul then add; what GLOSS_WASM_SIMD=simd picks), in one process. Each
// round switches the instruction set (the kernel module is rebuilt), warms up, then times every case once per
// level; a case's ratio is the median over rounds of relaxed / plain, by the wall clock and by process CPU
// time (all kernel threads), so foreign load on a shared machine mostly cancels.
// Cases: fused fwd and fwd+bwd, T = 32, 128, 256, with and without dropout 0.1; B = 32, H = 4, Dh = 32, causal.
import { variable } from '@gloss/autograd';
import { Generator, getMatmulThreads, randn, setWasmSimd, wasmSimdLevel, type Tensor } from '@gloss/tensor';
import { fusedAttention } from '../src/scaled-dot-product-attention.js';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

interface Case { name: string; run: () => void }

export function simdLevels(quick: boolean): void {
  const levels = (['simd', 'relaxed'] as const).filter((level) => { setWasmSimd(level); return wasmSimdLevel() === level; });
  if (levels.length < 2) {
    console.log(`attention SIMD bench: only ${levels.join(', ') || 'no WebAssembly SIMD'} runs here; nothing to compare`);
    return;
  }
  const g = new Generator(0);
  const dropGen = new Generator(1);
  const cases: Case[] = [];
  for (const t of [32, 128, 256]) {
    const make = (): Tensor => randn([32, 4, t, 32], { generator: g });
    const [q0, k0, v0, grad] = [make(), make(), make(), make()];
    for (const dropout of [0, 0.1]) {
      const options = dropout > 0 ? { causal: true, dropout, generator: dropGen } : { causal: true };
      const tag = `T=${t}${dropout > 0 ? ' dropout 0.1' : ''}`;
      cases.push({ name: `${tag} fwd`, run: () => { fusedAttention(variable(q0), variable(k0), variable(v0), options); } });
      cases.push({
        name: `${tag} fwd+bwd`,
        run: () => {
          const [q, k, v] = [q0, k0, v0].map((x) => variable(x, { requiresGrad: true }));
          fusedAttention(q, k, v, options).backward(grad);
        },
      });
    }
  }
  // calls per timing: enough for ~30 ms of work at T = 32 (and at least one)
  const reps = cases.map((c) => { c.run(); const t0 = performance.now(); c.run(); return Math.max(1, Math.round(30 / Math.max(performance.now() - t0, 0.01))); });
  const rounds = quick ? 5 : 15;
  const wall = levels.map(() => cases.map((): number[] => []));
  const cpu = levels.map(() => cases.map((): number[] => []));
  for (let r = 0; r < rounds; r++) {
    levels.forEach((level, li) => {
      setWasmSimd(level);
      for (let w = 0; w < 3; w++) cases.forEach((c) => c.run());   // compile, tier up, grow memory
      cases.forEach((c, ci) => {
        const [w0, c0] = [performance.now(), cpuMs()];
        for (let i = 0; i < reps[ci]; i++) c.run();
        wall[li][ci].push((performance.now() - w0) / reps[ci]);
        cpu[li][ci].push((cpuMs() - c0) / reps[ci]);
      });
    });
  }
  setWasmSimd('auto');
  console.log(`attention SIMD bench: fused, B=32 H=4 Dh=32 causal float32, kernel threads ${getMatmulThreads()}, ${rounds} interleaved rounds; ` +
    'ms per call (median), relaxed / plain as the median of per-round ratios');
  console.log(`${'case'.padEnd(26)}${'plain ms'.padStart(10)}${'relaxed ms'.padStart(12)}${'wall ratio'.padStart(12)}${'CPU ratio'.padStart(11)}`);
  const rows = cases.map((c, ci) => {
    const ratio = (xs: number[][][]): number => median(xs[1][ci].map((x, r) => x / xs[0][ci][r]));
    const row = { case: c.name, plainMs: median(wall[0][ci]), relaxedMs: median(wall[1][ci]), wallRatio: ratio(wall), cpuRatio: ratio(cpu) };
    console.log(`${c.name.padEnd(26)}${row.plainMs.toFixed(2).padStart(10)}${row.relaxedMs.toFixed(2).padStart(12)}` +
      `${row.wallRatio.toFixed(3).padStart(12)}${row.cpuRatio.toFixed(3).padStart(11)}`);
    return row;
  });
  console.log(JSON.stringify({ bench: 'attention-simd', quick, rounds, threads: getMatmulThreads(), rows }));
}

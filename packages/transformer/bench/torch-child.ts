// A PyTorch bench script (bench/torch_decode.py, bench/torch_train.py) run as a child process that serves one
// JSON request per stdin line with one JSON line {"seconds": [...]}, so the benches can interleave their gloss
// and PyTorch samples. The scripts import the model and batch maker of the shared peer benchmark
// (/work/shared/peers/torch_bench.py; GLOSS_TORCH_BENCH=path/to/torch_bench.py if it lives elsewhere).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Sends one request to the child and resolves with its per-call seconds. */
export type TorchRequest = (req: object) => Promise<number[]>;

/** Starts bench/`script` under /usr/bin/python3; null (with the reason on stderr) when it or the peer script is missing. */
export function startTorch(script: string): TorchRequest | null {
  const peer = process.env.GLOSS_TORCH_BENCH ?? fileURLToPath(new URL('../../../../shared/peers/torch_bench.py', import.meta.url));
  if (!existsSync('/usr/bin/python3') || !existsSync(peer)) {
    console.error(`PyTorch comparison skipped: /usr/bin/python3 or the peer torch_bench.py (${peer}) not found`);
    return null;
  }
  const child = spawn('/usr/bin/python3', [fileURLToPath(new URL(`./${script}`, import.meta.url))],
    { env: { ...process.env, GLOSS_TORCH_BENCH: peer }, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  process.on('exit', () => child.kill());
  return async (req) => {
    child.stdin.write(`${JSON.stringify(req)}\n`);
    const { value, done } = await lines.next();
    if (done) throw new Error(`${script} exited`);
    return (JSON.parse(value) as { seconds: number[] }).seconds;
  };
}

/** Seconds of CPU this process has used (all its threads, user + system), from process.cpuUsage. */
export const cpuSeconds = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

/** Seconds on the wall clock. */
export const wallSeconds = (): number => performance.now() / 1000;

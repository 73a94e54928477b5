// A training run of the tiny task in its own process, for the kill-and-resume tests (trainer-resume.test.ts).
// Environment: RUN_DIR (checkpoint directory), LOSSES (file to append one JSON line per update), RESUME=1;
// fault injection: KILL_AT_STEP=n (SIGKILL itself inside update n's forward pass), KILL_IN_COMMIT=n (SIGKILL
// itself once last/ for step n is fully written, before the swap), NAN_AT_STEP=n (update n's loss is NaN).
import { appendFileSync } from 'node:fs';
import { mul } from '@gloss/autograd';
import { tinyTrainer } from './tiny-task.js';

const env = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
const killAt = env('KILL_AT_STEP');
const killInCommit = env('KILL_IN_COMMIT');
const nanAt = env('NAN_AT_STEP');

const { trainer, model } = tinyTrainer({
  dir: process.env.RUN_DIR,
  resume: process.env.RESUME === '1',
  log: 'jsonl',
  logEvery: 1,
  lossFn: (batch) => {
    if (trainer.stepsDone + 1 === killAt) process.kill(process.pid, 'SIGKILL');
    const out = model.loss(batch);
    return trainer.stepsDone + 1 === nanAt ? { ...out, sum: mul(out.sum, NaN) } : out;
  },
  saveExtras: (dir) => appendFileSync(`${dir}/config.json`, JSON.stringify({ task: 'reverse', vocab: 16 })),
  beforeCommit: (_tmp, name) => {
    if (name === 'last' && trainer.stepsDone === killInCommit) process.kill(process.pid, 'SIGKILL');
  },
  onStep: (r) => appendFileSync(process.env.LOSSES!, `${JSON.stringify(r)}\n`),
});

trainer.fit().catch((e: Error) => {
  process.stderr.write(`${e.name}: ${e.message}\n`);
  process.exit(1);
});

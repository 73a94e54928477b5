// The compute backend of a CLI run: --backend (or GLOSS_BACKEND) names one; `auto` times every backend that
// works here on a small probe, checks it against the reference, and keeps the fastest (@gloss/gpu's resolveBackend).
import { BACKEND_NAMES, resolveBackend } from '@gloss/gpu';
import { setBackend } from '@gloss/tensor';
import { CliError } from './errors.js';

/** Sets the backend for this process and returns a one-line description of the choice. */
export async function useBackend(name: string): Promise<string> {
  const wanted = name || 'auto';
  let choice: Awaited<ReturnType<typeof resolveBackend>>;
  try {
    choice = await resolveBackend(wanted);
  } catch (e) {
    throw new CliError(`--backend ${wanted}: ${(e as Error).message.replace(/^resolveBackend: /, '')}`);
  }
  setBackend(choice.backend);
  if (choice.measurements.length === 0) return choice.name;
  const others = choice.measurements.filter((m) => m.name !== choice.name).map((m) => `${m.name}: ${m.why}`);
  return `${choice.name} (auto, measured in ${choice.ms.toFixed(0)} ms${others.length ? `; ${others.join('; ')}` : ''})`;
}

export { BACKEND_NAMES };

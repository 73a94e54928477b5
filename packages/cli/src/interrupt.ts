// Ctrl-C (SIGINT) and SIGTERM during `gloss train`: while armed (only while the Trainer runs: before it nothing
// is written, after it there is nothing to save, and Ctrl-C keeps its default action), the first one aborts the
// run's signal, so the Trainer finishes the update in progress and writes last/; it also removes these handlers,
// so a second one gets the default action and ends the process at once — the atomic swap of last/ leaves the
// previous one intact.
import os from 'node:os';

export interface Interrupt {
  /** Aborted on the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** The signal received, or null. */
  received(): NodeJS.Signals | null;
  /** The exit code for the signal received: 128 + its number (130 for SIGINT, 143 for SIGTERM). */
  exitCode(): number;
  /** Installs the handlers. */
  arm(): void;
  /** Removes the handlers (a signal after this has the default action). Idempotent. */
  dispose(): void;
}

/** The handlers, not yet armed; `say` gets one line when a signal arrives. */
export function onInterrupt(say: (line: string) => void): Interrupt {
  const controller = new AbortController();
  let received: NodeJS.Signals | null = null;
  const dispose = () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
  function handler(signal: NodeJS.Signals): void {
    received = signal;
    dispose();
    say(`gloss train: ${signal === 'SIGINT' ? 'Ctrl-C' : signal}: finishing this step and saving last/ ` +
      `(${signal === 'SIGINT' ? 'Ctrl-C' : 'the same signal'} again quits at once; the previous last/ stays intact)`);
    controller.abort();
  }
  return {
    signal: controller.signal,
    received: () => received,
    exitCode: () => 128 + (received ? os.constants.signals[received] : 0),
    arm: () => {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
    },
    dispose,
  };
}

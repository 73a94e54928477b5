// The `gloss` command: dispatches to train, translate, evaluate, inspect and report. Errors from bad input print one
// line on stderr and give a non-zero exit code; only a bug in gloss shows a stack trace (GLOSS_DEBUG=1 always does).
import { GlossError } from '@gloss/tensor';
import { DataError } from '@gloss/data';
import { CliError } from './errors.js';
import { runTrain, TRAIN_HELP } from './commands/train.js';
import { runTranslate, TRANSLATE_HELP } from './commands/translate.js';
import { runEvaluate, EVALUATE_HELP } from './commands/evaluate.js';
import { runInspect, INSPECT_HELP } from './commands/inspect.js';
import { runReport, REPORT_HELP } from './commands/report.js';
import type { Io } from './io.js';

export const MAIN_HELP = `gloss — train and run small transformer translators and summarizers

Usage: gloss <command> [options]

Commands:
  train       train a model from a config file and/or flags
  translate   translate (or summarize) lines from stdin or a file with a checkpoint
  evaluate    score a checkpoint on a test set, or output files with --hyp (BLEU, chrF; ROUGE for summarization)
  inspect     show a checkpoint's config, parameter count, vocabularies and training state
  report      one HTML page comparing training runs: loss, validation metrics, configs, attention

Run gloss <command> --help for a command's options.`;

const COMMANDS: Record<string, { run: (argv: string[], io: Io) => Promise<number>; help: string }> = {
  train: { run: runTrain, help: TRAIN_HELP },
  translate: { run: runTranslate, help: TRANSLATE_HELP },
  evaluate: { run: runEvaluate, help: EVALUATE_HELP },
  inspect: { run: runInspect, help: INSPECT_HELP },
  report: { run: runReport, help: REPORT_HELP },
};

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(`${MAIN_HELP}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    io.out('gloss 0.1.0\n');
    return 0;
  }
  const cmd = COMMANDS[command];
  if (!cmd) {
    io.err(`gloss: unknown command "${command}" (expected ${Object.keys(COMMANDS).join(', ')}; see gloss --help)\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${cmd.help}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (process.env.GLOSS_DEBUG) io.err(`${(e as Error).stack}\n`);
    if (e instanceof CliError) {
      io.err(`gloss ${command}: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof GlossError || e instanceof DataError || isKnown(e)) {
      io.err(`gloss ${command}: ${(e as Error).message}\n`);
      return 1;
    }
    io.err(`gloss ${command}: internal error (a bug in gloss; please report it with GLOSS_DEBUG=1 output):\n${(e as Error)?.stack ?? e}\n`);
    return 70;
  }
}

/** Errors from other gloss packages and the file system that are about the user's input, not a bug. */
function isKnown(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if ('code' in e && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).syscall) return true;
  return ['TrainingError', 'CheckpointError'].includes(e.name);
}

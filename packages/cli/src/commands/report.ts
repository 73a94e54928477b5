// `gloss report RUN [RUN …]`: one self-contained HTML page that overlays training runs (their metrics.jsonl and
// configs) and shows the attention view of a validation sentence from the first run's best checkpoint.
// `reportPage(runDirs)` is the same as a library call.
import path from 'node:path';
import { writeFileAtomic } from '@gloss/tensor/node';
import { parseArgs } from '../args.js';
import { CliError } from '../errors.js';
import { runAttention } from '../report/attention.js';
import { renderReport } from '../report/page.js';
import { readRuns } from '../report/runs.js';
import type { Io } from '../io.js';

export const REPORT_FILE = 'report.html';

export const REPORT_HELP = `Usage: gloss report RUN [RUN …] [--out FILE] [--quiet]

Writes one HTML page (self-contained: no network, opens in any browser) that compares gloss train runs: training
loss (smoothed, raw faint behind), validation BLEU/chrF/ROUGE-L/loss by step and by training time, learning rate,
tokens per second, a summary per run, the runs' configurations side by side (differing fields highlighted), and
the cross-attention of the first validation sentence decoded with the first run's best checkpoint. The records
read (RUN/metrics.jsonl) are embedded as JSON in <script id="gloss-report-data">. Run it again to refresh the
page while a run trains. Prints the path written.

  --out FILE      where to write the page (default: RUN/${REPORT_FILE} for one run, ./${REPORT_FILE} for several)
  --quiet, -q     print nothing (errors still go to stderr)`;

/**
 * The report page of the run directories `runDirs` (gloss train --out), as HTML text. Refuses, naming the file
 * (and line), a missing directory or metrics.jsonl and a malformed record.
 * @example fs.writeFileSync('runs/report.html', reportPage(['runs/base', 'runs/wide']));
 */
export function reportPage(runDirs: readonly string[]): string {
  if (runDirs.length === 0) throw new CliError('reportPage: no run directories given');
  const runs = readRuns(runDirs);
  return renderReport(runs, { attention: runAttention(runs[0]) });
}

export async function runReport(argv: string[], io: Io): Promise<number> {
  const { flags, positionals } = parseArgs(argv, { out: { type: 'string' }, quiet: { type: 'bool', short: 'q' } }, 'report');
  if (positionals.length === 0) throw new CliError('expected one or more run directories (see gloss report --help)');
  const out = typeof flags.out === 'string' ? flags.out : positionals.length === 1 ? path.join(positionals[0], REPORT_FILE) : REPORT_FILE;
  const runs = readRuns(positionals);
  const attention = runAttention(runs[0]);
  writeFileAtomic(out, renderReport(runs, { attention }));
  if (flags.quiet !== true) {
    if ('note' in attention) io.err(`gloss report: no attention view: ${attention.note}\n`);
    io.out(`${out}\n`);
  }
  return 0;
}

// DataError: bad data or bad use of the data pipeline, naming the file and line when known.
import { GlossError } from '@gloss/tensor';

/** Where a piece of data came from: a file path and a 1-based line number, either or both unknown. */
export interface DataLocation {
  readonly file?: string;
  readonly line?: number;
}

/**
 * Thrown for malformed corpora, unknown ids and bad options; a GlossError like every gloss input error.
 * The message starts with `file:line: ` when both are known (`file: ` when only the file is), then the
 * operation and what was expected versus what came:
 * `train.tsv:17: readTsvPairs: expected at least 2 tab-separated fields (source<TAB>target), got 1: "Hi"`.
 */
export class DataError extends GlossError {
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(op: string, message: string, location: DataLocation = {}) {
    super(op, message);
    this.message = `${formatLocation(location)}${this.message}`;
    this.file = location.file;
    this.line = location.line;
  }
}

/** `file:line: `, `file: `, `line 3: ` or '' — the prefix DataError puts before its message. */
export function formatLocation({ file, line }: DataLocation): string {
  if (file !== undefined && line !== undefined) return `${file}:${line}: `;
  if (file !== undefined) return `${file}: `;
  if (line !== undefined) return `line ${line}: `;
  return '';
}

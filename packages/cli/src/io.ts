// Where a command writes and reads: real stdio in the bin, buffers in tests.
import fs from 'node:fs';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Reads all of standard input. */
  readStdin(): Promise<string>;
  /** True when standard output is a terminal (progress bar instead of JSONL). */
  isTTY: boolean;
}

/** The process's own stdio. */
export const processIo: Io = {
  out: (text) => { process.stdout.write(text); },
  err: (text) => { process.stderr.write(text); },
  readStdin: async () => {
    if (process.stdin.isTTY) return '';
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  isTTY: Boolean(process.stdout.isTTY),
};

/** Lines of a text file or of stdin ('-' or no file), without the trailing empty line. */
export async function readInputLines(file: string | undefined, io: Io): Promise<string[]> {
  const text = file && file !== '-' ? fs.readFileSync(file, 'utf8') : await io.readStdin();
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** An Io over strings — output captured in `stdout`/`stderr`, `stdin` given — for tests and programs that embed the CLI. */
export function memoryIo(stdin = '', isTTY = false): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '', stderr: '', isTTY,
    out: (text: string) => { io.stdout += text; },
    err: (text: string) => { io.stderr += text; },
    readStdin: async () => stdin,
  };
  return io;
}

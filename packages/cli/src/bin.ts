#!/usr/bin/env node
// The `gloss` executable.
import { main } from './main.js';
import { processIo } from './io.js';

main(process.argv.slice(2), processIo).then((code) => {
  process.exitCode = code;
}, (e: unknown) => {
  process.stderr.write(`gloss: ${(e as Error)?.stack ?? e}\n`);
  process.exitCode = 70;
});

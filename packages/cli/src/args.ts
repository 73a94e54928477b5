// Command-line arguments: `--name value`, `--name=value`, boolean `--name` / `--no-name`, and positionals.
// Flags are kebab-case and map to camelCase fields (`--d-model` → dModel). Unknown flags are refused by name.
import { CliError } from './errors.js';
import { fieldName, flagName } from './config.js';

export interface FlagSpec {
  type: 'string' | 'bool';
  /** Short alias, like -h. */
  short?: string;
}

export interface ParsedArgs {
  /** Values by camelCase field name; strings as typed (the caller converts), booleans for bool flags. */
  flags: Record<string, string | boolean>;
  positionals: string[];
}

/** Parses argv against `specs` (camelCase name → spec). `command` prefixes error messages. */
export function parseArgs(argv: readonly string[], specs: Readonly<Record<string, FlagSpec>>, command: string): ParsedArgs {
  const flags: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  const shorts = new Map(Object.entries(specs).filter(([, s]) => s.short).map(([k, s]) => [s.short!, k]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') { positionals.push(...argv.slice(i + 1)); break; }
    if (!arg.startsWith('-') || arg === '-') { positionals.push(arg); continue; }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = fieldName(eq >= 0 ? arg.slice(2, eq) : arg.slice(2));
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else {
      const long = shorts.get(arg.slice(1));
      if (!long) throw new CliError(`${command}: unknown option ${arg} (see gloss ${command} --help)`);
      name = long;
    }
    let spec = specs[name];
    let negated = false;
    if (!spec && name.startsWith('no') && inline === undefined) {
      const base = name[2]?.toLowerCase() + name.slice(3);
      if (specs[base]?.type === 'bool') { spec = specs[base]; name = base; negated = true; }
    }
    if (!spec) throw new CliError(`${command}: unknown option --${flagName(name)} (see gloss ${command} --help)`);
    if (spec.type === 'bool') {
      if (inline === undefined) flags[name] = !negated;
      else if (inline === 'true' || inline === 'false') flags[name] = inline === 'true';
      else throw new CliError(`${command}: --${flagName(name)} takes true or false, got "${inline}"`);
      continue;
    }
    if (inline !== undefined) { flags[name] = inline; continue; }
    const next = argv[i + 1];
    if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new CliError(`${command}: --${flagName(name)} needs a value`);
    flags[name] = next;
    i++;
  }
  return { flags, positionals };
}

// Command-line arguments: `--name value`, `--name=value`, boolean `--name` / `--no-name` / `--name false` (also
// true, yes, no, on, off, 1, 0), repeatable flags, and positionals. Flags are kebab-case and map to camelCase fields
// (`--d-model` → dModel). Unknown flags are refused by name, with the nearest known flag when it looks like a typo.
import { CliError } from './errors.js';
import { closest, fieldName, flagName } from './config.js';

export interface FlagSpec {
  type: 'string' | 'bool';
  /** Short alias, like -h. */
  short?: string;
  /** A string flag that may be given more than once (`--ref a --ref b`): its value is every one, in order. */
  multiple?: boolean;
}

export interface ParsedArgs {
  /** Values by camelCase field name; strings as typed (the caller converts), booleans for bool flags, arrays for multiple. */
  flags: Record<string, string | boolean | string[]>;
  positionals: string[];
}

/** The words a boolean flag takes as its value, lower-cased: `--shared-vocab false`, `--norm-first=yes`. */
const BOOL_WORDS: Readonly<Record<string, boolean>> = { true: true, false: false, yes: true, no: false, on: true, off: false, 1: true, 0: false };

/**
 * Parses argv against `specs` (camelCase name → spec); `command` names the help to see in error messages. A boolean flag takes
 * the next argument as its value only when that is one of the boolean words, so `gloss inspect --json DIR` still
 * reads DIR as a positional.
 */
export function parseArgs(argv: readonly string[], specs: Readonly<Record<string, FlagSpec>>, command: string): ParsedArgs {
  const flags: ParsedArgs['flags'] = {};
  const positionals: string[] = [];
  const shorts = new Map(Object.entries(specs).filter(([, s]) => s.short).map(([k, s]) => [s.short!, k]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') { positionals.push(...argv.slice(i + 1)); break; }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) { positionals.push(arg); continue; }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = fieldName(eq >= 0 ? arg.slice(2, eq) : arg.slice(2));
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else {
      const long = shorts.get(arg.slice(1));
      if (!long) throw new CliError(`unknown option ${arg} (see gloss ${command} --help)`);
      name = long;
    }
    let spec = specs[name];
    let negated = false;
    if (!spec && name.startsWith('no') && inline === undefined) {
      const base = name[2]?.toLowerCase() + name.slice(3);
      if (specs[base]?.type === 'bool') { spec = specs[base]; name = base; negated = true; }
    }
    if (!spec) throw new CliError(`${unknownOption(name, specs)} (see gloss ${command} --help)`);
    if (spec.type === 'bool') {
      if (inline !== undefined) {
        const value = BOOL_WORDS[inline.toLowerCase()];
        if (value === undefined) throw new CliError(`--${flagName(name)} takes true or false, got "${inline}" (also yes/no, on/off, 1/0; or write --no-${flagName(name)})`);
        flags[name] = value;
      } else {
        const value = argv[i + 1] === undefined ? undefined : BOOL_WORDS[argv[i + 1].toLowerCase()];
        if (value !== undefined) i++;
        flags[name] = negated ? !(value ?? true) : value ?? true;
      }
      continue;
    }
    let value: string;
    if (inline !== undefined) value = inline;
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new CliError(`--${flagName(name)} needs a value`);
      value = next;
      i++;
    }
    if (spec.multiple) flags[name] = [...((flags[name] as string[] | undefined) ?? []), value];
    else flags[name] = value;
  }
  return { flags, positionals };
}

/** `unknown option --dropuot (did you mean --dropout?)`: the suggestion is the known flag nearest by edit distance. */
function unknownOption(name: string, specs: Readonly<Record<string, FlagSpec>>): string {
  const flag = flagName(name);
  const known = Object.keys(specs).flatMap((k) => (specs[k].type === 'bool' ? [flagName(k), `no-${flagName(k)}`] : [flagName(k)]));
  const near = closest(flag, known);
  return `unknown option --${flag}${near ? ` (did you mean --${near}?)` : ''}`;
}

/**
 * The message for a positional argument a command does not take; when it follows a boolean flag (`--shared-vocab
 * maybe`), it says which values that flag takes.
 */
export function unexpectedArgument(argv: readonly string[], positional: string, specs: Readonly<Record<string, FlagSpec>>, hint: string): string {
  const before = argv[argv.indexOf(positional) - 1] ?? '';
  const name = before.startsWith('--') && !before.includes('=') ? fieldName(before.slice(2)) : '';
  const base = specs[name]?.type === 'bool' ? name : name.startsWith('no') ? name[2]?.toLowerCase() + name.slice(3) : '';
  if (specs[base]?.type === 'bool') {
    return `unexpected argument "${positional}" after ${before} (a boolean flag takes true or false, yes/no, on/off, 1/0; or write --no-${flagName(base)})`;
  }
  return `unexpected argument "${positional}" (${hint})`;
}

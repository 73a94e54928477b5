// Durations as a user types them for --max-time: "90" (seconds), "90s", "8m", "1h30m", "1.5h".
import { CliError } from './errors.js';

const PLAIN = /^\d+(?:\.\d+)?$/;
const UNITS = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/;

/**
 * Seconds in `text`: a plain number of seconds, or hours, minutes and seconds in that order, each at most once
 * ("1h30m", "8m", "90s", "1h0m30s"). `what` starts the error, e.g. `--max-time: maxTime`.
 * @example parseDuration('1h30m', 'maxTime') // 5400
 */
export function parseDuration(text: string, what: string): number {
  const t = text.trim();
  if (PLAIN.test(t)) return Number(t);
  const m = UNITS.exec(t);
  if (!m || t === '') throw new CliError(`${what} must be a duration such as 90 (seconds), 90s, 8m or 1h30m, got "${text}"`);
  const [h = '0', min = '0', s = '0'] = m.slice(1).map((x) => x ?? '0');
  return Number(h) * 3600 + Number(min) * 60 + Number(s);
}

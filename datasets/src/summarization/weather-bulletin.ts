// Weather bulletins. The summary gives the town, the day, the main condition, the high and the warning
// (or that there is none), gathered from several sentences among distractors: the low, the wind,
// yesterday's reading, another town's forecast, sunrise and pollen.
import type { Generator } from '@gloss/tensor';
import { chance, intBetween, pick, sample } from '../choice.js';
import { DAYS, TOWNS, capitalize, fill, type Report } from './common.js';

interface Condition {
  readonly name: string;
  /** The high's range in degrees Celsius. */
  readonly high: readonly [number, number];
  /** Hazards a warning may be for under this condition. */
  readonly hazards: readonly string[];
  /** "is" or "are" after the condition's name. */
  readonly verb: 'is' | 'are';
}

const CONDITIONS: readonly Condition[] = [
  { name: 'heavy rain', high: [6, 18], hazards: ['rain', 'flooding'], verb: 'is' },
  { name: 'light rain', high: [5, 17], hazards: [], verb: 'is' },
  { name: 'sunshine', high: [12, 34], hazards: ['heat'], verb: 'is' },
  { name: 'thick fog', high: [2, 12], hazards: ['fog'], verb: 'is' },
  { name: 'snow showers', high: [-4, 3], hazards: ['snow', 'ice'], verb: 'are' },
  { name: 'thunderstorms', high: [16, 30], hazards: ['thunderstorms', 'flooding'], verb: 'are' },
  { name: 'strong winds', high: [4, 16], hazards: ['wind'], verb: 'are' },
  { name: 'low cloud', high: [5, 19], hazards: [], verb: 'is' },
];
const LEVELS = ['yellow', 'amber', 'red'];
const DIRECTIONS = ['north', 'northeast', 'east', 'southeast', 'south', 'southwest', 'west', 'northwest'];

const LEADS = [
  'The {town} weather office issued its forecast for {day} on {prev} evening.',
  'Forecasters in {town} have published their outlook for {day}.',
  'Here is the {town} forecast for {day}, issued on {prev} afternoon.',
];
const CONDITION_LINES = [
  '{Condition} {verb} expected for most of the day.',
  'Forecasters expect {condition} for much of {day}.',
  '{day} will bring {condition} to most of the area.',
];
const TEMPERATURE_LINES = [
  'Temperatures will reach a high of {high}, falling to {low} overnight.',
  'The high will be {high} and the low {low}.',
  'Expect a maximum of {high} and a minimum of {low}.',
];
const WARNING_LINES = [
  'A {level} warning for {hazard} is in force until {hour}:00 on {day}.',
  'The office has issued a {level} warning for {hazard}.',
];
const NO_WARNING_LINES = ['No weather warnings are in force.', 'There are no weather warnings for the area.'];
const DISTRACTORS = [
  'Winds from the {direction} will gust up to {wind} km/h.',
  'Yesterday {town} recorded a high of {yesterday}.',
  'Further afield, {other} can expect {otherCondition} and a high of {otherHigh}.',
  'Sunrise will be at 6:{sunrise} and sunset at 19:{sunset}.',
  'Pollen levels will be {pollen}.',
];

/** "1 degree", "-3 degrees". */
function degrees(n: number): string {
  return `${n} ${Math.abs(n) === 1 ? 'degree' : 'degrees'}`;
}

/** A weather bulletin with its summary. */
export function sampleWeatherBulletin(g: Generator): Report {
  const [town, other] = sample(g, TOWNS, 2);
  const dayIndex = g.int(DAYS.length);
  const day = DAYS[dayIndex];
  const prev = DAYS[(dayIndex + DAYS.length - 1) % DAYS.length];
  const [condition, otherCondition] = sample(g, CONDITIONS, 2);
  const high = intBetween(g, condition.high[0], condition.high[1]);
  const low = high - intBetween(g, 3, 9);
  const warning = condition.hazards.length > 0 && chance(g, 0.6)
    ? { level: pick(g, LEVELS), hazard: pick(g, condition.hazards) } : undefined;
  const slots = {
    town, other, day, prev, high: degrees(high), low: degrees(low), condition: condition.name, Condition: capitalize(condition.name), verb: condition.verb,
    hour: intBetween(g, 6, 21), direction: pick(g, DIRECTIONS), wind: intBetween(g, 3, 11) * 10,
    yesterday: degrees(high + pick(g, [-5, -4, -3, -2, -1, 1, 2, 3, 4, 5])), // never the forecast high itself
    otherCondition: otherCondition.name, otherHigh: degrees(intBetween(g, otherCondition.high[0], otherCondition.high[1])),
    sunrise: String(intBetween(g, 0, 59)).padStart(2, '0'), sunset: String(intBetween(g, 0, 59)).padStart(2, '0'),
    pollen: pick(g, ['low', 'moderate', 'high']), level: warning?.level ?? '', hazard: warning?.hazard ?? '',
  };
  const body = [
    fill(pick(g, CONDITION_LINES), slots),
    fill(pick(g, TEMPERATURE_LINES), slots),
    fill(pick(g, warning ? WARNING_LINES : NO_WARNING_LINES), slots),
  ];
  const extra = g.shuffle(DISTRACTORS.slice()).slice(0, intBetween(g, 1, 2)).map((t) => fill(t, slots));
  for (const d of extra) body.splice(g.int(body.length + 1), 0, d);
  const sentences = [fill(pick(g, LEADS), slots), ...body];
  const outlook = warning ? `a ${warning.level} warning for ${warning.hazard}` : 'no weather warnings';
  return {
    sentences,
    summary: `${town} can expect ${condition.name} on ${day}, with a high of ${degrees(high)} and ${outlook}.`,
    facts: [town, day, condition.name, degrees(high), warning ? `${warning.level} warning for ${warning.hazard}` : 'no weather warnings'],
  };
}

// Shared pieces of the summarization corpus: invented towns and people, number formatting, and the
// shape every report generator returns.
import { ValueError, type Generator } from '@gloss/tensor';
import { pick } from '../choice.js';

/** One generated report before it is flattened to JSONL. */
export interface Report {
  /** The article's sentences in order; the first is the lead. */
  readonly sentences: readonly string[];
  /** One sentence stating the key facts in a fixed order. */
  readonly summary: string;
  /** Strings the summary states that the article must contain verbatim (teams, scores, names, numbers). */
  readonly facts: readonly string[];
}

export const TOWNS = [
  'Ashford', 'Bramley', 'Carlton', 'Dunmore', 'Eastbrook', 'Fairview', 'Greywater', 'Hartwell',
  'Kingsley', 'Lakeside', 'Millbrook', 'Northfield', 'Oakham', 'Redcliffe', 'Stonebridge', 'Westport',
] as const;

const FIRST_NAMES = [
  'Daniel', 'Marco', 'Luis', 'James', 'Samir', 'Tomas', 'Kofi', 'Liam', 'Mateo', 'Ryan', 'Oscar', 'Jonas',
  'Felix', 'Hugo', 'Ivan', 'Kai', 'Leon', 'Nico', 'Owen', 'Rafael', 'Theo', 'Victor', 'Yusuf', 'Eli',
];
const LAST_NAMES = [
  'Okafor', 'Silva', 'Romero', 'Hughes', 'Haddad', 'Novak', 'Mensah', 'Byrne', 'Costa', 'Walsh', 'Lindqvist',
  'Meyer', 'Kovac', 'Reid', 'Adeyemi', 'Moreau', 'Petrov', 'Tanaka', 'Duarte', 'Fischer', 'Quinn', 'Nilsson',
];

export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'] as const;

/** A full name: "Daniel Okafor". */
export function personName(g: Generator): string {
  return `${pick(g, FIRST_NAMES)} ${pick(g, LAST_NAMES)}`;
}

/** `count` distinct full names. */
export function distinctNames(g: Generator, count: number): string[] {
  const names = new Set<string>();
  while (names.size < count) names.add(personName(g));
  return [...names];
}

/** 1 → 1st, 2 → 2nd, 13 → 13th, 22 → 22nd. */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/** 12400 → "12,400". */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Fills {name} slots of a template: fill('{a} beat {b}', { a: 'X', b: 'Y' }) → 'X beat Y'. */
export function fill(template: string, slots: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    if (!Object.hasOwn(slots, key)) throw new ValueError('fill', `no value for {${key}} in "${template}"`);
    return String(slots[key]);
  });
}

/** Uppercases the first character. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

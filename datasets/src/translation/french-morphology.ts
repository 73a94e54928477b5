// French spelling rules the corpus relies on: plurals, adjective agreement, cardinals with gender, and the
// final pass that elides (le arbre → l'arbre, que il → qu'il) and contracts (à le → au, de les → des).
import type { Gender, GramNumber } from './types.js';

/** Words whose h is aspirated or that refuse elision: le hibou, le onze. */
const NO_ELISION = new Set(['hibou', 'hiboux', 'harpe', 'onze']);

/** True when a French word elides a preceding le/la/de/je/ne/que: a vowel or a silent h (l'hôtel, l'œuf). */
export function startsWithVowelSound(word: string): boolean {
  if (NO_ELISION.has(word.toLowerCase())) return false;
  return /^[aeiouyàâäéèêëîïôöùûüœh]/i.test(word);
}

/** Regular French noun plural: chat → chats, gâteau → gâteaux, cheval → chevaux, souris → souris. */
export function frenchPlural(noun: string): string {
  if (/[sxz]$/.test(noun)) return noun;
  if (/(eau|au|eu)$/.test(noun)) return `${noun}x`;
  if (noun.endsWith('al')) return `${noun.slice(0, -2)}aux`;
  return `${noun}s`;
}

/** Regular feminine: petit → petite, heureux → heureuse, sportif → sportive, cher → chère, bon → bonne. */
export function frenchFeminine(adjective: string): string {
  if (adjective.endsWith('e')) return adjective;
  if (adjective.endsWith('eux')) return `${adjective.slice(0, -1)}se`;
  if (adjective.endsWith('if')) return `${adjective.slice(0, -1)}ve`;
  if (adjective.endsWith('er')) return `${adjective.slice(0, -2)}ère`;
  if (/(el|en|on|il)$/.test(adjective)) return `${adjective}${adjective.at(-1)}e`;
  return `${adjective}e`;
}

/** Picks the agreeing form of an adjective's four forms. */
export function agree(forms: { msg: string; fsg: string; mpl: string; fpl: string }, gender: Gender, number: GramNumber): string {
  if (number === 'sg') return gender === 'm' ? forms.msg : forms.fsg;
  return gender === 'm' ? forms.mpl : forms.fpl;
}

const UNITS = ['', 'un', 'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf', 'dix', 'onze', 'douze',
  'treize', 'quatorze', 'quinze', 'seize', 'dix-sept', 'dix-huit', 'dix-neuf'];
const TENS = ['', '', 'vingt', 'trente', 'quarante', 'cinquante', 'soixante'];

/**
 * Cardinal 1–100 in French (traditional spelling), agreeing in gender where it ends in "un":
 * 21 → vingt et un / vingt et une, 71 → soixante et onze, 80 → quatre-vingts, 81 → quatre-vingt-un.
 */
export function frenchNumber(n: number, gender: Gender): string {
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new RangeError(`frenchNumber: expected an integer in 1–100, got ${n}`);
  const words = n === 100 ? 'cent' : n < 20 ? UNITS[n] : n < 70 ? tensAndUnits(TENS[Math.floor(n / 10)], n % 10)
    : n < 80 ? (n === 71 ? 'soixante et onze' : `soixante-${UNITS[n - 60]}`)
      : n === 80 ? 'quatre-vingts' : `quatre-vingt-${UNITS[n - 80]}`;
  return gender === 'f' ? words.replace(/(^|[ -])un$/, '$1une') : words;
}

function tensAndUnits(tens: string, unit: number): string {
  if (unit === 0) return tens;
  return unit === 1 ? `${tens} et un` : `${tens}-${UNITS[unit]}`;
}

/** Clitics that lose their vowel before a vowel sound. */
const ELIDES = new Map([['le', "l'"], ['la', "l'"], ['de', "d'"], ['je', "j'"], ['ne', "n'"], ['que', "qu'"]]);
/** à/de + le/les merge into one word. */
const CONTRACTIONS = new Map([['à le', 'au'], ['à les', 'aux'], ['de le', 'du'], ['de les', 'des']]);

/**
 * Joins French words into text after applying elision (le hôtel → l'hôtel, que il → qu'il, ne y → n'y)
 * and then contraction (à le marché → au marché, de les arbres → des arbres; à l'hôtel stays).
 */
export function frenchSurface(words: readonly string[]): string {
  const elided: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const next = words[i + 1];
    const clipped = ELIDES.get(word);
    if (next !== undefined && clipped !== undefined && startsWithVowelSound(next)) {
      elided.push(clipped + next);
      i++;
    } else {
      elided.push(word);
    }
  }
  const out: string[] = [];
  for (let i = 0; i < elided.length; i++) {
    const merged = CONTRACTIONS.get(`${elided[i]} ${elided[i + 1]}`);
    if (merged !== undefined) {
      out.push(merged);
      i++;
    } else {
      out.push(elided[i]);
    }
  }
  return out.join(' ');
}

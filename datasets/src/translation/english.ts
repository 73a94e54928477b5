// Realizes a Clause as an English sentence: do-support in questions and negation, third-person -s,
// irregular pasts, a/an, "any" under negation, genitive 's, and "you all" for the plural you.
import { englishArticle, englishNumber } from './english-morphology.js';
import { POSSESSIVES, PRONOUNS } from './words.js';
import type { Clause, Complement, NounPhrase, PlacePhrase, Subject } from './types.js';

/** How the noun phrase's clause treats indefinites: "any apples" under not, "no apples" after there is. */
type Indefinite = 'plain' | 'any' | 'no';

/** English words of a noun phrase: "the big red car", "three cats", "Paul's old dog", "any coffee". */
export function englishNounPhrase(np: Complement, indefinite: Indefinite = 'plain'): string[] {
  if (np.type === 'name') return [np.name.name];
  const noun = np.number === 'pl' ? np.noun.enPlural : np.noun.en;
  const body = [
    ...(np.count !== undefined ? [englishNumber(np.count)] : []),
    ...(np.before ? [np.before.en] : []),
    ...(np.after ? [np.after.en] : []),
    ...noun.split(' '),
  ];
  if (np.owner) return [...englishGenitive(np.owner), ...body];
  const d = np.determiner;
  switch (d.kind) {
    case 'definite': return ['the', ...body];
    case 'generic': return body;
    case 'possessive': return [POSSESSIVES[d.owner].en, ...body];
    case 'demonstrative': return [np.number === 'pl' ? (d.near ? 'these' : 'those') : (d.near ? 'this' : 'that'), ...body];
    case 'indefinite':
      if (indefinite === 'no' && np.count === undefined) return ['no', ...body];
      if (np.count !== undefined) return body;
      if (np.number === 'sg' && !np.noun.mass) return [englishArticle(body[0]), ...body];
      return indefinite === 'any' ? ['any', ...body] : body;
  }
}

/** "Paul's", "the teacher's", "the teachers'", "the children's". */
function englishGenitive(owner: NounPhrase | Complement): string[] {
  const words = englishNounPhrase(owner);
  const last = words[words.length - 1];
  const plural = owner.type === 'noun' && owner.number === 'pl';
  words[words.length - 1] = plural && last.endsWith('s') ? `${last}'` : `${last}'s`;
  return words;
}

function englishSubject(subject: Subject): string[] {
  if (subject.type === 'pronoun') return [PRONOUNS[subject.pronoun].en];
  if (subject.type === 'and') return [...englishSubject(subject.items[0]), 'and', ...englishSubject(subject.items[1])];
  return englishNounPhrase(subject);
}

/** 'I' (am, was), 'third' (is, was, eats), 'other' (are, were, eat). */
type EnglishPerson = 'I' | 'third' | 'other';

function englishPerson(subject: Subject | undefined): EnglishPerson {
  if (subject === undefined) return 'third'; // who
  if (subject.type === 'pronoun') {
    return subject.pronoun === 'I' ? 'I' : subject.pronoun === 'he' || subject.pronoun === 'she' ? 'third' : 'other';
  }
  if (subject.type === 'and') return 'other';
  if (subject.type === 'name') return 'third';
  return subject.number === 'sg' ? 'third' : 'other';
}

function placeWords(place: PlacePhrase): string[] {
  return [...place.prep.split(' '), ...englishNounPhrase(place.np)];
}

/** The verb group split for inversion: `finite` moves before the subject in questions. */
interface VerbGroup { readonly finite: string | null; readonly rest: string[] }

function verbGroup(c: Clause, person: EnglishPerson, question: boolean): VerbGroup {
  const adverb = c.adverb ? [c.adverb.en] : [];
  const neg = c.polarity === 'negative' ? ['not'] : c.polarity === 'never' ? ['never'] : [];
  if (c.kind === 'attribute' || c.kind === 'location') {
    const be = c.tense === 'future' ? 'will'
      : c.tense === 'present' ? (person === 'I' ? 'am' : person === 'third' ? 'is' : 'are')
        : (person === 'other' ? 'were' : 'was');
    return { finite: be, rest: [...neg, ...adverb, ...(c.tense === 'future' ? ['be'] : [])] };
  }
  const v = c.verb!.en;
  const particle = v.particle ? [v.particle] : []; // stranded in what-questions: "What does she look for?"
  if (c.tense === 'future') return { finite: 'will', rest: [...neg, ...adverb, v.base, ...particle] };
  const doForm = c.tense === 'past' ? 'did' : person === 'third' ? 'does' : 'do';
  if (question || c.polarity === 'negative') return { finite: doForm, rest: [...neg, ...adverb, v.base, ...particle] };
  const form = c.tense === 'past' ? v.past : person === 'third' ? v.third : v.base;
  return { finite: null, rest: [...neg, ...adverb, form, ...particle] };
}

/** English sentence for a clause: "My sister did not eat any apples yesterday." */
export function realizeEnglish(c: Clause): string {
  const question = c.mood !== 'statement';
  const inverted = question && c.mood !== 'who';
  const indefinite: Indefinite = c.polarity === 'negative' ? 'any' : 'plain';
  const tail: string[] = [];
  if (c.kind === 'existential') {
    const plural = c.object!.type === 'noun' && c.object!.number === 'pl';
    const be = c.tense === 'future' ? 'will' : c.tense === 'present' ? (plural ? 'are' : 'is') : (plural ? 'were' : 'was');
    const after = c.tense === 'future' ? ['be'] : [];
    const what = englishNounPhrase(c.object!, c.polarity === 'negative' ? 'no' : 'plain');
    const head = question ? [be, 'there', ...after] : ['there', be, ...after];
    return finish([...head, ...what, ...placeWords(c.place!), ...(c.time ? c.time.en.split(' ') : [])], question);
  }
  if (c.object && c.mood !== 'what') tail.push(...englishNounPhrase(c.object, indefinite));
  if (c.playable) tail.push(...(c.playable.instrument ? ['the', c.playable.en] : [c.playable.en]));
  if (c.adjective) tail.push(c.adjective.en);
  if (c.place && c.mood !== 'where' && c.mood !== 'whereFrom') tail.push(...englishPlace(c));
  if (c.mood === 'whereFrom') tail.push('from');
  if (c.companion) tail.push('with', ...englishNounPhrase(c.companion));
  if (c.time) tail.push(...c.time.en.split(' '));

  const person = englishPerson(c.subject);
  const group = verbGroup(c, person, inverted);
  const subject = c.mood === 'who' ? ['who'] : englishSubject(c.subject!);
  const finite = group.finite ? [group.finite] : [];
  const core = inverted ? [...finite, ...subject, ...group.rest] : [...subject, ...finite, ...group.rest];
  const lead = c.mood === 'what' ? ['what'] : c.mood === 'where' || c.mood === 'whereFrom' ? ['where'] : [];
  return finish([...lead, ...core, ...tail], question);
}

/** The place of a motion verb ("to the market", "from the tree", "the house" after enter) or a location. */
function englishPlace(c: Clause): string[] {
  const place = c.place!;
  const motion = c.kind === 'motion' ? c.verb!.motion : undefined;
  if (motion === 'to' || motion === 'from') return [motion, ...englishNounPhrase(place.np)];
  if (motion === 'into') return englishNounPhrase(place.np);
  return placeWords(place);
}

function finish(words: string[], question: boolean): string {
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1) + (question ? '?' : '.');
}

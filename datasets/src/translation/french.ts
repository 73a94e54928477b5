// Realizes a Clause as a French sentence: adjective placement and agreement, elision and contraction,
// conjugation by person and tense (passé composé with avoir/être and agreement), ne … pas / ne … jamais
// with de after negation, est-ce que questions, and inversion only in "Où est … ?".
import { conjugate, participle, type PersonIndex } from './french-conjugation.js';
import { agree, frenchNumber, frenchSurface, startsWithVowelSound } from './french-morphology.js';
import { PLACE_PREPS, POSSESSIVES, PRONOUNS } from './words.js';
import type { Clause, Complement, Gender, GramNumber, NounPhrase, Subject } from './types.js';

/** French words of a noun phrase; `negated` turns un/une/des/du into de (je ne mange pas de pommes). */
export function frenchNounPhrase(np: Complement, negated = false): string[] {
  if (np.type === 'name') return [np.name.name];
  const { gender } = np.noun;
  const number = np.number;
  const noun = number === 'pl' ? np.noun.frPlural : np.noun.fr;
  const before = np.before
    ? (number === 'sg' && gender === 'm' && np.before.frBeforeVowel && startsWithVowelSound(noun)
      ? np.before.frBeforeVowel : agree(np.before.fr, gender, number))
    : undefined;
  const count = np.count !== undefined ? [frenchNumber(np.count, gender)] : [];
  const body = [...(before ? [before] : []), ...noun.split(' '), ...(np.after ? [agree(np.after.fr, gender, number)] : [])];
  const next = count[0] ?? body[0];
  const determiner = frenchDeterminer(np, next, negated, before !== undefined);
  const owner = np.owner ? ['de', ...frenchNounPhrase(np.owner)] : [];
  return [...determiner, ...count, ...body, ...owner];
}

function frenchDeterminer(np: NounPhrase, next: string, negated: boolean, hasBefore: boolean): string[] {
  const { gender } = np.noun;
  const definite = np.number === 'pl' ? 'les' : gender === 'm' ? 'le' : 'la';
  if (np.owner) return [definite];
  const d = np.determiner;
  switch (d.kind) {
    case 'definite':
    case 'generic':
      return [definite];
    case 'possessive': {
      const p = POSSESSIVES[d.owner];
      // mon amie, ton école: the masculine form before a vowel
      return [np.number === 'pl' ? p.pl : gender === 'm' || startsWithVowelSound(next) ? p.m : p.f];
    }
    case 'demonstrative':
      return [np.number === 'pl' ? 'ces' : gender === 'f' ? 'cette' : startsWithVowelSound(next) ? 'cet' : 'ce'];
    case 'indefinite':
      if (np.count !== undefined) return [];
      if (negated) return ['de'];
      if (np.noun.mass) return ['de', definite]; // partitive: du pain, de la bière, de l'eau
      if (np.number === 'pl') return [hasBefore ? 'de' : 'des']; // de belles maisons
      return [gender === 'm' ? 'un' : 'une'];
  }
}

/** Person, gender and number a subject imposes on its verb, participle and attribute. */
interface Agreement { readonly person: PersonIndex; readonly gender: Gender; readonly number: GramNumber }

function agreement(subject: Subject | undefined): Agreement {
  if (subject === undefined) return { person: 2, gender: 'm', number: 'sg' }; // qui
  switch (subject.type) {
    case 'pronoun': return PRONOUNS[subject.pronoun];
    case 'name': return { person: 2, gender: subject.name.gender, number: 'sg' };
    case 'noun': return { person: subject.number === 'sg' ? 2 : 5, gender: subject.noun.gender, number: subject.number };
    case 'and': { // le garçon et la fille sont grands: masculine unless every item is feminine
      const genders = subject.items.map((s) => agreement(s).gender);
      return { person: 5, gender: genders.includes('m') ? 'm' : 'f', number: 'pl' };
    }
  }
}

function frenchSubject(subject: Subject): string[] {
  if (subject.type === 'pronoun') return [PRONOUNS[subject.pronoun].fr];
  if (subject.type === 'and') return [...frenchSubject(subject.items[0]), 'et', ...frenchSubject(subject.items[1])];
  return frenchNounPhrase(subject);
}

/** ne + finite + pas/jamais, adverb after the finite verb, participle last: "n'a jamais mangé", "est souvent allée". */
function verbGroup(c: Clause, a: Agreement): string[] {
  const infinitive = c.kind === 'attribute' || c.kind === 'location' ? 'être' : c.verb!.fr;
  let finite: string;
  let past: string[] = [];
  if (c.tense === 'past' && infinitive !== 'être') {
    const aux = c.verb!.aux;
    finite = conjugate(aux, 'present', a.person);
    const pp = participle(infinitive);
    past = [aux === 'être' ? pp + (a.gender === 'f' ? 'e' : '') + (a.number === 'pl' ? 's' : '') : pp];
  } else {
    finite = conjugate(infinitive, c.tense === 'past' ? 'imperfect' : c.tense, a.person);
  }
  const neg = c.polarity === 'negative' ? 'pas' : c.polarity === 'never' ? 'jamais' : undefined;
  const middle = [...(neg ? [neg] : []), ...(c.adverb ? [c.adverb.fr] : [])];
  return [...(neg ? ['ne'] : []), finite, ...middle, ...past];
}

/** French sentence for a clause: "Ma sœur n'a pas mangé de pommes hier." */
export function realizeFrench(c: Clause): string {
  const negated = c.polarity !== 'positive';
  const time = c.time ? [c.time.fr] : [];
  if (c.kind === 'existential') {
    const verb = conjugate('avoir', c.tense === 'past' ? 'imperfect' : c.tense, 2);
    const core = negated ? ['il', 'ne', 'y', verb, 'pas'] : ['il', 'y', verb];
    const words = [...core, ...frenchNounPhrase(c.object!, negated), ...frenchPlace(c), ...time];
    return finish(c.mood === 'yesNo' ? ['est-ce', 'que', ...words] : words, c.mood !== 'statement');
  }
  const a = agreement(c.subject);
  if (c.mood === 'where' && c.kind === 'location') return whereIsInverted(c, a);
  const tail: string[] = [];
  if (c.object && c.mood !== 'what') tail.push(...frenchNounPhrase(c.object, negated && !c.verb!.generic));
  if (c.playable) tail.push(c.playable.instrument ? 'de' : 'à', c.playable.number === 'pl' ? 'les' : c.playable.gender === 'm' ? 'le' : 'la', c.playable.fr);
  if (c.adjective) tail.push(agree(c.adjective.fr, a.gender, a.number));
  if (c.place && c.mood !== 'where' && c.mood !== 'whereFrom') tail.push(...frenchPlace(c));
  if (c.companion) tail.push('avec', ...frenchNounPhrase(c.companion));
  tail.push(...time);

  const subject = c.mood === 'who' ? ['qui'] : frenchSubject(c.subject!);
  const clause = [...subject, ...verbGroup(c, a), ...tail];
  const lead = { statement: [], yesNo: ['est-ce', 'que'], what: ['que', 'est-ce', 'que'], who: [], where: ['où', 'est-ce', 'que'], whereFrom: ['de', 'où', 'est-ce', 'que'] }[c.mood];
  return finish([...lead, ...clause], c.mood !== 'statement');
}

/** "Où est le chat ?", "Où sont-ils ?", "Où sera-t-elle ?": être inverted with its subject. */
function whereIsInverted(c: Clause, a: Agreement): string {
  const verb = conjugate('être', c.tense === 'past' ? 'imperfect' : c.tense, a.person);
  const time = c.time ? [c.time.fr] : [];
  const subject = c.subject!;
  if (subject.type !== 'pronoun') return finish(['où', verb, ...frenchSubject(subject), ...time], true);
  const pronoun = PRONOUNS[subject.pronoun].fr;
  const t = /[ae]$/.test(verb) && /^(il|elle)$/.test(pronoun) ? '-t' : ''; // sera-t-il
  return finish(['où', `${verb}${t}-${pronoun}`, ...time], true);
}

/** The place words: à/de/dans for motion verbs, else the place's own preposition (sur la table, près du lit). */
function frenchPlace(c: Clause): string[] {
  const place = c.place!;
  const np = frenchNounPhrase(place.np);
  const motion = c.kind === 'motion' ? c.verb!.motion : undefined;
  if (motion === 'to') return ['à', ...np];
  if (motion === 'from') return ['de', ...np];
  if (motion === 'into') return ['dans', ...np];
  if (place.prep === place.np.noun.staticPrep && place.np.noun.frStaticPrep) return [place.np.noun.frStaticPrep, ...np];
  return [...PLACE_PREPS[place.prep], ...np];
}

function finish(words: string[], question: boolean): string {
  const text = frenchSurface(words);
  return text.charAt(0).toUpperCase() + text.slice(1) + (question ? ' ?' : '.');
}

// Draws random Clauses from the grammar: the sentence kind, then a subject, verb and complements that
// fit it (eat takes food, sleep takes a place, like takes generic plurals), tense, mood and polarity.
import type { Generator } from '@gloss/tensor';
import { chance, pick, weighted } from '../choice.js';
import { adjectivesFor } from './adjectives.js';
import { NAMES, NOUNS, nounsOf } from './nouns.js';
import { VERBS } from './verbs.js';
import { ADVERBS, PLAYABLES, TIMES } from './words.js';
import type {
  Clause, ClauseKind, Determiner, Mood, NamePhrase, Noun, NounClass, NounPhrase, OwnerKey,
  PlacePhrase, PlacePrep, Polarity, PronounKey, Subject, Tense, Verb,
} from './types.js';

/** Where a noun phrase stands; `absent` is what "there is no …" denies (never counted). */
type Role = 'subject' | 'object' | 'generic' | 'place' | 'companion' | 'owner' | 'existential' | 'absent';

const byEnglish = (...words: string[]): Noun[] => words.map((w) => NOUNS.find((n) => n.en === w)!);
const PLACES = NOUNS.filter((n) => n.staticPrep !== undefined);
const DESTINATIONS = PLACES.filter((n) => !['island', 'city', 'forest'].includes(n.en));
const ARRIVALS = PLACES.filter((n) => n.staticPrep === 'at');
const ENTERABLE = PLACES.filter((n) => n.classes.includes('building') || n.staticPrep === 'in');
const SPOTS = NOUNS.filter((n) => n.classes.includes('spot'));
const FALL_FROM = byEnglish('tree', 'chair', 'bed', 'sofa', 'table');
const DRINK_HOLDERS = byEnglish('bottle', 'cup', 'glass');
const SMALL_THINGS = NOUNS.filter((n) => n.classes.includes('object') && !n.classes.some((c) => c === 'spot' || c === 'vehicle')
  && n.en !== 'door' && n.en !== 'window');
const OWNERS: OwnerKey[] = ['I', 'you', 'he', 'she', 'we', 'they'];
const PRONOUN_KEYS: PronounKey[] = ['I', 'you', 'he', 'she', 'we', 'youPl', 'they'];

/** Cardinals: mostly 2–10, some 11–20, and compound ones (21, 71, 80, 99 …). */
function sampleCount(g: Generator): number {
  const r = g.random();
  if (r < 0.6) return 2 + g.int(9);
  if (r < 0.85) return 11 + g.int(10);
  return pick(g, [21, 22, 25, 30, 31, 40, 45, 50, 60, 70, 71, 75, 80, 81, 90, 99, 100]);
}

function sampleDeterminer(g: Generator, role: Role): Determiner['kind'] | 'genitive' {
  switch (role) {
    case 'subject': return weighted(g, { definite: 50, possessive: 25, demonstrative: 8, indefinite: 7, genitive: 10 });
    case 'object': return weighted(g, { definite: 30, indefinite: 38, possessive: 15, demonstrative: 7, genitive: 10 });
    case 'generic': return weighted(g, { generic: 55, definite: 25, possessive: 10, demonstrative: 5, genitive: 5 });
    case 'place': return weighted(g, { definite: 65, possessive: 20, demonstrative: 10, genitive: 5 });
    case 'companion': return weighted(g, { definite: 35, possessive: 55, indefinite: 10 });
    case 'owner': return weighted(g, { definite: 45, possessive: 55 });
    case 'existential':
    case 'absent':
      return 'indefinite';
  }
}

/** A noun phrase over `nouns` shaped by its role (subjects never bare, places never counted …). */
export function sampleNounPhrase(g: Generator, nouns: readonly Noun[], role: Role): NounPhrase {
  const noun = pick(g, nouns);
  const kind = sampleDeterminer(g, role);
  let number: 'sg' | 'pl' = noun.mass ? 'sg' : chance(g, role === 'place' || role === 'owner' ? 0.15 : 0.35) ? 'pl' : 'sg';
  if (kind === 'generic' && !noun.mass) number = 'pl'; // I like apples
  let count: number | undefined;
  if (!noun.mass && kind !== 'generic' && kind !== 'genitive' && (role === 'subject' || role === 'object' || role === 'existential')) {
    if (number === 'pl' && chance(g, kind === 'indefinite' ? 0.4 : 0.15)) count = sampleCount(g);
    else if (number === 'sg' && kind === 'indefinite' && chance(g, 0.05)) count = 1;
  }
  if (role === 'subject' && kind === 'indefinite' && number === 'pl' && count === undefined) count = sampleCount(g); // no bare plural subjects
  if (role === 'subject' && kind === 'indefinite' && noun.mass) return sampleNounPhrase(g, nouns, role);

  const determiner: Determiner = kind === 'possessive' ? { kind, owner: pick(g, OWNERS) }
    : kind === 'demonstrative' ? { kind, near: chance(g, 0.5) }
      : kind === 'genitive' ? { kind: 'definite' } : { kind };
  const adjectiveOdds = role === 'place' || role === 'owner' || role === 'companion' ? 0.2 : 0.55;
  const np: { -readonly [K in keyof NounPhrase]: NounPhrase[K] } = { type: 'noun', noun, number, determiner };
  if (count !== undefined) np.count = count;
  const fitting = adjectivesFor(noun.classes);
  if (fitting.length > 0 && chance(g, adjectiveOdds)) {
    const twoAdjectives = role !== 'place' && role !== 'owner' && chance(g, 0.18);
    const before = fitting.filter((a) => a.before);
    const colors = fitting.filter((a) => a.color);
    if (twoAdjectives && before.length > 0 && colors.length > 0) { // the big red car → la grande voiture rouge
      np.before = pick(g, before);
      np.after = pick(g, colors);
    } else {
      const adjective = pick(g, fitting);
      if (adjective.before) np.before = adjective;
      else np.after = adjective;
    }
  }
  if (kind === 'genitive') np.owner = chance(g, 0.5) ? sampleName(g) : sampleNounPhrase(g, nounsOf(['person', 'animal']), 'owner');
  return np;
}

function sampleName(g: Generator): NamePhrase {
  return { type: 'name', name: pick(g, NAMES) };
}

/** A person (or, where `animals`, an animal): pronoun, name, noun phrase or "X and Y". */
function sampleSubject(g: Generator, animals: boolean, coordination: boolean): Subject {
  const kind = weighted(g, { pronoun: 25, name: 15, noun: 54, and: coordination ? 6 : 0 });
  if (kind === 'pronoun') return { type: 'pronoun', pronoun: pick(g, PRONOUN_KEYS) };
  if (kind === 'name') return sampleName(g);
  const classes: NounClass[] = animals && chance(g, 0.35) ? ['animal'] : ['person'];
  if (kind === 'noun') return sampleNounPhrase(g, nounsOf(classes), 'subject');
  const item = (): Subject => (chance(g, 0.4) ? sampleName(g) : sampleNounPhrase(g, nounsOf(classes), 'subject'));
  return { type: 'and', items: [item(), item()] };
}

function samplePlace(g: Generator, nouns: readonly Noun[], prep?: PlacePrep): PlacePhrase {
  const np = sampleNounPhrase(g, nouns, 'place');
  return { prep: prep ?? np.noun.staticPrep ?? pick(g, np.noun.preps), np };
}

/** A place to be in: mostly the place's own preposition (at the market), else near/behind/under … */
function sampleLocation(g: Generator, nouns: readonly Noun[]): PlacePhrase {
  const np = sampleNounPhrase(g, nouns, 'place');
  const prep = np.noun.staticPrep && chance(g, 0.7) ? np.noun.staticPrep : pick(g, np.noun.preps);
  return { prep, np };
}

const TENSES: Record<Tense, number> = { present: 40, past: 30, future: 30 };
const KINDS: Record<ClauseKind, number> = { transitive: 36, intransitive: 10, motion: 16, play: 4, attribute: 14, location: 10, existential: 10 };

type DraftClause = { -readonly [K in keyof Clause]: Clause[K] };
type Moods = Partial<Record<Mood, number>>;

/**
 * Each kind's words: fills subject, verb and complements into `c` and returns the question moods the clause
 * allows beside statement and yes/no (the existential kind draws its mood itself and returns null).
 */
const FILL_KIND: Record<ClauseKind, (g: Generator, c: DraftClause, verb: Verb | undefined) => Moods | null> = {
  transitive(g, c, verb) {
    c.verb = verb!;
    c.subject = sampleSubject(g, verb!.animals, false);
    const objects = nounsOf(verb!.objects!, false);
    c.object = verb!.objects!.includes('person') && chance(g, 0.3) ? sampleName(g)
      : sampleNounPhrase(g, objects, verb!.generic ? 'generic' : 'object');
    if (chance(g, 0.3)) c.place = sampleLocation(g, PLACES);
    return { what: 10, who: 6 };
  },
  intransitive(g, c, verb) {
    c.verb = verb!;
    c.subject = sampleSubject(g, verb!.animals, true);
    if (verb!.located && chance(g, 0.85)) c.place = sampleLocation(g, ['sleep', 'wait'].includes(verb!.en.base) && chance(g, 0.4) ? SPOTS : PLACES);
    return { who: 5, ...(c.place ? { where: 12 } : {}) };
  },
  motion(g, c, verb) {
    c.verb = verb!;
    c.subject = sampleSubject(g, verb!.animals, true);
    const motion = verb!.motion!;
    if (motion === 'to') c.place = samplePlace(g, DESTINATIONS);
    else if (motion === 'into') c.place = samplePlace(g, ENTERABLE);
    else if (verb!.en.base === 'arrive') c.place = samplePlace(g, ARRIVALS);
    else if (motion === 'at') c.place = samplePlace(g, PLACES);
    else if (verb!.en.base === 'come') c.place = samplePlace(g, PLACES);
    else if (motion === 'from' && chance(g, 0.5)) c.place = samplePlace(g, FALL_FROM);
    const where: Mood | undefined = !c.place || motion === 'into' ? undefined : motion === 'from' ? 'whereFrom' : 'where';
    return { who: 6, ...(where ? { [where]: 14 } : {}) };
  },
  play(g, c, verb) {
    c.verb = verb!;
    c.subject = sampleSubject(g, false, false);
    c.playable = pick(g, PLAYABLES);
    return { who: 5 };
  },
  attribute(g, c) {
    const what = weighted(g, { person: 45, thing: 55 });
    if (what === 'person') {
      c.subject = sampleSubject(g, true, true);
      const head = c.subject.type === 'and' ? c.subject.items[0] : c.subject;
      const animal = head.type === 'noun' && head.noun.classes.includes('animal');
      c.adjective = pick(g, adjectivesFor([animal ? 'animal' : 'person']));
    } else {
      const np = sampleNounPhrase(g, nounsOf(['object', 'vehicle', 'food', 'drink', 'place', 'song', 'show']), 'subject');
      c.subject = np;
      c.adjective = pick(g, adjectivesFor(np.noun.classes));
    }
    return { who: c.subject.type === 'noun' && !c.subject.noun.classes.includes('person') ? 0 : 8 };
  },
  location(g, c) {
    if (chance(g, 0.6)) {
      c.subject = sampleSubject(g, true, true);
      c.place = sampleLocation(g, chance(g, 0.6) ? PLACES : SPOTS);
    } else {
      c.subject = sampleNounPhrase(g, SMALL_THINGS, 'subject');
      c.place = sampleLocation(g, SPOTS);
    }
    return { where: 16 };
  },
  existential(g, c) {
    c.mood = weighted<Mood>(g, { statement: 80, yesNo: 20 });
    if (c.mood === 'statement') c.polarity = weighted<Polarity>(g, { positive: 70, negative: 30 });
    const role: Role = c.polarity === 'positive' ? 'existential' : 'absent';
    const what = weighted(g, { animate: 40, thing: 40, drink: 20 });
    if (what === 'drink') {
      c.object = sampleNounPhrase(g, nounsOf(['drink']), role);
      c.place = samplePlace(g, DRINK_HOLDERS, 'in');
    } else {
      c.object = sampleNounPhrase(g, what === 'animate' ? nounsOf(['person', 'animal']) : [...SMALL_THINGS, ...nounsOf(['food'])], role);
      c.place = sampleLocation(g, chance(g, 0.5) ? PLACES : SPOTS);
    }
    return null;
  },
};

/** Draws one clause: its kind and tense, the kind's words, then mood and polarity, then what may be added. */
export function sampleClause(g: Generator): Clause {
  const kind = weighted(g, KINDS);
  const tense = weighted(g, TENSES);
  const c: DraftClause = { kind, tense, mood: 'statement', polarity: 'positive' };
  const verbs = VERBS.filter((v) => v.kind === kind);
  const verb: Verb | undefined = verbs.length > 0 ? pick(g, verbs) : undefined;
  const questions = FILL_KIND[kind](g, c, verb);
  if (questions !== null) {
    c.mood = weighted(g, { statement: 74, yesNo: 14, ...questions });
    if (c.mood === 'statement') c.polarity = weighted<Polarity>(g, { positive: 68, negative: 24, never: 8 });
  }
  if (c.mood === 'who') delete c.subject;
  if (c.mood === 'what') delete c.object;
  addModifiers(g, c);
  return c;
}

/** A companion (with X), and a time or an adverb, where the clause has room for them. */
function addModifiers(g: Generator, c: DraftClause): void {
  const { kind, tense } = c;
  if (kind !== 'existential' && kind !== 'location' && kind !== 'attribute' && c.mood !== 'where' && c.mood !== 'whereFrom' && chance(g, 0.15)) {
    c.companion = chance(g, 0.5) ? sampleName(g) : sampleNounPhrase(g, nounsOf(['person']), 'companion');
  }
  const times = TIMES.filter((t) => t.tenses.includes(tense));
  if (c.polarity !== 'never' && chance(g, 0.45)) c.time = pick(g, times);
  else if (c.polarity === 'positive' && c.mood !== 'where' && c.mood !== 'whereFrom' && c.mood !== 'what' && kind !== 'existential' && chance(g, 0.12)) {
    c.adverb = pick(g, ADVERBS);
  }
}

// The semantic structure a translation pair is realized from. The English and the French sides are two
// deterministic functions of one Clause, so a source sentence determines its target (no free synonyms).

export type Gender = 'm' | 'f';
export type GramNumber = 'sg' | 'pl';
export type Tense = 'present' | 'past' | 'future';

/** Selectional classes: which verbs, adjectives and prepositions a noun goes with. */
export type NounClass =
  | 'person' | 'animal' | 'food' | 'drink' | 'object' | 'container' | 'device' | 'readable' | 'vehicle'
  | 'place' | 'building' | 'spot' | 'song' | 'show';

/** An English preposition of place and the French one it always translates to. */
export type PlacePrep = 'at' | 'in' | 'on' | 'under' | 'near' | 'behind' | 'in front of';

/** A noun with its English and French forms. */
export interface Noun {
  readonly en: string;
  readonly enPlural: string;
  readonly fr: string;
  readonly frPlural: string;
  readonly gender: Gender;
  readonly classes: readonly NounClass[];
  /** Uncountable (water, bread): no plural, no number, no `a`; partitive du/de la/de l'. */
  readonly mass: boolean;
  /** Prepositions it takes as a place or spot ("at the market", "under the table"); empty if none. */
  readonly preps: readonly PlacePrep[];
  /** For places: the one preposition of "stay at", "sleep in" (at the market, in the garden, on the beach). */
  readonly staticPrep?: PlacePrep;
  /** French "à" for a place English puts "on" or "in" (on the farm → à la ferme). */
  readonly frStaticPrep?: 'à';
}

/** A first name; the same spelling on both sides. */
export interface Name {
  readonly name: string;
  readonly gender: Gender;
}

/** An adjective with its English form and French m.sg, f.sg, m.pl, f.pl forms. */
export interface Adjective {
  readonly en: string;
  readonly fr: { readonly msg: string; readonly fsg: string; readonly mpl: string; readonly fpl: string };
  /** Masculine singular before a vowel (bel, vieil, nouvel), for adjectives placed before the noun. */
  readonly frBeforeVowel?: string;
  /** Placed before the noun in French (beau, petit, vieux …); colors and most others follow it. */
  readonly before: boolean;
  readonly color: boolean;
  /** Noun classes it describes. */
  readonly classes: readonly NounClass[];
}

export type VerbKind = 'transitive' | 'intransitive' | 'motion' | 'play';

/** A verb: English principal parts, the French infinitive, and what it combines with. */
export interface Verb {
  readonly kind: VerbKind;
  readonly en: { readonly base: string; readonly third: string; readonly past: string; readonly particle?: string };
  readonly fr: string;
  /** Passé composé auxiliary. */
  readonly aux: 'avoir' | 'être';
  /** Subjects it takes besides people (animals for eat, sleep, run …). */
  readonly animals: boolean;
  /** Transitive: object classes. */
  readonly objects?: readonly NounClass[];
  /** like/love/hate: a bare English object is generic (apples → les pommes, coffee → le café). */
  readonly generic?: boolean;
  /** Motion: the English/French preposition of its place, if any ("to" → à, "from" → de, "into" → dans). */
  readonly motion?: 'to' | 'from' | 'at' | 'into' | 'out';
  /** Intransitive: may take a place ("sleeps under the tree", "works at the office"). */
  readonly located?: boolean;
}

/** The seven subject pronouns; `youPl` is English "you all" (French vous), kept apart from "you" (tu). */
export type PronounKey = 'I' | 'you' | 'he' | 'she' | 'we' | 'youPl' | 'they';
/** Owners a possessive determiner can name (your = tu's: ton/ta/tes). */
export type OwnerKey = 'I' | 'you' | 'he' | 'she' | 'we' | 'they';

export type Determiner =
  | { readonly kind: 'definite' }
  | { readonly kind: 'indefinite' }          // a/an, some (bare plural or mass) → un/une/des/du
  | { readonly kind: 'generic' }            // bare object of like/love/hate → le/la/les
  | { readonly kind: 'demonstrative'; readonly near: boolean } // this/that/these/those → ce/cet/cette/ces
  | { readonly kind: 'possessive'; readonly owner: OwnerKey };

export interface NounPhrase {
  readonly type: 'noun';
  readonly noun: Noun;
  readonly number: GramNumber;
  readonly determiner: Determiner;
  /** A cardinal (1–100) between determiner and adjectives: "three cats", "my two sisters"; 1 only with the indefinite, none with generic or mass nouns. */
  readonly count?: number;
  /** At most one adjective placed before the noun in French and one after it. */
  readonly before?: Adjective;
  readonly after?: Adjective;
  /** English genitive / French "de": "Paul's dog" → "le chien de Paul" (determiner is then definite). */
  readonly owner?: NounPhrase | NamePhrase;
}
export interface PronounPhrase { readonly type: 'pronoun'; readonly pronoun: PronounKey }
export interface NamePhrase { readonly type: 'name'; readonly name: Name }
export interface Coordination { readonly type: 'and'; readonly items: readonly [Subject, Subject] }
export type Subject = NounPhrase | PronounPhrase | NamePhrase | Coordination;
export type Complement = NounPhrase | NamePhrase;

/** "under the table", "at the market". */
export interface PlacePhrase { readonly prep: PlacePrep; readonly np: NounPhrase }

/** Frequency adverb placed after the conjugated verb in French, before the main verb in English. */
export interface Adverb { readonly en: string; readonly fr: string }
/** A time expression closing the sentence on both sides; it fixes which tenses it fits. */
export interface TimeExpression { readonly en: string; readonly fr: string; readonly tenses: readonly Tense[] }
/** A game or an instrument for "play": play chess → jouer aux échecs, play the piano → jouer du piano. */
export interface Playable { readonly en: string; readonly fr: string; readonly gender: Gender; readonly number: GramNumber; readonly instrument: boolean }

export type ClauseKind = 'transitive' | 'intransitive' | 'motion' | 'play' | 'attribute' | 'location' | 'existential';
/** statement; yes/no question; wh-questions on the object (what), the subject (who), the place (where, where from). */
export type Mood = 'statement' | 'yesNo' | 'what' | 'who' | 'where' | 'whereFrom';
/** never = French ne … jamais. */
export type Polarity = 'positive' | 'negative' | 'never';

/** One sentence's meaning; every field a realizer reads is set by the sampler for its kind and mood. */
export interface Clause {
  readonly kind: ClauseKind;
  readonly tense: Tense;
  readonly polarity: Polarity;
  readonly mood: Mood;
  /** Absent for existential clauses and who-questions. */
  readonly subject?: Subject;
  readonly verb?: Verb;
  /** Transitive object; for existential clauses, what there is. Absent in what-questions. */
  readonly object?: Complement;
  readonly playable?: Playable;
  readonly adjective?: Adjective;
  /** Place: the destination/origin of a motion verb, a location, or an existential's place. */
  readonly place?: PlacePhrase;
  /** "with my sister" → "avec ma sœur". */
  readonly companion?: Complement;
  readonly adverb?: Adverb;
  readonly time?: TimeExpression;
}

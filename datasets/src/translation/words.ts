// Closed-class words of the corpus: pronouns, possessives, prepositions, frequency adverbs, time
// expressions, and what one plays (games take à, instruments de).
import type { Adverb, Gender, GramNumber, OwnerKey, PlacePrep, Playable, PronounKey, TimeExpression } from './types.js';
import type { PersonIndex } from './french-conjugation.js';

/** A subject pronoun with its French form and agreement (speakers and addressees agree in the masculine). */
export interface PronounEntry {
  readonly en: string;
  readonly fr: string;
  readonly person: PersonIndex;
  readonly gender: Gender;
  readonly number: GramNumber;
}

export const PRONOUNS: Readonly<Record<PronounKey, PronounEntry>> = {
  I: { en: 'I', fr: 'je', person: 0, gender: 'm', number: 'sg' },
  you: { en: 'you', fr: 'tu', person: 1, gender: 'm', number: 'sg' },
  he: { en: 'he', fr: 'il', person: 2, gender: 'm', number: 'sg' },
  she: { en: 'she', fr: 'elle', person: 2, gender: 'f', number: 'sg' },
  we: { en: 'we', fr: 'nous', person: 3, gender: 'm', number: 'pl' },
  youPl: { en: 'you all', fr: 'vous', person: 4, gender: 'm', number: 'pl' },
  they: { en: 'they', fr: 'ils', person: 5, gender: 'm', number: 'pl' },
};

/** Possessive determiners: English form; French masculine/feminine singular and plural. */
export const POSSESSIVES: Readonly<Record<OwnerKey, { en: string; m: string; f: string; pl: string }>> = {
  I: { en: 'my', m: 'mon', f: 'ma', pl: 'mes' },
  you: { en: 'your', m: 'ton', f: 'ta', pl: 'tes' },
  he: { en: 'his', m: 'son', f: 'sa', pl: 'ses' },
  she: { en: 'her', m: 'son', f: 'sa', pl: 'ses' },
  we: { en: 'our', m: 'notre', f: 'notre', pl: 'nos' },
  they: { en: 'their', m: 'leur', f: 'leur', pl: 'leurs' },
};

/** French for each English preposition of place ("près de" contracts: près du lit). */
export const PLACE_PREPS: Readonly<Record<PlacePrep, readonly string[]>> = {
  at: ['à'], in: ['dans'], on: ['sur'], under: ['sous'], near: ['près', 'de'], behind: ['derrière'], 'in front of': ['devant'],
};

export const ADVERBS: readonly Adverb[] = [
  { en: 'often', fr: 'souvent' }, { en: 'always', fr: 'toujours' }, { en: 'sometimes', fr: 'parfois' },
];

export const TIMES: readonly TimeExpression[] = [
  { en: 'today', fr: "aujourd'hui", tenses: ['present', 'past', 'future'] },
  { en: 'every day', fr: 'tous les jours', tenses: ['present'] },
  { en: 'every morning', fr: 'tous les matins', tenses: ['present'] },
  { en: 'on Sundays', fr: 'le dimanche', tenses: ['present'] },
  { en: 'yesterday', fr: 'hier', tenses: ['past'] },
  { en: 'last week', fr: 'la semaine dernière', tenses: ['past'] },
  { en: 'last year', fr: "l'année dernière", tenses: ['past'] },
  { en: 'this morning', fr: 'ce matin', tenses: ['past', 'future'] },
  { en: 'on Monday', fr: 'lundi', tenses: ['past', 'future'] },
  { en: 'on Saturday', fr: 'samedi', tenses: ['past', 'future'] },
  { en: 'tomorrow', fr: 'demain', tenses: ['future'] },
  { en: 'tonight', fr: 'ce soir', tenses: ['future'] },
  { en: 'next week', fr: 'la semaine prochaine', tenses: ['future'] },
  { en: 'next year', fr: "l'année prochaine", tenses: ['future'] },
];

/** English "play chess" / "play the piano": games are bare in English and take à in French, instruments de. */
export const PLAYABLES: readonly Playable[] = [
  { en: 'chess', fr: 'échecs', gender: 'm', number: 'pl', instrument: false },
  { en: 'cards', fr: 'cartes', gender: 'f', number: 'pl', instrument: false },
  { en: 'football', fr: 'football', gender: 'm', number: 'sg', instrument: false },
  { en: 'tennis', fr: 'tennis', gender: 'm', number: 'sg', instrument: false },
  { en: 'piano', fr: 'piano', gender: 'm', number: 'sg', instrument: true },
  { en: 'guitar', fr: 'guitare', gender: 'f', number: 'sg', instrument: true },
  { en: 'violin', fr: 'violon', gender: 'm', number: 'sg', instrument: true },
  { en: 'flute', fr: 'flûte', gender: 'f', number: 'sg', instrument: true },
  { en: 'harp', fr: 'harpe', gender: 'f', number: 'sg', instrument: true },
];

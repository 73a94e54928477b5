// Hand-built clauses and the sentences a bilingual reader expects for them (written by hand, not by the code).
import { describe, expect, it } from 'vitest';
import { ADJECTIVES } from './adjectives.js';
import { realizeEnglish } from './english.js';
import { realizeFrench } from './french.js';
import { NAMES, NOUNS } from './nouns.js';
import type { Adjective, Clause, Determiner, NamePhrase, Noun, NounPhrase, Verb } from './types.js';
import { VERBS } from './verbs.js';
import { ADVERBS, PLAYABLES, TIMES } from './words.js';

const noun = (en: string): Noun => NOUNS.find((n) => n.en === en)!;
const adj = (en: string): Adjective => ADJECTIVES.find((a) => a.en === en)!;
const verb = (en: string, kind?: Verb['kind']): Verb => VERBS.find((v) => v.en.base === en && (!kind || v.kind === kind))!;
const time = (en: string) => TIMES.find((t) => t.en === en)!;
const name = (n: string): NamePhrase => ({ type: 'name', name: NAMES.find((x) => x.name === n)! });
const the: Determiner = { kind: 'definite' };
const a: Determiner = { kind: 'indefinite' };
function np(en: string, determiner: Determiner = the, extra: Partial<NounPhrase> = {}): NounPhrase {
  return { type: 'noun', noun: noun(en), number: 'sg', determiner, ...extra };
}
const pl = (en: string, determiner: Determiner = the, extra: Partial<NounPhrase> = {}) => np(en, determiner, { number: 'pl', ...extra });
const base = { tense: 'present', polarity: 'positive', mood: 'statement' } as const;
const pron = (pronoun: 'I' | 'you' | 'he' | 'she' | 'we' | 'youPl' | 'they') => ({ type: 'pronoun', pronoun }) as const;

const CASES: [string, Clause, string, string][] = [
  ['adjective after the noun, agreeing', { ...base, kind: 'transitive', verb: verb('eat'), subject: np('girl'), object: np('apple', a, { after: adj('red') }) },
    'The girl eats a red apple.', 'La fille mange une pomme rouge.'],
  ['beau before a vowel: bel', { ...base, kind: 'transitive', verb: verb('see'), subject: pron('I'), object: np('tree', the, { before: adj('beautiful') }) },
    'I see the beautiful tree.', "Je vois le bel arbre."],
  ['preposed and postposed adjectives (belles … noires); des → de before a preposed adjective', { ...base, kind: 'transitive', verb: verb('buy'), subject: pron('we'), object: pl('car', a, { before: adj('beautiful'), after: adj('black') }) },
    'We buy beautiful black cars.', 'Nous achetons de belles voitures noires.'],
  ['vieil before a vowel, passé composé with avoir', { ...base, tense: 'past', kind: 'transitive', verb: verb('meet'), subject: name('Marie'), object: np('man', the, { before: adj('old') }) },
    'Marie met the old man.', "Marie a rencontré le vieil homme."],
  ['être verbs agree with the subject in the passé composé', { ...base, tense: 'past', kind: 'motion', verb: verb('go'), subject: pl('girl', { kind: 'possessive', owner: 'I' }), place: { prep: 'at', np: np('market') } },
    'My girls went to the market.', 'Mes filles sont allées au marché.'],
  ['negation with de for an indefinite object', { ...base, polarity: 'negative', kind: 'transitive', verb: verb('drink'), subject: pron('he'), object: np('water', a) },
    'He does not drink any water.', "Il ne boit pas d'eau."],
  ['partitive du, de la', { ...base, kind: 'transitive', verb: verb('eat'), subject: pron('they'), object: np('bread', a) },
    'They eat bread.', 'Ils mangent du pain.'],
  ['generic plural with like: les, kept under negation', { ...base, polarity: 'negative', kind: 'transitive', verb: verb('like'), subject: name('Paul'), object: pl('orange', { kind: 'generic' }) },
    'Paul does not like oranges.', "Paul n'aime pas les oranges."],
  ['ne … jamais in the passé composé', { ...base, tense: 'past', polarity: 'never', kind: 'transitive', verb: verb('see'), subject: pron('she'), object: np('elephant', a) },
    'She never saw an elephant.', "Elle n'a jamais vu d'éléphant."],
  ['future, numbers with feminine agreement', { ...base, tense: 'future', kind: 'transitive', verb: verb('buy'), subject: pron('you'), object: pl('apple', a, { count: 21 }) },
    'You will buy twenty-one apples.', 'Tu achèteras vingt et une pommes.'],
  ['acheter stem change; you all → vous', { ...base, kind: 'transitive', verb: verb('buy'), subject: pron('youPl'), object: np('cake', the), time: time('every day') },
    'You all buy the cake every day.', 'Vous achetez le gâteau tous les jours.'],
  ['yes/no question with est-ce qu\'', { ...base, mood: 'yesNo', kind: 'transitive', verb: verb('watch'), subject: pron('he'), object: np('film', the) },
    'Does he watch the film?', "Est-ce qu'il regarde le film ?"],
  ['what-question stranding the particle; qu\'est-ce que', { ...base, tense: 'past', mood: 'what', kind: 'transitive', verb: verb('look'), subject: np('cat', { kind: 'possessive', owner: 'she' }) },
    'What did her cat look for?', "Qu'est-ce que son chat a cherché ?"],
  ['where-from question', { ...base, tense: 'future', mood: 'whereFrom', kind: 'motion', verb: verb('come'), subject: name('Emma'), place: { prep: 'at', np: np('station') } },
    'Where will Emma come from?', "D'où est-ce qu'Emma viendra ?"],
  ['who-question agrees in the masculine singular', { ...base, tense: 'past', mood: 'who', kind: 'motion', verb: verb('arrive'), place: { prep: 'at', np: np('hotel') } },
    'Who arrived at the hotel?', "Qui est arrivé à l'hôtel ?"],
  ['où + être inverts a pronoun, with -t- before il/elle', { ...base, tense: 'future', mood: 'where', kind: 'location', subject: pron('she'), place: { prep: 'in', np: np('garden') } },
    'Where will she be?', 'Où sera-t-elle ?'],
  ['où + être with a noun subject', { ...base, mood: 'where', kind: 'location', subject: pl('key', { kind: 'possessive', owner: 'I' }), place: { prep: 'in', np: np('bag') } },
    'Where are my keys?', 'Où sont mes clés ?'],
  ['il y a; no → pas de', { ...base, polarity: 'negative', kind: 'existential', object: pl('cat', a), place: { prep: 'in', np: np('garden') } },
    'There are no cats in the garden.', "Il n'y a pas de chats dans le jardin."],
  ['il y avait with a count', { ...base, tense: 'past', kind: 'existential', object: pl('bird', a, { count: 80 }), place: { prep: 'in', np: np('tree') } },
    'There were eighty birds in the tree.', 'Il y avait quatre-vingts oiseaux dans l\'arbre.'],
  ['play an instrument: de + le → du', { ...base, kind: 'play', verb: verb('play', 'play'), subject: pron('I'), playable: PLAYABLES.find((p) => p.en === 'piano')! },
    'I play the piano.', 'Je joue du piano.'],
  ['play a game: à + les → aux', { ...base, tense: 'past', kind: 'play', verb: verb('play', 'play'), subject: pron('we'), playable: PLAYABLES.find((p) => p.en === 'chess')! },
    'We played chess.', 'Nous avons joué aux échecs.'],
  ['genitive: the teachers\' → des professeurs', { ...base, kind: 'attribute', subject: np('dog', the, { owner: pl('teacher') }), adjective: adj('happy') },
    "The teachers' dog is happy.", 'Le chien des professeurs est heureux.'],
  ['coordination: feminine only if every item is', { ...base, tense: 'past', kind: 'attribute', subject: { type: 'and', items: [name('Marie'), np('queen')] }, adjective: adj('tired') },
    'Marie and the queen were tired.', 'Marie et la reine étaient fatiguées.'],
  ['mixed coordination is masculine plural', { ...base, kind: 'attribute', subject: { type: 'and', items: [np('boy'), np('girl')] }, adjective: adj('happy') },
    'The boy and the girl are happy.', 'Le garçon et la fille sont heureux.'],
  ['mon before a feminine vowel noun; cet before a masculine one', { ...base, kind: 'transitive', verb: verb('help'), subject: np('child', { kind: 'demonstrative', near: true }), object: np('aunt', { kind: 'possessive', owner: 'I' }) },
    'This child helps my aunt.', "Cet enfant aide ma tante."],
  ['enter → entrer dans; adverb after the finite verb', { ...base, tense: 'past', kind: 'motion', verb: verb('enter'), subject: pron('she'), adverb: ADVERBS[0], place: { prep: 'in', np: np('school') } },
    'She often entered the school.', "Elle est souvent entrée dans l'école."],
  ['on the farm → à la ferme', { ...base, kind: 'intransitive', verb: verb('sleep'), subject: np('pig'), place: { prep: 'on', np: np('farm') } },
    'The pig sleeps on the farm.', 'Le cochon dort à la ferme.'],
  ['near → près de + contraction', { ...base, tense: 'future', polarity: 'negative', kind: 'location', subject: pron('I'), place: { prep: 'near', np: np('bed') } },
    'I will not be near the bed.', 'Je ne serai pas près du lit.'],
  ['a name\'s: d\' before a vowel; one → une', { ...base, tense: 'future', kind: 'transitive', verb: verb('find'), subject: np('dog', the, { owner: name('Adam') }), object: np('key', a, { count: 1 }) },
    "Adam's dog will find one key.", "Le chien d'Adam trouvera une clé."],
  ['aspirated h: le hibou, du hibou', { ...base, kind: 'location', subject: np('owl'), place: { prep: 'near', np: np('owl') } },
    'The owl is near the owl.', 'Le hibou est près du hibou.'],
];

describe('realizeEnglish and realizeFrench', () => {
  it.each(CASES)('%s', (_, clause, english, french) => {
    expect(realizeEnglish(clause)).toBe(english);
    expect(realizeFrench(clause)).toBe(french);
  });

  it('says "mon école" for a feminine noun starting with a vowel', () => {
    const clause: Clause = { ...base, kind: 'location', subject: np('school', { kind: 'possessive', owner: 'I' }), place: { prep: 'near', np: np('river') } };
    expect(realizeFrench(clause)).toBe('Mon école est près de la rivière.');
  });
});

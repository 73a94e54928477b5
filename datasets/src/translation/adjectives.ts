// The corpus's adjectives: English form, the four French forms (irregulars spelled out: beau/belle/
// beaux/belles and bel), whether French puts them before the noun, and which nouns they describe.
import { frenchFeminine, frenchPlural } from './french-morphology.js';
import type { Adjective, NounClass } from './types.js';

const PEOPLE: NounClass[] = ['person'];
const ANIMATE: NounClass[] = ['person', 'animal'];
const THINGS: NounClass[] = ['object', 'vehicle', 'spot'];
const CONSUMABLE: NounClass[] = ['food', 'drink'];
const PLACES: NounClass[] = ['place'];

interface Forms { fsg?: string; mpl?: string; fpl?: string; beforeVowel?: string }

function adjective(en: string, msg: string, classes: NounClass[], kind: 'before' | 'after' | 'color', forms: Forms = {}): Adjective {
  const fsg = forms.fsg ?? frenchFeminine(msg);
  return {
    en,
    fr: { msg, fsg, mpl: forms.mpl ?? frenchPlural(msg), fpl: forms.fpl ?? `${fsg}s` },
    ...(forms.beforeVowel ? { frBeforeVowel: forms.beforeVowel } : {}),
    before: kind === 'before',
    color: kind === 'color',
    classes,
  };
}

const invariable = (word: string): Forms => ({ fsg: word, mpl: word, fpl: word });

export const ADJECTIVES: readonly Adjective[] = [
  // Before the noun (beauty, age, goodness, size)
  adjective('beautiful', 'beau', [...ANIMATE, ...THINGS, ...PLACES], 'before', { fsg: 'belle', mpl: 'beaux', fpl: 'belles', beforeVowel: 'bel' }),
  adjective('pretty', 'joli', [...ANIMATE, ...THINGS, ...PLACES], 'before'),
  adjective('good', 'bon', [...ANIMATE, ...CONSUMABLE, 'song', 'show'], 'before'),
  adjective('bad', 'mauvais', [...CONSUMABLE, 'song', 'show'], 'before'),
  adjective('big', 'grand', [...ANIMATE, ...THINGS, ...PLACES], 'before'),
  adjective('small', 'petit', [...ANIMATE, ...THINGS, ...PLACES, 'food'], 'before'),
  adjective('young', 'jeune', ANIMATE, 'before'),
  adjective('old', 'vieux', [...ANIMATE, ...THINGS, ...PLACES], 'before', { fsg: 'vieille', mpl: 'vieux', fpl: 'vieilles', beforeVowel: 'vieil' }),
  adjective('new', 'nouveau', [...THINGS, ...PLACES, 'song', 'show'], 'before', { fsg: 'nouvelle', mpl: 'nouveaux', fpl: 'nouvelles', beforeVowel: 'nouvel' }),
  adjective('fat', 'gros', ['animal'], 'before', { fsg: 'grosse', fpl: 'grosses' }),
  // Colors, after the noun (marron never changes)
  adjective('red', 'rouge', [...THINGS, 'food'], 'color'),
  adjective('black', 'noir', ['animal', ...THINGS], 'color'),
  adjective('white', 'blanc', ['animal', ...THINGS], 'color', { fsg: 'blanche' }),
  adjective('green', 'vert', [...THINGS, 'food'], 'color'),
  adjective('blue', 'bleu', THINGS, 'color', { mpl: 'bleus' }),
  adjective('yellow', 'jaune', [...THINGS, 'food'], 'color'),
  adjective('gray', 'gris', ['animal', ...THINGS], 'color'),
  adjective('brown', 'marron', ['animal', ...THINGS], 'color', invariable('marron')),
  // Other adjectives, after the noun
  adjective('happy', 'heureux', ANIMATE, 'after'),
  adjective('sad', 'triste', ANIMATE, 'after'),
  adjective('tired', 'fatigué', ANIMATE, 'after'),
  adjective('sick', 'malade', ANIMATE, 'after'),
  adjective('kind', 'gentil', ANIMATE, 'after'),
  adjective('intelligent', 'intelligent', ANIMATE, 'after'),
  adjective('curious', 'curieux', ANIMATE, 'after'),
  adjective('lazy', 'paresseux', ANIMATE, 'after'),
  adjective('crazy', 'fou', ANIMATE, 'after', { fsg: 'folle', mpl: 'fous', fpl: 'folles' }),
  adjective('nervous', 'nerveux', ANIMATE, 'after'),
  adjective('famous', 'célèbre', [...PEOPLE, ...PLACES, 'song', 'show'], 'after'),
  adjective('rich', 'riche', PEOPLE, 'after'),
  adjective('proud', 'fier', PEOPLE, 'after'),
  adjective('polite', 'poli', PEOPLE, 'after'),
  adjective('athletic', 'sportif', PEOPLE, 'after'),
  adjective('cute', 'mignon', ['animal'], 'after'),
  adjective('fast', 'rapide', ['animal', 'vehicle'], 'after'),
  adjective('slow', 'lent', ['animal', 'vehicle'], 'after'),
  adjective('loyal', 'fidèle', ['animal'], 'after'),
  adjective('wet', 'mouillé', ['animal', ...THINGS], 'after'),
  adjective('dry', 'sec', THINGS, 'after', { fsg: 'sèche' }),
  adjective('dirty', 'sale', ['animal', ...THINGS, ...PLACES], 'after'),
  adjective('clean', 'propre', [...THINGS, ...PLACES], 'after'),
  adjective('heavy', 'lourd', THINGS, 'after'),
  adjective('light', 'léger', THINGS, 'after'),
  adjective('expensive', 'cher', [...THINGS, ...CONSUMABLE], 'after'),
  adjective('empty', 'vide', ['container', ...PLACES], 'after'),
  adjective('full', 'plein', ['container'], 'after'),
  adjective('open', 'ouvert', ['container', 'building'], 'after'),
  adjective('closed', 'fermé', ['container', 'building'], 'after'),
  adjective('round', 'rond', ['object'], 'after'),
  adjective('long', 'long', ['object', 'song', 'show'], 'after', { fsg: 'longue' }),
  adjective('short', 'court', ['object', 'song', 'show'], 'after'),
  adjective('broken', 'cassé', ['device', 'vehicle', 'spot'], 'after'),
  adjective('modern', 'moderne', ['device', 'vehicle', ...PLACES], 'after'),
  adjective('soft', 'doux', ['animal', 'spot'], 'after', { fsg: 'douce', fpl: 'douces' }),
  adjective('fresh', 'frais', CONSUMABLE, 'after', { fsg: 'fraîche', fpl: 'fraîches' }),
  adjective('delicious', 'délicieux', CONSUMABLE, 'after'),
  adjective('sweet', 'sucré', CONSUMABLE, 'after'),
  adjective('hot', 'chaud', ['drink', 'food', 'place'], 'after'),
  adjective('cold', 'froid', ['drink', 'food', 'place'], 'after'),
  adjective('quiet', 'calme', [...ANIMATE, ...PLACES], 'after'),
  adjective('noisy', 'bruyant', [...ANIMATE, ...PLACES], 'after'),
  adjective('ancient', 'ancien', ['building'], 'after'),
];

/** Adjectives that describe a noun of any of `classes`, optionally filtered by placement. */
export function adjectivesFor(classes: readonly NounClass[], filter: (a: Adjective) => boolean = () => true): Adjective[] {
  return ADJECTIVES.filter((a) => a.classes.some((c) => classes.includes(c)) && filter(a));
}

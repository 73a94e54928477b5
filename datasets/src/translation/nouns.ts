// The corpus's nouns and first names: English and French forms, French gender, and the classes that
// decide which verbs, adjectives and prepositions each goes with. Real French spelling and genders.
import { englishPlural } from './english-morphology.js';
import { frenchPlural } from './french-morphology.js';
import type { Gender, Name, Noun, NounClass, PlacePrep } from './types.js';

interface NounOptions {
  enPlural?: string;
  frPlural?: string;
  mass?: boolean;
  preps?: PlacePrep[];
  staticPrep?: PlacePrep;
  frStaticPrep?: 'à';
}

function noun(en: string, fr: string, gender: Gender, classes: NounClass[], options: NounOptions = {}): Noun {
  return {
    en, fr, gender, classes,
    enPlural: options.enPlural ?? englishPlural(en),
    frPlural: options.frPlural ?? frenchPlural(fr),
    mass: options.mass ?? false,
    preps: options.preps ?? [],
    ...(options.staticPrep ? { staticPrep: options.staticPrep } : {}),
    ...(options.frStaticPrep ? { frStaticPrep: options.frStaticPrep } : {}),
  };
}

const person = (en: string, fr: string, gender: Gender, options?: NounOptions) => noun(en, fr, gender, ['person'], options);
const animal = (en: string, fr: string, gender: Gender, options?: NounOptions) => noun(en, fr, gender, ['animal'], options);
const AROUND: PlacePrep[] = ['near', 'behind', 'in front of'];
/** A place: its own preposition of being there (at the market, in the garden, on the beach), then near/behind/in front of. */
function place(en: string, fr: string, gender: Gender, staticPrep: PlacePrep, building: boolean, options: NounOptions = {}): Noun {
  const classes: NounClass[] = building ? ['place', 'building'] : ['place'];
  return noun(en, fr, gender, classes, { ...options, staticPrep, preps: [staticPrep, ...(building ? AROUND : ['near' as const])] });
}

export const NOUNS: readonly Noun[] = [
  person('boy', 'garçon', 'm'), person('girl', 'fille', 'f'), person('man', 'homme', 'm', { enPlural: 'men' }),
  person('woman', 'femme', 'f', { enPlural: 'women' }), person('child', 'enfant', 'm', { enPlural: 'children' }),
  person('friend', 'ami', 'm'), person('teacher', 'professeur', 'm'), person('doctor', 'médecin', 'm'),
  person('student', 'étudiant', 'm'), person('neighbor', 'voisin', 'm'), person('brother', 'frère', 'm'),
  person('sister', 'sœur', 'f'), person('mother', 'mère', 'f'), person('father', 'père', 'm'),
  person('baker', 'boulanger', 'm'), person('singer', 'chanteur', 'm'), person('king', 'roi', 'm'),
  person('queen', 'reine', 'f'), person('uncle', 'oncle', 'm'), person('aunt', 'tante', 'f'),
  person('cook', 'cuisinier', 'm'), person('farmer', 'fermier', 'm'), person('waiter', 'serveur', 'm'),
  person('nurse', 'infirmier', 'm'), person('actress', 'actrice', 'f'),

  animal('cat', 'chat', 'm'), animal('dog', 'chien', 'm'), animal('horse', 'cheval', 'm'),
  animal('bird', 'oiseau', 'm'), animal('mouse', 'souris', 'f', { enPlural: 'mice' }), animal('cow', 'vache', 'f'),
  animal('rabbit', 'lapin', 'm'), animal('duck', 'canard', 'm'), animal('fox', 'renard', 'm'),
  animal('bear', 'ours', 'm'), animal('elephant', 'éléphant', 'm'), animal('lion', 'lion', 'm'),
  animal('hen', 'poule', 'f'), animal('frog', 'grenouille', 'f'), animal('wolf', 'loup', 'm', { enPlural: 'wolves' }),
  animal('pig', 'cochon', 'm'), animal('goat', 'chèvre', 'f'), animal('owl', 'hibou', 'm', { frPlural: 'hiboux' }),

  noun('apple', 'pomme', 'f', ['food']), noun('orange', 'orange', 'f', ['food']), noun('cake', 'gâteau', 'm', ['food']),
  noun('egg', 'œuf', 'm', ['food']), noun('banana', 'banane', 'f', ['food']), noun('pear', 'poire', 'f', ['food']),
  noun('tomato', 'tomate', 'f', ['food'], { enPlural: 'tomatoes' }), noun('carrot', 'carotte', 'f', ['food']),
  noun('sandwich', 'sandwich', 'm', ['food']), noun('pie', 'tarte', 'f', ['food']), noun('lemon', 'citron', 'm', ['food']),
  noun('strawberry', 'fraise', 'f', ['food']), noun('cookie', 'biscuit', 'm', ['food']), noun('pizza', 'pizza', 'f', ['food']),
  noun('bread', 'pain', 'm', ['food'], { mass: true }), noun('cheese', 'fromage', 'm', ['food'], { mass: true }),
  noun('soup', 'soupe', 'f', ['food'], { mass: true }), noun('rice', 'riz', 'm', ['food'], { mass: true }),
  noun('butter', 'beurre', 'm', ['food'], { mass: true }), noun('jam', 'confiture', 'f', ['food'], { mass: true }),
  noun('coffee', 'café', 'm', ['drink'], { mass: true }), noun('tea', 'thé', 'm', ['drink'], { mass: true }),
  noun('beer', 'bière', 'f', ['drink'], { mass: true }), noun('juice', 'jus', 'm', ['drink'], { mass: true }),
  noun('wine', 'vin', 'm', ['drink'], { mass: true }), noun('water', 'eau', 'f', ['drink'], { mass: true }),
  noun('milk', 'lait', 'm', ['drink'], { mass: true }), noun('lemonade', 'limonade', 'f', ['drink'], { mass: true }),

  noun('book', 'livre', 'm', ['object', 'readable']), noun('letter', 'lettre', 'f', ['object', 'readable']),
  noun('newspaper', 'journal', 'm', ['object', 'readable']), noun('message', 'message', 'm', ['readable']),
  noun('map', 'carte', 'f', ['object', 'readable']), noun('key', 'clé', 'f', ['object']),
  noun('phone', 'téléphone', 'm', ['object', 'device']), noun('computer', 'ordinateur', 'm', ['object', 'device']),
  noun('clock', 'horloge', 'f', ['object', 'device']), noun('lamp', 'lampe', 'f', ['object', 'device']),
  noun('bag', 'sac', 'm', ['object', 'container', 'spot'], { preps: ['in'] }),
  noun('box', 'boîte', 'f', ['object', 'container', 'spot'], { preps: ['in', 'on'] }),
  noun('bottle', 'bouteille', 'f', ['object', 'container'], { preps: ['in'] }),
  noun('cup', 'tasse', 'f', ['object', 'container'], { preps: ['in'] }),
  noun('glass', 'verre', 'm', ['object', 'container'], { preps: ['in'] }),
  noun('basket', 'panier', 'm', ['object', 'container', 'spot'], { preps: ['in'] }),
  noun('ball', 'ballon', 'm', ['object']), noun('hat', 'chapeau', 'm', ['object']), noun('coat', 'manteau', 'm', ['object']),
  noun('shoe', 'chaussure', 'f', ['object']), noun('umbrella', 'parapluie', 'm', ['object']),
  noun('painting', 'tableau', 'm', ['object']), noun('ticket', 'billet', 'm', ['object']),
  noun('knife', 'couteau', 'm', ['object'], { enPlural: 'knives' }), noun('pen', 'stylo', 'm', ['object']),
  noun('shirt', 'chemise', 'f', ['object']), noun('dress', 'robe', 'f', ['object']), noun('toy', 'jouet', 'm', ['object']),
  noun('gift', 'cadeau', 'm', ['object']), noun('flower', 'fleur', 'f', ['object']),
  noun('door', 'porte', 'f', ['object', 'container']), noun('window', 'fenêtre', 'f', ['object', 'container']),
  noun('bicycle', 'vélo', 'm', ['object', 'vehicle']), noun('boat', 'bateau', 'm', ['object', 'vehicle']),
  noun('car', 'voiture', 'f', ['object', 'vehicle', 'spot'], { preps: ['in', 'behind', 'in front of'] }),
  noun('bus', 'bus', 'm', ['vehicle']), noun('train', 'train', 'm', ['vehicle']),
  noun('song', 'chanson', 'f', ['song']), noun('film', 'film', 'm', ['show']),
  noun('table', 'table', 'f', ['object', 'spot'], { preps: ['on', 'under', 'near'] }),
  noun('chair', 'chaise', 'f', ['object', 'spot'], { preps: ['on', 'under', 'near'] }),
  noun('bed', 'lit', 'm', ['object', 'spot'], { preps: ['on', 'under', 'near'] }),
  noun('sofa', 'canapé', 'm', ['object', 'spot'], { preps: ['on', 'under', 'behind'] }),
  noun('tree', 'arbre', 'm', ['spot'], { preps: ['in', 'under', 'behind', 'near'] }),
  noun('cupboard', 'placard', 'm', ['spot', 'container'], { preps: ['in'] }),
  noun('drawer', 'tiroir', 'm', ['spot', 'container'], { preps: ['in'] }),

  place('market', 'marché', 'm', 'at', false), place('park', 'parc', 'm', 'in', false),
  place('school', 'école', 'f', 'at', true), place('station', 'gare', 'f', 'at', true),
  place('garden', 'jardin', 'm', 'in', false), place('kitchen', 'cuisine', 'f', 'in', false),
  place('hotel', 'hôtel', 'm', 'at', true), place('hospital', 'hôpital', 'm', 'at', true),
  place('library', 'bibliothèque', 'f', 'at', true), place('beach', 'plage', 'f', 'on', false),
  place('city', 'ville', 'f', 'in', false), place('church', 'église', 'f', 'at', true),
  place('museum', 'musée', 'm', 'at', true), place('restaurant', 'restaurant', 'm', 'at', true),
  place('cinema', 'cinéma', 'm', 'at', true), place('office', 'bureau', 'm', 'at', true),
  place('bank', 'banque', 'f', 'at', true), place('airport', 'aéroport', 'm', 'at', true),
  place('forest', 'forêt', 'f', 'in', false), place('river', 'rivière', 'f', 'at', false),
  place('village', 'village', 'm', 'in', false), place('farm', 'ferme', 'f', 'on', false, { frStaticPrep: 'à' }),
  place('shop', 'magasin', 'm', 'at', true), place('house', 'maison', 'f', 'in', true),
  place('castle', 'château', 'm', 'at', true), place('bakery', 'boulangerie', 'f', 'at', true),
  place('island', 'île', 'f', 'on', false), place('bedroom', 'chambre', 'f', 'in', false),
];

/** Nouns of any of `classes` (and count nouns only, when `countOnly`). */
export function nounsOf(classes: readonly NounClass[], countOnly = false): Noun[] {
  return NOUNS.filter((n) => n.classes.some((c) => classes.includes(c)) && !(countOnly && n.mass));
}

export const NAMES: readonly Name[] = [
  { name: 'Paul', gender: 'm' }, { name: 'Thomas', gender: 'm' }, { name: 'Lucas', gender: 'm' },
  { name: 'Hugo', gender: 'm' }, { name: 'Louis', gender: 'm' }, { name: 'Adam', gender: 'm' },
  { name: 'Marie', gender: 'f' }, { name: 'Julie', gender: 'f' }, { name: 'Emma', gender: 'f' },
  { name: 'Sophie', gender: 'f' }, { name: 'Claire', gender: 'f' }, { name: 'Alice', gender: 'f' },
];

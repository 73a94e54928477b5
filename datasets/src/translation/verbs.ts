// The corpus's verbs: English principal parts (irregular pasts spelled out, particles for "look for",
// "wait for"), the French infinitive and auxiliary, and what each combines with.
import { englishPast, englishThird } from './english-morphology.js';
import type { NounClass, Verb } from './types.js';

interface VerbOptions {
  past?: string;
  particle?: string;
  aux?: 'avoir' | 'être';
  animals?: boolean;
  objects?: NounClass[];
  generic?: boolean;
  motion?: Verb['motion'];
  located?: boolean;
}

function verb(kind: Verb['kind'], en: string, fr: string, options: VerbOptions = {}): Verb {
  return {
    kind,
    en: { base: en, third: englishThird(en), past: options.past ?? englishPast(en), ...(options.particle ? { particle: options.particle } : {}) },
    fr,
    aux: options.aux ?? 'avoir',
    animals: options.animals ?? false,
    ...(options.objects ? { objects: options.objects } : {}),
    ...(options.generic ? { generic: true } : {}),
    ...(options.motion ? { motion: options.motion } : {}),
    ...(options.located ? { located: true } : {}),
  };
}

const tr = (en: string, fr: string, objects: NounClass[], options: VerbOptions = {}) => verb('transitive', en, fr, { ...options, objects });
const THINGS: NounClass[] = ['object', 'vehicle'];

export const VERBS: readonly Verb[] = [
  tr('eat', 'manger', ['food'], { past: 'ate', animals: true }),
  tr('drink', 'boire', ['drink'], { past: 'drank', animals: true }),
  tr('buy', 'acheter', ['food', 'drink', 'object'], { past: 'bought' }),
  tr('sell', 'vendre', ['food', 'drink', 'object', 'animal'], { past: 'sold' }),
  tr('see', 'voir', ['person', 'animal', 'object', 'vehicle', 'place'], { past: 'saw', animals: true }),
  tr('watch', 'regarder', ['person', 'animal', 'show', 'vehicle'], { animals: true }),
  tr('like', 'aimer', ['food', 'drink', 'animal', 'object', 'song', 'show'], { generic: true, animals: true }),
  tr('love', 'adorer', ['food', 'drink', 'animal', 'song', 'show'], { generic: true }),
  tr('hate', 'détester', ['food', 'drink', 'animal', 'song', 'show'], { generic: true }),
  tr('find', 'trouver', ['object', 'animal', 'place'], { past: 'found', animals: true }),
  tr('look', 'chercher', ['object', 'animal', 'person', 'place'], { particle: 'for', animals: true }),
  tr('wait', 'attendre', ['person', 'vehicle'], { particle: 'for', animals: true }),
  tr('take', 'prendre', ['object', 'vehicle', 'food'], { past: 'took' }),
  tr('carry', 'porter', ['object', 'animal']),
  tr('open', 'ouvrir', ['container', 'readable', 'building']),
  tr('close', 'fermer', ['container', 'building']),
  tr('wash', 'laver', [...THINGS, 'animal']),
  tr('prepare', 'préparer', ['food']),
  tr('write', 'écrire', ['readable', 'song'], { past: 'wrote' }),
  tr('visit', 'visiter', ['building', 'place']),
  tr('meet', 'rencontrer', ['person'], { past: 'met' }),
  tr('call', 'appeler', ['person', 'animal']),
  tr('help', 'aider', ['person', 'animal']),
  tr('choose', 'choisir', ['food', 'drink', 'object', 'animal'], { past: 'chose' }),
  tr('finish', 'finir', ['food', 'drink', 'readable'], { animals: true }),
  tr('hear', 'entendre', ['person', 'animal', 'song', 'vehicle'], { past: 'heard', animals: true }),
  tr('paint', 'peindre', ['spot', 'vehicle', 'building']),
  tr('clean', 'nettoyer', [...THINGS, 'place']),
  tr('repair', 'réparer', ['device', 'vehicle', 'spot']),
  tr('draw', 'dessiner', ['person', 'animal', 'object', 'place'], { past: 'drew' }),
  tr('lose', 'perdre', ['object'], { past: 'lost', animals: true }),
  tr('forget', 'oublier', ['object'], { past: 'forgot' }),
  tr('bring', 'apporter', ['food', 'drink', 'object'], { past: 'brought' }),
  tr('sing', 'chanter', ['song'], { past: 'sang' }),

  verb('intransitive', 'sleep', 'dormir', { past: 'slept', animals: true, located: true }),
  verb('intransitive', 'work', 'travailler', { located: true }),
  verb('intransitive', 'play', 'jouer', { animals: true, located: true }),
  verb('intransitive', 'sing', 'chanter', { past: 'sang', animals: true, located: true }),
  verb('intransitive', 'dance', 'danser', { located: true }),
  verb('intransitive', 'run', 'courir', { past: 'ran', animals: true, located: true }),
  verb('intransitive', 'swim', 'nager', { past: 'swam', animals: true }),
  verb('intransitive', 'laugh', 'rire'),
  verb('intransitive', 'wait', 'attendre', { animals: true, located: true }),
  verb('intransitive', 'cry', 'pleurer'),
  verb('intransitive', 'walk', 'marcher', { animals: true, located: true }),

  verb('motion', 'go', 'aller', { past: 'went', aux: 'être', animals: true, motion: 'to' }),
  verb('motion', 'come', 'venir', { past: 'came', aux: 'être', animals: true, motion: 'from' }),
  verb('motion', 'return', 'rentrer', { aux: 'être', motion: 'to' }),
  verb('motion', 'arrive', 'arriver', { aux: 'être', animals: true, motion: 'at' }),
  verb('motion', 'stay', 'rester', { aux: 'être', animals: true, motion: 'at' }),
  verb('motion', 'enter', 'entrer', { aux: 'être', animals: true, motion: 'into' }),
  verb('motion', 'leave', 'partir', { past: 'left', aux: 'être', animals: true, motion: 'out' }),
  verb('motion', 'fall', 'tomber', { past: 'fell', aux: 'être', animals: true, motion: 'from' }),

  verb('play', 'play', 'jouer', {}),
];

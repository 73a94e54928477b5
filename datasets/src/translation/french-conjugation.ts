// French conjugation for the corpus: present, simple future and imperfect for six persons, and past
// participles for the passé composé. Regular -er, -ir (finir) and -re (vendre) verbs follow rules;
// the irregular ones the lexicon uses are spelled out.
import { ValueError } from '@gloss/tensor';

/** 0–5: je, tu, il/elle, nous, vous, ils. */
export type PersonIndex = 0 | 1 | 2 | 3 | 4 | 5;

interface Paradigm {
  readonly present: readonly [string, string, string, string, string, string];
  readonly participle: string;
  readonly futureStem: string;
  readonly imperfectStem?: string;
}

const IRREGULAR: Record<string, Paradigm> = {
  être: { present: ['suis', 'es', 'est', 'sommes', 'êtes', 'sont'], participle: 'été', futureStem: 'ser', imperfectStem: 'ét' },
  avoir: { present: ['ai', 'as', 'a', 'avons', 'avez', 'ont'], participle: 'eu', futureStem: 'aur', imperfectStem: 'av' },
  aller: { present: ['vais', 'vas', 'va', 'allons', 'allez', 'vont'], participle: 'allé', futureStem: 'ir' },
  venir: { present: ['viens', 'viens', 'vient', 'venons', 'venez', 'viennent'], participle: 'venu', futureStem: 'viendr' },
  prendre: { present: ['prends', 'prends', 'prend', 'prenons', 'prenez', 'prennent'], participle: 'pris', futureStem: 'prendr' },
  boire: { present: ['bois', 'bois', 'boit', 'buvons', 'buvez', 'boivent'], participle: 'bu', futureStem: 'boir' },
  voir: { present: ['vois', 'vois', 'voit', 'voyons', 'voyez', 'voient'], participle: 'vu', futureStem: 'verr' },
  écrire: { present: ['écris', 'écris', 'écrit', 'écrivons', 'écrivez', 'écrivent'], participle: 'écrit', futureStem: 'écrir' },
  dormir: { present: ['dors', 'dors', 'dort', 'dormons', 'dormez', 'dorment'], participle: 'dormi', futureStem: 'dormir' },
  partir: { present: ['pars', 'pars', 'part', 'partons', 'partez', 'partent'], participle: 'parti', futureStem: 'partir' },
  courir: { present: ['cours', 'cours', 'court', 'courons', 'courez', 'courent'], participle: 'couru', futureStem: 'courr' },
  ouvrir: { present: ['ouvre', 'ouvres', 'ouvre', 'ouvrons', 'ouvrez', 'ouvrent'], participle: 'ouvert', futureStem: 'ouvrir' },
  rire: { present: ['ris', 'ris', 'rit', 'rions', 'riez', 'rient'], participle: 'ri', futureStem: 'rir' },
  peindre: { present: ['peins', 'peins', 'peint', 'peignons', 'peignez', 'peignent'], participle: 'peint', futureStem: 'peindr' },
};

/** -er verbs whose stem changes where the ending is silent (j'achète, j'appelle, je nettoie) and in the future. */
const STEM_CHANGE: Record<string, string> = { acheter: 'achèt', appeler: 'appell', nettoyer: 'nettoi' };

const FUTURE_ENDINGS = ['ai', 'as', 'a', 'ons', 'ez', 'ont'];
const IMPERFECT_ENDINGS = ['ais', 'ais', 'ait', 'ions', 'iez', 'aient'];

function paradigm(infinitive: string): Paradigm {
  if (Object.hasOwn(IRREGULAR, infinitive)) return IRREGULAR[infinitive];
  const stem = infinitive.slice(0, -2);
  if (infinitive.endsWith('er')) {
    const changed = Object.hasOwn(STEM_CHANGE, infinitive) ? STEM_CHANGE[infinitive] : stem;
    // nous mangeons, nous commençons: keep the soft g/c before o
    const nous = stem.endsWith('g') ? `${stem}eons` : stem.endsWith('c') ? `${stem.slice(0, -1)}çons` : `${stem}ons`;
    return {
      present: [`${changed}e`, `${changed}es`, `${changed}e`, nous, `${stem}ez`, `${changed}ent`],
      participle: `${stem}é`,
      futureStem: `${changed}er`,
    };
  }
  if (infinitive.endsWith('ir')) { // finir, choisir
    return {
      present: [`${stem}is`, `${stem}is`, `${stem}it`, `${stem}issons`, `${stem}issez`, `${stem}issent`],
      participle: `${stem}i`,
      futureStem: infinitive,
    };
  }
  if (infinitive.endsWith('re')) { // vendre, attendre, entendre, perdre
    return {
      present: [`${stem}s`, `${stem}s`, stem, `${stem}ons`, `${stem}ez`, `${stem}ent`],
      participle: `${stem}u`,
      futureStem: infinitive.slice(0, -1),
    };
  }
  throw new ValueError('conjugate', `no conjugation for "${infinitive}" (expected an -er, -ir or -re infinitive)`);
}

/** The conjugated form: conjugate('acheter', 'future', 2) → 'achètera'. */
export function conjugate(infinitive: string, tense: 'present' | 'future' | 'imperfect', person: PersonIndex): string {
  const p = paradigm(infinitive);
  if (tense === 'present') return p.present[person];
  if (tense === 'future') return p.futureStem + FUTURE_ENDINGS[person];
  const stem = p.imperfectStem ?? p.present[3].slice(0, -3); // nous buvons → buv-
  return stem + IMPERFECT_ENDINGS[person];
}

/** Past participle (masculine singular): manger → mangé, prendre → pris, finir → fini, vendre → vendu. */
export function participle(infinitive: string): string {
  return paradigm(infinitive).participle;
}

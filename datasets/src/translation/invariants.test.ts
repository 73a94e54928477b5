// Grammar invariants over thousands of sampled clauses: each check reads the clause's structure and
// parses the realized sentences (elision, contractions, agreement, negation, questions, English -s, a/an).
import { Generator } from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { adjectivesFor } from './adjectives.js';
import { englishNounPhrase, realizeEnglish } from './english.js';
import { participle } from './french-conjugation.js';
import { frenchNounPhrase, realizeFrench } from './french.js';
import { frenchSurface } from './french-morphology.js';
import { NOUNS } from './nouns.js';
import { sampleRealizedClause, type RealizedClause } from './pairs.js';
import { sampleClause } from './sample.js';
import type { Clause, Complement, Determiner, NounPhrase, Subject } from './types.js';
import { VERBS } from './verbs.js';
import { PLAYABLES } from './words.js';

const g = new Generator('gloss/invariants');
const SAMPLES: RealizedClause[] = Array.from({ length: 2500 }, () => sampleRealizedClause(g));

/** Vowel sound by hand: a vowel letter or a silent h; hibou and harpe have an aspirated h, onze refuses elision. */
const VOWEL_SOUND = /^(?!hibou|harpe|onze)[aeiouyéèêëàâîïôœh]/i;
const words = (text: string) => text.replace(/ \?$|\.$|\?$/, '').split(' ');

function nounPhrases(c: Clause): NounPhrase[] {
  const out: NounPhrase[] = [];
  const visit = (x: Subject | Complement | undefined) => {
    if (!x) return;
    if (x.type === 'and') x.items.forEach(visit);
    else if (x.type === 'noun') {
      out.push(x);
      visit(x.owner);
    }
  };
  [c.subject, c.object, c.companion, c.place?.np].forEach(visit);
  return out;
}

describe('French surface invariants', () => {
  it('elides before every vowel sound and nowhere else', () => {
    for (const { tgt } of SAMPLES) {
      const w = words(tgt.toLowerCase());
      w.forEach((word, i) => {
        if (['le', 'la', 'de', 'je', 'ne', 'que'].includes(word) && i + 1 < w.length) expect(w[i + 1], tgt).not.toMatch(VOWEL_SOUND);
        const elided = /^(l|d|j|n|qu)'(.+)$/.exec(word);
        if (elided) expect(elided[2], tgt).toMatch(VOWEL_SOUND);
      });
    }
  });

  it('contracts à/de + le/les (au, aux, du, des) every time', () => {
    for (const { tgt } of SAMPLES) expect(tgt, tgt).not.toMatch(/(^| )(à|de) (le|les) /i);
  });

  it('puts ne/n\' before the finite verb and pas/jamais right after it, exactly when English negates', () => {
    for (const { clause, src, tgt } of SAMPLES) {
      const nes = tgt.match(/(^| )(ne |n')/gi) ?? [];
      const pas = tgt.match(/ (pas|jamais)( |\.|$)/g) ?? [];
      expect(nes.length, tgt).toBe(pas.length);
      expect(nes.length, tgt).toBe(clause.polarity === 'positive' ? 0 : 1);
      if (nes.length > 0) expect(tgt, tgt).toMatch(/(^| )(ne |n')(y )?\S+ (pas|jamais)\b/i);
      expect(/ not | never | no /.test(src), src).toBe(clause.polarity !== 'positive');
    }
  });

  it('marks questions with " ?" in French and "?" in English, statements with "."', () => {
    for (const { clause, src, tgt } of SAMPLES) {
      const question = clause.mood !== 'statement';
      expect(tgt.endsWith(question ? ' ?' : '.') && !tgt.endsWith(' .'), tgt).toBe(true);
      expect(src.endsWith(question ? '?' : '.') && !src.endsWith(' ?'), src).toBe(true);
      if (question) {
        expect(tgt, tgt).toMatch(/^(Est-ce qu|Qu'est-ce qu|Où |D'où est-ce qu|Qui )/);
        expect(src, src).toMatch(/^(Do|Does|Did|Will|Is|Are|Am|Was|Were|What|Where|Who) /);
      }
      for (const text of [src, tgt]) expect(text, text).toMatch(/^\p{Lu}\S*( \S+)*$/u);
    }
  });
});

describe('agreement invariants', () => {
  it('agrees every determiner, number and adjective with its noun', () => {
    let checked = 0;
    for (const { clause, tgt } of SAMPLES) {
      for (const np of nounPhrases(clause)) {
        const { noun, number } = np;
        const w = frenchSurface(frenchNounPhrase(np)).split(' ');
        const key = `${noun.gender}${number}` as 'msg' | 'fsg' | 'mpl' | 'fpl';
        const form = number === 'pl' ? noun.frPlural : noun.fr;
        const at = w.findIndex((x, i) => x === form.split(' ')[0] || x.endsWith(`'${form}`) || (i === 0 && x === form));
        expect(at, `${form} in ${w.join(' ')}`).toBeGreaterThanOrEqual(0);
        if (np.after) expect(w[at + 1], tgt).toBe(np.after.fr[key]);
        if (np.before) {
          const before = w[at - 1].replace(/^[a-z]+'/, '');
          const vowelForm = key === 'msg' && VOWEL_SOUND.test(form) ? np.before.frBeforeVowel : undefined;
          expect(before, tgt).toBe(vowelForm ?? np.before.fr[key]);
        }
        const first = w[0].toLowerCase();
        if (np.determiner.kind === 'definite' || np.determiner.kind === 'generic' || np.owner) {
          expect(first, tgt).toMatch(number === 'pl' ? /^les$/ : noun.gender === 'm' ? /^(le|l'.*)$/ : /^(la|l'.*)$/);
        }
        if (np.count !== undefined) {
          const feminineOne = noun.gender === 'f' && np.count % 10 === 1 && np.count !== 11 && np.count !== 71;
          expect(w.includes('une') || w.some((x) => x.endsWith('-une')), tgt).toBe(feminineOne);
          expect(number, tgt).toBe(np.count === 1 ? 'sg' : 'pl');
        }
        if (np.determiner.kind === 'indefinite' && np.count === undefined && !np.owner && clause.polarity === 'positive' && !noun.mass) {
          expect(first, tgt).toBe(number === 'sg' ? (noun.gender === 'm' ? 'un' : 'une') : np.before ? 'de' : 'des');
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3500);
  });

  it('agrees être with a pronoun subject (hand table) and attributes with the subject', () => {
    const ETRE: Record<string, Record<string, string>> = {
      present: { I: 'Je suis', you: 'Tu es', he: 'Il est', she: 'Elle est', we: 'Nous sommes', youPl: 'Vous êtes', they: 'Ils sont' },
      past: { I: "J'étais", you: 'Tu étais', he: 'Il était', she: 'Elle était', we: 'Nous étions', youPl: 'Vous étiez', they: 'Ils étaient' },
      future: { I: 'Je serai', you: 'Tu seras', he: 'Il sera', she: 'Elle sera', we: 'Nous serons', youPl: 'Vous serez', they: 'Ils seront' },
    };
    const NOT_ETRE: Record<string, Record<string, string>> = {
      present: { I: 'Je ne suis pas', you: "Tu n'es pas", he: "Il n'est pas", she: "Elle n'est pas", we: 'Nous ne sommes pas', youPl: "Vous n'êtes pas", they: 'Ils ne sont pas' },
      past: { I: "Je n'étais pas", you: "Tu n'étais pas", he: "Il n'était pas", she: "Elle n'était pas", we: "Nous n'étions pas", youPl: "Vous n'étiez pas", they: "Ils n'étaient pas" },
      future: { I: 'Je ne serai pas', you: 'Tu ne seras pas', he: 'Il ne sera pas', she: 'Elle ne sera pas', we: 'Nous ne serons pas', youPl: 'Vous ne serez pas', they: 'Ils ne seront pas' },
    };
    const pronouns = ['I', 'you', 'he', 'she', 'we', 'youPl', 'they'] as const;
    for (const adjective of adjectivesFor(['person'])) {
      for (const pronoun of pronouns) {
        for (const tense of ['present', 'past', 'future'] as const) {
          for (const polarity of ['positive', 'negative'] as const) {
            const clause: Clause = { kind: 'attribute', tense, polarity, mood: 'statement', subject: { type: 'pronoun', pronoun }, adjective };
            const tgt = realizeFrench(clause);
            expect(tgt.startsWith(`${(polarity === 'positive' ? ETRE : NOT_ETRE)[tense][pronoun]} `), tgt).toBe(true);
            const forms = adjective.fr;
            expect(words(tgt).at(-1), tgt).toBe(pronoun === 'she' ? forms.fsg : ['we', 'youPl', 'they'].includes(pronoun) ? forms.mpl : forms.msg);
          }
        }
      }
    }
  });

  it('agrees the participle of être verbs with the subject, never the participle of avoir verbs', () => {
    let checked = 0;
    for (const { clause, tgt } of SAMPLES) {
      if (clause.tense !== 'past' || !clause.verb || clause.subject === undefined || clause.subject.type === 'and') continue;
      const pp = participle(clause.verb.fr);
      const w = words(tgt);
      if (clause.verb.aux === 'avoir') {
        expect(w.includes(pp), tgt).toBe(true);
        continue;
      }
      const s = clause.subject;
      const feminine = s.type === 'pronoun' ? s.pronoun === 'she' : s.type === 'name' ? s.name.gender === 'f' : s.noun.gender === 'f';
      const plural = s.type === 'pronoun' ? ['we', 'youPl', 'they'].includes(s.pronoun) : s.type === 'noun' && s.number === 'pl';
      expect(w, tgt).toContain(pp + (feminine ? 'e' : '') + (plural ? 's' : ''));
      checked++;
    }
    expect(checked).toBeGreaterThan(60);
  });
});

describe('English invariants', () => {
  it('uses an before vowels and a before consonants', () => {
    for (const { src } of SAMPLES) {
      const w = words(src);
      w.forEach((word, i) => {
        if (word.toLowerCase() === 'a') expect(w[i + 1], src).not.toMatch(/^[aeiou]/i);
        if (word.toLowerCase() === 'an') expect(w[i + 1], src).toMatch(/^[aeiou]/i);
      });
    }
  });

  it('adds -s for he/she in the present and uses do-support for negation and questions', () => {
    let checked = 0;
    for (const { clause, src } of SAMPLES) {
      if (!clause.verb || clause.subject?.type !== 'pronoun' || clause.tense === 'future') continue;
      const third = clause.subject.pronoun === 'he' || clause.subject.pronoun === 'she';
      const w = words(src).map((x) => x.toLowerCase());
      const base = clause.verb.en.base;
      if (clause.mood === 'yesNo') {
        expect(w[0], src).toBe(clause.tense === 'past' ? 'did' : third ? 'does' : 'do');
      } else if (clause.mood === 'statement' && clause.polarity === 'negative') {
        expect(src, src).toContain(`${clause.tense === 'past' ? 'did' : third ? 'does' : 'do'} not ${base}`);
      } else if (clause.mood === 'statement' && clause.tense === 'present') {
        const verb = w.find((x) => x === base || x === clause.verb!.en.third);
        expect(verb, src).toBe(third ? clause.verb.en.third : base);
        expect(verb!.endsWith('s'), src).toBe(third);
      } else continue;
      checked++;
    }
    expect(checked).toBeGreaterThan(120);
  });
});

describe('the English side determines the French side', () => {
  /** Fails naming the English sentence if it was seen before with another French one. */
  function functional(pairs: Iterable<{ src: string; tgt: string }>): number {
    const seen = new Map<string, string>();
    let repeats = 0;
    for (const { src, tgt } of pairs) {
      const before = seen.get(src);
      if (before === undefined) seen.set(src, tgt);
      else {
        repeats++;
        expect(tgt, src).toBe(before);
      }
    }
    return repeats;
  }

  it('for every verb × pronoun × tense × polarity × question (where English forms coincide: read/read, you/you)', () => {
    const pairs: { src: string; tgt: string }[] = [];
    const pronouns = ['I', 'you', 'he', 'she', 'we', 'youPl', 'they'] as const;
    for (const verb of VERBS) {
      const object = verb.objects ? NOUNS.find((n) => n.classes.some((c) => verb.objects!.includes(c)))! : undefined;
      for (const pronoun of pronouns) {
        for (const tense of ['present', 'past', 'future'] as const) {
          for (const [mood, polarity] of [['statement', 'positive'], ['statement', 'negative'], ['statement', 'never'], ['yesNo', 'positive']] as const) {
            const clause: Clause = {
              kind: verb.kind, verb, tense, mood, polarity, subject: { type: 'pronoun', pronoun },
              ...(object ? { object: { type: 'noun', noun: object, number: 'sg', determiner: { kind: 'definite' } } } : {}),
              ...(verb.kind === 'play' ? { playable: PLAYABLES[0] } : {}),
              ...(verb.kind === 'motion' && verb.motion !== 'out' ? { place: { prep: 'at', np: { type: 'noun', noun: NOUNS.find((n) => n.en === 'station')!, number: 'sg', determiner: { kind: 'definite' } } } } : {}),
            };
            // Pairs with the verb's English base: two verbs sharing it (sing, wait, play) must translate alike.
            pairs.push({ src: realizeEnglish(clause), tgt: realizeFrench(clause) });
          }
        }
      }
    }
    expect(pairs.length).toBeGreaterThan(4000);
    expect(new Set(pairs.map((p) => p.src)).size).toBeGreaterThan(4000);
    functional(pairs);
  });

  it('for every noun phrase shape: determiner × number × count × adjective', () => {
    const pairs: { src: string; tgt: string }[] = [];
    const determiners: Determiner[] = [
      { kind: 'definite' }, { kind: 'indefinite' }, { kind: 'generic' }, { kind: 'demonstrative', near: true },
      { kind: 'demonstrative', near: false }, ...(['I', 'you', 'he', 'she', 'we', 'they'] as const).map((owner) => ({ kind: 'possessive', owner }) as const),
    ];
    for (const noun of NOUNS) {
      for (const determiner of determiners) {
        for (const number of noun.mass ? ['sg'] as const : ['sg', 'pl'] as const) {
          for (const count of [undefined, 1, 2, 21]) {
            // The grammar's counts: 1 only as "one" (indefinite), none with generic or mass nouns.
            if (count !== undefined && (noun.mass || determiner.kind === 'generic' || (count === 1) !== (number === 'sg')
              || (count === 1 && determiner.kind !== 'indefinite'))) continue;
            for (const adjective of [undefined, ...adjectivesFor(noun.classes)]) {
              const np: NounPhrase = {
                type: 'noun', noun, number, determiner, ...(count !== undefined ? { count } : {}),
                ...(adjective ? (adjective.before ? { before: adjective } : { after: adjective }) : {}),
              };
              for (const negated of determiner.kind === 'indefinite' ? [false, true] : [false]) { // negation only changes indefinites
                const english = englishNounPhrase(np, negated ? 'any' : 'plain').join(' ');
                // A bare plural is generic after like/love/hate (les) and indefinite elsewhere (des): the verb tells.
                const context = `${negated ? 'not ' : ''}${determiner.kind === 'generic' ? 'like ' : ''}`;
                pairs.push({ src: context + english, tgt: frenchSurface(frenchNounPhrase(np, negated)) });
              }
            }
          }
        }
      }
    }
    expect(pairs.length).toBeGreaterThan(25_000);
    functional(pairs);
  });

  it('for random short sentences, where repeats are common', () => {
    const g2 = new Generator('gloss/function');
    const pairs: { src: string; tgt: string }[] = [];
    for (let i = 0; i < 12_000; i++) {
      const clause = sampleClause(g2);
      const src = realizeEnglish(clause);
      if (src.split(' ').length <= 6) pairs.push({ src, tgt: realizeFrench(clause) });
    }
    expect(functional(pairs)).toBeGreaterThan(30); // 49 repeated sentences with this seed
  });
});

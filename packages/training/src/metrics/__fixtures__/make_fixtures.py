"""Reference values for gloss's metrics tests, computed by sacreBLEU itself.

Writes sacrebleu.json beside this file: tokenizer outputs ('13a', 'intl', 'char', 'none', lowercased),
corpus and sentence BLEU under every smoothing method, order and tokenizer, and chrF / chrF++ under
every option, on sacreBLEU's README corpus and on a seeded synthetic corpus with multiple references.

Needs sacreBLEU 2.6.0 (pip install sacrebleu==2.6.0; a wheel is enough, it needs no network at run time):
    python3 packages/training/src/metrics/__fixtures__/make_fixtures.py
The tests only read the JSON; they never run Python.
"""

import json
import os
import random

import sacrebleu
from sacrebleu.metrics import BLEU, CHRF

assert sacrebleu.__version__ == '2.6.0', f'expected sacreBLEU 2.6.0, got {sacrebleu.__version__}'

HERE = os.path.dirname(os.path.abspath(__file__))

# sacreBLEU's README example (two reference streams).
README_HYPS = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.']
README_REFS = [
    ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
    ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
]

# Strings that exercise every rule of the tokenizers: HTML entities, <skipped>, hyphen + newline,
# decimal and thousands separators, dashes after digits, ASCII and Unicode punctuation and symbols,
# apostrophes, emoji (astral code points), CJK, combining marks, and whitespace that Python's
# str.split() knows but JavaScript's \s does not (U+001C..U+001F, U+0085) and the reverse (U+FEFF).
TOKENIZER_INPUTS = [
    'Hello, world!',
    'The cost is $3,000.50 -- or 2.5% (approx.).',
    'He said &quot;no&quot; &amp; left &lt;fast&gt; &apos;ok&apos;',
    'a<skipped>b <skipped> c',
    'line one-\nline two\nline three',
    "It wasn't 1990-1995, it's 2000-2005.",
    'Prices: 1.5, 2,5 and .5 or 5. End.',
    'x.y,z a.b. c,d, 3.14.15 1,2,3',
    'email me@example.com {braces} [brackets] ~tilde~ `tick` ^caret^ |pipe| _under_',
    'Größe: 5 m² — „Anführung“ ‚klein‘ «guillemets» ¿qué? ¡sí!',
    '日本語のテキスト、句読点。「引用」',
    'emoji 😀👍🏽 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 letters',
    'tabs\tand  double  spaces   ',
    'odd\x1cwhite\x1dspace\x1eand\x1fmore\x85here',
    'no\ufeffbreak\u00a0nbsp\u3000ideographic\u2009thin',
    '   leading and trailing   \n',
    'ÀÉÎÕÜ ÇÑ İstanbul ΣΊΣΥΦΟΣ straße',
    'e\u0301 combining and precomposed \u00e9',
    '3-4 a-b 5- -6 x-9',
    '...ellipsis... ,,commas,, 1.. 2,,',
    '',
    '   ',
    'A.B.C. U.S.A. e.g. i.e.',
    '100% 50$ #hash @at *star* +plus+ =eq= /slash/ \\back\\',
]

TOKENIZERS = ['13a', 'intl', 'char', 'none']


def bleu_result(score, signature):
    return {
        'score': score.score,
        'counts': list(score.counts),
        'totals': list(score.totals),
        'precisions': list(score.precisions),
        'bp': score.bp,
        'sysLen': score.sys_len,
        'refLen': score.ref_len,
        'ratio': score.ratio,
        'signature': signature,
        'formatted': score.format(),
    }


def synthetic_corpus(seed, n):
    """Reference/hypothesis pairs: references drawn from a small vocabulary with punctuation, numbers
    and non-ASCII words; hypotheses are edited copies (drops, swaps, substitutions, insertions)."""
    rng = random.Random(seed)
    words = ('the a an of to in is was it he she they we you this that with for on at by from as not '
             'but or and cat dog man woman house river tree car city road time year day night water fire '
             'said went saw took made knew thought came found gave told asked worked seemed felt became '
             'Haus Straße über schön naïve café résumé Ελλάδα Москва 東京 ').split()
    extras = ['3,000', '2.5', '1990', '50%', '$12', '(see', 'above)', '"quoted"', "don't", "it's",
              'well-known', '&amp;', '-', '--', ':', ';', '?', '!']
    refs_a, refs_b, hyps = [], [], []
    for _ in range(n):
        length = rng.randint(1, 30)
        toks = [rng.choice(words) if rng.random() < 0.88 else rng.choice(extras) for _ in range(length)]
        toks[0] = toks[0].capitalize()
        end = rng.choice(['.', '.', '.', '?', '!', ''])
        ref = ' '.join(toks) + end
        # second reference: a light paraphrase of the first
        toks_b = list(toks)
        for _ in range(rng.randint(0, 4)):
            toks_b[rng.randrange(len(toks_b))] = rng.choice(words)
        ref_b = ' '.join(toks_b) + end
        # hypothesis: an edited copy
        hyp_toks = list(toks)
        for _ in range(rng.randint(0, 6)):
            op = rng.random()
            if op < 0.3 and len(hyp_toks) > 1:
                del hyp_toks[rng.randrange(len(hyp_toks))]
            elif op < 0.5 and len(hyp_toks) > 1:
                i = rng.randrange(len(hyp_toks) - 1)
                hyp_toks[i], hyp_toks[i + 1] = hyp_toks[i + 1], hyp_toks[i]
            elif op < 0.8:
                hyp_toks[rng.randrange(len(hyp_toks))] = rng.choice(words)
            else:
                hyp_toks.insert(rng.randrange(len(hyp_toks) + 1), rng.choice(words))
        hyp = ' '.join(hyp_toks) + (end if rng.random() < 0.8 else '')
        if rng.random() < 0.1:
            hyp = hyp.lower()
        if rng.random() < 0.05:
            hyp = ''
        refs_a.append(ref)
        refs_b.append(ref_b)
        hyps.append(hyp)
    return hyps, [refs_a, refs_b]


def fuzz_cases(seed, n):
    """Small random corpora built from pieces that stress tokenization (entities, <skipped>, hyphen-newlines,
    numbers, Python-only whitespace, BOM, astral and combining characters, final sigma, empty strings),
    with 1-3 reference streams, some None references, and random BLEU and chrF options."""
    rng = random.Random(seed)
    pieces = ['a', 'b', 'ab', 'the', '.', ',', '-', '3', '3.5', '1,000', "'", '"', '(', ')', '&amp;', '&quot;',
              '<skipped>', '\n', '-\n', ' ', '  ', '\t', '\x85', '\x1c', '\ufeff', '\u3000', 'é', 'É', 'Σ', 'ΟΣ',
              '😀', '東', '!', '?', '$', '%', 'İ', 'ß', 'ﬁ', '\u0301', '', 'x.', 'y,']

    def text():
        return ''.join(rng.choice(pieces) + (' ' if rng.random() < 0.6 else '') for _ in range(rng.randint(0, 12)))

    cases = []
    for _ in range(n):
        size, streams = rng.randint(1, 4), rng.randint(1, 3)
        hyps = [text() for _ in range(size)]
        refs = [[text() for _ in range(size)] for _ in range(streams)]
        if rng.random() < 0.3 and streams > 1:
            for i in range(size):
                if rng.random() < 0.5:
                    refs[rng.randrange(streams)][i] = None
        for i in range(size):
            if all(r[i] is None for r in refs):
                refs[0][i] = text()
        bleu_opts = {'tokenize': rng.choice(TOKENIZERS), 'lowercase': rng.random() < 0.3,
                     'smooth_method': rng.choice(['exp', 'none', 'floor', 'add-k']),
                     'max_ngram_order': rng.choice([1, 2, 3, 4, 4, 4, 5]), 'effective_order': rng.random() < 0.4}
        chrf_opts = {'char_order': rng.choice([1, 2, 6, 6]), 'word_order': rng.choice([0, 0, 1, 2]),
                     'beta': rng.choice([1, 2, 3]), 'lowercase': rng.random() < 0.3,
                     'whitespace': rng.random() < 0.3, 'eps_smoothing': rng.random() < 0.3}
        bleu = BLEU(**bleu_opts).corpus_score(hyps, refs)
        cases.append({'hyps': hyps, 'refs': refs, 'bleuOptions': bleu_opts, 'chrfOptions': chrf_opts,
                      'bleu': {'score': bleu.score, 'counts': list(bleu.counts), 'sysLen': bleu.sys_len,
                               'refLen': bleu.ref_len},
                      'chrf': CHRF(**chrf_opts).corpus_score(hyps, refs).score})
    return cases


def main():
    out = {'sacrebleuVersion': sacrebleu.__version__, 'tokenize': [], 'corpora': {}, 'bleu': [],
           'sentenceBleu': [], 'chrf': [], 'sentenceChrf': [], 'fuzz': fuzz_cases(seed=99, n=150)}

    for text in TOKENIZER_INPUTS:
        row = {'input': text}
        for tok in TOKENIZERS:
            row[tok] = BLEU(tokenize=tok)._preprocess_segment(text)
            row[tok + ':lc'] = BLEU(tokenize=tok, lowercase=True)._preprocess_segment(text)
        out['tokenize'].append(row)

    syn_hyps, syn_refs = synthetic_corpus(seed=1234, n=120)
    out['corpora'] = {
        'readme': {'hyps': README_HYPS, 'refs': README_REFS},
        'synthetic': {'hyps': syn_hyps, 'refs': syn_refs},
        # One stream only: the first reference stream of the synthetic corpus.
        'synthetic1': {'hyps': syn_hyps, 'refs': syn_refs[:1]},
        # Variable number of references (None = no reference), as in sacreBLEU's README.
        'readmeVar': {'hyps': README_HYPS, 'refs': [[None] + README_REFS[0][1:], README_REFS[1]]},
        # Tokenizer inputs against themselves with the first two characters dropped.
        'tokenizerStress': {'hyps': [t[2:] for t in TOKENIZER_INPUTS if t.strip()],
                            'refs': [[t for t in TOKENIZER_INPUTS if t.strip()]]},
    }

    bleu_options = [{}]
    bleu_options += [{'tokenize': t} for t in ['none', 'intl', 'char']]
    bleu_options += [{'lowercase': True}]
    bleu_options += [{'smooth_method': m} for m in ['none', 'floor', 'add-k']]
    bleu_options += [{'smooth_method': 'floor', 'smooth_value': 0.5}, {'smooth_method': 'add-k', 'smooth_value': 2}]
    bleu_options += [{'max_ngram_order': n} for n in [1, 2, 3, 6]]
    bleu_options += [{'effective_order': True}, {'effective_order': True, 'smooth_method': 'none'}]
    for corpus_name, corpus in out['corpora'].items():
        for opts in bleu_options:
            metric = BLEU(**opts)
            score = metric.corpus_score(corpus['hyps'], corpus['refs'])
            out['bleu'].append({'corpus': corpus_name, 'options': opts,
                                'result': bleu_result(score, str(metric.get_signature()))})

    # Sentence BLEU: sacrebleu.sentence_bleu's defaults (exp smoothing, effective order) and others.
    sentence_options = [{}, {'smooth_method': 'floor'}, {'smooth_method': 'add-k'}, {'smooth_method': 'none'},
                        {'tokenize': 'intl'}, {'lowercase': True}]
    for i in range(40):
        hyp = syn_hyps[i]
        refs = [syn_refs[0][i], syn_refs[1][i]] if i % 2 else [syn_refs[0][i]]
        results = []
        for opts in sentence_options:
            score = sacrebleu.sentence_bleu(hyp, refs, **opts)
            results.append({'options': opts, 'score': score.score, 'bp': score.bp,
                            'counts': list(score.counts), 'totals': list(score.totals)})
        out['sentenceBleu'].append({'hyp': hyp, 'refs': refs, 'results': results})

    chrf_options = [{}, {'word_order': 2}, {'beta': 3}, {'beta': 1}, {'lowercase': True}, {'whitespace': True},
                    {'eps_smoothing': True}, {'word_order': 2, 'eps_smoothing': True}, {'char_order': 4},
                    {'word_order': 1, 'lowercase': True}, {'char_order': 0, 'word_order': 2}]
    for corpus_name, corpus in out['corpora'].items():
        for opts in chrf_options:
            metric = CHRF(**opts)
            score = metric.corpus_score(corpus['hyps'], corpus['refs'])
            out['chrf'].append({'corpus': corpus_name, 'options': opts, 'score': score.score,
                                'name': score.name, 'signature': str(metric.get_signature()),
                                'formatted': score.format()})

    for i in range(40):
        hyp = syn_hyps[i]
        refs = [syn_refs[0][i], syn_refs[1][i]] if i % 2 else [syn_refs[0][i]]
        results = [{'options': opts, 'score': sacrebleu.sentence_chrf(hyp, refs, **opts).score}
                   for opts in [{}, {'word_order': 2}, {'eps_smoothing': True}]]
        out['sentenceChrf'].append({'hyp': hyp, 'refs': refs, 'results': results})

    with open(os.path.join(HERE, 'sacrebleu.json'), 'w', encoding='utf-8') as f:
        json.dump(out, f, ensure_ascii=False, indent=None, separators=(',', ':'))
        f.write('\n')
    print(f"wrote {len(out['tokenize'])} tokenizer rows, {len(out['bleu'])} corpus BLEU, "
          f"{len(out['sentenceBleu'])} x {len(sentence_options)} sentence BLEU, {len(out['chrf'])} corpus chrF, "
          f"{len(out['sentenceChrf'])} x 3 sentence chrF, {len(out['fuzz'])} fuzz cases")


if __name__ == '__main__':
    main()

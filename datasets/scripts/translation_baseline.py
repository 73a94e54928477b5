"""Learnability check of the bundled translation corpus with a PyTorch reference transformer.

Trains a small word-level encoder-decoder (nn.Transformer, batch-first) on datasets/translation/train.tsv
on the CPU for a budget of steps (or wall-clock minutes), greedy-decodes test.tsv at three checkpoints,
and prints corpus BLEU with sacreBLEU's 13a tokenization (reimplemented below: nothing but torch needed).
BLEU against steps does not depend on the machine; minutes do.

    nice /usr/bin/python3 datasets/scripts/translation_baseline.py --steps 1500 --threads 1

Not a test: the numbers it prints are quoted in datasets/translation/README.md.
"""
import argparse, json, math, os, re, time
from collections import Counter

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, '..', 'translation')
PAD, BOS, EOS, UNK = 0, 1, 2, 3


def tokens(text):
    """Whitespace words with the sentence's final '.' or '?' split off (French already spaces its '?')."""
    words = text.split(' ')
    if words[-1][-1] in '.?' and len(words[-1]) > 1:
        words[-1:] = [words[-1][:-1], words[-1][-1]]
    return words


def detokenize(words):
    text = ' '.join(words)
    return text[:-2] + '.' if text.endswith(' .') else text


def tokenize_13a(line):
    """sacrebleu.tokenizers.tokenizer_13a.Tokenizer13a without the HTML-entity cases (none occur here)."""
    line = f' {line} '
    line = re.sub(r'([\{-\~\[-\` -\&\(-\+\:-\@\/])', r' \1 ', line)
    line = re.sub(r'([^0-9])([\.,])', r'\1 \2 ', line)
    line = re.sub(r'([\.,])([^0-9])', r' \1 \2', line)
    line = re.sub(r'([0-9])(-)', r'\1 \2 ', line)
    return line.split()


def corpus_bleu(hypotheses, references):
    """BLEU-4 with brevity penalty over the corpus, as sacreBLEU computes it (no smoothing needed here)."""
    matches, totals, hyp_len, ref_len = [0] * 4, [0] * 4, 0, 0
    for hyp, ref in zip(hypotheses, references):
        h, r = tokenize_13a(hyp), tokenize_13a(ref)
        hyp_len += len(h)
        ref_len += len(r)
        for n in range(1, 5):
            hc = Counter(tuple(h[i:i + n]) for i in range(len(h) - n + 1))
            rc = Counter(tuple(r[i:i + n]) for i in range(len(r) - n + 1))
            matches[n - 1] += sum(min(c, rc[g]) for g, c in hc.items())
            totals[n - 1] += max(len(h) - n + 1, 0)
    if min(matches) == 0:
        return 0.0
    log_precision = sum(math.log(m / t) for m, t in zip(matches, totals)) / 4
    bp = 1.0 if hyp_len > ref_len else math.exp(1 - ref_len / max(hyp_len, 1))
    return 100 * bp * math.exp(log_precision)


def read(split):
    with open(os.path.join(CORPUS, f'{split}.tsv'), encoding='utf-8') as f:
        return [line.rstrip('\n').split('\t') for line in f]


class Model(nn.Module):
    def __init__(self, src_vocab, tgt_vocab, d_model, heads, layers, d_ff, max_len=64):
        super().__init__()
        self.src_embed = nn.Embedding(src_vocab, d_model, padding_idx=PAD)
        self.tgt_embed = nn.Embedding(tgt_vocab, d_model, padding_idx=PAD)
        position = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, d_model)
        pe[:, 0::2], pe[:, 1::2] = torch.sin(position * div), torch.cos(position * div)
        self.register_buffer('pe', pe)
        self.transformer = nn.Transformer(d_model, heads, layers, layers, d_ff, dropout=0.1, batch_first=True)
        self.out = nn.Linear(d_model, tgt_vocab)
        self.scale = math.sqrt(d_model)

    def embed(self, table, ids):
        return table(ids) * self.scale + self.pe[: ids.shape[1]]

    def encode(self, src):
        return self.transformer.encoder(self.embed(self.src_embed, src), src_key_padding_mask=src == PAD)

    def decode(self, memory, src, tgt_in):
        mask = self.transformer.generate_square_subsequent_mask(tgt_in.shape[1])
        h = self.transformer.decoder(self.embed(self.tgt_embed, tgt_in), memory, tgt_mask=mask,
                                     tgt_key_padding_mask=tgt_in == PAD, memory_key_padding_mask=src == PAD)
        return self.out(h)


def pad(seqs):
    width = max(len(s) for s in seqs)
    return torch.tensor([s + [PAD] * (width - len(s)) for s in seqs])


@torch.no_grad()
def greedy(model, src_ids, max_len=32, batch=250):
    model.eval()
    out = []
    for i in range(0, len(src_ids), batch):
        src = pad(src_ids[i:i + batch])
        memory = model.encode(src)
        ys = torch.full((src.shape[0], 1), BOS)
        done = torch.zeros(src.shape[0], dtype=torch.bool)
        for _ in range(max_len):
            nxt = model.decode(memory, src, ys)[:, -1].argmax(-1)
            ys = torch.cat([ys, nxt.unsqueeze(1)], 1)
            done |= nxt == EOS
            if done.all():
                break
        for row in ys[:, 1:].tolist():
            out.append(row[: row.index(EOS)] if EOS in row else row)
    model.train()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--steps', type=int, default=0, help='training steps (0: use --minutes)')
    ap.add_argument('--minutes', type=float, default=6)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--d-model', type=int, default=128)
    ap.add_argument('--layers', type=int, default=2)
    ap.add_argument('--batch', type=int, default=96)
    ap.add_argument('--seed', type=int, default=0)
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)

    train, test = read('train'), read('test')
    def vocab(texts):
        counts = Counter(w for t in texts for w in tokens(t))
        return ['<pad>', '<bos>', '<eos>', '<unk>'] + sorted(counts, key=lambda w: (-counts[w], w))
    src_itos, tgt_itos = vocab(s for s, _ in train), vocab(t for _, t in train)
    src_stoi, tgt_stoi = {w: i for i, w in enumerate(src_itos)}, {w: i for i, w in enumerate(tgt_itos)}
    enc = lambda text, stoi: [stoi.get(w, UNK) for w in tokens(text)]
    data = [(enc(s, src_stoi), enc(t, tgt_stoi)) for s, t in train]
    test_src = [enc(s, src_stoi) for s, _ in test]

    model = Model(len(src_itos), len(tgt_itos), args.d_model, 4, args.layers, 4 * args.d_model)
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.98), eps=1e-9)
    warmup = 400
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: min((step + 1) / warmup, math.sqrt(warmup / (step + 1))))
    loss_fn = nn.CrossEntropyLoss(ignore_index=PAD, label_smoothing=0.1)
    print(json.dumps({'src_vocab': len(src_itos), 'tgt_vocab': len(tgt_itos), 'params': params, **vars(args)}))

    g = torch.Generator().manual_seed(args.seed)
    start, step, epoch = time.time(), 0, 0
    budget = args.steps or args.minutes
    checkpoints = [budget * f for f in (1 / 3, 2 / 3, 1)]
    results = []
    while checkpoints:
        order = torch.randperm(len(data), generator=g).tolist()
        # length-sorted chunks of 50 batches, then shuffled: little padding, random order
        chunk = args.batch * 50
        batches = []
        for c in range(0, len(order), chunk):
            part = sorted(order[c:c + chunk], key=lambda i: len(data[i][0]))
            batches += [part[i:i + args.batch] for i in range(0, len(part), args.batch)]
        for b in torch.randperm(len(batches), generator=g).tolist():
            idx = batches[b]
            src = pad([data[i][0] for i in idx])
            tgt_in = pad([[BOS] + data[i][1] for i in idx])
            tgt_out = pad([data[i][1] + [EOS] for i in idx])
            logits = model.decode(model.encode(src), src, tgt_in)
            loss = loss_fn(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            elapsed = (time.time() - start) / 60
            if (step if args.steps else elapsed) >= checkpoints[0]:
                t0 = time.time()
                hyps = [detokenize([tgt_itos[i] for i in row]) for row in greedy(model, test_src)]
                bleu = corpus_bleu(hyps, [t for _, t in test])
                exact = sum(h == t for h, (_, t) in zip(hyps, test)) / len(test)
                results.append({'minutes': round(elapsed, 2), 'step': step, 'epoch': epoch, 'loss': round(loss.item(), 3),
                                'test_bleu': round(bleu, 2), 'exact_match': round(exact, 3), 'decode_s': round(time.time() - t0, 1)})
                print(json.dumps(results[-1]), flush=True)
                checkpoints.pop(0)
                start += time.time() - t0  # decoding time does not count as training time
                if not checkpoints:
                    for h, (s, t) in list(zip(hyps, test))[:5]:
                        print(f'  {s}\n  ref: {t}\n  hyp: {h}')
                    break
        epoch += 1


if __name__ == '__main__':
    main()

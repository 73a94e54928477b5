"""The PyTorch baseline for gloss's Tatoeba example: the same model, the same token ids, a training loop as a
careful PyTorch user writes it, for a wall-clock budget on a given number of threads.

The model is gloss's PyTorch twin (packages/transformer/fixtures/torch_reference.py: nn.Embedding ×2 +
nn.Transformer(batch_first) + nn.Linear, the same parameter names), trained on the ids that
scripts/export-ids.ts wrote with gloss's own tokenizers. At the end the weights are saved as a gloss checkpoint
(OUT/last: config.json, model.safetensors, the tokenizers), so `gloss evaluate` decodes and scores the baseline
exactly as it does gloss's own run: only the training differs. The loss of every step goes to OUT/metrics.jsonl in
the format gloss's Trainer writes, so `gloss report` overlays the two runs.

    npx tsx scripts/export-ids.ts --config config.json --export runs/ids
    /usr/bin/python3 scripts/torch_baseline.py --export runs/ids --out runs/torch --minutes 8 --threads 2

Needs python3-torch (with libopenblas0-openmp); not run by CI.
"""
import argparse, json, math, os, random, shutil, sys, time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', '..', 'packages', 'transformer', 'fixtures'))
from torch_reference import Seq2SeqTransformer, save_checkpoint  # noqa: E402


def read_ids(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def random_batches(examples, batch_size, rng):
    """DataLoader(shuffle=True) over sentences: a new random order each epoch, cut into batch_size sentences."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    return [order[i:i + batch_size] for i in range(0, len(order), batch_size)]


def bucketed_batches(examples, batch_size, max_tokens, rng):
    """gloss's planBatches: shuffle, stable sort by padded length, fill greedily under both limits, shuffle batches."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    size = [max(len(s), len(t) + 1) for s, t in examples]
    order.sort(key=lambda i: (size[i], len(examples[i][0]), len(examples[i][1])))
    batches, current, longest = [], [], 0
    for i in order:
        grown = max(longest, size[i])
        if current and ((len(current) + 1) * grown > max_tokens or len(current) + 1 > batch_size):
            batches.append(current)
            current, longest = [], 0
        current.append(i)
        longest = max(longest, size[i])
    if current:
        batches.append(current)
    rng.shuffle(batches)
    return batches


def collate(examples, rows, pad, bos, eos):
    src_len = max(len(examples[r][0]) for r in rows)
    tgt_len = max(len(examples[r][1]) for r in rows) + 1
    src = torch.full((len(rows), src_len), pad, dtype=torch.long)
    tgt_in = torch.full((len(rows), tgt_len), pad, dtype=torch.long)
    tgt_out = torch.full((len(rows), tgt_len), pad, dtype=torch.long)
    for b, r in enumerate(rows):
        s, t = examples[r]
        src[b, :len(s)] = torch.tensor(s)
        tgt_in[b, :len(t) + 1] = torch.tensor([bos] + t)
        tgt_out[b, :len(t) + 1] = torch.tensor(t + [eos])
    return src, tgt_in, tgt_out


def valid_loss(model, valid, pad, bos, eos):
    """Mean token NLL and perplexity over the validation examples, in eval mode, in batches of 100."""
    model.eval()
    total, tokens = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(valid), 100):
            src, tgt_in, tgt_out = collate(valid, range(i, min(i + 100, len(valid))), pad, bos, eos)
            logits = model(src, tgt_in)
            total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1), ignore_index=pad,
                                     reduction='sum').item()
            tokens += int((tgt_out != pad).sum())
    model.train()
    return {'loss': total / tokens, 'ppl': math.exp(total / tokens)}


def init_weights(model, how, d_model):
    if how == 'xavier':
        for p in model.parameters():
            if p.dim() > 1:
                torch.nn.init.xavier_uniform_(p)
    elif how == 'scaled-normal':
        for table in (model.src_embed, model.tgt_embed):
            torch.nn.init.normal_(table.weight, 0, d_model ** -0.5)


def lr_at(step, a):
    if a.schedule == 'constant':
        return a.lr
    if step <= a.warmup:
        return a.lr * step / max(a.warmup, 1)
    # cosine to zero over the planned steps (estimated from the budget after warm-up, like gloss's --max-time)
    total = a.planned or 10 ** 9
    t = min(1.0, (step - a.warmup) / max(total - a.warmup, 1))
    return a.lr * 0.5 * (1 + math.cos(math.pi * t))


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--export', required=True, help='directory written by scripts/export-ids.ts')
    p.add_argument('--out', required=True)
    p.add_argument('--minutes', type=float, default=8)
    p.add_argument('--clock', choices=['wall', 'cpu'], default='wall',
                   help="what --minutes counts: wall-clock time, or this process's CPU time (all threads), as gloss train --clock")
    p.add_argument('--max-steps', type=int, default=0)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--lr', type=float, default=5e-4)
    p.add_argument('--schedule', choices=['constant', 'cosine'], default='constant')
    p.add_argument('--warmup', type=int, default=0)
    p.add_argument('--batch-size', type=int, default=128, help='sentences per batch')
    p.add_argument('--max-tokens', type=int, default=10 ** 9, help='bucketed: padded tokens per batch')
    p.add_argument('--batching', choices=['random', 'bucketed'], default='random')
    p.add_argument('--label-smoothing', type=float, default=0.1)
    p.add_argument('--clip', type=float, default=1.0)
    p.add_argument('--beta2', type=float, default=0.98)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--init', choices=['torch', 'xavier', 'scaled-normal'], default='torch',
                   help="torch: the modules' own (nn.Embedding N(0, 1), nn.Transformer's Xavier, nn.Linear's); "
                        "xavier: Xavier-uniform on every matrix, embeddings and output too (the PyTorch translation "
                        "tutorial's); scaled-normal: embeddings N(0, 1/dModel), the rest as torch (fairseq's)")
    p.add_argument('--valid-every', type=int, default=0, help='validation loss every N steps (0: off; its time counts)')
    a = p.parse_args()
    a.planned = 0

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)
    with open(os.path.join(a.export, 'config.json')) as f:
        c = json.load(f)
    train = read_ids(os.path.join(a.export, 'train.ids.jsonl'))
    valid = read_ids(os.path.join(a.export, 'valid.ids.jsonl'))
    pad, bos, eos = c['padId'], c['bosId'], c['eosId']
    model = Seq2SeqTransformer(c)
    init_weights(model, a.init, c['dModel'])
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, betas=(0.9, a.beta2), eps=1e-9)
    os.makedirs(a.out, exist_ok=True)
    log = open(os.path.join(a.out, 'metrics.jsonl'), 'w')
    budget = a.minutes * 60
    plan, epoch, step, elapsed = [], -1, 0, 0.0
    model.train()
    now = time.perf_counter if a.clock == 'wall' else time.process_time
    start = now()
    while True:
        if a.max_steps and step >= a.max_steps:
            break
        if elapsed >= budget:
            break
        if not plan:
            epoch += 1
            plan = (random_batches(train, a.batch_size, rng) if a.batching == 'random'
                    else bucketed_batches(train, a.batch_size, a.max_tokens, rng))
            plan.reverse()
        src, tgt_in, tgt_out = collate(train, plan.pop(), pad, bos, eos)
        step += 1
        for g in opt.param_groups:
            g['lr'] = lr = lr_at(step, a)
        logits = model(src, tgt_in)
        tokens = int((tgt_out != pad).sum())
        loss_sum = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1), ignore_index=pad,
                                   label_smoothing=a.label_smoothing, reduction='sum')
        with torch.no_grad():
            nll = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1), ignore_index=pad,
                                  reduction='sum').item() / tokens
        opt.zero_grad(set_to_none=True)
        (loss_sum / tokens).backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip) if a.clip > 0 else torch.tensor(0.0)
        opt.step()
        elapsed = now() - start
        if a.schedule == 'cosine' and not a.planned and step == max(a.warmup, 20):
            a.planned = int(budget / (elapsed / step)) if not a.max_steps else a.max_steps
        log.write(json.dumps({'type': 'train', 'step': step, 'epoch': epoch, 'loss': loss_sum.item() / tokens, 'nll': nll,
                              'lr': lr, 'gradNorm': float(norm), 'tokens': tokens, 'elapsed': round(elapsed, 3)}) + '\n')
        if a.valid_every and step % a.valid_every == 0:
            v = valid_loss(model, valid, pad, bos, eos)
            log.write(json.dumps({'type': 'valid', 'step': step, 'elapsed': round(now() - start, 3),
                                  'metrics': v}) + '\n')
            log.flush()
            print(f'valid step {step}: {v}', flush=True)
            elapsed = now() - start
        if step % 50 == 0:
            print(f'step {step} epoch {epoch} loss {loss_sum.item() / tokens:.3f} lr {lr:.2e} '
                  f'{elapsed:.0f}s', flush=True)
    log.close()
    last = os.path.join(a.out, 'last')
    model.eval()
    save_checkpoint(last, model)
    for name in os.listdir(a.export):
        if name.startswith('tokenizer'):
            shutil.copy(os.path.join(a.export, name), last)
    recipe = {k: v for k, v in vars(a).items() if k not in ('export', 'out')}
    recipe['framework'] = f'PyTorch {torch.__version__}'
    with open(os.path.join(last, 'train-config.json'), 'w') as f:
        json.dump(recipe, f, indent=2)
    print(json.dumps({'steps': step, 'epochs': epoch + 1, 'seconds': round(elapsed, 1),
                      'checkpoint': last}))


if __name__ == '__main__':
    main()

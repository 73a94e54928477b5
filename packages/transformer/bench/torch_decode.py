"""PyTorch's side of decode.bench.ts: greedy and beam-4 decoding on the peer benchmark's model, served over stdin.

The model, its init and the batch maker are the peer benchmark's own (/work/shared/peers/torch_bench.py, imported
from GLOSS_TORCH_BENCH or the default path), so both sides decode the same network: d 128, 4 heads, 2+2 layers,
FF 512, vocab 8000, sinusoidal positions, eval mode, torch.inference_mode(). Its greedy case is extended with
  - batch 1: the batch's sentences decoded one at a time, each cut to its own length (no padding);
  - beam search (beam 4): a straightforward batched beam search on nn.Transformer, as a careful user writes it —
    beams folded into the batch (memory encoded once, repeated per beam), every step re-runs the decoder on the
    whole prefix (nn.Transformer has no KV cache) and projects the last position only, log_softmax, top beamSize
    over beamSize·V per sentence, finished beams frozen (they extend by pad at no cost), and the final choice by
    the GNMT length penalty ((5 + length)/6)^0.6 — gloss's default.
As in the gloss bench, eos is made unreachable (output bias −1e9), so every sentence takes all `steps` steps.

Protocol: one JSON request per stdin line, {"mode": "greedy"|"beam", "batch": 64|1, "threads": n, "calls": k,
"steps": 32, "beam": 4, "clock": "cpu"|"wall"}; the reply is one JSON line {"seconds": [per-call seconds × k]} (one call decodes the
whole batch; with batch 1, the 64 sentences one by one — `sentences` in the request says how many); "clock": "cpu"
times a call by time.process_time (CPU time of this process) instead of the wall clock. A request
whose case was not seen yet runs one untimed warm-up call first.
Run by decode.bench.ts: /usr/bin/python3 bench/torch_decode.py
"""
import importlib.util
import json
import os
import sys
import time

import torch

PEER = os.environ.get("GLOSS_TORCH_BENCH") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "../../../../shared/peers/torch_bench.py")
spec = importlib.util.spec_from_file_location("torch_bench", PEER)
peer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peer)

PAD, BOS, EOS, VOCAB = peer.PAD, peer.BOS, peer.EOS, peer.VOCAB
ALPHA = 0.6


def length_penalty(length):
    return ((5.0 + length) / 6.0) ** ALPHA


def greedy(model, src, src_pad, steps):
    mem = model.encode(src, src_pad)
    ys = torch.full((src.shape[0], 1), BOS, dtype=torch.long)
    for _ in range(steps):
        h = model.decode(ys, mem, src_pad)
        nxt = model.out(h[:, -1]).argmax(-1, keepdim=True)
        ys = torch.cat([ys, nxt], dim=1)
    return ys


def beam_search(model, src, src_pad, steps, k):
    B = src.shape[0]
    mem = model.encode(src, src_pad).repeat_interleave(k, dim=0)            # [B·k, S, d]
    pad = src_pad.repeat_interleave(k, dim=0)                              # [B·k, S]
    ys = torch.full((B * k, 1), BOS, dtype=torch.long)
    scores = torch.full((B, k), float("-inf"))
    scores[:, 0] = 0.0                                                     # one live beam per sentence at first
    finished = torch.zeros(B * k, dtype=torch.bool)
    lengths = torch.zeros(B * k)
    base = (torch.arange(B) * k).unsqueeze(1)                              # first row of each sentence
    for _ in range(steps):
        h = model.decode(ys, mem, pad)
        logp = torch.log_softmax(model.out(h[:, -1]), dim=-1)              # [B·k, V]
        logp[:, PAD] = float("-inf")
        logp[:, BOS] = float("-inf")
        # A finished beam extends only by pad, at no cost.
        logp[finished] = float("-inf")
        logp[finished, PAD] = 0.0
        cand = (scores.reshape(B * k, 1) + logp).reshape(B, k * VOCAB)      # [B, k·V]
        scores, idx = cand.topk(k, dim=-1)                                 # [B, k]
        rows = (base + idx // VOCAB).reshape(-1)                           # the beam each one extends
        tok = (idx % VOCAB).reshape(-1, 1)
        was = finished[rows]
        ys = torch.cat([ys[rows], tok], dim=1)
        lengths = lengths[rows] + (~was).float()
        finished = was | (tok.squeeze(1) == EOS)
        if bool(finished.all()):
            break
    normalized = scores.reshape(-1) / length_penalty(lengths)
    best = normalized.reshape(B, k).argmax(-1)
    return ys[(torch.arange(B) * k + best)]


def main():
    torch.manual_seed(0)
    model = peer.Seq2Seq()
    model.eval()
    with torch.no_grad():
        model.out.bias[EOS] = -1e9                                         # no early stop, as the gloss bench
    src, src_pad, _, _, _ = peer.make_batch(64, 32, 32, torch.Generator().manual_seed(2))
    lengths = (~src_pad).sum(1).tolist()
    seen = set()
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        torch.set_num_threads(int(req["threads"]))
        steps, k = int(req.get("steps", 32)), int(req.get("beam", 4))
        n = int(req.get("sentences", 64))
        clock = time.process_time if req.get("clock") == "cpu" else time.perf_counter

        def run():
            with torch.inference_mode():
                if int(req["batch"]) == 1:
                    for i in range(n):
                        s, p = src[i:i + 1, :lengths[i]], src_pad[i:i + 1, :lengths[i]]
                        greedy(model, s, p, steps) if req["mode"] == "greedy" else beam_search(model, s, p, steps, k)
                else:
                    greedy(model, src, src_pad, steps) if req["mode"] == "greedy" else beam_search(model, src, src_pad, steps, k)
        key = (req["mode"], req["batch"], req["threads"])
        if key not in seen:
            run()
            seen.add(key)
        seconds = []
        for _ in range(int(req["calls"])):
            t0 = clock()
            run()
            seconds.append(clock() - t0)
        print(json.dumps({"seconds": seconds}), flush=True)


if __name__ == "__main__":
    main()

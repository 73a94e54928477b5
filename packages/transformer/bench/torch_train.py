"""PyTorch's side of transformer.bench.ts --cpu-time: the peer benchmark's training step, served over stdin.

The model, its init, the batch maker and the step are the peer benchmark's train case
(/work/shared/peers/torch_bench.py, imported from GLOSS_TORCH_BENCH or the default path): nn.Transformer d 128,
4 heads, 2+2 layers, FF 512, dropout 0.1 (attention dropout too: nn.Transformer has one rate), vocab 8000,
embeddings·√d + sinusoids, CrossEntropyLoss(label_smoothing=0.1, ignore_index=pad) on the full logits,
Adam(lr 5e-4); batch 64 × L (source and target length L), 4 batches from generator seed 1, model seed 0.
What differs from the peer's run is the clock: with "clock": "cpu" a step is timed by time.process_time (CPU time
of this process, all threads), which a machine shared with other work disturbs far less than the wall clock, and
there is no wait for a quiet machine.

Protocol: one JSON request per stdin line, {"len": 32|64, "threads": n, "calls": k, "clock": "cpu"|"wall"}; the
reply is one JSON line {"seconds": [per-step seconds × k]}. The first request of a (len, threads) case builds the
model and runs two untimed warm-up steps.
Run by transformer.bench.ts: /usr/bin/python3 bench/torch_train.py
"""
import importlib.util
import json
import os
import sys
import time

import torch
import torch.nn as nn

PEER = os.environ.get("GLOSS_TORCH_BENCH") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "../../../../shared/peers/torch_bench.py")
spec = importlib.util.spec_from_file_location("torch_bench", PEER)
peer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peer)

WARMUP = 2


def make_step(L):
    """The peer's run_train step for batch 64 × L: model, Adam and 4 batches built as it builds them."""
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    model = peer.Seq2Seq()
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=5e-4)
    crit = nn.CrossEntropyLoss(label_smoothing=0.1, ignore_index=peer.PAD)
    batches = [peer.make_batch(64, L, L, gen) for _ in range(4)]
    state = {"i": 0}

    def step():
        src, src_pad, tgt_in, tgt_pad, y = batches[state["i"] % len(batches)]
        state["i"] += 1
        opt.zero_grad(set_to_none=True)
        logits = model(src, tgt_in, src_pad, tgt_pad)
        loss = crit(logits.reshape(-1, peer.VOCAB), y.reshape(-1))
        loss.backward()
        opt.step()
        return loss.item()
    return step


def main():
    steps = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        threads, L = int(req["threads"]), int(req["len"])
        torch.set_num_threads(threads)
        clock = time.process_time if req.get("clock") == "cpu" else time.perf_counter
        key = (L, threads)
        if key not in steps:
            steps[key] = make_step(L)
            for _ in range(WARMUP):
                steps[key]()
        step = steps[key]
        seconds = []
        for _ in range(int(req["calls"])):
            t0 = clock()
            step()
            seconds.append(clock() - t0)
        print(json.dumps({"seconds": seconds}), flush=True)


if __name__ == "__main__":
    main()

# PyTorch float32 matmul throughput on the shapes given as JSON on stdin, for the matmul bench's
# ratio columns: [{"name", "m", "n", "k", "transA", "transB"}] → {"<threads>": {"<name>": GFLOP/s}}.
# Median of several timing blocks of at least block_ms each, after a warm-up, like the TypeScript side;
# argv: threads (comma-separated), block_ms, blocks, and 'cpu' to time one thread by process CPU time.
import json
import sys
import time

import torch

cases = json.load(sys.stdin)
threads = [int(t) for t in sys.argv[1].split(",")] if len(sys.argv) > 1 else [1]
block_ms = float(sys.argv[2]) if len(sys.argv) > 2 else 200.0
blocks = int(sys.argv[3]) if len(sys.argv) > 3 else 5
cpu_time = len(sys.argv) > 4 and sys.argv[4] == "cpu"
torch.manual_seed(0)
out = {}
for t in threads:
    torch.set_num_threads(t)
    clock = time.process_time if cpu_time and t == 1 else time.perf_counter
    rates = {}
    for c in cases:
        m, n, k = c["m"], c["n"], c["k"]
        a = torch.rand(k, m) - 0.5 if c["transA"] else torch.rand(m, k) - 0.5
        b = torch.rand(n, k) - 0.5 if c["transB"] else torch.rand(k, n) - 0.5
        ta = a.t() if c["transA"] else a
        tb = b.t() if c["transB"] else b
        y = torch.empty(m, n)
        run = lambda: torch.matmul(ta, tb, out=y)
        start = clock()
        while clock() - start < block_ms / 2000:
            run()
        samples = []
        for _ in range(blocks):
            calls = 0
            t0 = clock()
            while True:
                run()
                calls += 1
                t1 = clock()
                if t1 - t0 >= block_ms / 1000:
                    break
            samples.append(2 * m * n * k * calls / ((t1 - t0) * 1e9))
        samples.sort()
        rates[c["name"]] = samples[len(samples) // 2]
    out[str(t)] = rates
print(json.dumps(out))

#!/usr/bin/env bash
# PyTorch beside gloss on the Tatoeba split, same budget, same threads, same token ids, same decoding and scoring:
#   bash scripts/baseline.sh [MINUTES] [THREADS] [-- torch_baseline.py flags]
# 1. scripts/export-ids.ts: gloss's tokenizers trained as `gloss train` trains them (config.json), the model config,
#    the training examples as ids;
# 2. scripts/torch_baseline.py: nn.Transformer (gloss's PyTorch twin) trained for MINUTES on THREADS threads with
#    config.json's recipe unless flags say otherwise (lr, warm-up + cosine over the budget, bucketed batches of
#    maxTokens, Adam betas, label smoothing, clipping, gloss's initialization);
# 3. gloss evaluate: the PyTorch checkpoint decoded with config.json's beam and length penalty, BLEU and chrF on
#    the test split, exactly as `gloss train` scores its own.
# Needs /usr/bin/python3 with python3-torch and libopenblas0-openmp. Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-8}; threads=${2:-2}
shift $(( $# > 2 ? 2 : $# )); [ "${1:-}" = "--" ] && shift
mkdir -p runs
npx tsx scripts/export-ids.ts --config config.json --export runs/torch-ids
# The resolved configuration (config.json with gloss train's defaults filled in), as export-ids.ts wrote it.
cfg() { node -e "console.log(require('./runs/torch-ids/train-config.json')['$1'])"; }
/usr/bin/python3 scripts/torch_baseline.py --export runs/torch-ids --out runs/torch --minutes "$minutes" --threads "$threads" \
  --lr "$(cfg lr)" --schedule "$(cfg schedule)" --warmup "$(cfg warmup)" --batching bucketed \
  --max-tokens "$(cfg maxTokens)" --batch-size "$(cfg batchSize)" --label-smoothing "$(cfg labelSmoothing)" \
  --clip "$(cfg clipNorm)" --beta2 "$(cfg beta2)" --clock "$(cfg clock)" --init scaled-normal "$@"
test=$(cfg test)
cut -f1 "$test" > runs/test.src; cut -f2 "$test" > runs/test.ref
node ../../packages/cli/dist/bin.js evaluate --checkpoint runs/torch/last --src runs/test.src --ref runs/test.ref \
  --beam "$(cfg beam)" --length-penalty "$(cfg lengthPenalty)" --backend cpu

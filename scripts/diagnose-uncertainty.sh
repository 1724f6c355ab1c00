#!/usr/bin/env bash
# Does weighing by the scores' uncertainty (diagnose --weigh-by-uncertainty), or the probability rule
# (--max-agree-probability 0.5), find flipped labels better? Plain against weighted and probability ROC AUC and precision at k of the self-validation
# (--inject-flips 10, seeds 1-5) on real data whose scores carry a standard error:
#  - Prometheus (MT-Bench, Vicuna): GPT-4's first grade is the label, its other two the score;
#  - PandaLM: the human majority is the label, GPT-3.5's and PandaLM-7B's verdicts the score's
#    two samples;
#  - AlpacaEval, a PROXY (no independent label there): the label of a model's answer is the judge's
#    consensus on the model (its mean preference over the other instructions), the score this
#    instruction's judged probability p with the verdict's spread sqrt(p(1-p)) as its standard error
#    (scripts/uncertainty-split.py says how). Data: ../shared/data (or $DATA); runs in
#    ${OUT:-diagnose-uncertainty}/.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${DATA:-../shared/data}"
OUT="${OUT:-diagnose-uncertainty}"
mkdir -p "$OUT"
for name in mt_bench_eval vicuna_eval; do
  python3 scripts/uncertainty-split.py prometheus "$DATA/prometheus-gpt4-samples/$name.jsonl.gz" > "$OUT/$name.jsonl"
  ./admap map "$OUT/$name.jsonl" --out "$OUT/$name" --force -q --layout long --id-field idx \
    --prompt-field instruction --response-field instruction --score-field score --label-field label \
    --model-field response_source
done
python3 scripts/pandalm-long.py "$DATA/pandalm" > "$OUT/pandalm-long.jsonl"
python3 scripts/uncertainty-split.py pandalm "$OUT/pandalm-long.jsonl" > "$OUT/pandalm-judges.jsonl"
./admap map "$OUT/pandalm-judges.jsonl" --out "$OUT/pandalm" --force -q --layout long --id-field id \
  --label-field human --score-field judges
python3 scripts/uncertainty-split.py alpaca "$DATA/alpaca_eval" > "$OUT/alpaca-consensus.jsonl"
./admap map "$OUT/alpaca-consensus.jsonl" --out "$OUT/alpaca-consensus" --force -q
echo "run corr | plain AUC P@k | weighted AUC P@k | probability AUC P@k   (mean of seeds 1-5, 10% flipped)"
for spec in mt_bench_eval:cosine mt_bench_eval:kendall vicuna_eval:cosine vicuna_eval:kendall pandalm:cosine \
    alpaca-consensus:cosine alpaca-consensus:kendall; do
  run="$OUT/${spec%%:*}"; corr="${spec##*:}"
  for w in plain weighted probability; do
    for seed in 1 2 3 4 5; do
      ./admap diagnose "$run" --no-duplicates --corr "$corr" --inject-flips 10 --seed "$seed" \
        $([ $w = weighted ] && echo --weigh-by-uncertainty) \
        $([ $w = probability ] && echo --max-agree-probability 0.5) > /dev/null
      cp "$run/diagnosis.json" "$run/$w.$corr.$seed.json"
    done
  done
  python3 - "$run" "$corr" <<'PY'
import json, sys
run, corr = sys.argv[1], sys.argv[2]
def mean(w, key):
    return sum(json.load(open(f"{run}/{w}.{corr}.{s}.json"))["self_validation"]["ranking"][0][key]
               for s in range(1, 6)) / 5
print(f"{run.split('/')[-1]} {corr} | " + " | ".join(
    f"{mean(w, 'roc_auc'):.3f} {mean(w, 'precision_at_k'):.3f}" for w in ("plain", "weighted", "probability")))
PY
done

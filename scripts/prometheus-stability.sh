#!/usr/bin/env bash
# Region stability against the truth on Prometheus' GPT-4 grades (../shared/data/prometheus-
# gpt4-samples, or the folder given as $1): every response of MT-Bench and Vicuna-80 was graded
# three times. For each file: the map from sample 1 alone (admap map --sample 0), admap's
# predicted stability of each region (from the three samples' spread), and the share of each
# region that actually keeps its region when the map is rebuilt from sample 2, from sample 3,
# and from the mean of the three. Prints one table per file; runs in ${OUT:-prometheus-stability}/.
# Options to admap map (e.g. --noise per-response) go in $MAP_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-../shared/data/prometheus-gpt4-samples}"
OUT="${OUT:-prometheus-stability}"
MAP_OPTS="${MAP_OPTS:-}"
if [ ! -f "$DATA/mt_bench_eval.jsonl.gz" ]; then
  echo "prometheus-stability: no Prometheus files in $DATA" >&2
  exit 2
fi
mkdir -p "$OUT"
for name in mt_bench_eval vicuna_eval; do
  run="$OUT/$name"
  # the grading prompt embeds the response, so it is both prompt and response; grouped by idx
  ./admap map "$DATA/$name.jsonl.gz" --out "$run" --force -q --layout long --id-field idx \
    --prompt-field instruction --response-field instruction --score-field gpt4_score \
    --model-field response_source
  for j in 1 2; do
    ./admap map "$run" --sample $j -q && cp "$run/map.csv" "$OUT/$name.sample$((j + 1)).csv"
  done
  ./admap map "$run" -q && cp "$run/map.csv" "$OUT/$name.mean.csv"
  for target in replicate pooled:3; do
    # shellcheck disable=SC2086
    ./admap map "$run" --sample 0 --stability-target $target -q $MAP_OPTS
    cp "$run/summary.json" "$OUT/$name.sample1.$target.json"
  done
  cp "$run/map.csv" "$OUT/$name.sample1.csv"
  python3 - "$OUT" "$name" <<'PY'
import csv, json, math, sys
out, name = sys.argv[1], sys.argv[2]
def regions(f):
    with open(f, newline='', encoding='utf-8') as h:
        return {r['id']: r['region'] for r in csv.DictReader(h)}
base = regions(f'{out}/{name}.sample1.csv')
pred = {t: json.load(open(f'{out}/{name}.sample1.{t}.json'))['map'] for t in ('replicate', 'pooled:3')}
print(f"{name}: map from sample 1; judgment variance {pred['replicate']['stability']['judgment_variance']:.3f}"
      f" ({pred['replicate']['stability']['noise']} noise)")
print(f"  {'region':9} {'n':>3}  {'predicted replicate':>20}  {'sample 2':>8}  {'sample 3':>8}"
      f"  {'predicted pooled:3':>19}  {'mean of 3':>9}")
for g in ('high-avg', 'low-avg', 'high-var'):
    ids = [i for i in base if base[i] == g]
    obs = {}
    for k in ('sample2', 'sample3', 'mean'):
        o = regions(f'{out}/{name}.{k}.csv')
        obs[k] = sum(o[i] == g for i in ids) / len(ids)
    r, p = pred['replicate']['regions'][g], pred['pooled:3']['regions'][g]
    print(f"  {g:9} {len(ids):3}  {r['stability']:.3f} +- {r['stability_sd']:.3f}{'':6}  {obs['sample2']:8.3f}"
          f"  {obs['sample3']:8.3f}  {p['stability']:.3f} +- {p['stability_sd']:.3f}{'':5}  {obs['mean']:9.3f}")
PY
done

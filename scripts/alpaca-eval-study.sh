#!/usr/bin/env bash
# Reproduces the scorer study in docs/studies.md on AlpacaEval (../shared/data/alpaca_eval, or the
# folder given as $1): the judge's preferences from the files against two offline
# reference scores (all-MiniLM-L6-v2 cosine and ROUGE-L F1, both against GPT-4-turbo's own
# answer, output_1). Writes the run to ${OUT:-alpaca-eval-study}/ and prints every figure.
# About 5 minutes on 2 cores, most of it embedding 10,000 texts; a rerun reuses the scores.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-../shared/data/alpaca_eval}"
OUT="${OUT:-alpaca-eval-study}"
if ! ls "$DATA"/*.json* >/dev/null 2>&1; then
  echo "alpaca-eval-study: no AlpacaEval annotation files in $DATA" >&2
  exit 2
fi
if [ ! -f "$OUT/run.duckdb" ]; then
  ./admap map "$DATA"/*.json* --out "$OUT" --reference-field output_1
fi
./admap score "$OUT" --scorer reference                              # local all-MiniLM-L6-v2
./admap score "$OUT" --scorer reference --similarity rouge-l --name rouge
./admap compare "$OUT" --scores input,reference,rouge --out "$OUT/compare.json"
for s in reference rouge; do
  echo "== $s: within-instruction agreement with the judge, and finding injected flips"
  ./admap map "$OUT" --scores "$s" --corr kendall -q
  python3 - "$OUT/map.csv" <<'PY' || echo "(python3 missing: see the correlation column of $OUT/map.csv)"
import csv, statistics, sys
c = [float(r["correlation"]) for r in csv.DictReader(open(sys.argv[1])) if r.get("correlation")]
print(f"Kendall tau against the judge per instruction: median {statistics.median(c):.3f},"
      f" share > 0 {sum(x > 0 for x in c) / len(c):.3f} ({len(c)} instructions)")
PY
  ./admap diagnose "$OUT" --corr kendall --inject-flips 10 --seed 1 | tail -3
done
./admap map "$OUT" --scores input -q
./admap report "$OUT"
echo "per-model mean scores of each scorer: the Scores section of $OUT/report.html"

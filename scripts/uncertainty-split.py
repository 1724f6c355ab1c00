#!/usr/bin/env python3
"""Real data with a known noise for `diagnose --weigh-by-uncertainty` (docs/trust.md).

prometheus FILE: Prometheus' GPT-4 grades (../shared/data/prometheus-gpt4-samples/*.jsonl.gz),
three per response. The first grade becomes the label (one annotation, as the paper's maps
have), the other two the score, a list (`score`: two samples, hence a standard error).

pandalm LONG: the rows of scripts/pandalm-long.py with `judges`, the two judges' verdicts as a
list (GPT-3.5 and PandaLM-7B as two samples of one score; a single sample where GPT-3.5 had no
verdict), so that where the judges disagree the score carries a standard error.

alpaca DIR: a PROXY on AlpacaEval (../shared/data/alpaca_eval/, 12 annotation files, one per
model, each judged once by GPT-4-turbo against the same baseline): there is no independent
label, so the label of a model's answer is the judge's consensus on that model, its mean
preference over the other 804 instructions (leave-one-out win rate; the same judge, other
judgments); the score is this instruction's judged probability that the answer beats the
baseline, p = preference - 1, with the spread of that verdict, sqrt(p(1-p)), as its standard
error. admap reads a standard error from samples only, so the score is written as the two
pseudo-samples p - s and p + s (mean p, sd(ddof=1)/sqrt(2) = s). A flip is then a label vector
permuted against the models' consensus, not a misannotation: read the AUC as such.

    python3 scripts/uncertainty-split.py prometheus ../shared/data/prometheus-gpt4-samples/mt_bench_eval.jsonl.gz > mt.jsonl
    python3 scripts/uncertainty-split.py pandalm pandalm-long.jsonl > pandalm-judges.jsonl
    python3 scripts/uncertainty-split.py alpaca ../shared/data/alpaca_eval > alpaca-consensus.jsonl
"""
import gzip
import json
import sys


def lines(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def alpaca(directory):
    """The AlpacaEval proxy above, in admap's multi layout, instructions in the first file's order."""
    import glob
    import math
    import os
    files = sorted(glob.glob(os.path.join(directory, "*.annotations.json.gz")))
    if len(files) != 12:
        sys.exit(f"uncertainty-split: expected the 12 AlpacaEval annotation files in {directory}, found {len(files)}")
    order, by_instruction, totals = [], {}, {}
    for f in files:
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            rows = json.load(fh)
        for r in rows:
            if r.get("preference") is None:
                continue
            p = float(r["preference"]) - 1
            key = (r["dataset"], r["instruction"])
            if key not in by_instruction:
                by_instruction[key] = []
                order.append(key)
            model = r["generator_2"]
            by_instruction[key].append((model, r["output_2"], p))
            t = totals.setdefault(model, [0.0, 0])
            t[0] += p
            t[1] += 1
    for i, key in enumerate(order):
        responses = []
        for model, text, p in by_instruction[key]:
            total, n = totals[model]
            s = math.sqrt(max(0.0, p * (1 - p)))
            responses.append({"text": text, "model": model, "score": [p - s, p + s],
                              "label": (total - p) / (n - 1)})
        print(json.dumps({"id": f"ae-{i:03d}", "prompt": key[1], "responses": responses}, ensure_ascii=False))


def main():
    kind, path = sys.argv[1], sys.argv[2]
    if kind == "alpaca":
        alpaca(path)
        return
    for r in lines(path):
        if kind == "prometheus":
            g = r["gpt4_score"]
            out = {"idx": r["idx"], "response_source": r["response_source"], "instruction": r["instruction"],
                   "label": g[0], "score": g[1:]}
        elif kind == "pandalm":
            out = dict(r)
            out["judges"] = [v for v in (r.get("gpt35"), r.get("pandalm7b")) if v is not None]
        else:
            sys.exit("uncertainty-split: the first argument is prometheus, pandalm or alpaca")
        print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()

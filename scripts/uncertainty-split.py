#!/usr/bin/env python3
"""Real data with a known noise for `diagnose --weigh-by-uncertainty` (docs/trust.md).

prometheus FILE: Prometheus' GPT-4 grades (../shared/data/prometheus-gpt4-samples/*.jsonl.gz),
three per response. The first grade becomes the label (one annotation, as the paper's maps
have), the other two the score, a list (`score`: two samples, hence a standard error).

pandalm LONG: the rows of scripts/pandalm-long.py with `judges`, the two judges' verdicts as a
list (GPT-3.5 and PandaLM-7B as two samples of one score; a single sample where GPT-3.5 had no
verdict), so that where the judges disagree the score carries a standard error.

    python3 scripts/uncertainty-split.py prometheus ../shared/data/prometheus-gpt4-samples/mt_bench_eval.jsonl.gz > mt.jsonl
    python3 scripts/uncertainty-split.py pandalm pandalm-long.jsonl > pandalm-judges.jsonl
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


def main():
    kind, path = sys.argv[1], sys.argv[2]
    for r in lines(path):
        if kind == "prometheus":
            g = r["gpt4_score"]
            out = {"idx": r["idx"], "response_source": r["response_source"], "instruction": r["instruction"],
                   "label": g[0], "score": g[1:]}
        elif kind == "pandalm":
            out = dict(r)
            out["judges"] = [v for v in (r.get("gpt35"), r.get("pandalm7b")) if v is not None]
        else:
            sys.exit("uncertainty-split: the first argument is prometheus or pandalm")
        print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()

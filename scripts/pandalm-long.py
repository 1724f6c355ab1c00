#!/usr/bin/env python3
"""PandaLM's test set as one row per response, for `admap map --layout long`.

PandaLM (github.com/WeOpenML/PandaLM, data/*testset-v1.json; ../shared/data/pandalm) comes as
three files aligned by `idx`: the pairs with three human annotators (testset-v1), GPT-3.5's
verdicts (gpt-3.5-turbo-testset-v1: "1", "2", "Tie", "garbage") and PandaLM-7B's (pandalm-7b-
testset-v1: 0 tie, 1, 2). Each pair becomes two rows with the same `id`: the response, `human`
(the annotators' majority: 1 better, 0 worse, 0.5 tie) and one score field per judge on the same
scale (`gpt35`, `pandalm7b`; null where GPT-3.5 answered garbage). Usage:

    python3 scripts/pandalm-long.py ../shared/data/pandalm > pandalm-long.jsonl
"""
import collections
import gzip
import json
import os
import sys


def text(value):
    """A response as text: a few PandaLM responses are the JSON value true, which admap refuses as a text."""
    return value if isinstance(value, str) else json.dumps(value)


def rows(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        text = f.read()
    text = text.strip()
    return json.loads(text) if text.startswith("[") else [json.loads(l) for l in text.splitlines() if l.strip()]


def find(folder, name):
    for candidate in (name + ".jsonl.gz", name + ".jsonl", name + ".json"):
        p = os.path.join(folder, candidate)
        if os.path.exists(p):
            return p
    sys.exit(f"pandalm-long: no {name}.json[l][.gz] in {folder}")


def verdict(v):
    """1: the first response is better, 0: the second, 0.5: a tie, None: no verdict."""
    return {"1": 1.0, "2": 0.0, "0": 0.5, "Tie": 0.5}.get(str(v))


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/pandalm"
    human = rows(find(folder, "testset-v1"))
    gpt = rows(find(folder, "gpt-3.5-turbo-testset-v1"))
    panda = rows(find(folder, "pandalm-7b-testset-v1"))
    out = sys.stdout
    for h, g, p in zip(human, gpt, panda, strict=True):
        if not h["idx"] == g["idx"] == p["idx"]:
            sys.exit(f"pandalm-long: the files are not aligned at idx {h['idx']}")
        votes = collections.Counter(h[a] for a in ("annotator1", "annotator2", "annotator3"))
        majority = next(v for v, n in votes.items() if n >= 2)
        first = verdict(majority)
        judges = {"gpt35": verdict(g["gpt_result"]), "pandalm7b": verdict(p["pandalm_result"])}
        prompt = h["instruction"] + ("\n\n" + h["input"] if h.get("input", "").strip() else "")
        for r in (0, 1):
            row = {"id": f"pandalm-{h['idx']}", "prompt": prompt, "response": text(h[f"response{r + 1}"]),
                   "human": first if r == 0 else 1 - first}
            for name, v in judges.items():
                row[name] = None if v is None else (v if r == 0 else 1 - v)
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

"""The Alignment Data Map with Python's json module and numpy: the data scientist's peer
admap's `map` is measured against (`admap bench`). Reads admap's multi-response JSON lines
(plain or .gz), writes id,prompt,n,mean,variance,std,region: population variance
(numpy.var), regions by rank (top third by variance high-var, the rest split by mean),
ties broken by id.

usage: python3 map_numpy.py INPUT.jsonl[.gz] OUTPUT.csv
"""
import csv
import gzip
import json
import sys

import numpy as np


def main(src, dst):
    opener = gzip.open if src.endswith(".gz") else open
    ids, prompts, counts, sums = [], [], [], []
    scores = []
    with opener(src, "rt", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            s = [r["score"] for r in row["responses"] if isinstance(r, dict) and r.get("score") is not None]
            if len(s) < 2:
                continue
            ids.append(str(row.get("id")))
            prompts.append(row["prompt"])
            counts.append(len(s))
            scores.append(s)
    n = len(ids)
    width = max(counts) if counts else 0
    matrix = np.full((n, width), np.nan)
    for i, s in enumerate(scores):
        matrix[i, : len(s)] = s
    mean = np.nanmean(matrix, axis=1)
    var = np.nanvar(matrix, axis=1)
    id_rank = np.argsort(np.array(ids, dtype=object), kind="stable")
    tie = np.empty(n, dtype=np.int64)
    tie[id_rank] = np.arange(n)
    order = np.lexsort((tie, var))
    cut = (2 * n) // 3
    region = np.empty(n, dtype=object)
    region[order[cut:]] = "high-var"
    rest = order[:cut]
    rest = rest[np.lexsort((tie[rest], mean[rest]))]
    region[rest[: cut // 2]] = "low-avg"
    region[rest[cut // 2:]] = "high-avg"
    with open(dst, "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(["id", "prompt", "n", "mean", "variance", "std", "region"])
        std = np.sqrt(var)
        for i in range(n):
            w.writerow([ids[i], prompts[i], counts[i], repr(float(mean[i])), repr(float(var[i])),
                        repr(float(std[i])), region[i]])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

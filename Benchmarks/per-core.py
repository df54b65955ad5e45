#!/usr/bin/env python3
"""QPS per full server core from bench.sh results.tsv files (peers' driver).

On a shared 2-core machine other processes steal the server's CPU (bench.sh's other_cpu_pct),
so raw QPS mostly measures how much CPU the server got. qps / (srv_cpu_pct / 100) is what the
server does with one whole core: a steadier way to compare implementations across disturbed
rows. Prints the median over runs of that figure, the runs, and each row's other_cpu_pct.

usage: per-core.py results/a/results.tsv [results/b/results.tsv ...]
"""
import csv
import statistics
import sys
from collections import OrderedDict


def rows(path):
    with open(path) as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def main(paths):
    table = OrderedDict()
    for run, path in enumerate(paths):
        for row in rows(path):
            try:
                qps, cpu = float(row["qps"]), float(row["srv_cpu_pct"])
            except (KeyError, ValueError):
                continue
            if cpu <= 0:
                continue
            key = (row["server"], row["workload"])
            table.setdefault(key, []).append((run, qps * 100 / cpu, row["other_cpu_pct"]))
    print("| server | workload | qps per server core (median) | runs | other_cpu_pct per run |")
    print("|---|---|---:|---|---|")
    for (server, workload), values in table.items():
        per_core = [value for _, value, _ in values]
        runs = " · ".join(f"{value / 1000:.1f}k" for value in per_core)
        others = " · ".join(other for _, _, other in values)
        print(f"| {server} | {workload} | {statistics.median(per_core) / 1000:.1f}k | {runs} | {others} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])

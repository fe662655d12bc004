"""Benchmark: `wksbm summary --by kabupaten --format json` over the whole country against one
hand-written aggregate query over the same data, run side by side; and the command's peak memory.

Budget (SPEC section 7): at most 1.5x the aggregate query, peak memory under 200 MiB.
Run: .venv/bin/python benchmarks/bench_summary.py [--as-of 2024-12-31] [--repeat 3]
The database (every village, 250k institutions, 500k activities, 1M cases) is cached in benchmarks/out/.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import country_data  # noqa: E402

from wksbm_cli.db import connect  # noqa: E402
from wksbm_cli.reports.summary import summary  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
# The hand-written aggregate: per kabupaten, villages, member institutions, activities in the last
# 90 days, open and resolved cases by their stored status and mean days to resolve; each table read once.
BASELINE = """
SELECT substr(v.code, 1, 5) AS kabupaten, count(*) AS villages, sum(m.n) AS institutions,
       sum(a.n) AS activities, sum(c.open) AS cases_open, sum(c.resolved) AS cases_resolved, avg(c.days) AS days
FROM villages v
LEFT JOIN (SELECT village_id, count(*) AS n FROM institutions {hint}
           WHERE joined_on <= :as_of GROUP BY village_id) m ON m.village_id = v.id
LEFT JOIN (SELECT village_id, count(*) AS n FROM activities
           WHERE held_on > date(:as_of, '-90 days') AND held_on <= :as_of GROUP BY village_id) a ON a.village_id = v.id
LEFT JOIN (SELECT village_id, sum(status IN ('reported', 'in_handling', 'referred')) AS open,
                  sum(status = 'resolved') AS resolved, avg(julianday(resolved_on) - julianday(reported_on)) AS days
           FROM cases {hint} WHERE reported_on <= :as_of GROUP BY village_id) c ON c.village_id = v.id
GROUP BY 1"""


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def peak_mib(db: Path, as_of: str) -> tuple[float, float]:
    """Wall time and peak RSS (MiB) of `wksbm summary --by kabupaten --format json` as a fresh process.

    Linux carries a process's peak RSS across fork and exec, so the command is started by a small
    intermediate Python, not by this (large) process, and that one reports its child's peak.
    """
    command = [str(Path(sys.executable).parent / "wksbm"), "--db", str(db), "summary", "--by", "kabupaten",
               "--format", "json", "--as-of", as_of]
    probe = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
        "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    output = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True)
    wall, peak = output.stdout.split()
    return float(wall), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-of", default="2024-12-31")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    db = OUT / "country.db"
    started = time.perf_counter()
    source = country_data.build(db)
    print(f"data: {db} ({db.stat().st_size / 2**20:.0f} MiB; villages from {source}; ready in {time.perf_counter() - started:.0f} s)")
    conn = connect(db)
    params = {"as_of": args.as_of}
    runs = {"summary": [], "baseline (planner's choice)": [], "baseline (full scans, as summary uses)": []}
    for _ in range(args.repeat):  # interleaved, so that load from other processes hits all alike
        runs["summary"].append(timed(lambda: json.dumps(summary(conn, args.as_of, "kabupaten"))))
        runs["baseline (planner's choice)"].append(timed(lambda: conn.execute(BASELINE.format(hint=""), params).fetchall()))
        runs["baseline (full scans, as summary uses)"].append(
            timed(lambda: conn.execute(BASELINE.format(hint="NOT INDEXED"), params).fetchall()))
    medians = {name: statistics.median(times) for name, times in runs.items()}
    for name, seconds in medians.items():
        print(f"{name:40s} median {seconds:6.2f} s  (runs: {', '.join(f'{t:.2f}' for t in runs[name])})")
    fastest = min(medians["baseline (planner's choice)"], medians["baseline (full scans, as summary uses)"])
    ratio = medians["summary"] / fastest
    print(f"ratio summary / fastest baseline: {ratio:.2f}x (budget 1.5x)")
    wall, peak = peak_mib(db, args.as_of)
    print(f"wksbm summary --by kabupaten --format json as a process: {wall:.2f} s, peak RSS {peak:.0f} MiB (budget 200 MiB)")
    print(f"peak RSS of this benchmark process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()

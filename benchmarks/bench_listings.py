"""Long listings on 300,000 cases: `case list`, `log`, `institution list` and `activity list` (table,
default options) against `village list`, and the peak memory of each `--format csv` (every row, streamed).

Budget (SPEC section 7): each table command at most 3x `village list`; the CSV peak under 150 MiB.
The database is built through wksbm itself (`region load`, then `wksbm import` of generated CSVs:
the cases, a tenth as many institutions and a third as many activities), so the rows carry the real
schema, indexes and the import's audit entry. Runs are interleaved and medians of wall-clock
seconds are compared. `--db PATH` keeps the built database there (built only if absent), so that
two versions of wksbm can be compared on the same data.

    .venv/bin/python benchmarks/bench_listings.py [--cases 300000] [--runs 5] [--db PATH]
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(command: list[str], env: dict) -> tuple[float, float]:
    """Wall-clock seconds and peak RSS (MiB) of one run of `command`."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return wall, usage.ru_maxrss / 1024


def build(db: Path, cases: int, wksbm: str, env: dict) -> None:
    """Villages of Kabupaten Probolinggo and `cases` cases spread over them, imported in one go."""
    subprocess.run([wksbm, "--db", str(db), "region", "load", "35.13"], check=True, env=env, stderr=subprocess.DEVNULL)
    villages = json.loads(subprocess.run([wksbm, "--db", str(db), "village", "list", "--format", "json"],
                                         check=True, env=env, capture_output=True, text=True).stdout)
    codes = [village["code"] for village in villages]
    path = db.with_name("cases.csv")
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["ref", "village_code", "category", "person_name", "reported_on", "status"])
        for n in range(cases):
            writer.writerow([f"KS-{n:07d}", codes[n % len(codes)], "lansia-terlantar", f"Orang Nomor {n}",
                             f"{2000 + n % 24:04d}-{n % 12 + 1:02d}-{n % 28 + 1:02d}", "reported"])
    institutions = db.with_name("institutions.csv")
    with institutions.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["village", "name", "type", "members", "joined_on"])
        for n in range(cases // 10):
            writer.writerow([codes[n % len(codes)], f"Kelompok {n}", "arisan", n % 40, f"{2015 + n % 8}-{n % 12 + 1:02d}-01"])
    activities = db.with_name("activities.csv")
    with activities.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["village", "held_on", "kind", "title", "attendees"])
        for n in range(cases // 3):
            writer.writerow([codes[n % len(codes)], f"{2016 + n % 8}-{n % 12 + 1:02d}-{n % 28 + 1:02d}", "meeting",
                             f"Rapat {n}", n % 50])
    for source in (path, institutions, activities):
        subprocess.run([wksbm, "--db", str(db), "import", str(source)], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="keep the built database here (built only if absent)")
    args = parser.parse_args()
    wksbm = str(Path(sys.executable).with_name("wksbm"))
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "listings.db"
        env = {**os.environ, "WKSBM_DB": str(db), "COLUMNS": "120", "WKSBM_LANG": "en"}
        if not db.exists():
            started = time.perf_counter()
            build(db, args.cases, wksbm, env)
            print(f"built {args.cases:,} cases in {time.perf_counter() - started:.1f} s")
        commands = {
            "village list": [wksbm, "village", "list"],
            "case list": [wksbm, "case", "list"],
            "log": [wksbm, "log"],
            "institution list": [wksbm, "institution", "list"],
            "activity list": [wksbm, "activity", "list"],
            "case list --format csv": [wksbm, "case", "list", "--format", "csv"],
            "institution list --format csv": [wksbm, "institution", "list", "--format", "csv"],
            "activity list --format csv": [wksbm, "activity", "list", "--format", "csv"],
        }
        times = {name: [] for name in commands}
        peaks = {name: 0.0 for name in commands}
        for command in commands.values():
            run(command, env)  # warm the file cache
        for _ in range(args.runs):
            for name, command in commands.items():
                wall, peak = run(command, env)
                times[name].append(wall)
                peaks[name] = max(peaks[name], peak)
        base = statistics.median(times["village list"])
        for name in commands:
            median = statistics.median(times[name])
            print(f"{name:30} median {median:6.3f} s  ratio {median / base:5.2f}x village list  peak {peaks[name]:6.1f} MiB")


if __name__ == "__main__":
    main()

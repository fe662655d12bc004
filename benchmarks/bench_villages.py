"""A province's villages file imported against `wksbm region load` of the same villages.

Budget (SPEC section 7): importing all 8,501 villages of Jawa Timur (code, name, formed_on; 1,004
of the names occur more than once), built from the bundled Kemendagri list, takes at most 3x
`wksbm region load 35` on a fresh database.

Each run is a pair of whole commands in fresh processes on fresh databases (region load, then
import); the ratio is taken within each pair and the MEDIAN of the pairs is printed.

    .venv/bin/python benchmarks/bench_villages.py [--province 35] [--runs 5]
"""

import argparse
import csv
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REGIONS = Path(__file__).resolve().parent.parent / "wksbm_cli" / "data" / "regions.sqlite"


def villages_file(province: str, path: Path) -> int:
    """Write every village of `province` as code,name,formed_on; return how many."""
    conn = sqlite3.connect(REGIONS)
    rows = conn.execute("SELECT code, name FROM regions WHERE code LIKE ? AND length(code) = 13 ORDER BY code",
                        [f"{province}.%"]).fetchall()
    conn.close()
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["code", "name", "formed_on"])
        for number, (code, name) in enumerate(rows):
            writer.writerow([code, name, f"2020-{number % 12 + 1:02d}-{number % 28 + 1:02d}"])
    return len(rows)


def timed(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "wksbm_cli", *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--province", default="35")
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        path = folder / "desa.csv"
        count = villages_file(options.province, path)
        ratios, loads, imports = [], [], []
        for run in range(options.runs):
            load = timed("--db", str(folder / f"load{run}.db"), "region", "load", options.province)
            imported = timed("--db", str(folder / f"import{run}.db"), "import", str(path))
            loads.append(load)
            imports.append(imported)
            ratios.append(imported / load)
        print(f"{count} villages of province {options.province}, {options.runs} paired runs")
        print(f"region load: median {statistics.median(loads):.2f} s; import: median {statistics.median(imports):.2f} s")
        print(f"ratio import / region load: median {statistics.median(ratios):.2f}x (budget 3x)")


if __name__ == "__main__":
    main()

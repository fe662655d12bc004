"""How long the web view takes to remake its publishing copy of a country-sized database, against a plain copy.

`wksbm serve` remakes its copy (everything but personal data, SQL INSERT … SELECT per table) on the
first request after the database changed. Baseline: SQLite's own online backup of the same database
into a fresh file (the cheapest whole copy there is). Also: what checking for a change costs a request.

    .venv/bin/python benchmarks/bench_web.py [--repeat 3]
"""

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import country_data  # noqa: E402

from wksbm_cli.db import connect  # noqa: E402
from wksbm_cli.web.publish import Publisher  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"  # shared with bench_summary.py (same country.db)


def backup(source: Path, folder: Path) -> None:
    target = folder / "backup.db"
    target.unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    db = OUT / "country.db"
    source = country_data.build(db)
    print(f"data: {db} ({db.stat().st_size / 2**20:.0f} MiB; villages from {source})")
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        started = time.perf_counter()
        publisher = Publisher(db, folder / "web")
        first = time.perf_counter() - started
        writer = connect(db)
        copies, backups = [], []
        for run in range(args.repeat):
            started = time.perf_counter()
            backup(db, folder)
            backups.append(time.perf_counter() - started)
            writer.execute("UPDATE villages SET decree = ? WHERE id = 1", [f"bench {run} {time.time()}"])
            started = time.perf_counter()
            assert publisher.refresh()
            copies.append(time.perf_counter() - started)
        started = time.perf_counter()
        for _ in range(10_000):
            publisher.refresh()
        check = (time.perf_counter() - started) / 10_000
        size = publisher.path.stat().st_size + (publisher.path.with_name("wksbm.db-wal").stat().st_size
                                                 if publisher.path.with_name("wksbm.db-wal").exists() else 0)
        publisher.close()
        writer.close()
    copy, base = statistics.median(copies), statistics.median(backups)
    print(f"first copy (schema + fill): {first:.2f} s; copy size {size / 2**20:.0f} MiB")
    print(f"remake after a change: median {copy:.2f} s over {args.repeat}; sqlite3 backup of the whole file: "
          f"median {base:.2f} s; ratio {copy / base:.2f}x")
    print(f"checking for a change (no change): {check * 1e6:.1f} µs per request")


if __name__ == "__main__":
    main()

"""What the audit triggers cost a bulk write: 100,000 case rows by executemany.

Since schema m004 an insert writes no audit row (it is recorded on the record), so `cases` and
`audited` should now be equal; the update still writes one audit row (before/after) per case.

Timed side by side in this one process, alternating, best of --runs (wall and CPU seconds):
  bare      the rows into an equivalent bare table (no constraints, no indexes)
  cases     the rows into wksbm's `cases` table with the audit triggers dropped
  audited   the rows into wksbm's `cases` table as it is
  update    one UPDATE of every row's status (an audit row with before/after JSON per case)

    .venv/bin/python benchmarks/bench_audit.py [--rows 100000] [--runs 3]
"""

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wksbm_cli.db import open_db, transaction  # noqa: E402
from wksbm_cli.ids import new_uid, now  # noqa: E402

COLUMNS = ["uid", "ref", "village_id", "category", "person_name", "person_key", "nik", "gender", "birth_year",
           "reported_on", "status", "created_at", "updated_at"]


def rows(count: int) -> list[tuple]:
    stamp = now()
    return [
        (new_uid(), f"KS-{n}", 1, "fakir-miskin", f"Orang {n}", f"orang{n}", "3513134107450001" if n % 5 else None,
         "P", 1945, "2021-01-01", "reported", stamp, stamp)
        for n in range(count)
    ]


def timed(work) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def run_bare(folder: Path, data: list[tuple]) -> tuple[float, float]:
    conn = sqlite3.connect(str(folder / f"bare-{new_uid()}.db"), isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "cache_size = -32000"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute(f"CREATE TABLE cases ({', '.join(COLUMNS)})")
    marks = ", ".join("?" for _ in COLUMNS)

    def work():
        with transaction(conn):
            conn.executemany(f"INSERT INTO cases VALUES ({marks})", data)

    return timed(work)


def run_cases(folder: Path, data: list[tuple], audited: bool) -> tuple[tuple[float, float], tuple[float, float]]:
    conn = open_db(folder / f"cases-{new_uid()}.db", officer="bench", create=True)
    conn.execute("INSERT INTO villages (code, name, name_key, uid, created_at, updated_at) "
                 "VALUES ('35.13.13.2013', 'Randujalak', 'randujalak', 'v1', 'x', 'x')")
    if not audited:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'audit_cases_%'").fetchall():
            conn.execute(f"DROP TRIGGER {name}")
    marks = ", ".join("?" for _ in COLUMNS)

    def insert():
        with transaction(conn):
            conn.executemany(f"INSERT INTO cases ({', '.join(COLUMNS)}) VALUES ({marks})", data)

    def update():
        with transaction(conn):
            conn.execute("UPDATE cases SET status = 'in_handling'")

    return timed(insert), timed(update)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = rows(args.rows)
    best: dict[str, tuple[float, float]] = {}

    def keep(name, result):
        best[name] = min(best.get(name, result), result, key=lambda pair: pair[1])

    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.runs):
            keep("bare", run_bare(Path(folder), data))
            insert, update = run_cases(Path(folder), data, audited=False)
            keep("cases", insert)
            keep("update without audit", update)
            insert, update = run_cases(Path(folder), data, audited=True)
            keep("audited", insert)
            keep("update audited", update)
    base = best["bare"][1]
    print(f"rows: {args.rows:,}; best of {args.runs} runs; seconds wall / cpu; ratio of cpu to bare")
    for name, (wall, cpu) in best.items():
        print(f"  {name:22} {wall:7.3f} / {cpu:7.3f}   {cpu / base:5.2f}x")
    extra = best["audited"][1] - best["cases"][1]
    print(f"audit cost of the inserts: {extra:.3f} s cpu = {extra / base:.2f}x the bare executemany")


if __name__ == "__main__":
    main()

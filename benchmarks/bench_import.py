"""Import of 100,000 case rows from CSV against plain `sqlite3.executemany` of the same rows.

Budget (SPEC section 7): import <= 5x the baseline; the peak memory of importing 1,000,000 rows
at most 1.3x the peak of importing 100,000.

Setup: a database with 100 villages (codes outside the Kemendagri list) and 3 institutions each;
a cases CSV as village officers send it: no refs (wksbm generates them), NIK on most rows,
statuses mixed (60% not `reported`, so those get their one case event), a handling institution
on half the rows.

Timed in this one process, in pairs (baseline, import, floor; --runs times), each ratio taken
within its pair and the MEDIAN of the pairs printed (wall and CPU seconds):
  baseline      csv.reader over the file streamed into executemany(INSERT) of an equivalent bare
                table (same 12 columns, no constraints, no indexes) on a connection with wksbm's
                pragmas;
  import        wksbm_cli.importing.run.import_files() of the same file into a fresh copy of the
                database (validation, matching, refs, events, the import's audit entry, one
                transaction);
  schema floor  the rows that import stored (cases and events, read back from its database)
                replayed by executemany into a fresh copy, 2,000 at a time, with the pragma
                the import sets (temp_store): what the schema
                (indexes, constraints, foreign keys, events) costs when validation and matching
                are free. import minus floor is wksbm's own Python work.
Baseline and import include reading the CSV; none includes process start-up. --all-reported
makes every row `reported` (no case events) to show what the events cost.
Peak memory: `wksbm import` in a fresh subprocess for each of --peak-rows (default 100,000 and
1,000,000), first, while this process is small; max RSS from getrusage (the interpreter included).

    .venv/bin/python benchmarks/bench_import.py [--rows 100000] [--runs 5] [--peak-rows 100000,1000000] [--all-reported]
"""

import argparse
import csv
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wksbm_cli.db import connect, open_db, transaction  # noqa: E402

COLUMNS = ["ref", "village", "category", "person_name", "nik", "gender", "birth_year",
           "reported_on", "status", "handled_by", "resolved_on", "notes"]
STATUSES = ["reported"] * 4 + ["in_handling"] * 3 + ["resolved"] * 2 + ["referred"]
CATEGORIES = ["fakir-miskin", "lansia-terlantar", "anak-terlantar", "penyandang-disabilitas", "anak-balita-terlantar"]
NAMES = ["Siti", "Aminah", "Sumarni", "Kasmuri", "Dedi", "Juma'ah", "Tini", "Slamet", "Suparman", "Nur", "Laili",
         "Hasan", "Mbok", "Sarmi", "Budi", "Santoso", "Wahyuni", "Rahayu", "Abdul", "Rohim"]


CASE_COLUMNS = ("id, ref, village_id, category, person_name, person_key, nik, gender, birth_year, reported_on, "
                "status, handled_by, resolved_on, notes, uid, created_at, updated_at")
EVENT_COLUMNS = "id, case_id, on_date, old_status, new_status, note, uid, created_at, updated_at"


def build_database(path: Path, villages: int = 100) -> list[tuple[str, str]]:
    """Villages and institutions through the service layer; returns (code, institution) pairs."""
    from wksbm_cli.services.institutions import add_institution
    from wksbm_cli.services.villages import add_village

    conn = open_db(path, create=True)
    pairs = []
    with transaction(conn):
        for i in range(villages):
            code = f"35.13.99.{2001 + i}"
            add_village(conn, name=f"Desa Uji {i + 1}", code=code, kecamatan="Besuk", kabupaten="Probolinggo")
            for kind in ("pkk", "karang-taruna", "kube"):
                name = f"{kind.upper()} Desa Uji {i + 1}"
                add_institution(conn, code, name=name, type=kind)
                pairs.append((code, name))
    conn.close()
    return pairs


def write_cases(path: Path, rows: int, pairs: list[tuple[str, str]], all_reported: bool = False) -> None:
    """A cases CSV like the ones officers send (dates day-first, as Indonesian Excel writes them)."""
    rng = random.Random(2021)
    statuses = ["reported"] if all_reported else STATUSES
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        for n in range(rows):
            code, institution = rng.choice(pairs)
            gender = rng.choice("LP")
            born = rng.randint(1935, 2015)
            day, month = rng.randint(1, 28), rng.randint(1, 12)
            nik = f"351399{day + (40 if gender == 'P' else 0):02d}{month:02d}{born % 100:02d}{rng.randint(1, 9999):04d}"
            status = rng.choice(statuses)
            year = rng.randint(2019, 2022)
            reported = f"{rng.randint(1, 28):02d}/{rng.randint(1, 6):02d}/{year}"
            resolved = f"{rng.randint(1, 28):02d}/{rng.randint(7, 12):02d}/{year}" if status == "resolved" else ""
            writer.writerow([
                "", code, rng.choice(CATEGORIES), f"{rng.choice(NAMES)} {rng.choice(NAMES)} {n}",
                nik if rng.random() < 0.8 else "", gender, born, reported, status,
                institution if status != "reported" and rng.random() < 0.8 else "", resolved,
                "Kunjungan rumah oleh kader" if rng.random() < 0.2 else "",
            ])


def time_baseline(csv_path: Path, folder: Path) -> tuple[float, float]:
    """executemany of the CSV's rows into a bare table with the same columns."""
    db = folder / "baseline.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    conn = bare_connection(db)
    conn.execute(f"CREATE TABLE cases ({', '.join(COLUMNS)})")
    wall, cpu = time.perf_counter(), time.process_time()
    with open(csv_path, newline="", encoding="utf-8") as stream:
        reader = csv.reader(stream)
        next(reader)
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(f"INSERT INTO cases VALUES ({', '.join('?' for _ in COLUMNS)})", reader)
        conn.execute("COMMIT")
    result = time.perf_counter() - wall, time.process_time() - cpu
    conn.close()
    return result


def bare_connection(path: Path) -> sqlite3.Connection:
    """A new SQLite file with wksbm's connection pragmas (WAL, synchronous NORMAL, its page cache)."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "cache_size = -32000", "foreign_keys = ON"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def time_import(csv_path: Path, template: Path, folder: Path, name: str) -> tuple[float, float]:
    """wksbm's import of the CSV into a fresh copy of the prepared database."""
    from wksbm_cli.importing.run import import_files

    db = folder / name
    fresh_copy(template, db)
    conn = open_db(db)
    wall, cpu = time.perf_counter(), time.process_time()
    result = import_files(conn, [str(csv_path)], kind="cases")
    elapsed = time.perf_counter() - wall, time.process_time() - cpu
    assert result.counts["cases"].inserted == count_rows(csv_path), result.rows()
    conn.close()
    return elapsed


def stored_rows(db: Path) -> tuple[list[tuple], list[tuple]]:
    """The cases and case events an import stored (to replay them without validation)."""
    conn = connect(db)
    cases = conn.execute(f"SELECT {CASE_COLUMNS} FROM cases ORDER BY id").fetchall()
    events = conn.execute(f"SELECT {EVENT_COLUMNS} FROM case_events ORDER BY id").fetchall()
    conn.close()
    return [tuple(row) for row in cases], [tuple(row) for row in events]


def time_floor(rows: tuple[list, list], template: Path, folder: Path, name: str) -> tuple[float, float]:
    """executemany of the import's stored rows into a fresh copy: what the schema costs with free validation."""
    cases, events = rows
    db = folder / name
    fresh_copy(template, db)
    conn = open_db(db)
    conn.execute("PRAGMA temp_store = MEMORY")  # as import_files sets it
    wall, cpu = time.perf_counter(), time.process_time()
    with transaction(conn):
        for table, columns, values in (("cases", CASE_COLUMNS, cases), ("case_events", EVENT_COLUMNS, events)):
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' for _ in columns.split(', '))})"
            for start in range(0, len(values), 2000):
                conn.executemany(sql, values[start:start + 2000])
    elapsed = time.perf_counter() - wall, time.process_time() - cpu
    conn.close()
    return elapsed


def peak_memory(csv_path: Path, template: Path, folder: Path) -> tuple[float, float]:
    """Max RSS (MiB) and wall seconds of `wksbm import` of the CSV in a fresh process."""
    db = folder / "peak.db"
    fresh_copy(template, db)
    command = [sys.executable, "-m", "wksbm_cli", "--db", str(db), "import", str(csv_path), "--kind", "cases"]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"wksbm import failed: {process.stderr.read().decode()}")
    return usage.ru_maxrss / 1024, wall


def fresh_copy(template: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, target)


def count_rows(csv_path: Path) -> int:
    with open(csv_path, newline="", encoding="utf-8") as stream:
        return sum(1 for _ in csv.reader(stream)) - 1


def median(values: list[float]) -> float:
    return statistics.median(values)


def peaks(rows_list: list[int], pairs, folder: Path, all_reported: bool) -> dict[int, tuple[float, float]]:
    """Max RSS (MiB) and wall seconds of `wksbm import` of N rows, for each N, each in a fresh process."""
    result = {}
    for rows in rows_list:
        csv_path = folder / f"peak-{rows}.csv"
        write_cases(csv_path, rows, pairs, all_reported)
        result[rows] = peak_memory(csv_path, folder / "template.db", folder)
        csv_path.unlink()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--peak-rows", default="100000,1000000", help="row counts whose peak memory is measured")
    parser.add_argument("--all-reported", action="store_true", help="every row `reported`: no case events")
    args = parser.parse_args()
    peak_rows = [int(text) for text in args.peak_rows.split(",") if text]
    with tempfile.TemporaryDirectory(prefix="wksbm-bench-") as tmp:
        folder = Path(tmp)
        template = folder / "template.db"
        pairs = build_database(template)
        conn = connect(template)  # checkpoint so that a file copy holds everything
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        # First, while this process is small: a forked child's max RSS counts its parent's pages.
        peak = peaks(peak_rows, pairs, folder, args.all_reported)
        csv_path = folder / "kasus.csv"
        write_cases(csv_path, args.rows, pairs, args.all_reported)
        runs = []
        for run in range(args.runs):
            baseline = time_baseline(csv_path, folder)
            imported = time_import(csv_path, template, folder, "import.db")
            if run == 0:
                rows = stored_rows(folder / "import.db")
            floor = time_floor(rows, template, folder, "floor.db")
            runs.append({"baseline": baseline, "import": imported, "schema floor": floor})
    statuses = "all reported (no events)" if args.all_reported else "60% not reported (one event each)"
    print(f"rows: {args.rows:,}, {statuses}; {args.runs} paired runs; medians; seconds wall / cpu")
    for label in ("baseline", "import", "schema floor"):
        wall = median([run[label][0] for run in runs])
        cpu = median([run[label][1] for run in runs])
        wall_ratio = median([run[label][0] / run["baseline"][0] for run in runs])
        cpu_ratio = median([run[label][1] / run["baseline"][1] for run in runs])
        print(f"  {label:14} {wall:7.3f} / {cpu:7.3f}   ratio {wall_ratio:5.2f}x wall, {cpu_ratio:5.2f}x cpu")
    wall_ratio = median([run["import"][0] / run["baseline"][0] for run in runs])
    cpu_ratio = median([run["import"][1] / run["baseline"][1] for run in runs])
    print(f"HEADLINE import / baseline (median of pairs): {wall_ratio:.2f}x wall, {cpu_ratio:.2f}x cpu")
    for rows, (mib, wall) in peak.items():
        print(f"peak memory of `wksbm import` of {rows:,} rows (fresh process, max RSS): {mib:.1f} MiB; wall {wall:.1f} s")
    if len(peak) >= 2:
        small, large = min(peak), max(peak)
        print(f"peak ratio {large:,} / {small:,} rows: {peak[large][0] / peak[small][0]:.2f}x")
    print("budget: import <= 5x baseline; peak at 1,000,000 rows <= 1.3x the peak at 100,000")


if __name__ == "__main__":
    main()

"""Import of 100,000 case rows from CSV against plain `sqlite3.executemany` of the same rows.

Budget (SPEC section 7): import <= 2.5x the baseline; peak memory of the import < 100 MiB.

Setup: a database with 100 villages (codes outside the Kemendagri list) and 3 institutions each;
a cases CSV as village officers send it: no refs (wksbm generates them), NIK on most rows,
statuses mixed (60% not `reported`, so those get their one case event), a handling institution
on half the rows.

Timed, side by side in this one process, alternating, best of --runs:
  baseline      csv.reader over the file streamed into executemany(INSERT) of an equivalent bare
                table (same 12 columns, no constraints, no indexes) on a connection with wksbm's
                pragmas;
  import        wksbm_cli.importing.run.import_files() of the same file into a fresh copy of the
                database (validation, matching, refs, events, audit triggers, one transaction);
  schema floor  the rows that import stored (cases and events, read back from its database)
                replayed by executemany into a fresh copy, 2,000 at a time: what the schema
                (indexes, constraints, foreign keys, audit triggers, events) costs when validation
                and matching are free. import minus floor is wksbm's own Python work.
Baseline and import include reading the CSV; none includes process start-up. Wall and CPU seconds.
The headline is the import as shipped, audit triggers included. For comparison the import and
the floor also run on a copy without the audit triggers (--skip-no-audit leaves that out), and
--all-reported makes every row `reported` (no case events) to show what the events cost.
Peak memory: the import once more in a fresh subprocess (`wksbm import`), first, while this
process is small; its max RSS from getrusage (including the interpreter, about 30 MiB).

    .venv/bin/python benchmarks/bench_import.py [--rows 100000] [--runs 3] [--skip-no-audit] [--all-reported]
"""

import argparse
import csv
import os
import random
import shutil
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

    conn = open_db(path)
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
    conn = connect(db)
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


def without_audit(template: Path, target: Path) -> None:
    """A copy of the database with the audit triggers dropped (to show what they cost)."""
    fresh_copy(template, target)
    conn = connect(target)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_%'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.close()


def count_rows(csv_path: Path) -> int:
    with open(csv_path, newline="", encoding="utf-8") as stream:
        return sum(1 for _ in csv.reader(stream)) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-no-audit", action="store_true", help="do not time the import without audit triggers")
    parser.add_argument("--all-reported", action="store_true", help="every row `reported`: no case events")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wksbm-bench-") as tmp:
        folder = Path(tmp)
        template = folder / "template.db"
        pairs = build_database(template)
        csv_path = folder / "kasus.csv"
        write_cases(csv_path, args.rows, pairs, args.all_reported)
        conn = connect(template)  # checkpoint so that a file copy holds everything
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        if not args.skip_no_audit:
            without_audit(template, folder / "template-no-audit.db")
        # First, while this process is small: a forked child's max RSS counts its parent's pages.
        peak, subprocess_wall = peak_memory(csv_path, template, folder)
        times = {"baseline": [], "import": [], "import without audit": [],
                 "schema floor": [], "schema floor, no audit": []}
        for run in range(args.runs):
            times["baseline"].append(time_baseline(csv_path, folder))
            times["import"].append(time_import(csv_path, template, folder, "import.db"))
            if run == 0:
                rows = stored_rows(folder / "import.db")
            times["schema floor"].append(time_floor(rows, template, folder, "floor.db"))
            if not args.skip_no_audit:
                times["import without audit"].append(
                    time_import(csv_path, folder / "template-no-audit.db", folder, "import-no-audit.db"))
                times["schema floor, no audit"].append(
                    time_floor(rows, folder / "template-no-audit.db", folder, "floor-no-audit.db"))
    base_wall, base_cpu = min(t[0] for t in times["baseline"]), min(t[1] for t in times["baseline"])
    statuses = "all reported (no events)" if args.all_reported else "60% not reported (one event each)"
    print(f"rows: {args.rows:,}, {statuses}; best of {args.runs} runs; seconds wall / cpu")
    for label, runs in times.items():
        if not runs:
            continue
        wall, cpu = min(t[0] for t in runs), min(t[1] for t in runs)
        print(f"  {label:22} {wall:7.3f} / {cpu:7.3f}   ratio {wall / base_wall:5.2f}x wall, {cpu / base_cpu:5.2f}x cpu")
    wall = min(t[0] for t in times["import"])
    print(f"HEADLINE (import with audit triggers / baseline, wall): {wall / base_wall:.2f}x")
    print(f"peak memory of `wksbm import` (fresh process, max RSS): {peak:.1f} MiB; its wall time {subprocess_wall:.2f} s")
    print("budget: import <= 2.5x baseline, peak < 100 MiB")


if __name__ == "__main__":
    main()

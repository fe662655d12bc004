"""A regency-sized merge: 30 officers' databases of 5,000 cases each into the Dinsos hub.

Setup (not timed): a hub with 30 kecamatan of 5 villages, 2 institutions each and 20 cases per
kecamatan; `backup` makes 30 officers' copies (each its own identity). Each officer then works in
its own kecamatan: 5,000 new cases imported from a CSV like the ones villages send (60% not
`reported`, so with a case event), 20 of the hub's cases moved on (a status change each), and the
members of the kecamatan's first institution changed; every officer also changes the members of
one shared institution of kecamatan 1, so the merge has 29 conflicts to store.

Timed, in this process (wall and CPU seconds, best of --runs on fresh copies of the hub):
  floor   the same 30 files' cases and events copied by ATTACH + INSERT … SELECT into a copy of the
          hub stripped of indexes and triggers (no matching, no remapping, no history): what moving
          the rows alone costs;
  merge   wksbm_cli.merge.run.merge_files() of the 30 files into a fresh copy of the hub: every file
          checked, loaded, matched by uid, linked, remapped, field-merged from the audit history,
          events unioned, statuses recomputed, audit appended, one transaction;
  again   the same merge once more into the merged hub (nothing changes: the cost of a no-op).
Peak memory: `wksbm merge` of the 30 files in a fresh subprocess, first; its max RSS (getrusage),
the interpreter (about 30 MiB) included.

    .venv/bin/python benchmarks/bench_merge.py [--officers 30] [--cases 5000] [--runs 1]
"""

import argparse
import csv
import os
import random
import resource
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
CATEGORIES = ["fakir-miskin", "lansia-terlantar", "anak-terlantar", "penyandang-disabilitas"]
NAMES = ["Siti", "Aminah", "Sumarni", "Kasmuri", "Dedi", "Tini", "Slamet", "Suparman", "Nur", "Hasan", "Budi"]


def village_code(kecamatan: int, village: int) -> str:
    return f"35.99.{kecamatan:02d}.{2001 + village}"  # outside the Kemendagri list


def build_hub(path: Path, officers: int) -> None:
    from wksbm_cli.services.cases import add_case
    from wksbm_cli.services.institutions import add_institution
    from wksbm_cli.services.villages import add_village

    conn = open_db(path, officer="Dinsos", create=True)
    with transaction(conn):
        for k in range(1, officers + 1):
            for v in range(5):
                code = village_code(k, v)
                add_village(conn, name=f"Desa {k}-{v}", code=code, kecamatan=f"Kecamatan {k}", kabupaten="Uji")
                for kind in ("pkk", "kube"):
                    add_institution(conn, code, name=f"{kind.upper()} {k}-{v}", type=kind, members="10")
            for n in range(20):
                add_case(conn, village_code(k, n % 5), category="fakir-miskin", person_name=f"Warga {k}-{n}",
                         reported_on="2021-01-05")
    conn.close()


def write_cases(path: Path, rows: int, kecamatan: int, seed: int) -> None:
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        for n in range(rows):
            v = rng.randrange(5)
            gender = rng.choice("LP")
            born = rng.randint(1935, 2015)
            day, month = rng.randint(1, 28), rng.randint(1, 12)
            nik = f"3513{kecamatan:02d}{day + (40 if gender == 'P' else 0):02d}{month:02d}{born % 100:02d}{rng.randint(1, 9999):04d}"
            status = rng.choice(STATUSES)
            year = rng.randint(2021, 2022)
            reported = f"{rng.randint(1, 28):02d}/{rng.randint(1, 6):02d}/{year}"
            resolved = f"{rng.randint(1, 28):02d}/{rng.randint(7, 12):02d}/{year}" if status == "resolved" else ""
            writer.writerow(["", village_code(kecamatan, v), rng.choice(CATEGORIES),
                             f"{rng.choice(NAMES)} {rng.choice(NAMES)} {kecamatan}-{n}",
                             nik if rng.random() < 0.8 else "", gender, born, reported, status,
                             f"KUBE {kecamatan}-{v}" if status != "reported" and rng.random() < 0.5 else "", resolved, ""])


def build_officer(hub: Path, path: Path, kecamatan: int, cases: int, folder: Path) -> None:
    from wksbm_cli.importing.run import import_files
    from wksbm_cli.services.cases import update_case
    from wksbm_cli.services.institutions import update_institution
    from wksbm_cli.services.status import backup_database

    conn = open_db(hub, officer="Dinsos")
    backup_database(conn, hub, path)
    conn.close()
    officer = f"TKSK {kecamatan}"
    csv_path = folder / f"cases-{kecamatan}.csv"
    write_cases(csv_path, cases, kecamatan, seed=kecamatan)
    conn = open_db(path, officer=officer)
    import_files(conn, [str(csv_path)], kind="cases")
    with transaction(conn):
        refs = [row[0] for row in conn.execute(
            "SELECT ref FROM cases WHERE person_name LIKE ? ORDER BY id", [f"Warga {kecamatan}-%"])]
        for ref in refs:
            update_case(conn, ref, status="in_handling", on=f"2021-02-{kecamatan % 28 + 1:02d}")
        update_institution(conn, village_code(kecamatan, 0), f"PKK {kecamatan}-0", members=str(20 + kecamatan))
        if kecamatan != 1:
            update_institution(conn, village_code(1, 1), "PKK 1-1", members=str(100 + kecamatan))
    conn.close()
    csv_path.unlink()


def fresh_copy(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(source, target)


def time_floor(hub: Path, files: list[Path], folder: Path) -> tuple[float, float]:
    """ATTACH each file and copy its cases and events as they are into a bare copy of the hub."""
    db = folder / "floor.db"
    fresh_copy(hub, db)
    conn = connect(db)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('trigger', 'index') AND sql IS NOT NULL").fetchall():
        kind = conn.execute("SELECT type FROM sqlite_master WHERE name = ?", [name]).fetchone()[0]
        conn.execute(f'DROP {kind.upper()} "{name}"')
    conn.execute("CREATE TABLE bare_cases AS SELECT * FROM cases WHERE 0")
    conn.execute("CREATE TABLE bare_events AS SELECT * FROM case_events WHERE 0")
    wall, cpu = time.perf_counter(), time.process_time()
    conn.execute("BEGIN IMMEDIATE")
    for path in files:
        conn.execute("ATTACH DATABASE ? AS other", [str(path)])
        conn.execute("INSERT INTO bare_cases SELECT * FROM other.cases")
        conn.execute("INSERT INTO bare_events SELECT * FROM other.case_events")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE other")
        conn.execute("BEGIN IMMEDIATE")
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - wall, time.process_time() - cpu
    conn.close()
    return elapsed


def time_merge(hub_copy: Path, files: list[Path]) -> tuple[tuple[float, float], dict]:
    from wksbm_cli.merge.run import merge_files

    conn = open_db(hub_copy, officer="Dinsos")
    wall, cpu = time.perf_counter(), time.process_time()
    report = merge_files(conn, files, hub_copy)
    elapsed = time.perf_counter() - wall, time.process_time() - cpu
    conn.close()
    return elapsed, report


def peak_memory(hub: Path, files: list[Path], folder: Path) -> float:
    db = folder / "peak.db"
    fresh_copy(hub, db)
    wksbm = Path(sys.executable).parent / "wksbm"
    subprocess.run([str(wksbm), "--db", str(db), "--officer", "Dinsos", "merge", *map(str, files), "--format", "json"],
                   check=True, stdout=subprocess.DEVNULL, env={**os.environ, "WKSBM_LANG": "en"})
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=30)
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-merge-"))
    try:
        hub = folder / "hub.db"
        start = time.perf_counter()
        build_hub(hub, args.officers)
        files = []
        for k in range(1, args.officers + 1):
            files.append(folder / f"tksk-{k}.db")
            build_officer(hub, files[-1], k, args.cases, folder)
        size = sum(path.stat().st_size for path in files) / 2**20
        print(f"setup: hub + {args.officers} officers x {args.cases:,} cases ({size:.0f} MiB of files) "
              f"in {time.perf_counter() - start:.0f} s")
        peak = peak_memory(hub, files, folder)
        floors, merges, agains = [], [], []
        for _ in range(args.runs):
            floors.append(time_floor(hub, files, folder))
            target = folder / "merged.db"
            fresh_copy(hub, target)
            elapsed, report = time_merge(target, files)
            merges.append(elapsed)
            again, second = time_merge(target, files)
            agains.append(again)
        floor, merge, again = min(floors), min(merges), min(agains)
        kinds = report["kinds"]
        print("first merge: " + "; ".join(f"{kind} {c['inserted']:,} inserted, {c['updated']:,} updated, "
                                          f"{c['unchanged']:,} unchanged, {c['conflicts']} conflicts"
                                          for kind, c in kinds.items() if any(c.values())))
        print(f"merge again: {sum(c['inserted'] + c['updated'] + c['conflicts'] for c in second['kinds'].values())} changes")
        print(f"floor (ATTACH + INSERT … SELECT of cases and events): {floor[0]:6.2f} s wall, {floor[1]:6.2f} s CPU")
        print(f"merge (30 files, one transaction):                   {merge[0]:6.2f} s wall, {merge[1]:6.2f} s CPU"
              f"  = {merge[0] / floor[0]:.1f}x the floor")
        print(f"merge again (no-op):                                 {again[0]:6.2f} s wall, {again[1]:6.2f} s CPU")
        print(f"peak memory of `wksbm merge` (subprocess max RSS):   {peak:6.0f} MiB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

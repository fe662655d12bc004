"""`wksbm import` as real processes on one database file: two at once both succeed and lose nothing;
one killed with SIGKILL in the middle of writing leaves the database sound and without its rows."""

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="kill -9")
WKSBM = [sys.executable, "-m", "wksbm_cli"]


def write_cases(path, prefix, count, village="35.13.13.2013"):
    """A cases CSV of `count` rows with refs PREFIX-0 … (every third with a NIK)."""
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["ref", "village", "category", "person_name", "nik", "reported_on", "status"])
        for number in range(count):
            nik = "3513134107450001" if number % 3 == 0 else ""
            writer.writerow([f"{prefix}-{number}", village, "fakir-miskin", f"{prefix} orang {number}", nik, "2021-06-01", "reported"])
    return path


def start_import(db_path, *args, officer="importer"):
    return subprocess.Popen(
        [*WKSBM, "--db", str(db_path), "import", *map(str, args), "--format", "json"],
        env={**os.environ, "WKSBM_OFFICER": officer}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish(process, timeout=300):
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    return json.loads(out)


def counts(db_path):
    conn = sqlite3.connect(db_path)
    result = conn.execute(
        "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM cases WHERE import_id IS NOT NULL)"
    ).fetchone()
    conn.close()
    return result


def test_two_imports_started_at_once_both_succeed_and_lose_nothing(besuk, db_path, tmp_path):
    first_file = write_cases(tmp_path / "kasus_a.csv", "A", 20_000)
    second_file = write_cases(tmp_path / "kasus_b.csv", "B", 20_000, village="35.13.13.2003")
    first = start_import(db_path, first_file, "--kind", "cases", officer="satu")
    second = start_import(db_path, second_file, "--kind", "cases", officer="dua")
    for result in (finish(first), finish(second)):
        assert result == [{"kind": "cases", "files": 1, "rows": 20_000, "inserted": 20_000, "updated": 0, "unchanged": 0}]
    assert counts(db_path) == (40_000, 40_000)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(DISTINCT ref) FROM cases").fetchone()[0] == 40_000
    assert dict(conn.execute("SELECT created_by, count(*) FROM cases GROUP BY created_by")) == {
        "satu": 20_000, "dua": 20_000,
    }
    # Each import is one audit entry, signed by its officer.
    assert sorted(conn.execute("SELECT officer FROM audit_log WHERE table_name = 'imports'")) == [("dua",), ("satu",)]
    conn.close()
    assert besuk("check").exit_code == 0


def test_the_same_file_imported_twice_at_once_is_stored_once(besuk, db_path, tmp_path):
    data = write_cases(tmp_path / "cases.csv", "S", 5_000)
    first, second = start_import(db_path, data), start_import(db_path, data)
    results = sorted([finish(first)[0], finish(second)[0]], key=lambda result: result["inserted"])
    assert [(result["inserted"], result["unchanged"]) for result in results] == [(0, 5_000), (5_000, 0)]
    assert counts(db_path) == (5_000, 5_000)


@posix_only
def test_an_import_killed_while_writing_leaves_the_database_as_it_was(besuk, db_path, tmp_path):
    assert besuk("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "Sebelum").exit_code == 0
    before = counts(db_path)
    conn = sqlite3.connect(db_path)
    audit_before = conn.execute("SELECT * FROM audit_log").fetchall()
    conn.close()
    big = write_cases(tmp_path / "cases.csv", "K", 200_000)
    wal = db_path.with_name(db_path.name + "-wal")
    wal_at_start = wal.stat().st_size if wal.exists() else 0
    importer = start_import(db_path, big)
    # Wait until it is writing: its uncommitted pages spill into the WAL (the import is one
    # transaction, so nothing is committed before the end). The deadline only guards a hang.
    deadline = time.monotonic() + 240
    while importer.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > wal_at_start + 8_000_000:
            break
        time.sleep(0.05)
    assert importer.poll() is None, "the import finished before it could be killed: make the file bigger"
    os.kill(importer.pid, signal.SIGKILL)
    importer.wait()
    assert importer.returncode == -signal.SIGKILL
    conn = sqlite3.connect(db_path)  # plain SQLite: what the file really holds after recovery
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM cases WHERE ref LIKE 'K-%'").fetchone()[0] == 0
    assert conn.execute("SELECT * FROM audit_log").fetchall() == audit_before
    conn.close()
    assert counts(db_path) == before
    result = besuk("check")
    assert result.exit_code == 0, result.output
    # The database takes the same import again at once, completely.
    small = write_cases(tmp_path / "kasus_lagi.csv", "K", 1_000)
    assert finish(start_import(db_path, small))[0]["inserted"] == 1_000

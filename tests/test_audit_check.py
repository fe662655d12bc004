"""`wksbm check`: a sound database passes; each kind of damage is found and named, exit 1."""

import json
import os
import sqlite3
import sys

import pytest

from wksbm_cli.db import connect

CHECKS = ["integrity", "foreign keys", "schema", "reference tables", "audit log", "file mode"]


def check(cli, *args):
    result = cli("check", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout) if result.stdout else None, result.stderr


def failed(report):
    return {item["check"]: item["problems"] for item in report["checks"] if not item["ok"]}


def test_a_sound_database_passes(besuk):
    code, report, stderr = check(besuk)
    assert (code, stderr) == (0, "")
    assert report == {"ok": True, "checks": [{"check": name, "ok": True, "problems": []} for name in CHECKS]}
    result = besuk("check")
    assert result.exit_code == 0
    assert [line.split("│")[1:3] for line in result.stdout.splitlines() if line.startswith("│")][0] == [" integrity        ", " ok     "]


def test_a_damaged_page_is_found(besuk, db_path):
    for number in range(40):
        besuk("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", f"Orang {number}", "--reported-on", "2021-01-01")
    conn = connect(db_path)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'cases_village_id'").fetchone()
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()  # the last connection: checkpoints the WAL into the file
    with open(db_path, "r+b") as file:
        file.seek(root * page_size - 200)  # the cell area at the end of the index's page
        file.write(b"\xff" * 200)
    code, report, stderr = check(besuk)
    assert code == 1
    assert report["ok"] is False
    assert list(failed(report)) == ["integrity"]
    assert stderr.startswith("Error: the database check failed: ")
    assert failed(report)["integrity"][0] == f"On tree page {root} cell 39: Extends off end of page"
    assert stderr.count("\n") == 1 and stderr.endswith(" more)\n")


def test_a_broken_foreign_key_is_named(besuk, db_path):
    conn = connect(db_path, officer="repair-script")
    conn.execute("PRAGMA foreign_keys = OFF")  # what a careless other tool might do
    conn.execute("UPDATE institutions SET village_id = 99 WHERE name = 'PKK Randujalak'")
    conn.close()
    code, report, stderr = check(besuk)
    assert code == 1
    assert failed(report) == {"foreign keys": ["institutions row 2 refers to a missing villages record"]}
    assert stderr == "Error: the database check failed: institutions row 2 refers to a missing villages record\n"


def test_a_dropped_audit_trigger_is_named(besuk, db_path):
    conn = connect(db_path)
    conn.execute("DROP TRIGGER audit_cases_update")
    conn.close()
    code, report, stderr = check(besuk)
    assert code == 1
    assert failed(report) == {"audit log": ["trigger audit_cases_update is missing: changes go unrecorded"]}


def test_emptied_reference_tables_are_named(besuk, db_path):
    conn = connect(db_path)
    conn.execute("DELETE FROM pmks_categories WHERE number > 20")
    conn.close()
    code, report, _ = check(besuk)
    assert code == 1
    assert failed(report) == {"reference tables": ["pmks_categories has 20 rows, expected at least 26"]}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_a_database_open_to_others_is_named(besuk, db_path):
    os.chmod(db_path, 0o644)
    code, report, stderr = check(besuk)
    assert code == 1
    problem = f"open to other users: {db_path} (0644), {db_path}-wal (0644), {db_path}-shm (0644); run chmod 600 on each"
    assert failed(report) == {"file mode": [problem]}
    assert stderr == f"Error: the database check failed: {problem}\n"


def test_a_file_that_is_not_a_database_is_refused(cli, tmp_path):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(os.urandom(8192))
    result = cli("--db", garbage, "check")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: {garbage} is not a database file (damaged, or another kind of file): it was left untouched\n"


def test_a_truncated_database_is_refused_or_reported(besuk, db_path, cli):
    size = db_path.stat().st_size
    with open(db_path, "r+b") as file:
        file.truncate(size // 2)
    result = cli("check")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.output


def test_check_never_touches_the_data(besuk, db_path):
    before = sqlite3.connect(db_path).execute("SELECT count(*), max(id) FROM audit_log").fetchone()
    assert besuk("check").exit_code == 0
    assert sqlite3.connect(db_path).execute("SELECT count(*), max(id) FROM audit_log").fetchone() == before


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_check_in_indonesian_names_each_check_and_problem(besuk, db_path, monkeypatch):
    os.chmod(db_path, 0o644)
    english = besuk("check", "--format", "csv")
    monkeypatch.setenv("WKSBM_LANG", "id")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.chdir(db_path.parent)
    result = besuk("--db", db_path.name, "check")
    assert result.exit_code == 1
    assert result.stdout == """\
pemeriksaan        hasil
  masalah
────────────────────────
integritas         baik
rujukan antardata  baik
skema              baik
tabel acuan        baik
log audit          baik
izin berkas        GAGAL
  terbuka bagi pengguna lain: wksbm.db (0644), wksbm.db-wal (0644), wksbm.db-shm
  (0644); jalankan chmod 600 pada masing-masing
"""
    assert result.stderr == ("Kesalahan: pemeriksaan basis data gagal: terbuka bagi pengguna lain: wksbm.db (0644), "
                             "wksbm.db-wal (0644), wksbm.db-shm (0644); jalankan chmod 600 pada masing-masing\n")
    # CSV names the checks as scripts know them (the problems are sentences, in the interface language)
    indonesian = besuk("check", "--format", "csv")
    assert [line.split(",")[:2] for line in indonesian.stdout.splitlines()] == \
           [line.split(",")[:2] for line in english.stdout.splitlines()]

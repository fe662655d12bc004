"""An import is one audit entry; its records carry their origin; `wksbm import undo` takes it back."""

import hashlib
import sqlite3

from helpers import import_counts, new_raw_database, query

from wksbm_cli.db import open_db
from wksbm_cli.schema import MIGRATIONS

CASES = """village,category,person_name,reported_on,status,resolved_on
35.13.13.2013,fakir-miskin,Siti Aminah,2022-01-05,reported,
35.13.13.2013,lansia-terlantar,Mbok Sarmi,2022-02-01,in_handling,
35.13.13.2003,fakir-miskin,Pak Darmo,2022-03-01,resolved,2022-06-01
"""
VILLAGES = "name,code,kecamatan,kabupaten\nSumberagung,35.13.13.2099,Besuk,Probolinggo\n"


def imported(cli, tmp_path, *files):
    paths = []
    for name, text in files:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    result = cli("import", *paths, "--format", "json")
    import_counts(result)
    return paths


def test_an_import_is_one_audit_entry_and_its_records_carry_their_origin(besuk, db_path, tmp_path):
    before = query(db_path, "SELECT count(*) FROM audit_log")[0][0]
    (path,) = imported(besuk, tmp_path, ("kasus.csv", CASES))
    entries = query(db_path, "SELECT action, table_name, officer FROM audit_log")[before:]
    assert entries == [("insert", "imports", "test-officer")]
    assert query(db_path, "SELECT ref, created_by, import_id FROM cases ORDER BY id") == [
        ("KS-2022-0001", "test-officer", 1), ("KS-2022-0002", "test-officer", 1), ("KS-2022-0003", "test-officer", 1)]
    assert query(db_path, "SELECT created_by, import_id FROM case_events") == [("test-officer", 1)] * 2
    (listed,) = besuk.json("log", "--imports")
    assert {key: listed[key] for key in ("id", "officer", "files", "inserted", "updated", "unchanged", "undone")} == {
        "id": 1, "officer": "test-officer", "files": [str(path)], "inserted": 3, "updated": 0, "unchanged": 0, "undone": None}
    assert listed["sha256"] == {str(path): hashlib.sha256(path.read_bytes()).hexdigest()}
    assert listed["records"] == {"villages": 0, "institutions": 0, "activities": 0, "cases": 3, "case_events": 2}
    last = besuk.json("log")[-1]
    assert (last["table"], last["after"]["counts"]["cases"]["inserted"]) == ("imports", 3)
    assert besuk("check").exit_code == 0


def test_records_carry_an_officers_name_as_typed_whatever_its_quotes(besuk, db_path, tmp_path, monkeypatch):
    # The values an import's records share are written into its INSERT as SQL literals.
    monkeypatch.setenv("WKSBM_OFFICER", "Dra. Siti O'Neil'); DROP TABLE cases; --")
    imported(besuk, tmp_path, ("kasus.csv", CASES))
    assert query(db_path, "SELECT DISTINCT created_by, import_id FROM cases UNION ALL "
                          "SELECT DISTINCT created_by, import_id FROM case_events") == [
        ("Dra. Siti O'Neil'); DROP TABLE cases; --", 1)] * 2
    (stamp,) = query(db_path, "SELECT DISTINCT created_at || ' ' || updated_at FROM cases")
    assert stamp[0][:20] == stamp[0][21:] and stamp[0].endswith("Z")


def test_undo_of_an_untouched_import_removes_its_records(besuk, db_path, tmp_path):
    imported(besuk, tmp_path, ("desa.csv", VILLAGES), ("kasus.csv", CASES))
    cases_before = besuk.json("case", "list")
    result = besuk("import", "undo", "1")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Undid import 1: removed 1 village, 3 cases, 2 case events.\n"
    assert query(db_path, "SELECT count(*) FROM cases") == [(0,)]
    assert query(db_path, "SELECT count(*) FROM villages WHERE code = '35.13.13.2099'") == [(0,)]
    assert len(cases_before) == 3
    (listed,) = besuk.json("log", "--imports")
    assert listed["undone"] is not None and listed["undone_by"] == "test-officer"
    last = besuk.json("log")[-1]
    assert (last["action"], last["table"], last["after"]["undone_by"]) == ("update", "imports", "test-officer")
    assert besuk("check").exit_code == 0
    again = besuk("import", "undo", "1")
    assert again.exit_code == 1
    assert again.stderr.startswith("Error: import 1 was already undone on ")


def test_undo_is_refused_when_a_record_was_changed_since(besuk, db_path, tmp_path):
    imported(besuk, tmp_path, ("kasus.csv", CASES))
    assert besuk("case", "update", "KS-2022-0001", "--status", "in_handling", "--on", "2022-02-01").exit_code == 0
    (at,) = query(db_path, "SELECT substr(replace(at, 'T', ' '), 1, 19) FROM audit_log WHERE action = 'update'")[0]
    result = besuk("import", "undo", "1")
    assert result.exit_code == 1
    assert result.stderr == f"Error: import 1 cannot be undone: case KS-2022-0001 was updated on {at} by test-officer\n"
    assert query(db_path, "SELECT count(*) FROM cases") == [(3,)]


def test_undo_is_refused_when_a_later_record_refers_to_one_of_its_records(besuk, db_path, tmp_path):
    imported(besuk, tmp_path, ("desa.csv", VILLAGES))
    assert besuk("case", "add", "--village", "35.13.13.2099", "--category", "fakir-miskin", "--name", "Ani",
                 "--reported-on", "2022-04-04").exit_code == 0
    (at,) = query(db_path, "SELECT substr(replace(created_at, 'T', ' '), 1, 19) FROM cases")[0]
    result = besuk("import", "undo", "1")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: import 1 cannot be undone: case KS-2022-0001, added on {at} by test-officer, "
                             "refers to village 35.13.13.2099 of this import\n")


def test_undo_of_an_unknown_import_and_a_bad_number(besuk):
    result = besuk("import", "undo", "9")
    assert (result.exit_code, result.stderr) == (1, "Error: no import 9: `wksbm log --imports` lists them\n")
    result = besuk("import", "undo")
    assert result.exit_code == 2


def test_a_dry_run_records_no_import(besuk, db_path, tmp_path):
    path = tmp_path / "kasus.csv"
    path.write_text(CASES, encoding="utf-8")
    assert besuk("import", path, "--dry-run").exit_code == 0
    assert query(db_path, "SELECT count(*) FROM imports") == [(0,)]


def test_the_upgrade_keeps_every_insert_entry_readable(tmp_path, cli):
    # A database as schema 3 made it: its inserts audited by per-row triggers.
    from sqlite_utils import Database

    path = tmp_path / "v3.db"
    conn = new_raw_database(path, officer="old-officer")
    MIGRATIONS.apply(Database(conn), stop_before="m004_insert_audit_on_the_record")
    conn.execute("PRAGMA user_version = 3")
    conn.execute("""INSERT INTO villages (code, name, name_key, kecamatan, uid, created_at, updated_at)
                    VALUES ('35.13.13.2013', 'Randujalak', 'randujalak', 'Besuk', 'v-1', '2021-01-01', '2021-01-01')""")
    conn.execute("""INSERT INTO villages (code, name, name_key, uid, created_at, updated_at)
                    VALUES ('35.13.13.2003', 'Alasnyiur', 'alasnyiur', 'v-2', '2021-01-01', '2021-01-01')""")
    conn.execute("UPDATE villages SET decree = 'SK 1/2021' WHERE uid = 'v-2'")
    conn.close()
    open_db(path).close()
    assert query(path, "SELECT uid, created_by, import_id FROM villages ORDER BY id") == [
        ("v-1", "old-officer", None), ("v-2", "old-officer", None)]
    entries = cli.json("--db", path, "log")
    assert [(entry["action"], entry["record"], entry["officer"]) for entry in entries] == [
        ("insert", "v-1", "old-officer"), ("insert", "v-2", "old-officer"), ("update", "v-2", "old-officer")]
    assert entries[0]["after"]["name"] == "Randujalak"
    assert entries[1]["after"]["decree"] is None  # its first state, from the update's "before"
    result = cli("--db", path, "check")
    assert result.exit_code == 0, result.output


def test_another_program_cannot_remove_an_import(besuk, db_path, tmp_path):
    imported(besuk, tmp_path, ("kasus.csv", CASES))
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("DELETE FROM imports")
        raise AssertionError("deleted")
    except sqlite3.IntegrityError as error:
        assert "imports are part of the audit log" in str(error)
    conn.close()

"""The audit log: every change recorded by triggers, signed by the officer, never altered."""

import json
import sqlite3

import pytest

from wksbm_cli.db import connect, open_db, transaction

from helpers import compact_rows, table_cells


def entries(cli, *args):
    """`wksbm log --format json`, without the parts that differ per run (id, time, uid)."""
    rows = cli.json("log", *args)
    return [{key: row[key] for key in ("officer", "action", "table", "before", "after")} for row in rows]


VILLAGE = {"code": "35.13.13.2099", "name": "Desa Uji", "kecamatan": "Besuk", "kabupaten": "Probolinggo",
           "formed_on": None, "decree": None, "notes": None}


def test_add_update_delete_of_a_village_leave_their_trail(cli):
    assert cli("village", "add", "Desa Uji", "--code", "35.13.13.2099", "--kecamatan", "Besuk", "--kabupaten", "Probolinggo").exit_code == 0
    assert cli("--officer", "Bu Ani", "village", "update", "Desa Uji", "--formed-on", "14/03/2020", "--decree", "SK 12/2020").exit_code == 0
    assert cli("village", "delete", "35.13.13.2099").exit_code == 0
    formed = {**VILLAGE, "formed_on": "2020-03-14", "decree": "SK 12/2020"}
    assert entries(cli) == [
        {"officer": "test-officer", "action": "insert", "table": "villages", "before": None, "after": VILLAGE},
        {"officer": "Bu Ani", "action": "update", "table": "villages", "before": VILLAGE, "after": formed},
        {"officer": "test-officer", "action": "delete", "table": "villages", "before": formed, "after": None},
    ]
    rows = cli.json("log")
    assert len({row["record"] for row in rows}) == 1
    assert rows[0]["at"] <= rows[1]["at"] <= rows[2]["at"]
    assert rows[0]["at"].endswith("Z") and len(rows[0]["at"]) == len("2021-01-01T00:00:00.000Z")


def test_officer_comes_from_the_option_then_the_environment_then_the_login(cli, monkeypatch):
    cli("--officer", "Pak Budi", "village", "add", "Satu", "--code", "35.13.13.2091")
    cli("village", "add", "Dua", "--code", "35.13.13.2092")
    monkeypatch.delenv("WKSBM_OFFICER")
    monkeypatch.setenv("USER", "login-name")
    monkeypatch.setenv("LOGNAME", "login-name")
    cli("village", "add", "Tiga", "--code", "35.13.13.2093")
    assert [row["officer"] for row in cli.json("log")] == ["Pak Budi", "test-officer", "login-name"]


def test_a_case_its_status_change_and_its_event_are_recorded(besuk):
    before = len(besuk.json("log"))
    besuk("case", "add", "--village", "Randujalak", "--category", "lansia-terlantar", "--name", "Mbok Sarmi",
          "--nik", "3513134107450001", "--reported-on", "2021-02-03")
    besuk("case", "update", "KS-2021-0001", "--status", "resolved", "--on", "2021-03-20", "--note", "PKH")
    rows = besuk.json("log")[before:]
    assert [(row["action"], row["table"]) for row in rows] == [
        ("insert", "cases"), ("insert", "case_events"), ("update", "cases"),
    ]
    assert rows[1]["after"] == {"case_id": 1, "on_date": "2021-03-20", "old_status": "reported", "new_status": "resolved", "note": "PKH"}
    changed = {key for key in rows[2]["after"] if rows[2]["after"][key] != rows[2]["before"][key]}
    assert changed == {"status", "resolved_on"}
    assert besuk.json("log", "--record", "KS-2021-0001", "--table", "cases") == [rows[0], rows[2]]


def test_the_table_shows_what_changed_in_one_line(besuk):
    besuk("village", "update", "Randujalak", "--formed-on", "2020-03-14")
    result = besuk("log", "--limit", "1")
    assert result.exit_code == 0
    assert "formed on: (empty) -> 2020-03-14" in result.stdout
    assert "│ update │ village │" in result.stdout


def test_log_filters_by_record_table_date_and_limit(besuk):
    all_rows = besuk.json("log")
    assert [row["table"] for row in all_rows] == ["villages"] * 3 + ["institutions"] * 2
    randujalak = all_rows[0]["record"]
    assert besuk.json("log", "--record", randujalak) == [all_rows[0]]
    assert besuk.json("log", "--record", "35.13.13.2013") == [all_rows[0]]  # a village code works too
    assert besuk.json("log", "--table", "institutions") == all_rows[3:]
    assert besuk.json("log", "--limit", "2") == all_rows[3:]
    assert besuk.json("log", "--since", "01/01/2000") == all_rows
    result = besuk("log", "--since", "2100-01-01")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "No changes recorded that match.\n")
    result = besuk("log", "--since", "2021-13-01")
    assert result.exit_code == 1
    assert result.stderr == "Error: --since: '2021-13-01': there is no month 13: dates are day first (DD/MM/YYYY)\n"


def test_log_as_csv_holds_before_and_after_as_json(besuk):
    result = besuk("log", "--format", "csv", "--limit", "1")
    assert result.exit_code == 0
    import csv
    import io

    (row,) = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(row) == ["id", "at", "officer", "action", "table", "record", "before", "after"]
    assert (row["id"], row["action"], row["table"], row["before"]) == ("5", "insert", "institutions", "")
    assert json.loads(row["after"])["name"] == "PKK Randujalak"


@pytest.mark.usefixtures("new_db")
def test_a_new_database_has_an_empty_log(cli):
    result = cli("log")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "No changes recorded yet.\n")


def test_settings_and_institution_types_are_audited(besuk, db_path):
    conn = open_db(db_path, officer="Bu Ani")
    with transaction(conn):
        conn.execute("UPDATE settings SET value = '4' WHERE key = 'formed.min_institutions'")
    conn.close()
    assert besuk("types", "add", "bank-sampah", "--name", "Bank Sampah").exit_code == 0
    rows = entries(besuk, "--table", "settings")
    assert rows == [{"officer": "Bu Ani", "action": "update", "table": "settings",
                     "before": {"key": "formed.min_institutions", "value": "3"},
                     "after": {"key": "formed.min_institutions", "value": "4"}}]
    assert besuk.json("log", "--record", "formed.min_institutions")[0]["record"] == "formed.min_institutions"
    (added,) = entries(besuk, "--table", "institution_types")
    assert added["after"] == {"code": "bank-sampah", "name_id": "Bank Sampah", "name_en": None, "builtin": 0}


def test_an_update_that_changes_nothing_leaves_no_entry(besuk, db_path):
    before = len(besuk.json("log"))
    conn = open_db(db_path)
    conn.execute("UPDATE villages SET updated_at = 'later', name_key = name_key")  # no audited column
    conn.close()
    result = besuk("village", "update", "Randujalak", "--kecamatan", "Besuk")  # already so
    assert result.exit_code == 0
    assert len(besuk.json("log")) == before


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET officer = 'someone else'",
    "DELETE FROM audit_log",
    "DELETE FROM audit_log WHERE id = 1",
    "INSERT OR REPLACE INTO audit_log (id, at, officer, action, table_name, record_uid) VALUES (1, 'x', 'x', 'insert', 'x', 'x')",
])
def test_the_audit_log_refuses_to_be_altered(besuk, db_path, statement):
    conn = open_db(db_path)
    kept = [tuple(row) for row in conn.execute("SELECT * FROM audit_log")]
    with pytest.raises(sqlite3.IntegrityError, match="the audit log is append-only"):
        conn.execute(statement)
    assert [tuple(row) for row in conn.execute("SELECT * FROM audit_log")] == kept
    conn.close()


def test_a_failed_command_leaves_no_audit_entry(besuk):
    before = besuk.json("log")
    result = besuk("case", "add", "--village", "Randujalak", "--category", "nope", "--name", "X")
    assert result.exit_code == 1
    result = besuk("village", "delete", "Randujalak")  # still has institutions: refused
    assert result.exit_code == 1
    assert besuk.json("log") == before


def test_a_connection_without_wksbm_cannot_write_unaudited(besuk, db_path):
    # Another program (sqlite3 shell, a script) lacks the officer function, so its writes fail
    # instead of slipping past the log.
    other = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.OperationalError, match="no such function: wksbm_"):
        other.execute("UPDATE villages SET decree = 'forged' WHERE code = '35.13.13.2013'")
    other.rollback()
    other.close()
    assert besuk.json("village", "show", "Randujalak")["decree"] is None


def test_replacing_a_row_records_the_deletion_too(besuk, db_path):
    conn = connect(db_path, officer="script")
    conn.execute("INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES ('active.min_age_days', '400', 'now')")
    conn.close()
    rows = entries(besuk, "--table", "settings")
    assert [(row["action"], (row["before"] or row["after"])["value"]) for row in rows] == [("delete", "365"), ("insert", "400")]


def test_an_insert_is_stored_lean_and_shown_whole(besuk, db_path):
    # The insert's row holds no copy of the values: they are the record's first state.
    conn = open_db(db_path)
    stored = conn.execute("SELECT before, after FROM audit_log WHERE action = 'insert'").fetchall()
    conn.close()
    assert [tuple(row) for row in stored] == [(None, None)] * 5
    first = besuk.json("log", "--record", "35.13.13.2013")[0]["after"]
    assert first == {"code": "35.13.13.2013", "name": "Randujalak", "kecamatan": "Besuk", "kabupaten": "Probolinggo",
                     "formed_on": None, "decree": None, "notes": None}
    besuk("village", "update", "Randujalak", "--decree", "SK 1/2020")
    besuk("village", "update", "Randujalak", "--decree", "SK 2/2020")
    inserted, first_change, second_change = besuk.json("log", "--record", "35.13.13.2013")
    assert inserted["after"] == first  # still the first state, not today's record
    assert (first_change["before"]["decree"], first_change["after"]["decree"]) == (None, "SK 1/2020")
    assert (second_change["before"]["decree"], second_change["after"]["decree"]) == ("SK 1/2020", "SK 2/2020")
    assert besuk.json("log", "--limit", "2", "--record", "35.13.13.2013") == [first_change, second_change]


def test_a_threshold_change_through_the_cli_is_audited(cli):
    result = cli("--officer", "Kepala Bidang", "criteria", "set", "running.activity_window_days", "60")
    assert result.exit_code == 0, result.output
    (entry,) = cli.json("log", "--record", "running.activity_window_days")
    assert (entry["officer"], entry["action"], entry["table"]) == ("Kepala Bidang", "update", "settings")
    assert (entry["before"], entry["after"]) == (
        {"key": "running.activity_window_days", "value": "90"}, {"key": "running.activity_window_days", "value": "60"},
    )


def test_a_case_ref_shows_the_case_and_its_status_events_by_name(besuk):
    besuk("case", "add", "--village", "Randujalak", "--category", "lansia-terlantar", "--name", "Mbok Sarmi",
          "--reported-on", "2021-02-03")
    besuk("--officer", "Pak Budi", "case", "update", "KS-2021-0001", "--status", "in_handling", "--on", "2021-02-05")
    result = besuk("log", "--record", "KS-2021-0001")
    assert result.exit_code == 0
    rows = compact_rows(result.stdout)  # the changes are long: on each entry's second line
    assert [cells[2:6] for cells, _ in rows] == [  # newest first
        ["Pak Budi", "update", "case", "KS-2021-0001"],
        ["Pak Budi", "add", "case status", "KS-2021-0001"],  # a status change named by its case
        ["test-officer", "add", "case", "KS-2021-0001"],
    ]
    assert rows[0][1] == "status: reported -> in_handling"
    assert len(rows[0][0][1]) == len("2021-01-01 00:00:00")

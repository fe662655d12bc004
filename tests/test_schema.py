import sqlite3

from sqlite_utils import Database

from wksbm_cli import db as dbmod
from wksbm_cli.db import connect, open_db
from wksbm_cli.schema import MIGRATIONS


def test_schema_version_counts_the_migrations():
    fresh = Database(memory=True)
    assert dbmod.SCHEMA_VERSION == len(MIGRATIONS.pending(fresh))


def test_migrations_create_the_tables_with_uid_and_timestamps(db_path):
    conn = open_db(db_path, create=True)
    db = Database(conn)
    for table in ["villages", "institutions", "activities", "cases", "case_events"]:
        columns = db[table].columns_dict
        assert {"id", "uid", "created_at", "updated_at"} <= set(columns), table
    assert set(db["cases"].columns_dict) >= {
        "ref", "village_id", "category", "person_name", "nik", "gender", "birth_year", "reported_on",
        "status", "handled_by", "resolved_on", "notes",
    }
    assert conn.execute("PRAGMA user_version").fetchone()[0] == dbmod.SCHEMA_VERSION
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert [m.name for m in MIGRATIONS.applied(db)][0] == "m001_initial"
    conn.close()


def test_reopening_is_idempotent_and_keeps_data(db_path):
    conn = open_db(db_path, create=True)
    conn.execute("INSERT INTO settings VALUES ('x', '1', 'now')")
    conn.close()
    conn = open_db(db_path)
    assert conn.execute("SELECT value FROM settings WHERE key = 'x'").fetchone()[0] == "1"
    assert conn.execute("SELECT count(*) FROM pmks_categories").fetchone()[0] == 26
    conn.close()


def test_foreign_keys_are_enforced(conn):
    try:
        conn.execute("INSERT INTO institutions (uid, village_id, name, name_key, type, created_at, updated_at) "
                     "VALUES ('u', 999, 'x', 'x', 'kube', 'n', 'n')")
    except sqlite3.IntegrityError as error:
        assert "FOREIGN KEY" in str(error)
    else:
        raise AssertionError("foreign key not enforced")


def test_a_database_from_a_newer_wksbm_is_refused(new_db, db_path):
    conn = connect(db_path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    try:
        open_db(db_path)
    except dbmod.WksbmError as error:
        assert "newer than this wksbm knows" in str(error)
    else:
        raise AssertionError("newer schema accepted")

"""The audit log is hash-chained: `wksbm check` names an entry changed, replaced, inserted or removed from
outside wksbm, and any trigger whose SQL is not wksbm's."""

import contextlib
import json
import sqlite3

from helpers import new_raw_database
from wksbm_cli.db import open_db
from wksbm_cli.schema import MIGRATIONS


def audit_check(cli):
    result = cli("check", "--format", "json")
    report = json.loads(result.stdout)
    (audit,) = [item for item in report["checks"] if item["check"] == "audit log"]
    return result.exit_code, audit["problems"]


@contextlib.contextmanager
def outside(db_path):
    """A plain sqlite3 connection, as another program (the sqlite3 shell) would use, with the log's own
    triggers out of the way while it works and put back, SQL for SQL, afterwards."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    saved = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").fetchall()
    for name, _ in saved:
        conn.execute(f"DROP TRIGGER {name}")
    try:
        yield conn
    finally:
        for _, sql in saved:
            conn.execute(sql)
        conn.close()


def changed(besuk):
    """Three more audit entries after the fixture's five inserts (ids 6, 7, 8)."""
    for decree in ("SK 1/2020", "SK 2/2020", "SK 3/2020"):
        assert besuk("village", "update", "Randujalak", "--decree", decree).exit_code == 0


def test_a_sound_log_passes(besuk):
    changed(besuk)
    assert audit_check(besuk) == (0, [])


def test_an_entry_replaced_from_outside_is_named(besuk, db_path):
    changed(besuk)
    with outside(db_path) as conn:
        row = conn.execute("SELECT * FROM audit_log WHERE id = 7").fetchone()
        columns = [column[1] for column in conn.execute("PRAGMA table_info(audit_log)")]
        forged = dict(zip(columns, row), officer="someone else")
        conn.execute(f"INSERT OR REPLACE INTO audit_log ({', '.join(forged)}) VALUES ({', '.join('?' * len(forged))})",
                     list(forged.values()))
    assert [row[0] for row in sqlite3.connect(db_path).execute("SELECT officer FROM audit_log WHERE id = 7")] == ["someone else"]
    code, problems = audit_check(besuk)
    assert code == 1
    assert problems == ["audit entry 7 was altered or replaced: its hash does not match what it records and the entry before it"]


def test_an_entry_altered_from_outside_is_named(besuk, db_path):
    changed(besuk)
    with outside(db_path) as conn:
        conn.execute("""UPDATE audit_log SET after = replace(after, 'SK 2/2020', 'SK 9/2020') WHERE id = 7""")
    code, problems = audit_check(besuk)
    assert code == 1
    assert problems == ["audit entry 7 was altered or replaced: its hash does not match what it records and the entry before it"]


def test_an_entry_removed_from_the_middle_is_named(besuk, db_path):
    changed(besuk)
    with outside(db_path) as conn:
        conn.execute("DELETE FROM audit_log WHERE id IN (3, 4)")
    code, problems = audit_check(besuk)
    assert code == 1
    assert problems == ["audit entries 3 to 4 were removed from the log"]


def test_entries_added_from_outside_are_named(besuk, db_path):
    changed(besuk)
    with outside(db_path) as conn:
        conn.execute("""INSERT INTO audit_log (id, at, officer, action, table_name, record_uid)
                        VALUES (9, '2020-01-01T00:00:00.000Z', 'x', 'update', 'villages', 'x')""")
        conn.execute("""INSERT INTO audit_log (at, officer, action, table_name, record_uid, hash)
                        VALUES ('2099-01-01T00:00:00.000Z', 'x', 'update', 'villages', 'x', 'made up')""")
    code, problems = audit_check(besuk)
    assert code == 1
    assert problems == [
        "audit entry 9 was written by another program: it has no hash",
        "audit entry 10 was altered or replaced: its hash does not match what it records and the entry before it",
    ]


def test_an_entry_inserted_out_of_order_is_named(besuk, db_path):
    changed(besuk)
    with outside(db_path) as conn:
        conn.execute("""INSERT INTO audit_log (at, officer, action, table_name, record_uid, hash)
                        VALUES ('2020-01-01T00:00:00.000Z', 'x', 'update', 'villages', 'x', 'made up')""")
    code, problems = audit_check(besuk)
    assert code == 1
    assert len(problems) == 1 and problems[0].startswith("audit entry 9 was inserted out of order: it is dated 2020-01-01T00:00:00.000Z, before entry 8")


def test_a_trigger_replaced_by_an_empty_one_of_the_same_name_is_named(besuk, db_path):
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_cases_update")
    conn.execute("CREATE TRIGGER audit_cases_update AFTER UPDATE ON cases BEGIN SELECT 1; END")
    conn.execute("CREATE TRIGGER quietly AFTER INSERT ON audit_log BEGIN SELECT 1; END")
    conn.close()
    code, problems = audit_check(besuk)
    assert code == 1
    assert problems == ["trigger audit_cases_update is not wksbm's: its SQL was changed",
                        "trigger quietly is not wksbm's: another program added it"]


def test_the_upgrade_chains_the_history_already_recorded(tmp_path, cli):
    # A database as schema 2 made it, with a history, opened by today's wksbm.
    from sqlite_utils import Database

    path = tmp_path / "v2.db"
    conn = new_raw_database(path)
    MIGRATIONS.apply(Database(conn), stop_before="m003_audit_hash_chain")
    conn.execute("PRAGMA user_version = 2")
    conn.execute("UPDATE settings SET value = '4' WHERE key = 'formed.min_institutions'")
    conn.execute("UPDATE settings SET value = '5' WHERE key = 'formed.min_institutions'")
    conn.close()
    open_db(path).close()
    hashes = sqlite3.connect(path).execute("SELECT hash FROM audit_log ORDER BY id").fetchall()
    assert len(hashes) == 2 and all(len(hash_) == 64 for (hash_,) in hashes)
    result = cli("--db", path, "check")
    assert result.exit_code == 0, result.output
    assert [entry["after"]["value"] for entry in cli.json("--db", path, "log")] == ["4", "5"]


def test_a_record_inserted_by_another_program_is_named(besuk, db_path):
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("""INSERT INTO villages (code, name, name_key, uid, created_at, updated_at)
                    VALUES ('35.13.13.2099', 'Siluman', 'siluman', 'x-1', 'x', 'x')""")
    conn.close()
    code, problems = audit_check(besuk)
    assert code == 1
    assert problems == ["1 record of villages was added by another program: it has no created_by and no audit entry"]

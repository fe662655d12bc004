"""A database made by the first released schema opens with today's wksbm: upgraded, nothing lost."""

import sqlite3
from pathlib import Path

import pytest

from wksbm_cli import db as dbmod
from wksbm_cli.db import open_db
from wksbm_cli.files import create_private_file
from wksbm_cli.schema import MIGRATIONS

V1_DUMP = Path(__file__).with_name("test_migrations_v1_database.sql")
DATA_TABLES = ["villages", "institutions", "activities", "cases", "case_events", "settings",
               "institution_types", "pmks_categories"]


@pytest.fixture
def v1_database(tmp_path):
    """The frozen v1 database (schema m001 only, some records) as a file."""
    path = tmp_path / "wksbm.db"
    create_private_file(path)  # as wksbm made it
    conn = sqlite3.connect(path)
    conn.executescript(V1_DUMP.read_text(encoding="utf-8"))
    conn.close()
    return path


def snapshot(path):
    """Every data table's rows, in the columns schema 1 made (later migrations add columns)."""
    conn = sqlite3.connect(path)
    tables = {}
    for table in DATA_TABLES:
        columns = ", ".join(V1_COLUMNS[table])
        tables[table] = conn.execute(f"SELECT {columns} FROM {table} ORDER BY rowid").fetchall()
    conn.close()
    return tables


def _v1_columns() -> dict[str, list[str]]:
    conn = sqlite3.connect(":memory:")
    conn.executescript(V1_DUMP.read_text(encoding="utf-8"))
    columns = {table: [row[1] for row in conn.execute(f"PRAGMA table_info({table})")] for table in DATA_TABLES}
    conn.close()
    return columns


V1_COLUMNS = _v1_columns()


def test_the_fixture_is_a_version_1_database(v1_database):
    conn = sqlite3.connect(v1_database)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT name FROM _sqlite_migrations").fetchall() == [("m001_initial",)]
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'audit_log'").fetchone()[0] == 0
    conn.close()


def test_opening_upgrades_it_without_losing_a_row(v1_database):
    before = snapshot(v1_database)
    conn = open_db(v1_database)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == dbmod.SCHEMA_VERSION == len(MIGRATIONS._migrations)
    applied = [row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == [migration.name for migration in MIGRATIONS._migrations]
    assert conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0  # the upgrade itself is no change
    conn.close()
    assert snapshot(v1_database) == before
    assert before["cases"][0][6] == "3513134107450001"  # the NIK survived, in full, in its table


def test_the_upgraded_database_works_and_audits(v1_database, cli):
    result = cli("--db", v1_database, "check")
    assert result.exit_code == 0, result.output
    rows = cli.json("--db", v1_database, "case", "list")
    assert [(row["ref"], row["nik"], row["status"]) for row in rows] == [
        ("KS-2021-0002", None, "resolved"), ("KS-2021-0001", "351313********01", "reported"),
    ]
    result = cli("--db", v1_database, "case", "update", "KS-2021-0001", "--status", "in_handling", "--on", "2021-02-05")
    assert result.exit_code == 0, result.output
    (entry,) = [row for row in cli.json("--db", v1_database, "log") if row["table"] == "cases"]
    assert (entry["before"]["status"], entry["after"]["status"], entry["after"]["nik"]) == ("reported", "in_handling", "351313********01")


def test_upgrading_twice_changes_nothing(v1_database):
    open_db(v1_database).close()
    once = snapshot(v1_database)
    conn = open_db(v1_database)
    assert conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == len(MIGRATIONS._migrations)
    conn.close()
    assert snapshot(v1_database) == once


def test_two_first_opens_at_once_upgrade_it_once(v1_database):
    # migrate() takes the write lock before looking, so a second opener waits, then finds it done.
    first = dbmod.connect(v1_database)
    second = dbmod.connect(v1_database)
    dbmod.migrate(first)
    dbmod.migrate(second)
    assert second.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == len(MIGRATIONS._migrations)
    first.close()
    second.close()


def test_schema_version_equals_the_number_of_migrations():
    assert dbmod.SCHEMA_VERSION == len(MIGRATIONS._migrations)
    assert [migration.name for migration in MIGRATIONS._migrations][:2] == ["m001_initial", "m002_audit"]


# sqlite_master of a database made by m001 + m002 as released (type, name, table, SQL).
V2_MASTER = Path(__file__).with_name("schema_v2_master.json")


def released_schema(through: str) -> list[list]:
    """sqlite_master after the migrations up to and including `through`, on an in-memory database."""
    from sqlite_utils import Database

    conn = sqlite3.connect(":memory:")
    db = Database(conn)
    for migration in MIGRATIONS._migrations:
        migration.fn(db)
        if migration.name == through:
            break
    return [list(row) for row in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid")]


def test_released_migrations_make_the_schema_they_made_when_released():
    import json

    assert released_schema("m002_audit") == json.loads(V2_MASTER.read_text(encoding="utf-8"))


def test_released_migrations_do_not_follow_later_changes_to_the_code(monkeypatch):
    # What the triggers record today may change (a column audited, a mask changed); the released
    # m001/m002 must make what they always made, or two databases of one version would differ.
    import json

    from wksbm_cli import schema

    monkeypatch.setattr(schema, "audit_json", lambda table, row: "json_object('changed', 1)", raising=False)
    monkeypatch.setattr(schema, "_AUDITED", {"cases": ("uid", ["ref"])}, raising=False)
    assert released_schema("m002_audit") == json.loads(V2_MASTER.read_text(encoding="utf-8"))


SAMPLE_DATA = Path(__file__).parent.parent / "sample_data"


def _every_row(path) -> dict[str, list]:
    """Every row of every table (records, audit log, imports, identity…), whole, in rowid order."""
    conn = sqlite3.connect(path)
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '_sqlite_migrations'")]
    rows = {table: conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall() for table in tables}
    conn.close()
    return rows


def _schema(conn) -> list[list]:
    return sorted([list(row) for row in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
                   if not row[1].startswith(("sqlite_", "_sqlite_migrations"))], key=lambda row: row[1])


def _released_through(stop_before: str | None):
    """A database made by the released migrations before `stop_before` (None: all of them)."""
    from sqlite_utils import Database

    from wksbm_cli.db import register

    conn = sqlite3.connect(":memory:")
    register(conn)
    MIGRATIONS.apply(Database(conn), stop_before=stop_before)
    return conn


def _undo_m007_checks(conn) -> None:
    """The cases' and activities' CHECKs back as m001 wrote them (IN lists)."""
    from wksbm_cli.schema import _M007_CHECKS

    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    for table, released, now in _M007_CHECKS:
        conn.execute("UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE name = ?", [now, released, table])
    conn.execute(f"PRAGMA schema_version = {version + 1}")
    conn.execute("PRAGMA writable_schema = OFF")
    conn.commit()


def _as_schema_6(path):
    """The database at `path` made as schema 6 (m001-m006) left it; its connection."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE INDEX cases_reported_on_ref ON cases(reported_on DESC, ref)")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm007_checks_without_in_lists'")
    conn.commit()
    _undo_m007_checks(conn)
    conn.execute("PRAGMA user_version = 6")
    return conn


def test_a_schema_6_database_gets_or_checks_that_refuse_what_the_in_lists_refused(cli, tmp_path):
    path = tmp_path / "v6.db"
    for command in (["init"], ["import", SAMPLE_DATA], ["case", "update", "KS-2019-0002", "--status", "in_handling"]):
        result = cli("--db", path, *command)
        assert result.exit_code == 0, result.output
    conn = _as_schema_6(path)
    assert _schema(conn) == _schema(_released_through("m007_checks_without_in_lists"))
    conn.close()
    before = _every_row(path)

    conn = open_db(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 7
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.execute("BEGIN")
    for sql in ("UPDATE cases SET gender = 'X' WHERE id = 1", "UPDATE cases SET status = 'done' WHERE id = 1",
                "UPDATE activities SET kind = 'party' WHERE id = 1"):
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            conn.execute(sql)
    conn.execute("UPDATE cases SET gender = NULL WHERE id = 1")  # as before: a gender may be left out
    conn.execute("ROLLBACK")
    conn.close()
    assert _every_row(path) == before
    assert _schema(sqlite3.connect(path)) == _schema(_released_through(None))
    result = cli("--db", path, "check")
    assert result.exit_code == 0, result.output


def test_a_schema_5_database_gets_the_listing_index_and_or_checks_keeping_every_record_and_audit_entry(cli, tmp_path):
    path = tmp_path / "v5.db"
    for command in (["init"], ["import", SAMPLE_DATA], ["case", "update", "KS-2019-0002", "--notes", "dicek"],
                    ["village", "update", "Randujalak", "--decree", "SK 2/2020"]):
        result = cli("--db", path, *command)
        assert result.exit_code == 0, result.output
    # The same database as schema 5 (m001-m005) left it: without m006's indexes.
    conn = sqlite3.connect(path)
    conn.executescript("DROP INDEX activities_held_on; DELETE FROM _sqlite_migrations "
                       "WHERE name IN ('m006_listing_indexes', 'm007_checks_without_in_lists');")
    _undo_m007_checks(conn)
    conn.execute("PRAGMA user_version = 5")
    assert _schema(conn) == _schema(_released_through("m006_listing_indexes"))
    newest_first = [row[0] for row in conn.execute("SELECT ref FROM cases ORDER BY reported_on DESC, ref")]
    conn.close()
    before = _every_row(path)
    assert len(before["cases"]) > 50 and len(before["audit_log"]) >= 3

    conn = open_db(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 7
    indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE name IN ('cases_reported_on_ref', 'activities_held_on') "
                           "ORDER BY name").fetchall()
    assert [tuple(row) for row in indexes] == [
        ("activities_held_on", "CREATE INDEX activities_held_on ON activities(held_on)")]
    conn.close()
    assert _schema(sqlite3.connect(path)) == _schema(_released_through(None))
    assert _every_row(path) == before  # the upgrade itself changes no record and writes no audit entry
    result = cli("--db", path, "check")
    assert result.exit_code == 0, result.output
    assert [row["ref"] for row in cli.json("--db", path, "case", "list")] == newest_first


def test_m007_keeps_a_check_not_written_as_m001_wrote_it_and_still_upgrades(cli, tmp_path):
    path = tmp_path / "v6.db"
    result = cli("--db", path, "import", SAMPLE_DATA)
    assert result.exit_code == 0, result.output
    conn = _as_schema_6(path)
    # Another hand (or program) wrote the gender CHECK with one more space.
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'CHECK (gender IN', 'CHECK (gender  IN') WHERE name = 'cases'")
    conn.execute(f"PRAGMA schema_version = {version + 1}")
    conn.execute("PRAGMA writable_schema = OFF")
    conn.commit()
    conn.close()

    conn = open_db(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 7
    assert conn.execute("PRAGMA writable_schema").fetchone()[0] == 0
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'cases'").fetchone()
    assert "CHECK (gender  IN ('L', 'P'))" in sql and "CHECK (status = 'reported' OR status = 'in_handling'" in sql
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'cases_reported_on_ref'").fetchone()[0] == 0
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        conn.execute("UPDATE cases SET gender = 'X' WHERE id = 1")
    conn.close()
    result = cli("--db", path, "check")
    assert result.exit_code == 0, result.output

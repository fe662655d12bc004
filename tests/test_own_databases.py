"""wksbm works only on its own databases: another program's SQLite file, an empty file and a newer
schema are refused untouched (byte for byte) by every command; read commands never create a database;
write commands and `wksbm init` do, and say so once."""

import hashlib
import sqlite3

import pytest

from helpers import query

SAMPLE_CSV = "kode,nama\n35.13.13.2013,Randujalak\n"

READ_COMMANDS = [
    ["village", "list"], ["village", "show", "Randujalak"], ["institution", "list"], ["activity", "list"],
    ["case", "list"], ["case", "show", "KS-2021-0001"], ["summary"], ["log"], ["export", "villages"],
    ["info"], ["check"], ["categories"], ["types"], ["criteria"],
]
WRITE_COMMANDS = [
    ["village", "add", "Satu"], ["institution", "add", "KUBE", "--village", "Satu", "--type", "kube"],
    ["activity", "add", "--village", "Satu", "--on", "2021-01-01", "--kind", "meeting"],
    ["case", "update", "KS-2021-0001", "--status", "resolved"], ["criteria", "set", "formed.min_institutions", "2"],
    ["types", "add", "bank-sampah", "--name", "Bank Sampah"], ["region", "load", "35.13.13"],
]


def every_command(tmp_path):
    """Each command, reads and writes, with a backup target and an import file prepared."""
    (tmp_path / "desa.csv").write_text(SAMPLE_CSV)
    return [*READ_COMMANDS, ["backup", str(tmp_path / "copy.db")], *WRITE_COMMANDS,
            ["import", str(tmp_path / "desa.csv")], ["import", "--dry-run", str(tmp_path / "desa.csv")]]


def fingerprint(path):
    """The file's bytes, and which of its SQLite side files exist."""
    sidecars = [suffix for suffix in ("-wal", "-shm", "-journal") if path.with_name(path.name + suffix).exists()]
    return hashlib.sha256(path.read_bytes()).hexdigest(), sidecars


@pytest.fixture
def foreign(tmp_path):
    """Another program's SQLite file (a rollback-journal database with a table of its own)."""
    path = tmp_path / "browser.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript("PRAGMA user_version = 3; CREATE TABLE bookmarks (url TEXT); "
                       "INSERT INTO bookmarks VALUES ('https://example.org');")
    conn.close()
    return path


def test_another_programs_sqlite_file_is_refused_by_every_command_and_left_unchanged(cli, foreign, tmp_path):
    before = fingerprint(foreign)
    for args in every_command(tmp_path):
        result = cli("--db", foreign, *args)
        assert result.exit_code == 1, args
        assert result.stderr == (f"Error: {foreign} is not a wksbm database (another program's file?): it was left "
                                 "untouched; give wksbm its own file with --db\n"), args
        assert fingerprint(foreign) == before, args
    assert query(foreign, "SELECT name FROM sqlite_master") == [("bookmarks",)]
    assert not (tmp_path / "copy.db").exists()


def test_a_sqlite_file_with_tables_named_like_wksbms_is_still_not_ours(cli, tmp_path):
    lookalike = tmp_path / "other.db"
    conn = sqlite3.connect(lookalike)
    conn.executescript("PRAGMA user_version = 2; CREATE TABLE villages (id INTEGER PRIMARY KEY, name TEXT); "
                       "CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT, name TEXT);"
                       "INSERT INTO _sqlite_migrations VALUES (1, 'someone-else', 'm001');")
    conn.close()
    before = fingerprint(lookalike)
    result = cli("--db", lookalike, "village", "list")
    assert result.exit_code == 1
    assert "is not a wksbm database" in result.stderr
    assert fingerprint(lookalike) == before


@pytest.fixture
def newer(tmp_path, cli):
    """A wksbm database written by a newer wksbm (schema version 999), in rollback-journal mode."""
    path = tmp_path / "newer.db"
    assert cli("--db", path, "village", "add", "Satu").exit_code == 0
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    return path


def test_a_newer_schema_is_refused_before_anything_is_written(cli, newer, tmp_path):
    before = fingerprint(newer)
    assert newer.read_bytes()[18:20] == b"\x01\x01"  # rollback journal: a WAL switch would change these
    for args in every_command(tmp_path):
        result = cli("--db", newer, *args)
        assert result.exit_code == 1, args
        assert result.stderr == (f"Error: {newer} has schema version 999, newer than this wksbm knows ({dbmod().SCHEMA_VERSION}): "
                                 "upgrade wksbm; the file was left untouched\n"), args
        assert fingerprint(newer) == before, args


def dbmod():
    from wksbm_cli import db

    return db


def test_an_empty_file_is_not_a_wksbm_database(cli, tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    for args in every_command(tmp_path):
        result = cli("--db", empty, *args)
        assert result.exit_code == 1, args
        assert result.stderr == f"Error: {empty} is an empty file, not a wksbm database: `wksbm init {empty}` makes it one\n"
        assert empty.read_bytes() == b""
    result = cli("init", empty)
    assert (result.exit_code, result.stderr) == (0, f"Created a new database at {empty}.\n")
    assert cli.json("--db", empty, "village", "list") == []


def test_read_commands_refuse_a_path_with_no_database_and_create_nothing(cli, tmp_path):
    missing = tmp_path / "demo.bd"
    for args in [*READ_COMMANDS, ["backup", str(tmp_path / "copy.db")]]:
        result = cli("--db", missing, *args)
        assert result.exit_code == 1, args
        assert result.stdout == ""
        assert result.stderr == f"Error: no database at {missing}; `wksbm init {missing}` or any add/import creates it\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == []


def test_a_mistyped_db_no_longer_prints_an_empty_summary(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("--db", "demo.bd", "summary")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "Error: no database at demo.bd; `wksbm init demo.bd` or any add/import creates it\n"
    assert not (tmp_path / "demo.bd").exists()


def test_a_write_command_creates_the_database_and_says_so_once(cli, tmp_path):
    fresh = tmp_path / "new" / "wksbm.db"
    result = cli("--db", fresh, "village", "add", "Satu")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Created a new database at {fresh}.\nAdded village Satu (no code).\n"
    result = cli("--db", fresh, "village", "add", "Dua")
    assert (result.exit_code, result.stderr) == (0, "Added village Dua (no code).\n")
    assert [row["name"] for row in cli.json("--db", fresh, "village", "list")] == ["Dua", "Satu"]


def test_an_import_creates_the_database_but_a_dry_run_does_not(cli, tmp_path):
    (tmp_path / "desa.csv").write_text(SAMPLE_CSV)
    fresh = tmp_path / "imported.db"
    result = cli("--db", fresh, "import", tmp_path / "desa.csv", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"No database at {fresh} yet: checked against a new, empty one.\n")
    assert not fresh.exists()
    result = cli("--db", fresh, "import", tmp_path / "desa.csv")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Created a new database at {fresh}.\n")
    assert query(fresh, "SELECT name FROM villages") == [("Randujalak",)]


def test_init_creates_once_and_refuses_what_is_not_ours(cli, tmp_path, foreign, db_path):
    result = cli("init")
    assert (result.exit_code, result.stderr) == (0, f"Created a new database at {db_path}.\n")
    result = cli("init")
    assert (result.exit_code, result.stderr) == (
        0, f"{db_path} is already a wksbm database (schema version {dbmod().SCHEMA_VERSION}); nothing changed.\n")
    assert cli.json("village", "list") == []
    other = tmp_path / "sub" / "besuk.db"
    assert cli("init", other).exit_code == 0
    assert cli.json("--db", other, "info")["villages"] == 0
    before = fingerprint(foreign)
    result = cli("init", foreign)
    assert result.exit_code == 1
    assert "is not a wksbm database" in result.stderr
    assert fingerprint(foreign) == before

"""What a database holds: its location, schema version and record counts."""

import sqlite3
from pathlib import Path
from typing import Any

from wksbm_cli.i18n import N_, _

COUNTED = ["villages", "institutions", "activities", "cases", "case_events", "institution_types", "pmks_categories"]


def init_database(path: Path, officer: str | None = None) -> dict[str, Any]:
    """Make a new database at `path` (an empty file there counts as none); say whether it was made.

    An existing wksbm database is only brought up to date; anything else is refused untouched.
    """
    from wksbm_cli import db

    path = Path(path)
    if path.is_file() and not path.is_symlink() and path.stat().st_size == 0:
        path.unlink()  # an empty file holds nothing: `init` is asked to make it a database
    created = db.create_database(path, officer)
    conn = db.open_db(path, officer)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    return {"database": str(path), "created": created, "schema_version": version}


def database_info(conn: sqlite3.Connection, path: Path) -> dict[str, Any]:
    """Where the database is, its schema version, size and how many records of each kind."""
    counts = {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COUNTED}
    return {
        "database": str(path),
        "schema_version": conn.execute("PRAGMA user_version").fetchone()[0],
        "size_bytes": path.stat().st_size if path.exists() else 0,
        **counts,
    }


# What a sound wksbm database holds besides its records: (table, minimum rows).
REFERENCE_TABLES = [("pmks_categories", 26), ("institution_types", 1), ("settings", 5)]
EXPECTED_TABLES = ["villages", "institutions", "activities", "cases", "case_events", "audit_log"]


def check_database(conn: sqlite3.Connection, path: Path) -> list[dict[str, Any]]:
    """Each check (integrity, foreign keys, schema, reference tables, audit, file mode) with its problems."""
    return [
        _check(N_("integrity"), _integrity_problems(conn)),
        _check(N_("foreign keys"), _foreign_key_problems(conn)),
        _check(N_("schema"), _schema_problems(conn)),
        _check(N_("reference tables"), _reference_problems(conn)),
        _check(N_("audit log"), _audit_problems(conn)),
        _check(N_("file mode"), _mode_problems(path)),
    ]


def backup_database(conn: sqlite3.Connection, source: Path, target: Path, force: bool = False) -> dict[str, Any]:
    """Copy the database to `target` (mode 0600) with SQLite's online backup: consistent while others write.

    The copy is made beside the target and renamed into place only once complete and checked,
    so a failed backup never leaves a half-written file under the target's name; the database,
    its -wal/-shm, a symbolic link and (without `force`) an existing file are refused.
    """
    from wksbm_cli.errors import Conflict
    from wksbm_cli.files import write_privately
    from wksbm_cli.merge.identity import give_copy_its_identity

    target = Path(target).expanduser()

    def copy_into(partial: Path) -> None:
        copy = sqlite3.connect(str(partial), isolation_level=None)
        try:
            conn.backup(copy)  # all pages in one step: one read snapshot, so one consistent state
            give_copy_its_identity(copy, source)  # a copy is a database of its own (SPEC section 10)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, fit to carry away
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            copy.close()
            for sidecar in ("-journal", "-wal", "-shm"):
                Path(f"{partial}{sidecar}").unlink(missing_ok=True)
        if verdict != "ok":
            raise Conflict(_("the backup did not verify ({verdict}); {path} was not written").format(verdict=verdict, path=target))
        return target

    written = write_privately(target, copy_into, force=force, database=source)
    return {"backup": str(written), "size_bytes": written.stat().st_size}


def _check(name: str, problems: list[str]) -> dict[str, Any]:
    return {"check": name, "ok": not problems, "problems": problems}


def _integrity_problems(conn: sqlite3.Connection) -> list[str]:
    rows = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
    if rows == ["ok"]:
        return []
    # A row may hold several lines, headed "*** in database main ***": one problem per line.
    lines = [line.strip() for row in rows for line in row.splitlines()]
    return [line for line in lines if line and not line.startswith("***")]


def _foreign_key_problems(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("PRAGMA foreign_key_check").fetchmany(20)
    return [_("{table} row {row} refers to a missing {parent} record").format(table=row[0], row=row[1], parent=row[2])
            for row in rows]


def _schema_problems(conn: sqlite3.Connection) -> list[str]:
    from wksbm_cli.db import SCHEMA_VERSION

    version = conn.execute("PRAGMA user_version").fetchone()[0]
    problems = [] if version == SCHEMA_VERSION else [
        _("schema version {version}, expected {expected}").format(version=version, expected=SCHEMA_VERSION)]
    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    wanted = EXPECTED_TABLES + [table for table, _ in REFERENCE_TABLES]
    return problems + [_("table {table} is missing").format(table=table) for table in wanted if table not in present]


def _reference_problems(conn: sqlite3.Connection) -> list[str]:
    problems = []
    for table, minimum in REFERENCE_TABLES:
        try:
            count = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        except sqlite3.OperationalError:
            continue  # a missing table is reported under "schema"
        if count < minimum:
            problems.append(_("{table} has {count} rows, expected at least {minimum}").format(table=table, count=count, minimum=minimum))
    return problems


def _audit_problems(conn: sqlite3.Connection) -> list[str]:
    from wksbm_cli.services.audit_check import audit_problems

    return audit_problems(conn)


def _mode_problems(path: Path) -> list[str]:
    import sys

    if sys.platform == "win32":
        return []  # no POSIX modes; the per-user folder's ACL protects it
    open_files = [
        f"{file} ({file.stat().st_mode & 0o777:04o})"
        for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
        if file.exists() and file.stat().st_mode & 0o077
    ]
    return [_("open to other users: {files}; run chmod 600 on each").format(files=", ".join(open_files))] if open_files else []

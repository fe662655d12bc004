"""What every command shares: the database it works on and who is working."""

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import typer

from wksbm_cli.db import create_database, default_officer, open_db, transaction
from wksbm_cli.i18n import _


class Session:
    """Options of the root command, and the database connection opened on first use."""

    def __init__(self, db_path: Path, officer: str, debug: bool = False):
        self.db_path, self.officer, self.debug = db_path, officer, debug
        self._conn: sqlite3.Connection | None = None

    def connection(self, create: bool = False, scratch: bool = False) -> sqlite3.Connection:
        """The database; `create` (write commands) makes it if there is none and says so once on stderr.

        `scratch` (a dry run): where there is no database, a new one in memory that vanishes after.
        """
        if self._conn is None:
            if scratch and not self.db_path.exists():
                from wksbm_cli.output import message

                message(_("No database at {path} yet: checked against a new, empty one.").format(path=self.db_path))
                self._conn = open_db(":memory:", officer=self.officer)
            elif create and create_database(self.db_path, officer=self.officer):
                from wksbm_cli.output import message

                message(_("Created a new database at {path}.").format(path=self.db_path))
            if self._conn is None:
                self._conn = open_db(self.db_path, officer=self.officer)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def officer_name(option: str | None) -> str:
    """Who is making changes: --officer, else $WKSBM_OFFICER, else the login name."""
    return option or default_officer()


def session(ctx: typer.Context) -> Session:
    """The Session set up by the root command."""
    return ctx.find_root().obj


def connection(ctx: typer.Context, create: bool = False, scratch: bool = False) -> sqlite3.Connection:
    """The database; a read command (the default) refuses a path with no database, `create` makes one."""
    return session(ctx).connection(create=create, scratch=scratch)


@contextlib.contextmanager
def writing(ctx: typer.Context) -> Iterator[sqlite3.Connection]:
    """The database inside one write transaction (BEGIN IMMEDIATE … COMMIT); created if there is none."""
    conn = connection(ctx, create=True)
    with transaction(conn):
        yield conn


def given(**options: object) -> dict[str, object]:
    """The options the user actually gave (None means "not given")."""
    return {name: value for name, value in options.items() if value is not None}


def complete_villages(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: village names (and codes) starting with what was typed."""
    return _completions(ctx, "SELECT name FROM villages WHERE name LIKE :start ESCAPE '\\' "
                             "UNION SELECT code FROM villages WHERE code LIKE :start ESCAPE '\\' ORDER BY 1 LIMIT 200",
                        incomplete)


def complete_case_refs(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: case refs starting with what was typed."""
    return _completions(ctx, "SELECT ref FROM cases WHERE ref LIKE :start ESCAPE '\\' ORDER BY ref LIMIT 200", incomplete)


def _completions(ctx: typer.Context, sql: str, incomplete: str) -> list[str]:
    """Values for shell completion from the database, read-only; nothing when there is no wksbm database."""
    from wksbm_cli.db import database_path, identify

    try:
        path = database_path(ctx.find_root().params.get("db"))
        if not path.is_file():
            return []
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            if identify(conn)[0] != "wksbm":
                return []
            start = incomplete.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            return [row[0] for row in conn.execute(sql, {"start": start}) if row[0]]
        finally:
            conn.close()
    except (sqlite3.Error, OSError):
        return []  # completion never fails loudly

"""What every command shares: the database it works on and who is working."""

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import typer

from wksbm_cli.db import default_officer, open_db, transaction


class Session:
    """Options of the root command, and the database connection opened on first use."""

    def __init__(self, db_path: Path, officer: str, debug: bool = False):
        self.db_path, self.officer, self.debug = db_path, officer, debug
        self._conn: sqlite3.Connection | None = None

    def connection(self) -> sqlite3.Connection:
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


def connection(ctx: typer.Context) -> sqlite3.Connection:
    """The database for a read-only command."""
    return session(ctx).connection()


@contextlib.contextmanager
def writing(ctx: typer.Context) -> Iterator[sqlite3.Connection]:
    """The database inside one write transaction (BEGIN IMMEDIATE … COMMIT)."""
    conn = connection(ctx)
    with transaction(conn):
        yield conn


def given(**options: object) -> dict[str, object]:
    """The options the user actually gave (None means "not given")."""
    return {name: value for name, value in options.items() if value is not None}

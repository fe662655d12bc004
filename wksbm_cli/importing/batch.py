"""The import loop shared by every kind: validate rows, match them in chunks, write in bulk."""

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wksbm_cli import records
from wksbm_cli.errors import Invalid, shown_value
from wksbm_cli.i18n import _
from wksbm_cli.importing.rules import RowInvalid
from wksbm_cli.importing.table import Table

CHUNK = 2000  # rows matched against the database at once: set-based, and memory stays flat


@dataclass
class Item:
    """A valid row: where it came from, its stored values, and the key that matches it."""

    line: int
    row: dict[str, Any]
    key: tuple
    given: dict[str, Any] = field(default_factory=dict)  # the non-blank cells as written


@dataclass
class Counts:
    """What an import did (or, in a dry run, would do) to one kind of record."""

    files: int = 0
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


class Problems:
    """Every problem found, as `FILE:LINE: column: value: reason`; the first `limit` are kept."""

    def __init__(self, limit: int = 200):
        self.limit, self.lines, self.count, self.rows = limit, [], 0, 0
        self._last_row = None

    def add(self, label: str, line: int, column: str, value: Any, reason: str) -> None:
        """Record one problem."""
        self.count += 1
        if (label, line) != self._last_row:
            self.rows, self._last_row = self.rows + 1, (label, line)
        if len(self.lines) < self.limit:
            shown = "" if value is None else shown_value(value)
            self.lines.append(f"{label}:{line}: {column}: {shown}: {reason}")


class Kind:
    """How one kind of record is prepared, matched, inserted and updated. Subclasses fill it in."""

    table: str
    columns: tuple[str, ...]  # the stored columns an insert writes (uid and timestamps added)

    def __init__(self, conn: sqlite3.Connection, warn: Callable[[str], None]):
        self.conn, self.warn = conn, warn
        self.import_id: int | None = None  # the `imports` row this import's records point to (run.py)
        # Records with a higher id were added by this import: matching one means a repeated row.
        self.first_new_id = (conn.execute(f"SELECT max(id) FROM {self.table}").fetchone()[0] or 0) + 1

    def prepare(self, record: dict[str, Any]) -> Item:
        """Validate one row; raise RowInvalid (or Invalid) naming what is wrong."""
        raise NotImplementedError

    def find(self, items: list[Item]) -> dict[tuple, Any]:
        """The stored records (or an Invalid) matching the items' keys."""
        raise NotImplementedError

    def new_row(self, item: Item, label: str) -> dict[str, Any]:
        """The full row to insert for an unmatched item; raise Invalid if it cannot be new."""
        return item.row

    def changes(self, stored: sqlite3.Row, item: Item) -> dict[str, Any]:
        """What the item would change in the stored record (the blank cells change nothing)."""
        return {name: value for name, value in item.row.items() if value is not None and stored[name] != value}

    def describe(self, item: Item) -> tuple[str, Any]:
        """The field and value that identify the item, for a message about a repeated row."""
        return "name", item.row.get("name")

    def insert(self, rows: list[dict[str, Any]]) -> None:
        """Insert new records in one executemany."""
        records.insert_many(self.conn, self.table, rows, self.columns, import_id=self.import_id)

    def update(self, stored: sqlite3.Row, changes: dict[str, Any]) -> None:
        """Apply changes to one stored record."""
        records.update(self.conn, self.table, stored["id"], changes)


def import_table(kind: Kind, table: Table, counts: Counts, problems: Problems, progress: Callable) -> None:
    """Validate, match and write every row of `table` (inside the caller's transaction)."""
    pending: list[Item] = []
    for line, record in table.records:
        counts.rows += 1
        if isinstance(record, str):
            problems.add(table.source.label, line, "", None, record)
            continue
        try:
            item = kind.prepare(record)
        except RowInvalid as error:
            for invalid in error.errors:
                problems.add(table.source.label, line, table.column(invalid.field), invalid.value, invalid.reason)
            continue
        except Invalid as invalid:
            problems.add(table.source.label, line, table.column(invalid.field), invalid.value, invalid.reason)
            continue
        item.line = line
        pending.append(item)
        if len(pending) >= CHUNK:
            _flush(kind, table, pending, counts, problems)
            pending = []
            progress()
    _flush(kind, table, pending, counts, problems)
    progress()


def _flush(kind: Kind, table: Table, items: list[Item], counts: Counts, problems: Problems) -> None:
    if not items:
        return
    label = table.source.label
    existing = kind.find(items)
    seen: dict[tuple, int] = {}
    inserts: list[dict[str, Any]] = []
    for item in items:
        try:
            if item.key in seen:
                raise Invalid(_("repeats line {line}").format(line=seen[item.key]), **_identify(kind, item))
            seen[item.key] = item.line
            stored = existing.get(item.key)
            if isinstance(stored, Invalid):
                raise stored
            if stored is None:
                inserts.append(kind.new_row(item, label))
                counts.inserted += 1
            elif stored["id"] >= kind.first_new_id:
                raise Invalid(_("repeats a row given earlier in this import"), **_identify(kind, item))
            elif changes := kind.changes(stored, item):
                kind.update(stored, changes)
                counts.updated += 1
            else:
                counts.unchanged += 1
        except Invalid as invalid:
            problems.add(label, item.line, table.column(invalid.field), invalid.value, invalid.reason)
    if inserts:
        kind.insert(inserts)


def _identify(kind: Kind, item: Item) -> dict[str, Any]:
    field_, value = kind.describe(item)
    return {"field": field_, "value": value}

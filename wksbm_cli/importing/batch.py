"""The import loop shared by every kind: validate rows, match them in chunks, write in bulk."""

import sqlite3
from collections.abc import Callable
from itertools import islice
from dataclasses import dataclass, field
from typing import Any

from wksbm_cli import records
from wksbm_cli.errors import Invalid, shown_value
from wksbm_cli.fields import NIK_SERIAL
from wksbm_cli.i18n import _, ngettext
from wksbm_cli.importing.columns import ColumnWatch
from wksbm_cli.importing.failures import Failures
from wksbm_cli.importing.rules import RowInvalid
from wksbm_cli.importing.table import Table
from wksbm_cli.text import clean, name_key

CHUNK = 2000  # rows matched against the database at once: set-based, and memory stays flat
QUICK_MISSES = 2  # chunks a kind's store_chunk may turn down before a table's rows only go one by one


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
    """Every problem found, as `FILE:LINE: column: value: reason`, the same one in many rows once.

    A problem with the same file, column and reason (or general reason, see Invalid) in more than
    SHOWN rows (a whole column of dates written month first) is one line, where its first row is,
    naming its first rows and the count; fewer stay one line per row. Files in the order read, each
    by line; at most `limit` lines.
    """

    SHOWN = 3  # rows a grouped problem names; a problem in this many rows or fewer is listed row by row

    def __init__(self, limit: int = 200):
        self.limit, self.count, self.rows = limit, 0, 0
        self._groups: dict[tuple, _Group] = {}
        self._found: list[tuple[_Group, int, Any, str]] = []  # (group, line, value, reason) of each group's first rows
        self._last_row = None

    def add(self, label: str, line: int, column: str, value: Any, reason: str, general: str | None = None) -> None:
        """Record one problem; `general` is its reason put to fit every value of its kind."""
        self.count += 1
        if (label, line) != self._last_row:
            self.rows, self._last_row = self.rows + 1, (label, line)
        key = (label, column, general or reason)
        group = self._groups.get(key)
        if group is None:
            if len(self._groups) >= self.limit:  # memory stays bounded: these are only counted
                return
            group = self._groups[key] = _Group(label, column, reason, line, value)
        group.count += 1
        if group.count <= self.SHOWN:
            self._found.append((group, line, value, reason))
            group.line = min(group.line, line)
        if group.same and value != group.value:
            group.same = False
        if reason != group.reason:
            group.reason = general

    def withdraw(self, label: str, column: str, reason: str) -> None:
        """Take back a problem of every row of a column (a column problem found at the end says it better).

        Its rows stay among the rows with problems: the column's problem is theirs.
        """
        group = self._groups.pop((label, column, reason), None)
        if group is not None:
            self.count -= group.count
            self._found = [found for found in self._found if found[0] is not group]

    def add_column(self, label: str, column: str, reason: str, rows: int) -> None:
        """Record one problem of a whole column, `FILE: column: reason`, listed first in its file.

        `rows`: the rows it concerns that have no other problem.
        """
        self.count += 1
        self.rows += rows
        group = self._groups[(label, column, reason, "column")] = _Group(label, column, reason, 0, None, count=1)
        self._found.append((group, 0, None, reason))

    def report(self) -> tuple[list[str], int]:
        """The lines to show (at most `limit`) and how many problems they leave out."""
        lines, listed = [], 0
        files = {group.label: None for group in self._groups.values()}  # in the order they were read
        order = {label: number for number, label in enumerate(files)}
        # Within a file by line: a row refused when its chunk is matched is found after later rows.
        for group, line, value, reason in sorted(self._found, key=lambda found: (order[found[0].label], found[1])):
            if len(lines) >= self.limit:
                break
            if group.count <= self.SHOWN:
                lines.append(_line(group.label, line, group.column, value, reason))
                listed += 1
            elif line == group.line:
                lines.append(self._grouped(group))
                listed += group.count
        return lines, self.count - listed

    def _grouped(self, group: "_Group") -> str:
        """`FILE: column: [value:] N rows: reason (lines 2, 3, 4 and 47 more)`."""
        found = sorted((line, value) for each, line, value, _reason in self._found if each is group)
        if group.same:
            named = ", ".join(str(line) for line, _value in found)
        else:
            named = ", ".join(f"{line}: {_shown(value)}" for line, value in found)
        more = group.count - len(found)
        if more:
            named = ngettext("{lines} and {count} more", "{lines} and {count} more", more).format(lines=named, count=more)
        rows = ngettext("{count} row", "{count} rows", group.count).format(count=group.count)
        value = _shown(group.value) if group.same else ""
        where = ": ".join(part for part in (group.label, group.column, value, rows) if part)
        lines = _("lines {lines}").format(lines=named)
        return f"{where}: {group.reason} ({lines})"


@dataclass(eq=False)
class _Group:
    """One problem (file, column, reason) and the rows it was found in."""

    label: str
    column: str
    reason: str  # the rows' reason, or their general reason when they differ
    line: int  # the first row's line: where the problem is listed
    value: Any  # the first row's value
    count: int = 0
    same: bool = True  # every row has the same value


def _line(label: str, line: int, column: str, value: Any, reason: str) -> str:
    """`FILE:LINE: column: value: reason`; a problem with the row or the file itself is `FILE:LINE: reason`."""
    if not column and value is None:
        return f"{label}:{line}: {reason}"
    if line == 0:  # the whole column
        return f"{label}: {column}: {reason}"
    if value is None or value == "":  # nothing to show: no empty `: :`
        return f"{label}:{line}: {column}: {reason}"
    return f"{label}:{line}: {column}: {_shown(value)}: {reason}"


def _shown(value: Any) -> str:
    return "" if value is None else shown_value(value)


class Kind:
    """How one kind of record is prepared, matched, inserted and updated. Subclasses fill it in."""

    table: str
    columns: tuple[str, ...]  # the stored columns an insert writes (uid and timestamps added)
    institution_field: str | None = None  # the field naming an institution of the row's village

    def __init__(self, conn: sqlite3.Connection, warn: Callable[[str], None]):
        self.conn, self.warn = conn, warn
        self.import_id: int | None = None  # the `imports` row this import's records point to (run.py)
        self.failures = Failures()  # the failed rows of the whole import (run.py shares one among kinds)
        # Records with a higher id were added by this import: matching one means a repeated row.
        self.first_new_id = (conn.execute(f"SELECT max(id) FROM {self.table}").fetchone()[0] or 0) + 1

    def prepare(self, record: dict[str, Any]) -> Item:
        """Validate one row; raise RowInvalid (or Invalid) naming what is wrong."""
        raise NotImplementedError

    def find(self, items: list[Item]) -> dict[tuple, Any]:
        """The stored records (or an Invalid) matching the items' keys."""
        raise NotImplementedError

    def store_chunk(self, rows: list, fields: list[str] | None, watch: ColumnWatch) -> bool:
        """Store a chunk of rows as new records at once, if every one can be told to be, or store nothing and
        return False (the rows then go one by one). `rows` are the records as read (see Table: a dict, a
        list of cells in the order of `fields`, or a string saying why a row cannot be read); `watch` is
        noted what row() would be of each row stored."""
        return False

    def new_row(self, item: Item, label: str) -> dict[str, Any]:
        """The full row to insert for an unmatched item; raise Invalid if it cannot be new."""
        return item.row

    def changes(self, stored: sqlite3.Row, item: Item) -> dict[str, Any]:
        """What the item would change in the stored record (the blank cells change nothing)."""
        return {name: value for name, value in item.row.items() if value is not None and stored[name] != value}

    def aliases(self, item: Item) -> list[tuple]:
        """Other keys than item.key that a later row of this import may match the item's new record by."""
        return []

    def describe(self, item: Item) -> tuple[str, Any]:
        """The field and value that identify the item, for a message about a repeated row."""
        return "name", item.row.get("name")

    def watch(self, table: Table) -> ColumnWatch:
        """What to note of each row of `table` for the problems only its whole columns show."""
        return ColumnWatch(self.table, table.source.format == "xlsx")

    def failed_keys(self, row: dict[str, Any]) -> list[tuple]:
        """The keys (see Failures) other rows would name this failed row by: a record as read, or prepared."""
        return []

    def caused_by(self, record: dict[str, Any], invalid: Invalid) -> Invalid:
        """`invalid`, saying so when the institution it names is in a failed row (or unread file) of this import."""
        field_ = self.institution_field
        if field_ is None or invalid.field != field_ or clean(invalid.value) is None:
            return invalid
        try:
            village = self.villages.find(record)
        except Invalid:
            return invalid
        where = self.failures.where(("institutions", village["id"], name_key(clean(invalid.value))))
        if where is not None:
            reason = _("institution '{institution}' not found: its row {where} has a problem (see above)").format(
                institution=clean(invalid.value), where=where)
        elif (unread := self.failures.unread("institutions")) is not None:
            reason = _("institution '{institution}' not found; perhaps it is in {file}, which could not be read "
                       "(see above)").format(institution=clean(invalid.value), file=unread)
        else:
            return invalid
        return Invalid(reason, field=field_, value=invalid.value)

    def insert(self, rows: list[dict[str, Any]]) -> None:
        """Insert new records in one executemany."""
        records.insert_many(self.conn, self.table, rows, self.columns, import_id=self.import_id)

    def update(self, stored: sqlite3.Row, changes: dict[str, Any]) -> None:
        """Apply changes to one stored record."""
        records.update(self.conn, self.table, stored["id"], changes)


def import_table(kind: Kind, table: Table, counts: Counts, problems: Problems, progress: Callable) -> None:
    """Validate, match and write every row of `table` (inside the caller's transaction), a chunk at a time."""
    label = table.source.label
    watcher = kind.watch(table)
    watch = watcher.row
    records = iter(table.records)
    misses = 0  # chunks store_chunk could not store: after QUICK_MISSES, the rows only go one by one
    while chunk := list(islice(records, CHUNK)):
        counts.rows += len(chunk)
        if misses < QUICK_MISSES:
            if kind.store_chunk([record for _line, record in chunk], table.fields, watcher):
                counts.inserted += len(chunk)
                progress()
                continue
            misses += 1
        pending: list[Item] = []
        fields = table.fields
        for line, record in chunk:
            if record.__class__ is list:
                record = dict(zip(fields, record))
            elif isinstance(record, str):
                problems.add(label, line, "", None, record)
                continue
            try:
                item = kind.prepare(record)
            except (RowInvalid, Invalid) as error:
                for invalid in error.errors if isinstance(error, RowInvalid) else [error]:
                    invalid = kind.caused_by(record, invalid)
                    problems.add(label, line, table.column(invalid.field), invalid.value, invalid.reason,
                                 invalid.general)
                kind.failures.add(kind.failed_keys(record), f"{label}:{line}")
                watch(record, False)
                continue
            watch(record, True)
            item.line = line
            pending.append(item)
        _flush(kind, table, pending, counts, problems)
        progress()
    for field_, reason, rows in watcher.problems():
        if field_ == "nik":  # the column's problem replaces the serial 0000 that rounding gave some rows
            problems.withdraw(label, table.column("nik"), _(NIK_SERIAL))
        problems.add_column(label, table.column(field_), reason, rows)


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
                raise Invalid(_("repeats line {line}").format(line=seen[item.key]), **_identify(kind, item),
                              general=_("repeats an earlier line of this file"))
            seen[item.key] = item.line
            stored = existing.get(item.key)
            if isinstance(stored, Invalid):
                raise stored
            if stored is None:
                inserts.append(kind.new_row(item, label))
                counts.inserted += 1
                for alias in kind.aliases(item):  # a later row may name the new record so too
                    seen.setdefault(alias, item.line)
            elif stored["id"] >= kind.first_new_id:
                raise Invalid(_("repeats a row given earlier in this import"), **_identify(kind, item))
            elif changes := kind.changes(stored, item):
                kind.update(stored, changes)
                counts.updated += 1
            else:
                counts.unchanged += 1
        except Invalid as invalid:
            problems.add(label, item.line, table.column(invalid.field), invalid.value, invalid.reason, invalid.general)
            kind.failures.add(kind.failed_keys(item.row), f"{label}:{item.line}")
    if inserts:
        kind.insert(inserts)


def _identify(kind: Kind, item: Item) -> dict[str, Any]:
    field_, value = kind.describe(item)
    return {"field": field_, "value": value}

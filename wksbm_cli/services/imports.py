"""Imports as the audit log keeps them: one `imports` row per import (schema m004), listed and undone here.

An import's records carry its id (`import_id`); its row says when, who, which files (with their
sha256) and how many records of each kind it inserted, updated and left unchanged.
"""

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wksbm_cli.errors import Conflict, NotFound
from wksbm_cli.i18n import _, ngettext, record_kind, shown_date
from wksbm_cli.ids import new_uid

# The record tables an import writes, parents first; undo removes them children first.
RECORD_TABLES = ("villages", "institutions", "activities", "cases", "case_events")
LIST_COLUMNS = ["id", "at", "officer", "files", "inserted", "updated", "unchanged", "undone"]


@dataclass
class ImportMark:
    """An import under way: its id (the next free one) and where each table's new records start."""

    id: int
    first_ids: dict[str, int] = field(default_factory=dict)


def begin_import(conn: sqlite3.Connection) -> ImportMark:
    """The id the import's records will carry (inside the import's transaction: it is the only writer)."""
    next_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM imports").fetchone()[0]
    first_ids = {
        table: conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0] for table in RECORD_TABLES
    }
    return ImportMark(next_id, first_ids)


def record_import(conn: sqlite3.Connection, mark: ImportMark, sources: Iterable, counts: dict[str, Any]) -> None:
    """Write the import's `imports` row: its one audit entry (the row's trigger writes it)."""
    records = {}
    for table, first in mark.first_ids.items():
        sql = f"SELECT count(*) FROM {table} WHERE id >= ? AND import_id = ?"
        records[table] = conn.execute(sql, [first, mark.id]).fetchone()[0]
    files = [{"file": _text(source.label), "kind": source.kind, "sha256": _sha256(source.path)} for source in sources]
    conn.execute(
        "INSERT INTO imports (id, uid, at, officer, files, counts, records) "
        "VALUES (?, ?, wksbm_now(), wksbm_officer(), ?, ?, ?)",
        [mark.id, new_uid(), json.dumps(files, ensure_ascii=False), json.dumps(counts), json.dumps(records)],
    )


def imports_list(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every import, oldest first: when, who, its files, what it did, and whether it was undone."""
    rows = conn.execute("SELECT * FROM imports ORDER BY id").fetchall()
    return [_listed(row) for row in rows]


def undo_import(conn: sqlite3.Connection, import_id: int) -> dict[str, Any]:
    """Remove the records import `import_id` inserted, if nothing changed them since (inside a transaction).

    Refused, naming what did, if one of them was updated or deleted since, or another record
    (added later, not by this import) refers to one. The removals are audited per record, the undo
    itself on the `imports` row. Updates the import made to records stored before it stay.
    """
    row = conn.execute("SELECT * FROM imports WHERE id = ?", [import_id]).fetchone()
    if row is None:
        raise NotFound(_("no import {id}: `wksbm log --imports` lists them").format(id=import_id))
    if row["undone_at"]:
        raise Conflict(_("import {id} was already undone on {at} by {officer}").format(
            id=import_id, at=_shown_time(row["undone_at"]), officer=row["undone_by"]))
    entry = conn.execute(
        "SELECT id FROM audit_log WHERE table_name = 'imports' AND action = 'insert' AND record_uid = ?", [row["uid"]]
    ).fetchone()
    after = entry[0] if entry else 0
    for problem in (_changed_since(conn, import_id, after), _deleted_since(conn, row), _referred_to(conn, import_id)):
        if problem:
            raise Conflict(_("import {id} cannot be undone: {reason}").format(id=import_id, reason=problem))
    removed = {}
    for table in reversed(RECORD_TABLES):
        removed[table] = conn.execute(f"DELETE FROM {table} WHERE import_id = ?", [import_id]).rowcount
    conn.execute("UPDATE imports SET undone_at = wksbm_now(), undone_by = wksbm_officer() WHERE id = ?", [import_id])
    counts = json.loads(row["counts"])
    updated = sum(kind.get("updated", 0) for kind in counts.values())
    return {"import": import_id, "removed": {table: removed[table] for table in RECORD_TABLES}, "updated_kept": updated}


def undo_message(result: dict[str, Any]) -> str:
    """What an undo did, as one or two sentences."""
    removed = [_counted(table, count) for table, count in result["removed"].items() if count]
    text = _("Undid import {id}: removed {what}.").format(
        id=result["import"], what=", ".join(removed) if removed else _("no records"))
    if result["updated_kept"]:
        text += " " + ngettext(
            "The {count} update it made to a record stored before it stays (see `wksbm log`).",
            "The {count} updates it made to records stored before it stay (see `wksbm log`).",
            result["updated_kept"]).format(count=result["updated_kept"])
    return text


def entry_row(entry: dict[str, Any]) -> dict[str, Any]:
    """An import's audit entry as the log's table shows it: `import` / `import 3`, its files and what it did
    (`undo` when it was undone), in the interface language."""
    after, before = entry["after"] or {}, entry["before"] or {}
    label = _("import {id}").format(id=after.get("id", before.get("id", "?")))
    if entry["action"] == "update":
        if after.get("undone_at"):
            return {"action": _("undo"), "record": label, "changes": _("undone")}
        return {"record": label, "changes": ""}
    counts = after.get("counts") or {}
    files = ", ".join(file["file"] for file in after.get("files") or [])
    done = "; ".join(
        _("{kind}: {inserted} inserted, {updated} updated").format(
            kind=record_kind(kind, many=True), inserted=count.get("inserted", 0), updated=count.get("updated", 0))
        for kind, count in counts.items())
    return {"action": _("import"), "record": label, "changes": f"{files} ({done})" if done else files}


def _counted(table: str, count: int) -> str:
    words = {
        "villages": ngettext("{count} village", "{count} villages", count),
        "institutions": ngettext("{count} institution", "{count} institutions", count),
        "activities": ngettext("{count} activity", "{count} activities", count),
        "cases": ngettext("{count} case", "{count} cases", count),
        "case_events": ngettext("{count} case event", "{count} case events", count),
    }
    return words[table].format(count=count)


# What names a record for people, by table (its kind is said by i18n.record_kind).
_LABEL_SQL = {
    "villages": "coalesce(t.code, t.name)",
    "institutions": "t.name",
    "activities": "coalesce(t.title, t.held_on)",
    "cases": "t.ref",
    "case_events": "(SELECT ref FROM cases WHERE cases.id = t.case_id) || ' ' || t.on_date",
}
# Which record points at which: (child table, its column, parent table).
_REFERENCES = [
    ("institutions", "village_id", "villages"), ("activities", "village_id", "villages"),
    ("activities", "institution_id", "institutions"), ("cases", "village_id", "villages"),
    ("cases", "handled_by", "institutions"), ("case_events", "case_id", "cases"),
]


def _changed_since(conn: sqlite3.Connection, import_id: int, after: int) -> str | None:
    for table in RECORD_TABLES:
        sql = f"""SELECT {_LABEL_SQL[table]} AS label, a.action, a.at, a.officer FROM audit_log AS a
                  JOIN {table} AS t ON t.uid = a.record_uid
                  WHERE a.table_name = '{table}' AND a.id > ? AND t.import_id = ? ORDER BY a.id LIMIT 1"""
        found = conn.execute(sql, [after, import_id]).fetchone()
        if found:
            return _("{kind} {label} was updated on {at} by {officer}").format(
                kind=record_kind(table), label=found["label"], at=_shown_time(found["at"]), officer=found["officer"])
    return None


def _deleted_since(conn: sqlite3.Connection, row: sqlite3.Row) -> str | None:
    inserted = json.loads(row["records"])
    for table in RECORD_TABLES:
        left = conn.execute(f"SELECT count(*) FROM {table} WHERE import_id = ?", [row["id"]]).fetchone()[0]
        gone = inserted.get(table, 0) - left
        if gone > 0:
            return ngettext("{count} {kind} it added was deleted since (see `wksbm log --table {table}`)",
                            "{count} {kind} records it added were deleted since (see `wksbm log --table {table}`)",
                            gone).format(count=gone, kind=record_kind(table), table=table)
    return None


def _referred_to(conn: sqlite3.Connection, import_id: int) -> str | None:
    for child, column, parent in _REFERENCES:
        sql = f"""SELECT {_LABEL_SQL[child]} AS label, t.created_at, t.created_by,
                         (SELECT {_LABEL_SQL[parent].replace('t.', 'p.')} FROM {parent} AS p WHERE p.id = t.{column}) AS parent
                  FROM {child} AS t
                  WHERE t.{column} IN (SELECT id FROM {parent} WHERE import_id = ?) AND t.import_id IS NOT ?
                  LIMIT 1"""
        found = conn.execute(sql, [import_id, import_id]).fetchone()
        if found:
            return _("{kind} {label}, added on {at} by {officer}, refers to {parent_kind} {parent} of this import").format(
                kind=record_kind(child), label=found["label"], at=_shown_time(found["created_at"]),
                officer=found["created_by"], parent_kind=record_kind(parent), parent=found["parent"])
    return None


def _listed(row: sqlite3.Row) -> dict[str, Any]:
    counts = json.loads(row["counts"])
    return {
        "id": row["id"],
        "at": row["at"],
        "officer": row["officer"],
        "files": [file["file"] for file in json.loads(row["files"])],
        "inserted": sum(kind.get("inserted", 0) for kind in counts.values()),
        "updated": sum(kind.get("updated", 0) for kind in counts.values()),
        "unchanged": sum(kind.get("unchanged", 0) for kind in counts.values()),
        "undone": row["undone_at"],
        "sha256": {file["file"]: file["sha256"] for file in json.loads(row["files"])},
        "counts": counts,
        "records": json.loads(row["records"]),
        "undone_by": row["undone_by"],
    }


def _text(name: str) -> str:
    """A file name as text to store: a byte of it that is not UTF-8 written as \\xNN (it cannot be stored as it is)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _sha256(path: Path | None) -> str | None:
    """The file's sha256 (None for stdin: its bytes are gone once read)."""
    if path is None:
        return None
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _shown_time(stamp: str | None) -> str:
    """A stored time to the second, as tables show it (DD/MM/YYYY in Indonesian)."""
    return shown_date((stamp or "")[:19].replace("T", " "))

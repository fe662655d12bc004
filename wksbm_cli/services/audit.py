"""The audit log: who changed what and when, as the m002 triggers recorded it (read-only here)."""

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from wksbm_cli.dates import parse_date
from wksbm_cli.errors import checked
from wksbm_cli.i18n import N_, _, column_header, record_kind, shown_cell, table_named

COLUMNS = ["id", "at", "officer", "action", "table", "record", "before", "after"]
# The table in people's words: `kind` is the table said as people say it (village, case status…).
TABLE_COLUMNS = ["id", "at", "officer", "action", "kind", "record", "changes"]


def audit_entries(
    conn: sqlite3.Connection,
    since: str | None = None,
    record: str | None = None,
    table: str | None = None,
    limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Audit entries oldest first, streamed; `since` a date, `record` a uid, case ref (with its events),
    village code or setting key.

    An insert's row stores no copy of the values (see schema.m002_audit); its "after" is filled
    in here from the record's next change ("before") or, if none, from the record as it is now
    (an insert of a record deleted since always has a next change: the delete).
    """
    condition, params = _filter(conn, since, record, table)
    newest = "ORDER BY id DESC LIMIT ?" if limit else ""
    first = conn.execute(f"SELECT min(id) FROM (SELECT id FROM audit_log WHERE {condition} {newest})",
                         [*params, limit] if limit else params).fetchone()[0]
    if first is None:
        return iter(())
    # Every later change of a shown entry's record has a higher id, so the window over the
    # entries from the first shown one on sees them all; older history is not read at all.
    sql = f"""SELECT id, at, officer, action, table_name, record_uid, before,
                     CASE WHEN action = 'insert' AND after IS NULL
                          THEN coalesce(next_before, {_current_state_sql()}) ELSE after END AS after
              FROM (SELECT *, lead(before) OVER (PARTITION BY table_name, record_uid ORDER BY id) AS next_before
                    FROM audit_log WHERE id >= ?)
              WHERE {condition} ORDER BY id"""
    return (_entry(row) for row in conn.execute(sql, [first, *params]))


def count_entries(conn: sqlite3.Connection, since: str | None = None, record: str | None = None, table: str | None = None) -> int:
    """How many entries audit_entries gives without a limit."""
    condition, params = _filter(conn, since, record, table)
    return conn.execute(f"SELECT count(*) FROM audit_log WHERE {condition}", params).fetchone()[0]


def _filter(conn: sqlite3.Connection, since: str | None, record: str | None, table: str | None) -> tuple[str, list[Any]]:
    where, params = [], []
    if record:
        uids = _record_uids(conn, record.strip())
        where.append(f"record_uid IN ({', '.join('?' for _ in uids)})")
        params.extend(uids)
    if table:  # a table's name, or the kind of record as the log's table says it, in either language
        where.append("table_name = ?")
        params.append(table_named(table) or table.strip().lower())
    if since:
        where.append("at >= ?")
        params.append(checked("since", parse_date, since))
    return " AND ".join(where) or "1", params


class RecordNames:
    """Internal ids in an entry's values named as people know the records: village code and name, case ref, institution name."""

    _LOOKUPS = {
        "village_id": "SELECT coalesce(code || ' ' || name, name) FROM villages WHERE id = ?",
        "institution_id": "SELECT name FROM institutions WHERE id = ?",
        "handled_by": "SELECT name FROM institutions WHERE id = ?",
        "case_id": "SELECT ref FROM cases WHERE id = ?",
        "activity_id": "SELECT held_on || ' ' || coalesce(title, kind) FROM activities WHERE id = ?",
    }

    def __init__(self, conn: sqlite3.Connection):
        self.conn, self.cache = conn, {}

    def renamed(self, values: dict[str, Any] | None) -> dict[str, Any] | None:
        """`values` with each known id key replaced by the record's name (`village_id` 4 -> `village` 35.13.13.2013 Randujalak)."""
        if not values:
            return values
        return {self._key(key): self._name(key, value) for key, value in values.items()}

    @staticmethod
    def _key(key: str) -> str:
        return key[:-3] if key.endswith("_id") and key in RecordNames._LOOKUPS else key

    def _name(self, key: str, value: Any) -> Any:
        if key not in self._LOOKUPS or value is None:
            return value
        if (key, value) not in self.cache:
            row = self.conn.execute(self._LOOKUPS[key], [value]).fetchone()
            self.cache[key, value] = row[0] if row and row[0] is not None else f"#{value} (deleted)"
        return self.cache[key, value]


def table_row(entry: dict[str, Any], names: RecordNames | None = None) -> dict[str, Any]:
    """An entry as the table shows it, in people's words: time to the second, what was done (`add`), to what
    kind of record (`village`), the record by a name people know, the changes (JSON and CSV keep the entry as stored)."""
    shown = {"at": entry["at"][:19].replace("T", " "), "action": _(_ACTIONS.get(entry["action"], entry["action"])),
             "kind": record_kind(entry["table"])}
    if entry["table"] == "imports":  # an import's one entry (schema m004): said the way people say it
        from wksbm_cli.services.imports import entry_row

        return {**entry, **shown, **entry_row(entry)}
    if names is not None:
        entry = {**entry, "before": names.renamed(entry["before"]), "after": names.renamed(entry["after"])}
    values = entry["after"] or entry["before"] or {}
    label = next((str(values[key]) for key in _LABELS if values.get(key) not in (None, "")), entry["record"])
    return {**entry, **shown, "record": label, "changes": changes_text(entry)}


# What names a record for people, by table: a case's ref, a village's code, a setting's key… (a status change:
# its case's ref, from `case_id` as RecordNames names it).
_LABELS = ("ref", "code", "key", "name", "title", "case", "held_on", "on_date")
# An entry's action as the table says it: the verb of the command that does it (`village add`, `case update`…).
_ACTIONS = {"insert": N_("add"), "update": N_("update"), "delete": N_("delete")}


def changes_text(entry: dict[str, Any]) -> str:
    """A one-line summary in the interface language: changed fields `status: reported -> resolved`, or the
    values added/removed `code: 35.13.13.2099; name: Randujalak`; fields named as the table headers name them,
    values shown as tables show them (a status or activity kind in Indonesian words, dates DD/MM/YYYY in Indonesian)."""
    before, after = entry["before"] or {}, entry["after"] or {}
    if entry["action"] == "update":
        parts = [f"{column_header(key)}: {_shown(key, before.get(key))} -> {_shown(key, value)}"
                 for key, value in after.items() if before.get(key) != value]
    else:
        parts = [f"{column_header(key)}: {_shown(key, value)}" for key, value in (after or before).items() if value is not None]
    return "; ".join(parts)


def _record_uids(conn: sqlite3.Connection, record: str) -> list[str]:
    """The uids behind a case ref (with its status events) or a village code; else `record` as given."""
    case = conn.execute("SELECT id, uid FROM cases WHERE ref = ?", [record]).fetchone()
    if case:
        events = conn.execute("SELECT uid FROM case_events WHERE case_id = ?", [case["id"]])
        return [case["uid"], *(row["uid"] for row in events)]
    village = conn.execute("SELECT uid FROM villages WHERE code = ?", [record]).fetchone()
    return [village["uid"] if village else record]


def _entry(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "at": row["at"],
        "officer": row["officer"],
        "action": row["action"],
        "table": row["table_name"],
        "record": row["record_uid"],
        "before": json.loads(row["before"]) if row["before"] else None,
        "after": json.loads(row["after"]) if row["after"] else None,
    }


def _current_state_sql() -> str:
    """SQL for an entry's record as it is now, as the triggers would write it (NIK masked)."""
    from wksbm_cli.schema import AUDIT_KEYS, audit_json

    cases = " ".join(
        f"WHEN '{table}' THEN (SELECT {audit_json(table, 'now_')} FROM {table} AS now_ WHERE now_.{key} = record_uid)"
        for table, key in AUDIT_KEYS.items()
    )
    return f"CASE table_name {cases} END"


def _shown(key: str, value: Any) -> str:
    if value is None:
        return _("(empty)")
    if key == "builtin":  # the one yes/no field audited, stored as 0/1
        return _("yes") if value else _("no")
    return str(shown_cell(key, value))

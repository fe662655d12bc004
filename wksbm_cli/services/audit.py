"""The audit log: who changed what and when, as the m002 triggers recorded it (read-only here)."""

import json
import sqlite3
from typing import Any

from wksbm_cli.dates import parse_date
from wksbm_cli.errors import checked
from wksbm_cli.fields import mask_nik

COLUMNS = ["id", "at", "officer", "action", "table", "record", "before", "after"]
TABLE_COLUMNS = ["id", "at", "officer", "action", "table", "record", "changes"]


def audit_entries(
    conn: sqlite3.Connection,
    since: str | None = None,
    record: str | None = None,
    table: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Audit rows oldest first; `since` a date, `record` a uid, a case ref, a village code or a setting key.

    An insert's row stores no copy of the values (see schema.m002_audit); its "after" is filled
    in here from the record's next change ("before") or, if none, from the record as it is now.
    """
    inner, params = [], []
    # Filters on the record or table may go inside: each record's history stays whole.
    if record:
        inner.append("record_uid = ?")
        params.append(_record_uid(conn, record.strip()))
    if table:
        inner.append("table_name = ?")
        params.append(table.strip().lower())
    outer = []
    if since:
        outer.append("at >= ?")
        params.append(checked("since", parse_date, since))
    sql = f"""SELECT * FROM (
                  SELECT id, at, officer, action, table_name, record_uid, before, after,
                         lead(before) OVER (PARTITION BY table_name, record_uid ORDER BY id) AS next_before
                  FROM audit_log {"WHERE " + " AND ".join(inner) if inner else ""})
              {"WHERE " + " AND ".join(outer) if outer else ""}"""
    if limit:
        # The newest `limit` entries, still shown oldest first.
        sql = f"SELECT * FROM ({sql} ORDER BY id DESC LIMIT {int(limit)})"
    entries = [_entry(row) for row in conn.execute(sql + " ORDER BY id", params)]
    _fill_inserted_values(conn, entries)
    return entries


def changes_text(entry: dict[str, Any]) -> str:
    """A one-line summary: changed fields `status: reported -> resolved`, or the values added/removed."""
    before, after = entry["before"] or {}, entry["after"] or {}
    if entry["action"] == "update":
        parts = [f"{key}: {_shown(before.get(key))} -> {_shown(value)}" for key, value in after.items() if before.get(key) != value]
    else:
        parts = [f"{key}={_shown(value)}" for key, value in (after or before).items() if value is not None]
    return "; ".join(parts)


def _record_uid(conn: sqlite3.Connection, record: str) -> str:
    """The uid behind a case ref or village code (users know those); anything else as given."""
    row = conn.execute(
        "SELECT uid FROM cases WHERE ref = ? UNION ALL SELECT uid FROM villages WHERE code = ?", [record, record]
    ).fetchone()
    return row["uid"] if row else record


def _entry(row: sqlite3.Row) -> dict[str, Any]:
    after = row["after"]
    if row["action"] == "insert" and after is None:
        after = row["next_before"]  # the record's first state, as its next change found it
    return {
        "id": row["id"],
        "at": row["at"],
        "officer": row["officer"],
        "action": row["action"],
        "table": row["table_name"],
        "record": row["record_uid"],
        "before": json.loads(row["before"]) if row["before"] else None,
        "after": json.loads(after) if after else None,
    }


def _fill_inserted_values(conn: sqlite3.Connection, entries: list[dict[str, Any]]) -> None:
    """An insert never changed since: its values are the record as it is now (NIK masked)."""
    pending = [entry for entry in entries if entry["action"] == "insert" and entry["after"] is None]
    if not pending:
        return
    from wksbm_cli.schema import AUDIT_KEYS, AUDITED_COLUMNS

    for entry in pending:
        table = entry["table"]
        if table not in AUDITED_COLUMNS:
            continue
        row = conn.execute(f"SELECT * FROM {table} WHERE {AUDIT_KEYS[table]} = ?", [entry["record"]]).fetchone()
        if row is not None:
            entry["after"] = {column: row[column] for column in AUDITED_COLUMNS[table]}
            if "nik" in entry["after"]:
                entry["after"]["nik"] = mask_nik(entry["after"]["nik"])


def _shown(value: Any) -> str:
    return "(empty)" if value is None else str(value)

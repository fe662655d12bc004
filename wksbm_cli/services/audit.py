"""The audit log: who changed what and when, as the m002 triggers recorded it (read-only here)."""

import json
import sqlite3
from typing import Any

from wksbm_cli.dates import parse_date
from wksbm_cli.errors import checked

COLUMNS = ["id", "at", "officer", "action", "table", "record", "before", "after"]
TABLE_COLUMNS = ["id", "at", "officer", "action", "table", "record", "changes"]


def audit_entries(
    conn: sqlite3.Connection,
    since: str | None = None,
    record: str | None = None,
    table: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Audit rows oldest first; `since` a date, `record` a uid, a case ref, a village code or a setting key."""
    where, params = [], []
    if since:
        where.append("at >= ?")
        params.append(checked("since", parse_date, since))
    if record:
        where.append("record_uid = ?")
        params.append(_record_uid(conn, record.strip()))
    if table:
        where.append("table_name = ?")
        params.append(table.strip().lower())
    sql = f"""SELECT id, at, officer, action, table_name, record_uid, before, after FROM audit_log
              {"WHERE " + " AND ".join(where) if where else ""} ORDER BY id"""
    if limit:
        # The newest `limit` entries, still shown oldest first.
        sql = f"SELECT * FROM ({sql[: sql.rindex('ORDER BY')]} ORDER BY id DESC LIMIT {int(limit)}) ORDER BY id"
    return [_entry(row) for row in conn.execute(sql, params)]


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


def _shown(value: Any) -> str:
    return "(empty)" if value is None else str(value)

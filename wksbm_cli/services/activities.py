"""Activities: the meetings, programmes and outreach a village's network carries out."""

import sqlite3
from typing import Any

from wksbm_cli import records
from wksbm_cli.dates import parse_date
from wksbm_cli.errors import checked
from wksbm_cli.fields import parse_count, parse_kind
from wksbm_cli.resolve import resolve_institution, resolve_village
from wksbm_cli.text import clean

LIST_COLUMNS = ["held_on", "village", "kind", "title", "institution", "attendees"]


def prepare_activity(conn: sqlite3.Connection, village: sqlite3.Row, values: dict[str, Any]) -> dict[str, Any]:
    """Validate user-given activity fields of `village` into stored values."""
    row: dict[str, Any] = {"village_id": village["id"]}
    for field, value in values.items():
        if field == "held_on":
            row["held_on"] = checked("held_on", parse_date, value)
        elif field == "kind":
            row["kind"] = checked("kind", parse_kind, value)
        elif field == "attendees":
            row["attendees"] = checked("attendees", parse_count, value) if clean(value) else None
        elif field == "institution":
            row["institution_id"] = (
                checked("institution", lambda v: resolve_institution(conn, village, v)["id"], value)
                if clean(value)
                else None
            )
        else:
            row[field] = clean(value)
    return row


def add_activity(conn: sqlite3.Connection, village: str, **values: Any) -> dict[str, Any]:
    """Record an activity held in `village`."""
    row = prepare_activity(conn, resolve_village(conn, village), values)
    activity_id = records.insert(conn, "activities", row)
    return list_activities(conn, activity_id=activity_id)[0]


def list_activities(
    conn: sqlite3.Connection,
    village: str | None = None,
    since: str | None = None,
    activity_id: int | None = None,
) -> list[dict[str, Any]]:
    """Activities, newest first, optionally of one village and on or after `since`."""
    where, params = [], []
    if village:
        where.append("a.village_id = ?")
        params.append(resolve_village(conn, village)["id"])
    if since:
        where.append("a.held_on >= ?")
        params.append(checked("since", parse_date, since))
    if activity_id is not None:
        where.append("a.id = ?")
        params.append(activity_id)
    sql = f"""SELECT a.*, v.name AS village, v.code AS village_code, i.name AS institution
              FROM activities a JOIN villages v ON v.id = a.village_id
              LEFT JOIN institutions i ON i.id = a.institution_id
              {"WHERE " + " AND ".join(where) if where else ""}
              ORDER BY a.held_on DESC, v.name, a.id DESC"""
    return [dict(row) for row in conn.execute(sql, params)]

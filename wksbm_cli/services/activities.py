"""Activities: the meetings, programmes and outreach a village's network carries out."""

import sqlite3
from collections.abc import Iterator
from typing import Any

from wksbm_cli import records
from wksbm_cli.dates import parse_date, parse_past_date
from wksbm_cli.errors import Invalid, NotFound, checked
from wksbm_cli.i18n import _
from wksbm_cli.fields import parse_count, parse_kind
from wksbm_cli.resolve import resolve_institution, resolve_village
from wksbm_cli.text import clean

LIST_COLUMNS = ["id", "held_on", "village", "kind", "title", "institution", "attendees"]


def prepare_activity(conn: sqlite3.Connection, village: sqlite3.Row, values: dict[str, Any]) -> dict[str, Any]:
    """Validate user-given activity fields of `village` into stored values."""
    row: dict[str, Any] = {"village_id": village["id"]}
    for field, value in values.items():
        if field == "held_on":
            row["held_on"] = checked("held_on", parse_past_date, value)
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
    return next(list_activities(conn, activity_id=activity_id))


def update_activity(conn: sqlite3.Connection, activity_id: str | int, **values: Any) -> tuple[dict[str, Any], bool]:
    """Correct an activity's fields (`village`, `held_on`, `kind`, `institution`, `title`, `attendees`,
    `notes`; blank clears an optional one); returns the activity and whether anything changed."""
    activity = _activity(conn, activity_id)
    if not values:
        raise Invalid(_("say what changes, e.g. --on, --kind, --title, --attendees, --institution or --village"))
    for required in ("village", "held_on", "kind"):
        if required in values and not clean(values[required]):
            raise Invalid(_("an activity needs its {field}").format(field=required), field=required)
    village = (checked("village", lambda v: resolve_village(conn, v), values.pop("village")) if "village" in values
               else conn.execute("SELECT * FROM villages WHERE id = ?", [activity["village_id"]]).fetchone())
    changes = prepare_activity(conn, village, values)
    if changes["village_id"] != activity["village_id"] and "institution_id" not in changes and activity["institution_id"]:
        institution = conn.execute("SELECT i.name, v.name AS village FROM institutions i JOIN villages v "
                                   "ON v.id = i.village_id WHERE i.id = ?", [activity["institution_id"]]).fetchone()
        raise Invalid(_("the activity was run by {institution} of {old}: give --institution of {village} "
                        "(or --institution \"\" for none)").format(institution=institution["name"], old=institution["village"],
                                                                  village=village["name"]),
                      field="institution")
    changed = records.update(conn, "activities", activity["id"], changes)
    return next(list_activities(conn, activity_id=activity["id"])), changed


def delete_activity(conn: sqlite3.Connection, activity_id: str | int) -> dict[str, Any]:
    """Delete an activity (the audit log keeps what it was); returns it as it was listed."""
    activity = next(list_activities(conn, activity_id=_activity(conn, activity_id)["id"]))
    records.delete(conn, "activities", activity["id"], _("activity {id}").format(id=activity["id"]))
    return activity


def _activity(conn: sqlite3.Connection, activity_id: str | int) -> sqlite3.Row:
    """The activity with this number (the `id` of `activity list`)."""
    text = str(activity_id).strip().lstrip("#")
    if not text.isdigit() or len(text) > 18:
        raise Invalid(_("an activity is named by its number, the id `wksbm activity list` shows"), field="ID", value=activity_id)
    row = conn.execute("SELECT * FROM activities WHERE id = ?", [int(text)]).fetchone()
    if row is None:
        raise NotFound(_("no activity {id}; `wksbm activity list` shows each activity's id").format(id=text))
    return row


def list_activities(
    conn: sqlite3.Connection,
    village: str | None = None,
    since: str | None = None,
    activity_id: int | None = None,
    limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Activities, newest first, optionally of one village and on or after `since`; streamed, at most `limit`."""
    condition, params = _activity_filter(conn, village, since, activity_id)
    sql = f"""SELECT a.*, v.name AS village, v.code AS village_code, i.name AS institution
              FROM activities a JOIN villages v ON v.id = a.village_id
              LEFT JOIN institutions i ON i.id = a.institution_id
              {condition}
              ORDER BY a.held_on DESC, v.name, a.id DESC {"LIMIT ?" if limit is not None else ""}"""
    cursor = conn.execute(sql, [*params, limit] if limit is not None else params)
    return (dict(row) for row in cursor)


def count_activities(conn: sqlite3.Connection, village: str | None = None, since: str | None = None) -> int:
    """How many activities `list_activities` gives without a limit."""
    condition, params = _activity_filter(conn, village, since, None)
    return conn.execute(f"SELECT count(*) FROM activities a {condition}", params).fetchone()[0]


def _activity_filter(conn: sqlite3.Connection, village: str | None, since: str | None,
                     activity_id: int | None) -> tuple[str, list[Any]]:
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
    return ("WHERE " + " AND ".join(where) if where else ""), params

"""Institutions: the arisan groups, KUBE, PKK … that make up a village's WKSBM network."""

import sqlite3
from collections.abc import Iterator
from typing import Any

from wksbm_cli import records
from wksbm_cli.dates import parse_optional_past_date
from wksbm_cli.errors import Conflict, checked
from wksbm_cli.fields import parse_count, parse_name
from wksbm_cli.i18n import N_, _
from wksbm_cli.resolve import resolve_institution, resolve_type, resolve_village
from wksbm_cli.text import clean

LIST_COLUMNS = ["village", "name", "type", "leader", "members", "joined_on"]


def prepare_institution(conn: sqlite3.Connection, values: dict[str, Any]) -> dict[str, Any]:
    """Validate user-given institution fields (any subset) into stored values."""
    row: dict[str, Any] = {}
    for field, value in values.items():
        if field == "name":
            row["name"], row["name_key"] = parse_name(value, "name", N_("an institution needs a name"))
        elif field == "type":
            row["type"] = checked("type", lambda v: resolve_type(conn, v), value)
        elif field == "members":
            row["members"] = checked("members", parse_count, value) if clean(value) else None
        elif field == "joined_on":
            row["joined_on"] = checked("joined_on", parse_optional_past_date, value)
        else:
            row[field] = clean(value)
    return row


def add_institution(conn: sqlite3.Connection, village: str, **values: Any) -> dict[str, Any]:
    """Add an institution to `village`; its name must be new there."""
    village_row = resolve_village(conn, village)
    row = prepare_institution(conn, values)
    taken = conn.execute(
        "SELECT name FROM institutions WHERE village_id = ? AND name_key = ?",
        [village_row["id"], row["name_key"]],
    ).fetchone()
    if taken:
        raise Conflict(_("{village} already has an institution '{name}'").format(village=village_row["name"], name=taken["name"]))
    institution_id = records.insert(conn, "institutions", {"village_id": village_row["id"], **row})
    return institution_row(conn, institution_id)


def update_institution(conn: sqlite3.Connection, village: str, name: str, /, **changes: Any) -> tuple[dict[str, Any], bool]:
    """Change the given fields of institution `name` in `village`."""
    institution = resolve_institution(conn, resolve_village(conn, village), name)
    changed = records.update(conn, "institutions", institution["id"], prepare_institution(conn, changes))
    return institution_row(conn, institution["id"]), changed


def delete_institution(conn: sqlite3.Connection, village: str, name: str) -> str:
    """Delete an institution no activity or case refers to; returns its name."""
    institution = resolve_institution(conn, resolve_village(conn, village), name)
    activities, cases = conn.execute(
        "SELECT (SELECT count(*) FROM activities WHERE institution_id = :id), (SELECT count(*) FROM cases WHERE handled_by = :id)",
        {"id": institution["id"]},
    ).fetchone()
    if activities or cases:
        from wksbm_cli.errors import Conflict
        from wksbm_cli.i18n import _, records_held

        raise Conflict(_("institution {name} is named by {records}: give those another institution first "
                         "(`activity update ID --institution`, `case update REF --handled-by`)")
                       .format(name=institution["name"], records=records_held(activities=activities, cases=cases)))
    records.delete(conn, "institutions", institution["id"], f"institution {institution['name']}")
    return institution["name"]


def list_institutions(conn: sqlite3.Connection, village: str | None = None, type_: str | None = None,
                      limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Institutions by village name and name, optionally of one village and/or one type; streamed, at most `limit`."""
    condition, params = _institution_filter(conn, village, type_)
    sql = f"""SELECT i.*, v.name AS village, v.code AS village_code
              FROM institutions i JOIN villages v ON v.id = i.village_id
              {condition}
              ORDER BY v.name, i.name {"LIMIT ?" if limit is not None else ""}"""
    cursor = conn.execute(sql, [*params, limit] if limit is not None else params)
    return (dict(row) for row in cursor)


def count_institutions(conn: sqlite3.Connection, village: str | None = None, type_: str | None = None) -> int:
    """How many institutions `list_institutions` gives without a limit."""
    condition, params = _institution_filter(conn, village, type_)
    return conn.execute(f"SELECT count(*) FROM institutions i {condition}", params).fetchone()[0]


def _institution_filter(conn: sqlite3.Connection, village: str | None, type_: str | None) -> tuple[str, list[Any]]:
    where, params = [], []
    if village:
        where.append("i.village_id = ?")
        params.append(resolve_village(conn, village)["id"])
    if type_:
        where.append("i.type = ?")
        params.append(resolve_type(conn, type_))
    return ("WHERE " + " AND ".join(where) if where else ""), params


def institution_row(conn: sqlite3.Connection, institution_id: int) -> dict[str, Any]:
    """The stored institution with its village's name."""
    row = conn.execute(
        """SELECT i.*, v.name AS village, v.code AS village_code
           FROM institutions i JOIN villages v ON v.id = i.village_id WHERE i.id = ?""",
        [institution_id],
    ).fetchone()
    return dict(row)


def institution_detail(conn: sqlite3.Connection, village: str, name: str) -> dict[str, Any]:
    """An institution with counts of its activities and the cases it handles."""
    institution = institution_row(conn, resolve_institution(conn, resolve_village(conn, village), name)["id"])
    counts = conn.execute(
        """SELECT (SELECT count(*) FROM activities WHERE institution_id = :id) AS activities,
                  (SELECT count(*) FROM cases WHERE handled_by = :id) AS cases_handled""",
        {"id": institution["id"]},
    ).fetchone()
    return {**institution, **dict(counts)}

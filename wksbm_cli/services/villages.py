"""Villages: adding, listing, showing, changing and deleting them."""

import sqlite3
from collections.abc import Iterator
from typing import Any

from wksbm_cli import records
from wksbm_cli.dates import parse_optional_past_date, today
from wksbm_cli.errors import Conflict, Invalid, checked
from wksbm_cli.fields import parse_name, parse_village_code
from wksbm_cli.i18n import N_, _, records_held
from wksbm_cli.resolve import resolve_village
from wksbm_cli.text import clean, name_key

LIST_COLUMNS = ["code", "name", "kecamatan", "kabupaten", "formed_on", "decree", "institutions", "stage"]
# The table on screen leaves out the long decree text and the count (`village show` has both).
TABLE_COLUMNS = ["code", "name", "kecamatan", "kabupaten", "formed_on", "stage"]


def prepare_village(values: dict[str, Any]) -> dict[str, Any]:
    """Validate user-given village fields (any subset) into stored values."""
    row: dict[str, Any] = {}
    for field, value in values.items():
        if field == "code":
            row["code"] = checked("code", parse_village_code, value) if clean(value) else None
        elif field == "name":
            row["name"], row["name_key"] = parse_name(value, "name", N_("a village needs a name"))
        elif field == "formed_on":
            row["formed_on"] = checked("formed_on", parse_optional_past_date, value)
        else:
            row[field] = clean(value)
    return row


def complete_village(values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Validate a new village's fields into stored values; returns them and any warnings.

    The one rule for new villages, used by `village add` and by import alike. With a code, the
    name, kecamatan and kabupaten come from the Kemendagri list (services.regions.fill_from_reference).
    """
    warnings: list[str] = []
    if clean(values.get("code")):
        from wksbm_cli.services.regions import fill_from_reference  # the region list loads only when needed

        values, warnings = fill_from_reference(values)
    if not clean(values.get("name")):
        raise Invalid(_("give the village's name (or its --code from the Kemendagri list)"), field="name")
    return prepare_village(values), warnings


def add_village(conn: sqlite3.Connection, **values: Any) -> tuple[dict[str, Any], list[str]]:
    """Add a village; its code (when given) must be new. Returns the village and any warnings."""
    # A code already taken is the first thing to say, before comparing names with the region list.
    code = checked("code", parse_village_code, values["code"]) if clean(values.get("code")) else None
    if code and conn.execute("SELECT 1 FROM villages WHERE code = ?", [code]).fetchone():
        raise Conflict(_("a village with code {code} already exists").format(code=code))
    row, warnings = complete_village(values)
    village_id = records.insert(conn, "villages", row)
    return village_row(conn, village_id), warnings


def update_village(conn: sqlite3.Connection, ref: str, **changes: Any) -> tuple[dict[str, Any], bool]:
    """Change the given fields of village `ref`; returns the village and whether it changed."""
    village = resolve_village(conn, ref)
    changed = records.update(conn, "villages", village["id"], prepare_village(changes))
    return village_row(conn, village["id"]), changed


def delete_village(conn: sqlite3.Connection, ref: str) -> str:
    """Delete a village that has no institutions, activities or cases; returns its name."""
    village = resolve_village(conn, ref)
    held = conn.execute(
        "SELECT (SELECT count(*) FROM institutions WHERE village_id = :id), "
        "(SELECT count(*) FROM activities WHERE village_id = :id), (SELECT count(*) FROM cases WHERE village_id = :id)",
        {"id": village["id"]},
    ).fetchone()
    if any(held):
        raise Conflict(_("village {name} still has {records}: delete those first (a village's records are never "
                         "deleted with it)").format(name=village["name"], records=records_held(*held)))
    records.delete(conn, "villages", village["id"], _("village {name}").format(name=village["name"]))
    return village["name"]


def list_villages(
    conn: sqlite3.Connection, kecamatan: str | None = None, stage: str | None = None, as_of: str | None = None,
    limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Villages ordered by kabupaten, kecamatan and name, with institution counts and their stage as of
    `as_of` (today); streamed, at most `limit`."""
    sql, bound = _villages_sql(conn, kecamatan, stage, as_of)
    cursor = conn.execute(sql + (" LIMIT :limit" if limit is not None else ""), {**bound, "limit": limit})
    return (dict(row) for row in cursor)


def count_villages(conn: sqlite3.Connection, kecamatan: str | None = None, stage: str | None = None, as_of: str | None = None) -> int:
    """How many villages `list_villages` gives without a limit."""
    if stage is None:  # every village has a stage: no need to evaluate them to count
        where, params = _village_filter(kecamatan)
        return conn.execute(f"SELECT count(*) FROM villages v WHERE {where}", params).fetchone()[0]
    sql, bound = _villages_sql(conn, kecamatan, stage, as_of)
    return conn.execute(f"SELECT count(*) FROM ({sql})", bound).fetchone()[0]


def _village_filter(kecamatan: str | None) -> tuple[str, dict[str, Any]]:
    if kecamatan:
        return "name_key(v.kecamatan) = :kecamatan", {"kecamatan": name_key(kecamatan)}
    return "1", {}


def _villages_sql(conn: sqlite3.Connection, kecamatan: str | None, stage: str | None, as_of: str | None) -> tuple[str, dict]:
    from wksbm_cli import stages

    where, params = _village_filter(kecamatan)
    if stage is not None:
        params["stage"] = checked("stage", stages.parse_stage, stage)
    states, bound = stages.states_sql(conn, as_of or today(), where, params)
    sql = f"""
        SELECT v.*, (SELECT count(*) FROM institutions i WHERE i.village_id = v.id) AS institutions,
               s.stage, s.progress
        FROM villages v JOIN ({states}) AS s ON s.id = v.id
        {"WHERE s.stage = :stage" if stage is not None else ""}
        ORDER BY v.kabupaten, v.kecamatan, v.name"""
    return sql, bound


def village_row(conn: sqlite3.Connection, village_id: int) -> dict[str, Any]:
    """The stored village as a plain dict."""
    return dict(conn.execute("SELECT * FROM villages WHERE id = ?", [village_id]).fetchone())


def village_detail(conn: sqlite3.Connection, ref: str, as_of: str | None = None) -> dict[str, Any]:
    """A village with its institutions, latest activities, case counts by status, and stage with each criterion."""
    village = dict(resolve_village(conn, ref))
    village.update(_stage_detail(conn, village["id"], as_of or today()))
    village["institutions"] = [
        dict(row)
        for row in conn.execute(
            """SELECT name, type, leader, members, joined_on FROM institutions
               WHERE village_id = ? ORDER BY joined_on IS NULL, joined_on, name""",
            [village["id"]],
        )
    ]
    village["recent_activities"] = [
        dict(row)
        for row in conn.execute(
            """SELECT a.held_on, a.kind, a.title, i.name AS institution, a.attendees
               FROM activities a LEFT JOIN institutions i ON i.id = a.institution_id
               WHERE a.village_id = ? ORDER BY a.held_on DESC, a.id DESC LIMIT 5""",
            [village["id"]],
        )
    ]
    village["cases_by_status"] = {
        row["status"]: row["n"]
        for row in conn.execute(
            "SELECT status, count(*) AS n FROM cases WHERE village_id = ? GROUP BY status ORDER BY status",
            [village["id"]],
        )
    }
    return village


def _stage_detail(conn: sqlite3.Connection, village_id: int, as_of: str) -> dict[str, Any]:
    """The village's stage as of `as_of`, each criterion met or not with its evidence, and the next step."""
    from wksbm_cli import stages

    state = stages.evaluate(conn, as_of, "v.id = :village_id", {"village_id": village_id})[0]
    wording = stages.evidence(state, stages.thresholds(stages.read_settings(conn)))
    rules = {row["key"]: row["rule"] for row in stages.criteria_list(conn)}
    return {
        "as_of": as_of, "stage": state["stage"], "stage_id": stages.STAGE_WORDS[state["stage"]],
        "progress": state["progress"], "next_step": state["next_step"],
        "criteria": [
            {"key": key, "met": met, "rule": rules[key], "evidence": wording[key]}
            for key, met in state["criteria"].items()
        ],
    }

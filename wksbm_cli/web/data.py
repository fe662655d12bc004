"""What each page of the web view shows, read from the publishing copy (plain sqlite3, no Datasette)."""

import sqlite3
from typing import Any

from wksbm_cli import stages
from wksbm_cli.errors import NotFound
from wksbm_cli.i18n import _
from wksbm_cli.reports.summary import kecamatan_filter, summary

__all__ = ["summary", "trend", "village", "village_ids", "RECENT_ACTIVITIES"]

RECENT_ACTIVITIES = 20


def village(conn: sqlite3.Connection, village_id: int, as_of: str) -> dict[str, Any]:
    """One village as of a date: its record, stage with each criterion's rule, evidence and whether it holds,
    next step, member institutions, recent activities and case counts."""
    found = conn.execute(
        "SELECT id, code, name, kecamatan, kabupaten, formed_on, decree FROM villages WHERE id = ?", [village_id]
    ).fetchone()
    if found is None:
        raise NotFound(_("no village {id} in this view").format(id=village_id))
    state = stages.evaluate(conn, as_of, "v.id = :village_id", {"village_id": village_id})[0]
    names = stages.thresholds(stages.read_settings(conn))
    evidence = stages.evidence(state, names)
    rules = {row["key"]: row["rule"] for row in stages.criteria_list(conn)}
    criteria = [
        {"key": c.key, "stage": c.stage, "rule": rules[c.key], "met": state["criteria"][c.key],
         "evidence": evidence[c.key]}
        for c in stages.CRITERIA
    ]
    institutions = conn.execute(
        """SELECT i.name, i.type, t.name_id AS type_id, t.name_en AS type_en, i.members, i.joined_on,
               i.joined_on IS NOT NULL AND i.joined_on <= :as_of AS member
           FROM institutions i LEFT JOIN institution_types t ON t.code = i.type
           WHERE i.village_id = :village_id ORDER BY member DESC, i.name""",
        {"village_id": village_id, "as_of": as_of},
    ).fetchall()
    activities = conn.execute(
        """SELECT a.held_on, a.kind, a.attendees, i.name AS institution
           FROM activities a LEFT JOIN institutions i ON i.id = a.institution_id
           WHERE a.village_id = :village_id AND a.held_on <= :as_of
           ORDER BY a.held_on DESC, a.id DESC LIMIT :limit""",
        {"village_id": village_id, "as_of": as_of, "limit": RECENT_ACTIVITIES},
    ).fetchall()
    return {
        **dict(found), "as_of": as_of, "stage": state["stage"], "progress": state["progress"],
        "next_step": state["next_step"],
        "criteria": criteria, "institutions": [dict(row) for row in institutions],
        "activities": [dict(row) for row in activities],
        "cases_open": state["cases_open"], "cases_resolved": state["cases_resolved"],
        "cases_closed": state["cases_closed"], "median_days_to_resolve": state["median_days"],
    }


def village_ids(conn: sqlite3.Connection) -> dict[tuple, int]:
    """(code, name, kecamatan) of each village to the id its page uses (a code may be missing)."""
    return {(code, name, kecamatan): id_ for id_, code, name, kecamatan
            in conn.execute("SELECT id, code, name, kecamatan FROM villages")}


def trend(conn: sqlite3.Connection, as_of: str, kecamatan: str | None = None) -> dict[str, Any]:
    """Villages per stage at each quarter end up to `as_of` (of one kecamatan): `summary --trend`'s JSON."""
    from wksbm_cli.reports.trend import trend as stages_over_time

    return stages_over_time(conn, as_of, *kecamatan_filter(conn, kecamatan))

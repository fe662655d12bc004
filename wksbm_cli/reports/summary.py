"""The progress report: every village's stage as of a date, or villages rolled up per kecamatan/kabupaten."""

import sqlite3
from typing import Any

from wksbm_cli import stages
from wksbm_cli.errors import NotFound
from wksbm_cli.i18n import _
from wksbm_cli.text import name_key

BY = ("village", "kecamatan", "kabupaten")
# Length of the Kemendagri code prefix naming each level: 35.13 is a kabupaten, 35.13.13 a kecamatan.
_PREFIX = {"kabupaten": 5, "kecamatan": 8}
VILLAGE_KEYS = [
    "code", "name", "kecamatan", "kabupaten", "stage", "progress", "criteria", "institutions",
    "activities_in_window", "cases_open", "cases_resolved", "cases_closed", "median_days_to_resolve", "next_step",
]
AREA_KEYS = [
    "code", "name", "kabupaten", "villages", *stages.STAGES, "institutions", "activities_in_window",
    "cases_open", "cases_resolved", "cases_closed", "median_days_to_resolve",
]


def summary(conn: sqlite3.Connection, as_of: str, by: str = "village", kecamatan: str | None = None) -> dict[str, Any]:
    """The report as SPEC section 4's JSON: `villages` (or `areas` when `by` is an area) and `totals`."""
    where, params = kecamatan_filter(conn, kecamatan)
    if by == "village":
        rows = stages.evaluate(conn, as_of, where, params)
        villages = [_village_entry(row) for row in rows]
        days = [row["resolved_days"] for row in rows]
        report = {"as_of": as_of, "by": by, "villages": villages}
    else:
        areas, days = _areas(conn, as_of, by, where, params)
        report = {"as_of": as_of, "by": by, "areas": areas}
    report["totals"] = _totals(report["villages" if by == "village" else "areas"], days, by)
    return report


def _village_entry(row: dict[str, Any]) -> dict[str, Any]:
    entry = {key: row.get(key) for key in VILLAGE_KEYS}
    entry["stage_id"] = stages.STAGE_WORDS[row["stage"]]
    entry["median_days_to_resolve"] = row["median_days"]
    return entry


def _areas(conn, as_of, by, where, params) -> tuple[list[dict[str, Any]], list[str | None]]:
    """Villages rolled up per area in SQL: one row per kecamatan or kabupaten with stage counts."""
    states, bound = stages.states_sql(conn, as_of, where, params)
    length = _PREFIX[by]
    # A village without a code joins the coded area whose villages carry the same names, else its own.
    names = "lower(trim(kabupaten))" + (" || '|' || lower(trim(kecamatan))" if by == "kecamatan" else "")
    sql = f"""
        WITH coded AS (
            SELECT {names} AS names, min(substr(code, 1, {length})) AS code
            FROM villages WHERE code IS NOT NULL GROUP BY 1),
        placed AS (
            SELECT s.*, coalesce(substr(s.code, 1, {length}), coded.code) AS area_code,
                   {names.replace("kabupaten", "s.kabupaten").replace("kecamatan", "s.kecamatan")} AS area_names
            FROM ({states}) AS s LEFT JOIN coded
              ON s.code IS NULL AND coded.names = {names.replace("kabupaten", "s.kabupaten").replace("kecamatan", "s.kecamatan")})
        SELECT area_code AS code, max({by}) AS name, max(kabupaten) AS kabupaten, count(*) AS villages,
            {", ".join(f"count(*) FILTER (WHERE stage = '{stage}') AS {stage}" for stage in stages.STAGES)},
            sum(institutions) AS institutions, sum(activities_in_window) AS activities_in_window,
            sum(cases_open) AS cases_open, sum(cases_resolved) AS cases_resolved, sum(cases_closed) AS cases_closed,
            group_concat(resolved_days) AS resolved_days
        FROM placed GROUP BY coalesce(area_code, 'name:' || coalesce(area_names, ''))
        ORDER BY area_code IS NULL, area_code, name"""
    areas, days = [], []
    for row in conn.execute(sql, bound):
        area = dict(row)
        days.append(area.pop("resolved_days"))
        area["median_days_to_resolve"] = stages.median(days[-1])
        if by == "kabupaten":
            del area["kabupaten"]
        areas.append(area)
    return areas, days


def _totals(rows: list[dict[str, Any]], days: list[str | None], by: str) -> dict[str, Any]:
    """Counts over the whole report: villages per stage, cases, and the median over every resolved case."""
    if by == "village":
        stage_counts = {stage: sum(1 for row in rows if row["stage"] == stage) for stage in stages.STAGES}
        villages = len(rows)
    else:
        stage_counts = {stage: sum(row[stage] for row in rows) for stage in stages.STAGES}
        villages = sum(row["villages"] for row in rows)
    totals = {"villages": villages, **stage_counts}
    for key in ("institutions", "activities_in_window", "cases_open", "cases_resolved", "cases_closed"):
        totals[key] = sum(row[key] for row in rows)
    totals["median_days_to_resolve"] = stages.median(",".join(text for text in days if text))
    return totals


def kecamatan_filter(conn: sqlite3.Connection, kecamatan: str | None) -> tuple[str, dict]:
    """A WHERE clause (alias v) for villages of one kecamatan, given by name or by code (35.13.13)."""
    if not kecamatan:
        return "1", {}
    text = kecamatan.strip()
    if len(text) == 8 and text.replace(".", "").isdigit():
        # Villages without a code count in when their kecamatan is named as the coded ones are.
        where = """(v.code LIKE :kecamatan_code || '.%' OR (v.code IS NULL AND name_key(v.kecamatan) IN (
            SELECT name_key(kecamatan) FROM villages WHERE code LIKE :kecamatan_code || '.%')))"""
        params = {"kecamatan_code": text}
    else:
        where, params = "name_key(v.kecamatan) = :kecamatan_key", {"kecamatan_key": name_key(text)}
    if not conn.execute(f"SELECT EXISTS (SELECT 1 FROM villages v WHERE {where})", params).fetchone()[0]:
        raise NotFound(_("no villages in kecamatan {kecamatan}").format(kecamatan=text))
    return where, params

"""The stage rules: seven criteria as data, and one set-based evaluation of every village as of a date.

`summary`, `village show`, `village list --stage` and their JSON all call `evaluate` (or wrap
`states_sql` when they roll villages up into areas), so one database always reports by one rule.
"""

import datetime as dt
import sqlite3
from typing import Any, NamedTuple

from wksbm_cli.errors import Invalid, NotFound
from wksbm_cli.i18n import N_, Wording, _, language
from wksbm_cli.ids import now

STAGES = ("none", "formed", "running", "active")
# The Indonesian stage words (SPEC section 1): what an Indonesian interface shows, and accepted as input always.
STAGE_WORDS = {"none": "belum terbentuk", "formed": "terbentuk", "running": "berjalan", "active": "eksis"}
OPEN_STATUSES = ("reported", "in_handling", "referred")


class Setting(NamedTuple):
    """A stored threshold: its key, default, allowed range and what it means."""

    key: str
    default: int
    minimum: int
    maximum: int
    meaning: str


class Criterion(NamedTuple):
    """One criterion: its key and the stage it belongs to (its wording is in `_rule`, `_evidence`, `_action`)."""

    key: str
    stage: str


SETTINGS = (
    Setting("formed.min_institutions", 3, 1, 1000, N_("F2: member institutions a formed WKSBM has at least")),
    Setting("running.activity_window_days", 90, 1, 3650, N_("R1, A2: length in days of an activity window")),
    Setting("active.min_age_days", 365, 0, 36500, N_("A1: days since formed_on before a WKSBM counts as lasting")),
    Setting("active.sustained_windows", 3, 1, 100, N_("A2: consecutive activity windows that each need an activity")),
    Setting("active.resolved_window_days", 365, 1, 36500, N_("A3: days within which at least one case was resolved")),
)
_SETTINGS = {setting.key: setting for setting in SETTINGS}

CRITERIA = (
    Criterion("F1", "formed"), Criterion("F2", "formed"), Criterion("R1", "running"), Criterion("R2", "running"),
    Criterion("A1", "active"), Criterion("A2", "active"), Criterion("A3", "active"),
)
CRITERIA_KEYS = tuple(criterion.key for criterion in CRITERIA)
# Short names of the thresholds, as the criteria's wording uses them.
_THRESHOLD_NAMES = {
    "formed.min_institutions": "min_institutions",
    "running.activity_window_days": "window_days",
    "active.min_age_days": "min_age_days",
    "active.sustained_windows": "sustained_windows",
    "active.resolved_window_days": "resolved_window_days",
}


def stage_word(stage: str) -> str:
    """The stage as the interface names it: `active` in English, `eksis` in Indonesian (one vocabulary per language)."""
    return STAGE_WORDS[stage] if language() == "id" else stage


def stage_words() -> dict[str, str]:
    """Every stage as the interface names it, lowest first (the words of charts, tables and legends)."""
    return {stage: stage_word(stage) for stage in STAGES}


def parse_stage(value: str) -> str:
    """A stage by its English or Indonesian name ("active", "eksis", "belum terbentuk")."""
    text = " ".join(str(value).strip().lower().replace("_", " ").split())
    by_word = {word: stage for stage, word in STAGE_WORDS.items()}
    stage = text if text in STAGES else by_word.get(text)
    if stage is None:
        raise Invalid(_("a stage is one of {stages} (or {words})").format(
            stages=", ".join(STAGES), words=", ".join(STAGE_WORDS.values())), value=value)
    return stage


def read_settings(conn: sqlite3.Connection) -> dict[str, int]:
    """The thresholds stored in this database (defaults for any key missing)."""
    stored = dict(conn.execute("SELECT key, value FROM settings").fetchall())
    return {setting.key: int(stored.get(setting.key, setting.default)) for setting in SETTINGS}


def settings_list(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every threshold with its value, default and meaning (for `wksbm criteria`)."""
    values = read_settings(conn)
    return [
        {"key": s.key, "value": values[s.key], "default": s.default, "meaning": Wording(s.meaning)} for s in SETTINGS
    ]


def criteria_list(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The seven criteria worded with this database's thresholds."""
    names = thresholds(read_settings(conn))
    return [{"key": c.key, "stage": c.stage, "rule": _rule(c.key, names)} for c in CRITERIA]


def set_setting(conn: sqlite3.Connection, key: str, value: str) -> tuple[int, int]:
    """Change one threshold (validated); returns the old and new values."""
    setting = _SETTINGS.get(key.strip().lower())
    if setting is None:
        raise NotFound(_("no setting {key}: the settings are {keys}").format(key=key, keys=", ".join(_SETTINGS)))
    try:
        number = int(str(value).strip())
    except ValueError:
        raise Invalid(_("not a whole number"), field=setting.key, value=value) from None
    if not setting.minimum <= number <= setting.maximum:
        raise Invalid(_("must be between {minimum} and {maximum}").format(minimum=setting.minimum, maximum=setting.maximum),
                      field=setting.key, value=value)
    old = read_settings(conn)[setting.key]
    conn.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"
        " WHERE value != excluded.value",
        [setting.key, str(number), now()],
    )
    return old, number


def thresholds(settings: dict[str, int]) -> dict[str, int]:
    """The settings under the short names the criteria's wording uses."""
    return {_THRESHOLD_NAMES[key]: value for key, value in settings.items()}


def states_sql(
    conn: sqlite3.Connection, as_of: str, where: str = "1", params: dict | None = None,
    settings: dict[str, int] | None = None,
) -> tuple[str, dict]:
    """SQL giving one row per village matching `where` (over alias v): its criteria, stage and evidence.

    Set-based: one grouped pass each over institutions, activities and cases, whatever the number
    of villages. `where`/`params` narrow it (named parameters); callers may wrap it to roll up areas.
    `settings` are the thresholds when the caller has already read them.
    """
    settings = settings or read_settings(conn)
    day = dt.date.fromisoformat(as_of)
    window = settings["running.activity_window_days"]

    def before(days: int) -> str:
        return (day - dt.timedelta(days=days)).isoformat()

    bounds = {
        "as_of": as_of,
        "window_days": window,
        "window_from": before(window),
        "sustained_from": before(window * settings["active.sustained_windows"]),
        "sustained_windows": settings["active.sustained_windows"],
        "formed_by": before(settings["active.min_age_days"]),
        "resolved_from": before(settings["active.resolved_window_days"]),
        "min_institutions": settings["formed.min_institutions"],
    }
    # With no filter, scanning each table whole beats looking each village's rows up.
    scope = "" if where == "1" else f"AND village_id IN (SELECT v.id FROM villages v WHERE {where})"
    # Unscoped, a full scan and one sort beats visiting rows in village order through an index.
    not_indexed = "" if scope else "NOT INDEXED"
    changed = conn.execute("SELECT EXISTS (SELECT 1 FROM case_events WHERE on_date > ?)", [as_of]).fetchone()[0]
    sql = f"""
    WITH members AS (
        SELECT village_id, count(*) AS n FROM institutions {not_indexed}
        WHERE joined_on <= :as_of {scope} GROUP BY village_id),
    activity AS (
        SELECT village_id,
            count(*) FILTER (WHERE held_on > :window_from) AS in_window,
            count(DISTINCT CASE WHEN held_on > :sustained_from
                  THEN CAST((julianday(:as_of) - julianday(held_on)) / :window_days AS INTEGER) END) AS windows,
            max(held_on) AS last_on
        FROM activities WHERE held_on <= :as_of {scope} GROUP BY village_id),
    {case_states_sql(scope, not_indexed, changed)},
    case_totals AS (
        SELECT s.village_id,
            count(*) FILTER (WHERE s.status IN {OPEN_STATUSES}) AS open,
            count(*) FILTER (WHERE s.status = 'resolved') AS resolved,
            count(*) FILTER (WHERE s.status = 'closed') AS closed,
            count(i.id) AS by_members,
            count(*) FILTER (WHERE s.status = 'resolved' AND s.resolved_on > :resolved_from) AS resolved_recently,
            max(s.resolved_on) FILTER (WHERE s.status = 'resolved') AS last_resolved,
            -- Days to resolve travel as text so that areas can take the median of all their villages' cases.
            group_concat(CAST(julianday(s.resolved_on) - julianday(s.reported_on) AS INTEGER))
                FILTER (WHERE s.status = 'resolved') AS resolved_days
        -- A primary-key look-up per handled case beats building a temporary index of member ids.
        FROM case_states s LEFT JOIN institutions i ON i.id = s.handled_by AND i.joined_on <= :as_of
        GROUP BY s.village_id),
    evaluated AS (
        SELECT v.id, v.code, v.name, v.kecamatan, v.kabupaten, v.formed_on, :as_of AS as_of,
            coalesce(m.n, 0) AS institutions,
            coalesce(a.in_window, 0) AS activities_in_window,
            coalesce(a.windows, 0) AS windows_with_activity,
            a.last_on AS last_activity,
            coalesce(t.open, 0) AS cases_open,
            coalesce(t.resolved, 0) AS cases_resolved,
            coalesce(t.closed, 0) AS cases_closed,
            coalesce(t.by_members, 0) AS cases_by_members,
            coalesce(t.resolved_recently, 0) AS resolved_recently,
            t.last_resolved, t.resolved_days, wksbm_median(t.resolved_days) AS median_days,
            coalesce(v.formed_on <= :as_of, 0) AS F1,
            coalesce(m.n, 0) >= :min_institutions AS F2,
            coalesce(a.in_window, 0) > 0 AS R1,
            coalesce(t.by_members, 0) > 0 AS R2,
            coalesce(v.formed_on <= :formed_by, 0) AS A1,
            coalesce(a.windows, 0) >= :sustained_windows AS A2,
            coalesce(t.resolved_recently, 0) > 0 AS A3
        FROM villages v
        LEFT JOIN members m ON m.village_id = v.id
        LEFT JOIN activity a ON a.village_id = v.id
        LEFT JOIN case_totals t ON t.village_id = v.id
        WHERE {where})
    SELECT *, F1 + F2 + R1 + R2 + A1 + A2 + A3 AS progress,
        CASE WHEN F1 AND F2 AND R1 AND R2 AND A1 AND A2 AND A3 THEN 'active'
             WHEN F1 AND F2 AND R1 AND R2 THEN 'running'
             WHEN F1 AND F2 THEN 'formed' ELSE 'none' END AS stage
    FROM evaluated"""
    register_median(conn)
    return sql, {**bounds, **(params or {})}


def case_states_sql(scope: str = "", not_indexed: str = "", changed_later: bool = True) -> str:
    """A `case_states` CTE: every case reported by :as_of with its status and resolution date as of then.

    The service layer keeps each case's history a chain (every event's old status is the one
    before it; the last event's new status is the case's current status), so a case with no event
    after :as_of is as it is now, and one with later events was in the old status of the first of
    them. Only cases changed after :as_of need their events looked up, and when no case changed
    since (the usual report as of today) none are.
    """
    if not changed_later:
        return f"""case_states AS (
        SELECT c.id, c.village_id, c.reported_on, c.handled_by, c.status, c.resolved_on
        FROM cases c {not_indexed} WHERE c.reported_on <= :as_of {scope})"""
    return f"""changed_later AS MATERIALIZED (
        SELECT l.case_id,
            (SELECT e.old_status FROM case_events e WHERE e.case_id = l.case_id AND e.on_date > :as_of
             ORDER BY e.on_date, e.id LIMIT 1) AS status,
            (SELECT max(e.on_date) FROM case_events e
             WHERE e.case_id = l.case_id AND e.new_status = 'resolved' AND e.on_date <= :as_of) AS resolved_on
        FROM (SELECT DISTINCT case_id FROM case_events WHERE on_date > :as_of) AS l),
    case_states AS (
        SELECT c.id, c.village_id, c.reported_on, c.handled_by,
            coalesce(l.status, c.status) AS status,
            CASE WHEN l.case_id IS NULL THEN c.resolved_on ELSE l.resolved_on END AS resolved_on
        FROM cases c {not_indexed} LEFT JOIN changed_later l ON l.case_id = c.id
        WHERE c.reported_on <= :as_of {scope})"""


def evaluate(conn: sqlite3.Connection, as_of: str, where: str = "1", params: dict | None = None) -> list[dict[str, Any]]:
    """Every village matching `where` (alias v) as of `as_of`: criteria met, stage, progress, next step, evidence."""
    settings = read_settings(conn)
    sql, bound = states_sql(conn, as_of, where, params, settings)
    names = thresholds(settings)
    states = []
    for row in conn.execute(sql + " ORDER BY kabupaten, kecamatan, name, id", bound):
        state = dict(row)
        state["criteria"] = {key: bool(state.pop(key)) for key in CRITERIA_KEYS}
        state["next_step"] = next_step(state, names)
        states.append(state)
    return states


def evidence(state: dict[str, Any], names: dict[str, int]) -> dict[str, Wording]:
    """Each criterion's evidence for one evaluated village, in words (for `village show`)."""
    fields = {**names, **state}
    return {c.key: _evidence(c.key, fields) for c in CRITERIA}


def next_step(state: dict[str, Any], names: dict[str, int]) -> Wording | None:
    """The first unmet criterion of an evaluated village worded as an action; None when all are met."""
    for key in CRITERIA_KEYS:
        if not state["criteria"][key]:
            return _action(key, {**names, **state})
    return None


# The wording: whole sentences, English (what JSON carries), translated where a person reads them.
# Each is a Wording over only the fields it names, so a national summary keeps no more than it shows.

def _rule(key: str, f: dict[str, Any]) -> Wording:
    if key == "F1":
        return Wording(N_("formed_on is set and not after the as-of date"))
    if key == "F2":
        return Wording.counted("at least {min_institutions} member institution",
                               "at least {min_institutions} member institutions",
                               f["min_institutions"], min_institutions=f["min_institutions"])
    if key == "R1":
        return Wording.counted("an activity in the last {window_days} day", "an activity in the last {window_days} days",
                               f["window_days"], window_days=f["window_days"])
    if key == "R2":
        return Wording(N_("a case handled by a member institution"))
    if key == "A1":
        return Wording.counted("formed at least {min_age_days} day ago", "formed at least {min_age_days} days ago",
                               f["min_age_days"], min_age_days=f["min_age_days"])
    if key == "A2":
        return Wording.counted(
            "an activity in each of the last {sustained_windows} window of {window_days} days",
            "an activity in each of the last {sustained_windows} windows of {window_days} days",
            f["sustained_windows"], sustained_windows=f["sustained_windows"], window_days=f["window_days"])
    return Wording.counted("a case resolved in the last {resolved_window_days} day",
                           "a case resolved in the last {resolved_window_days} days",
                           f["resolved_window_days"], resolved_window_days=f["resolved_window_days"])


def _age(f: dict[str, Any]) -> int | None:
    """Days from formed_on to as-of; None when not formed by then."""
    formed = f.get("formed_on")
    if not formed or formed > f["as_of"]:
        return None
    return (dt.date.fromisoformat(f["as_of"]) - dt.date.fromisoformat(formed)).days


def _evidence(key: str, f: dict[str, Any]) -> Wording:
    if key == "F1":
        if not f.get("formed_on"):
            return Wording(N_("no formation date"))
        if f["formed_on"] > f["as_of"]:
            return Wording(N_("formed on {formed_on}, after {as_of}"), formed_on=f["formed_on"], as_of=f["as_of"])
        return Wording(N_("formed on {formed_on}"), formed_on=f["formed_on"])
    if key == "F2":
        return Wording.counted("{institutions} member institution", "{institutions} member institutions",
                               f["institutions"], institutions=f["institutions"])
    if key == "R1":
        if not f.get("last_activity"):
            return Wording(N_("no activity recorded yet"))
        return Wording.counted(
            "{activities_in_window} activity in the last {window_days} days (latest: {last_activity})",
            "{activities_in_window} activities in the last {window_days} days (latest: {last_activity})",
            f["activities_in_window"], activities_in_window=f["activities_in_window"], window_days=f["window_days"],
            last_activity=f["last_activity"])
    if key == "R2":
        return Wording.counted("{cases_by_members} case handled by a member institution",
                               "{cases_by_members} cases handled by a member institution",
                               f["cases_by_members"], cases_by_members=f["cases_by_members"])
    if key == "A1":
        age = _age(f)
        if age is None:
            return Wording(N_("not formed yet (needs {min_age_days} days)"), min_age_days=f["min_age_days"])
        return Wording.counted("age {age} day (needs {min_age_days} days)", "age {age} days (needs {min_age_days} days)",
                               age, age=age, min_age_days=f["min_age_days"])
    if key == "A2":
        return Wording.counted(
            "activity in {windows_with_activity} of the last {sustained_windows} window of {window_days} days",
            "activity in {windows_with_activity} of the last {sustained_windows} windows of {window_days} days",
            f["sustained_windows"], windows_with_activity=f["windows_with_activity"],
            sustained_windows=f["sustained_windows"], window_days=f["window_days"])
    if not f.get("last_resolved"):
        return Wording(N_("no case resolved yet"))
    return Wording.counted(
        "{resolved_recently} case resolved in the last {resolved_window_days} days (latest: {last_resolved})",
        "{resolved_recently} cases resolved in the last {resolved_window_days} days (latest: {last_resolved})",
        f["resolved_recently"], resolved_recently=f["resolved_recently"],
        resolved_window_days=f["resolved_window_days"], last_resolved=f["last_resolved"])


def _action(key: str, f: dict[str, Any]) -> Wording:
    if key == "F1":
        if f.get("formed_on"):
            return Wording(N_("set the date the WKSBM was formed: {formed_on} is after {as_of}"),
                           formed_on=f["formed_on"], as_of=f["as_of"])
        return Wording(N_("set the date the WKSBM was formed: not set"))
    if key == "F2":
        return Wording(N_("bring in member institutions: {institutions} of {min_institutions}"),
                       institutions=f["institutions"], min_institutions=f["min_institutions"])
    if key == "R1":
        return Wording.counted("record a meeting: none in the last {window_days} day",
                               "record a meeting: none in the last {window_days} days",
                               f["window_days"], window_days=f["window_days"])
    if key == "R2":
        return Wording(N_("have a member institution handle a case: none yet"))
    if key == "A1":
        age = _age(f) or 0
        return Wording.counted("keep going: {age} day old of the {min_age_days} days needed",
                               "keep going: {age} days old of the {min_age_days} days needed",
                               age, age=age, min_age_days=f["min_age_days"])
    if key == "A2":
        return Wording(
            N_("meet regularly: activity in {windows_with_activity} of the last {sustained_windows} windows of {window_days} days"),
            windows_with_activity=f["windows_with_activity"], sustained_windows=f["sustained_windows"],
            window_days=f["window_days"])
    return Wording.counted("resolve a case: none in the last {resolved_window_days} day",
                           "resolve a case: none in the last {resolved_window_days} days",
                           f["resolved_window_days"], resolved_window_days=f["resolved_window_days"])


def median(days: str | None) -> int | float | None:
    """The median of comma-separated whole numbers (mean of the middle two when even); None for none."""
    if not days:
        return None
    values = sorted(int(value) for value in days.split(","))
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    total = values[middle - 1] + values[middle]
    return total // 2 if total % 2 == 0 else total / 2


def register_median(conn: sqlite3.Connection) -> None:
    """Make `wksbm_median(days_text)` available on `conn`."""
    conn.create_function("wksbm_median", 1, median, deterministic=True)

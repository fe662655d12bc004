"""Schema migrations: append-only `m00N_…` functions, never edited once released.

Applied by wksbm_cli.db.migrate whenever PRAGMA user_version is behind SCHEMA_VERSION.
"""

import csv
import sqlite3
from importlib import resources

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from wksbm_cli.ids import now

MIGRATIONS = Migrations("wksbm")

# m001 is frozen: its vocabularies are spelled out here, not imported from code that may change.
_ACTIVITY_KINDS = ("meeting", "program", "outreach", "advocacy", "training", "other")
_CASE_STATUSES = ("reported", "in_handling", "resolved", "referred", "closed")
_DEFAULT_SETTINGS = {
    "formed.min_institutions": "3",
    "running.activity_window_days": "90",
    "active.min_age_days": "365",
    "active.sustained_windows": "3",
    "active.resolved_window_days": "365",
}

_RECORD = "uid TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL"


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    """Villages, institutions, activities, cases with their events, reference tables, settings."""
    statements = [
        """CREATE TABLE institution_types (
            code TEXT PRIMARY KEY, name_id TEXT NOT NULL, name_en TEXT,
            builtin INTEGER NOT NULL DEFAULT 0)""",
        """CREATE TABLE pmks_categories (
            code TEXT PRIMARY KEY, number INTEGER NOT NULL UNIQUE,
            name_id TEXT NOT NULL, name_en TEXT)""",
        f"""CREATE TABLE villages (
            id INTEGER PRIMARY KEY, code TEXT UNIQUE, name TEXT NOT NULL, name_key TEXT NOT NULL,
            kecamatan TEXT, kabupaten TEXT, formed_on TEXT, decree TEXT, notes TEXT, {_RECORD})""",
        "CREATE INDEX villages_name_key ON villages(name_key)",
        f"""CREATE TABLE institutions (
            id INTEGER PRIMARY KEY, village_id INTEGER NOT NULL REFERENCES villages(id),
            name TEXT NOT NULL, name_key TEXT NOT NULL,
            type TEXT NOT NULL REFERENCES institution_types(code),
            leader TEXT, members INTEGER CHECK (members >= 0), joined_on TEXT, notes TEXT,
            {_RECORD}, UNIQUE (village_id, name_key))""",
        f"""CREATE TABLE activities (
            id INTEGER PRIMARY KEY, village_id INTEGER NOT NULL REFERENCES villages(id),
            institution_id INTEGER REFERENCES institutions(id),
            kind TEXT NOT NULL CHECK (kind IN {_in(_ACTIVITY_KINDS)}), held_on TEXT NOT NULL,
            title TEXT, attendees INTEGER CHECK (attendees >= 0), notes TEXT, {_RECORD})""",
        "CREATE INDEX activities_village_held_on ON activities(village_id, held_on)",
        f"""CREATE TABLE cases (
            id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE,
            village_id INTEGER NOT NULL REFERENCES villages(id),
            category TEXT NOT NULL REFERENCES pmks_categories(code),
            person_name TEXT NOT NULL, person_key TEXT NOT NULL, nik TEXT,
            gender TEXT CHECK (gender IN ('L', 'P')), birth_year INTEGER,
            reported_on TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN {_in(_CASE_STATUSES)}),
            handled_by INTEGER REFERENCES institutions(id), resolved_on TEXT, notes TEXT, {_RECORD})""",
        "CREATE INDEX cases_village_id ON cases(village_id)",
        f"""CREATE TABLE case_events (
            id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),
            on_date TEXT NOT NULL, old_status TEXT, new_status TEXT NOT NULL, note TEXT, {_RECORD})""",
        "CREATE INDEX case_events_case_id ON case_events(case_id, on_date)",
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)",
    ]
    for statement in statements:
        db.execute(statement)
    db["institution_types"].insert_all(
        {**row, "builtin": 1} for row in _reference_rows("institution_types.csv")
    )
    db["pmks_categories"].insert_all(
        {**row, "number": int(row["number"])} for row in _reference_rows("pmks_categories.csv")
    )
    stamp = now()
    db["settings"].insert_all(
        {"key": key, "value": value, "updated_at": stamp} for key, value in _DEFAULT_SETTINGS.items()
    )


# m002 is frozen too: the audited columns of each table as m001 made them (derived keys and
# timestamps left out: the audit row has its own time). A later migration that adds a column
# or rebuilds a table must recreate that table's audit triggers (and point audit_json, which
# `wksbm log` also uses, at the new column set).
_AUDITED = {
    "villages": ("uid", ["code", "name", "kecamatan", "kabupaten", "formed_on", "decree", "notes"]),
    "institutions": ("uid", ["village_id", "name", "type", "leader", "members", "joined_on", "notes"]),
    "activities": ("uid", ["village_id", "institution_id", "kind", "held_on", "title", "attendees", "notes"]),
    "cases": ("uid", [
        "ref", "village_id", "category", "person_name", "nik", "gender", "birth_year",
        "reported_on", "status", "handled_by", "resolved_on", "notes",
    ]),
    "case_events": ("uid", ["case_id", "on_date", "old_status", "new_status", "note"]),
    "settings": ("key", ["key", "value"]),
    "institution_types": ("code", ["code", "name_id", "name_en", "builtin"]),
}


# Each audited table's record key, and the JSON the current triggers record (services.audit
# shows an unchanged insert's values with it).
AUDIT_KEYS = {table: key for table, (key, _columns) in _AUDITED.items()}


def audit_json(table: str, row: str) -> str:
    """json_object(...) of `row` (NEW or OLD) with the NIK masked as fields.mask_nik does."""
    pairs = []
    for column in _AUDITED[table][1]:
        value = f"{row}.{column}"
        if column == "nik":
            value = (
                f"CASE WHEN length({value}) > 8 THEN substr({value}, 1, 6) || "
                f"substr('{'*' * 40}', 1, length({value}) - 8) || substr({value}, -2) "
                f"ELSE substr('********', 1, length({value})) END"
            )
        pairs.append(f"'{column}', {value}")
    return f"json_object({', '.join(pairs)})"


def _audit_trigger(table: str, action: str) -> str:
    key = _AUDITED[table][0]
    event, row = {"insert": ("INSERT", "NEW"), "update": ("UPDATE", "NEW"), "delete": ("DELETE", "OLD")}[action]
    # An insert's values are not copied: they are the record's first state, which the next
    # change's "before" holds, or the record itself while unchanged (services.audit fills them
    # in). Bulk imports insert most rows, and copying them would triple what an import writes.
    before = audit_json(table, "OLD") if action != "insert" else "NULL"
    after = audit_json(table, "NEW") if action == "update" else "NULL"
    # An UPDATE that changes no audited column (a no-op upsert, a bare updated_at) leaves no row.
    when = ""
    if action == "update":
        columns = _AUDITED[table][1]
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in ([] if key in columns else [key]) + columns)
        when = f" WHEN {changed}"
    return f"""CREATE TRIGGER audit_{table}_{action} AFTER {event} ON {table}{when}
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), '{action}', '{table}',
                    {row}.{key}, {before}, {after});
        END"""


@MIGRATIONS()
def m002_audit(db: Database) -> None:
    """An append-only audit log written by triggers on every audited table."""
    db.execute(
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY, at TEXT NOT NULL, officer TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
            table_name TEXT NOT NULL, record_uid TEXT NOT NULL, before TEXT, after TEXT)"""
    )
    for verb in ("UPDATE", "DELETE"):
        db.execute(
            f"""CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its rows cannot be changed or deleted'); END"""
        )
    for table in _AUDITED:
        for action in ("insert", "update", "delete"):
            db.execute(_audit_trigger(table, action))


def apply(conn: sqlite3.Connection) -> None:
    """Apply pending migrations on `conn` (inside the caller's transaction) and stamp the version."""
    db = Database(conn, execute_plugins=False)
    MIGRATIONS.apply(db)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS.applied(db))}")


def _reference_rows(filename: str) -> list[dict]:
    text = resources.files("wksbm_cli.data").joinpath(filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))

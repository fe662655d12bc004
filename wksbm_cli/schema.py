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

# Released migrations are literal SQL, never built from code that a later change may alter.
_DEFAULT_SETTINGS = {
    "formed.min_institutions": "3",
    "running.activity_window_days": "90",
    "active.min_age_days": "365",
    "active.sustained_windows": "3",
    "active.resolved_window_days": "365",
}

# m001's statements, exactly as released.
_M001 = [
    """CREATE TABLE institution_types (
            code TEXT PRIMARY KEY, name_id TEXT NOT NULL, name_en TEXT,
            builtin INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE pmks_categories (
            code TEXT PRIMARY KEY, number INTEGER NOT NULL UNIQUE,
            name_id TEXT NOT NULL, name_en TEXT)""",
    """CREATE TABLE villages (
            id INTEGER PRIMARY KEY, code TEXT UNIQUE, name TEXT NOT NULL, name_key TEXT NOT NULL,
            kecamatan TEXT, kabupaten TEXT, formed_on TEXT, decree TEXT, notes TEXT, uid TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
    "CREATE INDEX villages_name_key ON villages(name_key)",
    """CREATE TABLE institutions (
            id INTEGER PRIMARY KEY, village_id INTEGER NOT NULL REFERENCES villages(id),
            name TEXT NOT NULL, name_key TEXT NOT NULL,
            type TEXT NOT NULL REFERENCES institution_types(code),
            leader TEXT, members INTEGER CHECK (members >= 0), joined_on TEXT, notes TEXT,
            uid TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (village_id, name_key))""",
    """CREATE TABLE activities (
            id INTEGER PRIMARY KEY, village_id INTEGER NOT NULL REFERENCES villages(id),
            institution_id INTEGER REFERENCES institutions(id),
            kind TEXT NOT NULL CHECK (kind IN ('meeting', 'program', 'outreach', 'advocacy', 'training', 'other')), held_on TEXT NOT NULL,
            title TEXT, attendees INTEGER CHECK (attendees >= 0), notes TEXT, uid TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
    "CREATE INDEX activities_village_held_on ON activities(village_id, held_on)",
    """CREATE TABLE cases (
            id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE,
            village_id INTEGER NOT NULL REFERENCES villages(id),
            category TEXT NOT NULL REFERENCES pmks_categories(code),
            person_name TEXT NOT NULL, person_key TEXT NOT NULL, nik TEXT,
            gender TEXT CHECK (gender IN ('L', 'P')), birth_year INTEGER,
            reported_on TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('reported', 'in_handling', 'resolved', 'referred', 'closed')),
            handled_by INTEGER REFERENCES institutions(id), resolved_on TEXT, notes TEXT, uid TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
    "CREATE INDEX cases_village_id ON cases(village_id)",
    """CREATE TABLE case_events (
            id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),
            on_date TEXT NOT NULL, old_status TEXT, new_status TEXT NOT NULL, note TEXT, uid TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
    "CREATE INDEX case_events_case_id ON case_events(case_id, on_date)",
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)",
]


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    """Villages, institutions, activities, cases with their events, reference tables, settings."""
    for statement in _M001:
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


# m002's statements, exactly as released: the audit log, and on each audited table a trigger per
# insert, update and delete. An insert's values are not copied (they are the record's first state,
# which the next change's "before" holds, or the record itself while unchanged: services.audit
# fills them in); an update that changes no audited column leaves no row.
_M002 = [
    """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY, at TEXT NOT NULL, officer TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
            table_name TEXT NOT NULL, record_uid TEXT NOT NULL, before TEXT, after TEXT)""",
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its rows cannot be changed or deleted'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its rows cannot be changed or deleted'); END""",
    """CREATE TRIGGER audit_villages_insert AFTER INSERT ON villages
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'insert', 'villages',
                    NEW.uid, NULL, NULL);
        END""",
    """CREATE TRIGGER audit_villages_update AFTER UPDATE ON villages WHEN OLD.uid IS NOT NEW.uid OR OLD.code IS NOT NEW.code OR OLD.name IS NOT NEW.name OR OLD.kecamatan IS NOT NEW.kecamatan OR OLD.kabupaten IS NOT NEW.kabupaten OR OLD.formed_on IS NOT NEW.formed_on OR OLD.decree IS NOT NEW.decree OR OLD.notes IS NOT NEW.notes
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'update', 'villages',
                    NEW.uid, json_object('code', OLD.code, 'name', OLD.name, 'kecamatan', OLD.kecamatan, 'kabupaten', OLD.kabupaten, 'formed_on', OLD.formed_on, 'decree', OLD.decree, 'notes', OLD.notes), json_object('code', NEW.code, 'name', NEW.name, 'kecamatan', NEW.kecamatan, 'kabupaten', NEW.kabupaten, 'formed_on', NEW.formed_on, 'decree', NEW.decree, 'notes', NEW.notes));
        END""",
    """CREATE TRIGGER audit_villages_delete AFTER DELETE ON villages
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'delete', 'villages',
                    OLD.uid, json_object('code', OLD.code, 'name', OLD.name, 'kecamatan', OLD.kecamatan, 'kabupaten', OLD.kabupaten, 'formed_on', OLD.formed_on, 'decree', OLD.decree, 'notes', OLD.notes), NULL);
        END""",
    """CREATE TRIGGER audit_institutions_insert AFTER INSERT ON institutions
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'insert', 'institutions',
                    NEW.uid, NULL, NULL);
        END""",
    """CREATE TRIGGER audit_institutions_update AFTER UPDATE ON institutions WHEN OLD.uid IS NOT NEW.uid OR OLD.village_id IS NOT NEW.village_id OR OLD.name IS NOT NEW.name OR OLD.type IS NOT NEW.type OR OLD.leader IS NOT NEW.leader OR OLD.members IS NOT NEW.members OR OLD.joined_on IS NOT NEW.joined_on OR OLD.notes IS NOT NEW.notes
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'update', 'institutions',
                    NEW.uid, json_object('village_id', OLD.village_id, 'name', OLD.name, 'type', OLD.type, 'leader', OLD.leader, 'members', OLD.members, 'joined_on', OLD.joined_on, 'notes', OLD.notes), json_object('village_id', NEW.village_id, 'name', NEW.name, 'type', NEW.type, 'leader', NEW.leader, 'members', NEW.members, 'joined_on', NEW.joined_on, 'notes', NEW.notes));
        END""",
    """CREATE TRIGGER audit_institutions_delete AFTER DELETE ON institutions
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'delete', 'institutions',
                    OLD.uid, json_object('village_id', OLD.village_id, 'name', OLD.name, 'type', OLD.type, 'leader', OLD.leader, 'members', OLD.members, 'joined_on', OLD.joined_on, 'notes', OLD.notes), NULL);
        END""",
    """CREATE TRIGGER audit_activities_insert AFTER INSERT ON activities
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'insert', 'activities',
                    NEW.uid, NULL, NULL);
        END""",
    """CREATE TRIGGER audit_activities_update AFTER UPDATE ON activities WHEN OLD.uid IS NOT NEW.uid OR OLD.village_id IS NOT NEW.village_id OR OLD.institution_id IS NOT NEW.institution_id OR OLD.kind IS NOT NEW.kind OR OLD.held_on IS NOT NEW.held_on OR OLD.title IS NOT NEW.title OR OLD.attendees IS NOT NEW.attendees OR OLD.notes IS NOT NEW.notes
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'update', 'activities',
                    NEW.uid, json_object('village_id', OLD.village_id, 'institution_id', OLD.institution_id, 'kind', OLD.kind, 'held_on', OLD.held_on, 'title', OLD.title, 'attendees', OLD.attendees, 'notes', OLD.notes), json_object('village_id', NEW.village_id, 'institution_id', NEW.institution_id, 'kind', NEW.kind, 'held_on', NEW.held_on, 'title', NEW.title, 'attendees', NEW.attendees, 'notes', NEW.notes));
        END""",
    """CREATE TRIGGER audit_activities_delete AFTER DELETE ON activities
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'delete', 'activities',
                    OLD.uid, json_object('village_id', OLD.village_id, 'institution_id', OLD.institution_id, 'kind', OLD.kind, 'held_on', OLD.held_on, 'title', OLD.title, 'attendees', OLD.attendees, 'notes', OLD.notes), NULL);
        END""",
    """CREATE TRIGGER audit_cases_insert AFTER INSERT ON cases
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'insert', 'cases',
                    NEW.uid, NULL, NULL);
        END""",
    """CREATE TRIGGER audit_cases_update AFTER UPDATE ON cases WHEN OLD.uid IS NOT NEW.uid OR OLD.ref IS NOT NEW.ref OR OLD.village_id IS NOT NEW.village_id OR OLD.category IS NOT NEW.category OR OLD.person_name IS NOT NEW.person_name OR OLD.nik IS NOT NEW.nik OR OLD.gender IS NOT NEW.gender OR OLD.birth_year IS NOT NEW.birth_year OR OLD.reported_on IS NOT NEW.reported_on OR OLD.status IS NOT NEW.status OR OLD.handled_by IS NOT NEW.handled_by OR OLD.resolved_on IS NOT NEW.resolved_on OR OLD.notes IS NOT NEW.notes
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'update', 'cases',
                    NEW.uid, json_object('ref', OLD.ref, 'village_id', OLD.village_id, 'category', OLD.category, 'person_name', OLD.person_name, 'nik', CASE WHEN length(OLD.nik) > 8 THEN substr(OLD.nik, 1, 6) || substr('****************************************', 1, length(OLD.nik) - 8) || substr(OLD.nik, -2) ELSE substr('********', 1, length(OLD.nik)) END, 'gender', OLD.gender, 'birth_year', OLD.birth_year, 'reported_on', OLD.reported_on, 'status', OLD.status, 'handled_by', OLD.handled_by, 'resolved_on', OLD.resolved_on, 'notes', OLD.notes), json_object('ref', NEW.ref, 'village_id', NEW.village_id, 'category', NEW.category, 'person_name', NEW.person_name, 'nik', CASE WHEN length(NEW.nik) > 8 THEN substr(NEW.nik, 1, 6) || substr('****************************************', 1, length(NEW.nik) - 8) || substr(NEW.nik, -2) ELSE substr('********', 1, length(NEW.nik)) END, 'gender', NEW.gender, 'birth_year', NEW.birth_year, 'reported_on', NEW.reported_on, 'status', NEW.status, 'handled_by', NEW.handled_by, 'resolved_on', NEW.resolved_on, 'notes', NEW.notes));
        END""",
    """CREATE TRIGGER audit_cases_delete AFTER DELETE ON cases
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'delete', 'cases',
                    OLD.uid, json_object('ref', OLD.ref, 'village_id', OLD.village_id, 'category', OLD.category, 'person_name', OLD.person_name, 'nik', CASE WHEN length(OLD.nik) > 8 THEN substr(OLD.nik, 1, 6) || substr('****************************************', 1, length(OLD.nik) - 8) || substr(OLD.nik, -2) ELSE substr('********', 1, length(OLD.nik)) END, 'gender', OLD.gender, 'birth_year', OLD.birth_year, 'reported_on', OLD.reported_on, 'status', OLD.status, 'handled_by', OLD.handled_by, 'resolved_on', OLD.resolved_on, 'notes', OLD.notes), NULL);
        END""",
    """CREATE TRIGGER audit_case_events_insert AFTER INSERT ON case_events
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'insert', 'case_events',
                    NEW.uid, NULL, NULL);
        END""",
    """CREATE TRIGGER audit_case_events_update AFTER UPDATE ON case_events WHEN OLD.uid IS NOT NEW.uid OR OLD.case_id IS NOT NEW.case_id OR OLD.on_date IS NOT NEW.on_date OR OLD.old_status IS NOT NEW.old_status OR OLD.new_status IS NOT NEW.new_status OR OLD.note IS NOT NEW.note
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'update', 'case_events',
                    NEW.uid, json_object('case_id', OLD.case_id, 'on_date', OLD.on_date, 'old_status', OLD.old_status, 'new_status', OLD.new_status, 'note', OLD.note), json_object('case_id', NEW.case_id, 'on_date', NEW.on_date, 'old_status', NEW.old_status, 'new_status', NEW.new_status, 'note', NEW.note));
        END""",
    """CREATE TRIGGER audit_case_events_delete AFTER DELETE ON case_events
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'delete', 'case_events',
                    OLD.uid, json_object('case_id', OLD.case_id, 'on_date', OLD.on_date, 'old_status', OLD.old_status, 'new_status', OLD.new_status, 'note', OLD.note), NULL);
        END""",
    """CREATE TRIGGER audit_settings_insert AFTER INSERT ON settings
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'insert', 'settings',
                    NEW.key, NULL, NULL);
        END""",
    """CREATE TRIGGER audit_settings_update AFTER UPDATE ON settings WHEN OLD.key IS NOT NEW.key OR OLD.value IS NOT NEW.value
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'update', 'settings',
                    NEW.key, json_object('key', OLD.key, 'value', OLD.value), json_object('key', NEW.key, 'value', NEW.value));
        END""",
    """CREATE TRIGGER audit_settings_delete AFTER DELETE ON settings
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'delete', 'settings',
                    OLD.key, json_object('key', OLD.key, 'value', OLD.value), NULL);
        END""",
    """CREATE TRIGGER audit_institution_types_insert AFTER INSERT ON institution_types
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'insert', 'institution_types',
                    NEW.code, NULL, NULL);
        END""",
    """CREATE TRIGGER audit_institution_types_update AFTER UPDATE ON institution_types WHEN OLD.code IS NOT NEW.code OR OLD.name_id IS NOT NEW.name_id OR OLD.name_en IS NOT NEW.name_en OR OLD.builtin IS NOT NEW.builtin
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'update', 'institution_types',
                    NEW.code, json_object('code', OLD.code, 'name_id', OLD.name_id, 'name_en', OLD.name_en, 'builtin', OLD.builtin), json_object('code', NEW.code, 'name_id', NEW.name_id, 'name_en', NEW.name_en, 'builtin', NEW.builtin));
        END""",
    """CREATE TRIGGER audit_institution_types_delete AFTER DELETE ON institution_types
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'delete', 'institution_types',
                    OLD.code, json_object('code', OLD.code, 'name_id', OLD.name_id, 'name_en', OLD.name_en, 'builtin', OLD.builtin), NULL);
        END""",
]


@MIGRATIONS()
def m002_audit(db: Database) -> None:
    """An append-only audit log written by triggers on every audited table."""
    for statement in _M002:
        db.execute(statement)


# m003: the audit log hash-chained. Each entry's `hash` is db.audit_hash over its content and the
# previous entry's hash, set by a trigger on audit_log right after the entry is written; the one
# update the log allows is that: a hash given once to an entry that has none, nothing else changed.
_M003_NO_UPDATE = """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    WHEN OLD.hash IS NOT NULL OR NEW.hash IS NULL OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at
        OR NEW.officer IS NOT OLD.officer OR NEW.action IS NOT OLD.action OR NEW.table_name IS NOT OLD.table_name
        OR NEW.record_uid IS NOT OLD.record_uid OR NEW.before IS NOT OLD.before OR NEW.after IS NOT OLD.after
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its rows cannot be changed or deleted'); END"""
_M003_CHAIN = """CREATE TRIGGER audit_log_chain AFTER INSERT ON audit_log
    BEGIN
        UPDATE audit_log SET hash = wksbm_audit_hash(
            (SELECT hash FROM audit_log WHERE id < NEW.id ORDER BY id DESC LIMIT 1),
            NEW.id, NEW.at, NEW.officer, NEW.action, NEW.table_name, NEW.record_uid, NEW.before, NEW.after)
        WHERE id = NEW.id;
    END"""


@MIGRATIONS()
def m003_audit_hash_chain(db: Database) -> None:
    """Hash-chain the audit log (`wksbm check` finds an entry altered, replaced, inserted or removed)."""
    from wksbm_cli.db import audit_hash

    db.execute("ALTER TABLE audit_log ADD COLUMN hash TEXT")
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute(_M003_NO_UPDATE)
    previous, last_id = None, 0
    while True:  # a page at a time: a big log must not be held in memory
        rows = db.execute(
            "SELECT id, at, officer, action, table_name, record_uid, before, after FROM audit_log "
            "WHERE id > ? ORDER BY id LIMIT 10000", [last_id]).fetchall()
        if not rows:
            break
        hashes = []
        for row in rows:
            previous = audit_hash(previous, *row)
            hashes.append((previous, row[0]))
        db.conn.executemany("UPDATE audit_log SET hash = ? WHERE id = ?", hashes)
        last_id = rows[-1][0]
    db.execute(_M003_CHAIN)


# m004: an insert is recorded on the record itself. The record tables get `created_by` (the
# officer) and `import_id` (the import it came from, NULL otherwise) and lose their per-row insert
# triggers: an import is one audit entry (its `imports` row), and a record added on its own gets
# its insert entry from records.insert. Updates and deletes keep their triggers (before/after).
_M004_RECORD_TABLES = ("villages", "institutions", "activities", "cases", "case_events")
_M004 = [
    """CREATE TABLE imports (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, at TEXT NOT NULL, officer TEXT NOT NULL,
        files TEXT NOT NULL, counts TEXT NOT NULL, records TEXT NOT NULL, undone_at TEXT, undone_by TEXT)""",
    """CREATE TRIGGER audit_imports_insert AFTER INSERT ON imports
    BEGIN
        INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
        VALUES (wksbm_now(), wksbm_officer(), 'insert', 'imports', NEW.uid, NULL,
                json_object('id', NEW.id, 'files', json(NEW.files), 'counts', json(NEW.counts),
                            'records', json(NEW.records)));
    END""",
    """CREATE TRIGGER audit_imports_update AFTER UPDATE ON imports
    BEGIN
        INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
        VALUES (wksbm_now(), wksbm_officer(), 'update', 'imports', NEW.uid,
                json_object('id', OLD.id, 'undone_at', OLD.undone_at, 'undone_by', OLD.undone_by),
                json_object('id', NEW.id, 'undone_at', NEW.undone_at, 'undone_by', NEW.undone_by));
    END""",
    """CREATE TRIGGER imports_no_delete BEFORE DELETE ON imports
    BEGIN SELECT RAISE(ABORT, 'imports are part of the audit log: they cannot be deleted'); END""",
]


@MIGRATIONS()
def m004_insert_audit_on_the_record(db: Database) -> None:
    """Records carry who added them and from which import; an import is one audit entry."""
    for table in _M004_RECORD_TABLES:
        db.execute(f"ALTER TABLE {table} ADD COLUMN created_by TEXT")
        db.execute(f"ALTER TABLE {table} ADD COLUMN import_id INTEGER")
        db.execute(f"DROP TRIGGER audit_{table}_insert")
        # Who added each record so far is in its insert entry (which stays in the log); a record
        # older than the log (schema 1) has none.
        db.execute(
            f"""UPDATE {table} SET created_by = audit_log.officer FROM audit_log
                WHERE audit_log.action = 'insert' AND audit_log.table_name = '{table}'
                  AND audit_log.record_uid = {table}.uid"""
        )
        db.execute(f"UPDATE {table} SET created_by = 'unknown' WHERE created_by IS NULL")
    for statement in _M004:
        db.execute(statement)


# m005 (merge): the literal DDL of what merging officers' databases needs. The identity's code is
# drawn once here; `backup` gives every copy a new identity (wksbm_cli.merge.identity).
_M005 = [
    """CREATE TABLE db_identity (
        id INTEGER PRIMARY KEY CHECK (id = 1), uid TEXT NOT NULL, code TEXT NOT NULL,
        created_at TEXT NOT NULL, ref_code TEXT,
        copied_from TEXT, copied_from_code TEXT, copied_from_path TEXT, copied_at TEXT)""",
    # A record created independently in two databases for the same thing (a village by its code,
    # an institution by its village and name) is linked: the other uid stands for this one.
    """CREATE TABLE merge_links (
        table_name TEXT NOT NULL, uid TEXT NOT NULL, linked_to TEXT NOT NULL,
        PRIMARY KEY (table_name, uid))""",
    # Audit entries appended by a merge, and the database each first came from.
    """CREATE TABLE audit_sources (
        audit_id INTEGER PRIMARY KEY REFERENCES audit_log(id), source_db TEXT NOT NULL,
        source_code TEXT NOT NULL, source_file TEXT NOT NULL)""",
    "CREATE INDEX audit_log_record ON audit_log(record_uid)",
    """CREATE TABLE merge_conflicts (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, table_name TEXT NOT NULL,
        record_uid TEXT NOT NULL, record TEXT NOT NULL, field TEXT NOT NULL,
        here TEXT, incoming TEXT, source TEXT NOT NULL, source_db TEXT NOT NULL,
        found_at TEXT NOT NULL, found_by TEXT NOT NULL,
        resolved_at TEXT, resolved_by TEXT, taken TEXT CHECK (taken IN ('here', 'incoming')))""",
    "CREATE INDEX merge_conflicts_record ON merge_conflicts(record_uid, field)",
    # Settling a conflict is a change like any other: audited, never silent.
    """CREATE TRIGGER audit_merge_conflicts_update AFTER UPDATE ON merge_conflicts
        WHEN OLD.taken IS NOT NEW.taken
        BEGIN
            INSERT INTO audit_log (at, officer, action, table_name, record_uid, before, after)
            VALUES (wksbm_now(), wksbm_officer(), 'update', 'merge_conflicts', NEW.uid,
                    json_object('record', OLD.record, 'field', OLD.field, 'taken', OLD.taken),
                    json_object('record', NEW.record, 'field', NEW.field, 'taken', NEW.taken));
        END""",
]


@MIGRATIONS()
def m005_merge(db: Database) -> None:
    """Merging databases: each one's identity, linked records, appended audit, stored conflicts."""
    from wksbm_cli.ids import new_db_code, new_uid

    for statement in _M005:
        db.execute(statement)
    db.execute("INSERT INTO db_identity (id, uid, code, created_at) VALUES (1, ?, ?, ?)",
               [new_uid(), new_db_code(), now()])


# m006: indexes in the order the long listings show their rows, so that a table's first page
# (SPEC section 8) is read off an index instead of sorting every row: `case list` (newest report
# first, then ref) and `activity list` (newest first; the village name only breaks ties in a day).
_M006 = [
    "CREATE INDEX cases_reported_on_ref ON cases(reported_on DESC, ref)",
    "CREATE INDEX activities_held_on ON activities(held_on)",
]


@MIGRATIONS()
def m006_listing_indexes(db: Database) -> None:
    """Indexes for the listings' order: a first page without sorting every case or activity."""
    for statement in _M006:
        db.execute(statement)



# m007: the CHECKs of the tables imports fill, with their `IN (…)` lists written as `OR`s. SQLite
# builds an IN list's look-up table once per statement run, and an executemany runs its statement
# once per row: for 100,000 imported cases those CHECKs cost more than their indexes. The same
# constraints, so only the schema's text changes (SQLite's documented procedure for changing a
# CHECK: https://www.sqlite.org/lang_altertable.html#otheralter); no row is read or written.
_M007_CHECKS = [
    ("activities", "CHECK (kind IN ('meeting', 'program', 'outreach', 'advocacy', 'training', 'other'))",
     "CHECK (kind = 'meeting' OR kind = 'program' OR kind = 'outreach' OR kind = 'advocacy' OR kind = 'training' "
     "OR kind = 'other')"),
    ("cases", "CHECK (gender IN ('L', 'P'))", "CHECK (gender = 'L' OR gender = 'P')"),
    ("cases", "CHECK (status IN ('reported', 'in_handling', 'resolved', 'referred', 'closed'))",
     "CHECK (status = 'reported' OR status = 'in_handling' OR status = 'resolved' OR status = 'referred' "
     "OR status = 'closed')"),
]


# m007 also drops m006's `cases(reported_on DESC, ref)`: each imported case put a key in it at a
# random place, about a tenth of the import's time, while `case list` reads its first page about
# as fast without it (SQLite keeps only the newest rows while it reads the cases: 0.28 s instead of
# 0.19 s on 300,000 cases, still under half of `village list`).
_M007_DROP = "DROP INDEX cases_reported_on_ref"


@MIGRATIONS()
def m007_checks_without_in_lists(db: Database) -> None:
    """The cases' and activities' CHECKs as OR lists (the same rules, cheap for a bulk insert); no report-date index."""
    # A CHECK not written as m001 wrote it, or an SQLite that refuses to edit its schema (defensive
    # mode), keeps its CHECK as it is: the same rule, only slower to import into.
    version = db.execute("PRAGMA schema_version").fetchone()[0]
    try:
        db.execute("PRAGMA writable_schema = ON")
        changed = sum(db.execute("UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' "
                                 "AND name = ? AND instr(sql, ?) > 0", [old, new, table, old]).rowcount
                      for table, old, new in _M007_CHECKS)
        if changed:
            db.execute(f"PRAGMA schema_version = {version + 1}")  # other connections read the schema again
    except sqlite3.DatabaseError:
        pass
    finally:
        db.execute("PRAGMA writable_schema = OFF")
    db.execute(_M007_DROP)


# The audited columns of each table and its record key, as the triggers record them (derived
# keys and timestamps left out: the audit row has its own time). Not used by any migration:
# services.audit shows an unchanged insert's values with audit_json. A migration that changes
# what the triggers record must change this too.
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
AUDIT_KEYS = {table: key for table, (key, _columns) in _AUDITED.items()}


def audit_json(table: str, row: str) -> str:
    """json_object(...) of `row` (a table alias) as the triggers write it, the NIK masked as fields.mask_nik does."""
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


def apply(conn: sqlite3.Connection) -> None:
    """Apply pending migrations on `conn` (inside the caller's transaction) and stamp the version."""
    db = Database(conn, execute_plugins=False)
    MIGRATIONS.apply(db)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS.applied(db))}")


def _reference_rows(filename: str) -> list[dict]:
    text = resources.files("wksbm_cli.data").joinpath(filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))

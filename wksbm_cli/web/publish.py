"""The publishing copy the web view serves: the database without any personal data, kept up to date.

Built by SQL from a read-only view of the database into a private file of its own (0600, in a 0700
folder). What it leaves out is the point: person names, NIK, gender, birth year, case refs, every
`notes`, activity titles, institution leaders, the audit log, imports and merge bookkeeping. What it
keeps is what the stage rules read (so `reports.summary` runs on it unchanged) and what a supervisor
looks at. The tables the stage rules need but nobody should browse row by row (cases, case events,
thresholds) are listed in PRIVATE_TABLES; the web plugin refuses every page of them.

No Datasette here: this module is plain sqlite3, tested on its own.
"""

import os
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

from wksbm_cli import db, files, stages

# Only the stage thresholds travel; any other setting stays in the database.
_THRESHOLD_KEYS = tuple(setting.key for setting in stages.SETTINGS)

SCHEMA = """
CREATE TABLE villages (
    id INTEGER PRIMARY KEY, code TEXT, name TEXT NOT NULL, kecamatan TEXT, kabupaten TEXT,
    formed_on TEXT, decree TEXT);
CREATE TABLE institution_types (code TEXT PRIMARY KEY, name_id TEXT, name_en TEXT);
CREATE TABLE pmks_categories (code TEXT PRIMARY KEY, number INTEGER, name_id TEXT, name_en TEXT);
CREATE TABLE institutions (
    id INTEGER PRIMARY KEY, village_id INTEGER REFERENCES villages(id), name TEXT NOT NULL,
    type TEXT REFERENCES institution_types(code), members INTEGER, joined_on TEXT);
CREATE TABLE activities (
    id INTEGER PRIMARY KEY, village_id INTEGER REFERENCES villages(id),
    institution_id INTEGER REFERENCES institutions(id), kind TEXT, held_on TEXT, attendees INTEGER);
CREATE INDEX activities_village_held_on ON activities(village_id, held_on);
-- Cases per kecamatan and category, never per person (nor per village: one case of a rare
-- category in a small village would point at its person).
CREATE TABLE case_counts (
    kabupaten TEXT, kecamatan TEXT, category TEXT REFERENCES pmks_categories(code),
    reported INTEGER, open INTEGER, resolved INTEGER, closed INTEGER,
    PRIMARY KEY (kabupaten, kecamatan, category));
-- What the stage rules read of cases, with nothing that names or identifies a person.
CREATE TABLE cases (
    id INTEGER PRIMARY KEY, village_id INTEGER, category TEXT, reported_on TEXT, status TEXT,
    handled_by INTEGER, resolved_on TEXT);
CREATE INDEX cases_village_id ON cases(village_id);
CREATE TABLE case_events (
    id INTEGER PRIMARY KEY, case_id INTEGER, on_date TEXT, old_status TEXT, new_status TEXT);
CREATE INDEX case_events_case_id ON case_events(case_id, on_date);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
PRIVATE_TABLES = ("cases", "case_events", "settings")
PUBLIC_TABLES = ("villages", "institutions", "activities", "case_counts", "institution_types", "pmks_categories")

# Each table of the copy, filled from the database attached as `src`: named columns only, so a
# column added to the database later is never published by accident.
_FILL = {
    "villages": "SELECT id, code, name, kecamatan, kabupaten, formed_on, decree FROM src.villages",
    "institution_types": "SELECT code, name_id, name_en FROM src.institution_types",
    "pmks_categories": "SELECT code, number, name_id, name_en FROM src.pmks_categories",
    "institutions": "SELECT id, village_id, name, type, members, joined_on FROM src.institutions",
    "activities": "SELECT id, village_id, institution_id, kind, held_on, attendees FROM src.activities",
    "cases": "SELECT id, village_id, category, reported_on, status, handled_by, resolved_on FROM src.cases",
    "case_events": "SELECT id, case_id, on_date, old_status, new_status FROM src.case_events",
    "settings": f"SELECT key, value FROM src.settings WHERE key IN ({', '.join('?' for _ in _THRESHOLD_KEYS)})",
    "case_counts": f"""
        SELECT coalesce(v.kabupaten, ''), coalesce(v.kecamatan, ''), c.category, count(*),
            count(*) FILTER (WHERE c.status IN {stages.OPEN_STATUSES}),
            count(*) FILTER (WHERE c.status = 'resolved'), count(*) FILTER (WHERE c.status = 'closed')
        FROM src.cases c JOIN src.villages v ON v.id = c.village_id GROUP BY 1, 2, 3""",
}


_PREFIX = "wksbm-web-"


def remove_stale_copies() -> None:
    """Remove copies left by a web view that was killed (its process is gone): folder wksbm-web-PID-…."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*"):
        pid = folder.name[len(_PREFIX):].split("-")[0]
        mine = not hasattr(os, "getuid") or folder.stat().st_uid == os.getuid()
        if not pid.isdigit() or folder.is_symlink() or not mine or _alive(int(pid)):
            continue
        for leftover in folder.glob("wksbm.db*"):
            leftover.unlink(missing_ok=True)
        try:
            folder.rmdir()
        except OSError:
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Publisher:
    """Keeps a publishing copy of the database at `database` in a private folder, rebuilt when it changes."""

    def __init__(self, database: Path, folder: Path | None = None):
        self.database = Path(database)
        if folder is None:
            remove_stale_copies()
            folder = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-"))
        self._folder = Path(folder)
        self._folder.mkdir(mode=0o700, exist_ok=True)
        self.path = self._folder / "wksbm.db"
        self._lock = threading.Lock()
        # A connection of our own to the database: its data_version changes when any other
        # connection commits, which is how a change is noticed without reading any table.
        self._watch = db.connect(self.database)
        self._seen: int | None = None
        self.built_at = ""
        self.builds = 0  # how many copies were made: what was computed from an earlier one is stale
        files.create_private_file(self.path)
        # One writer for the copy's whole life, in WAL mode: Datasette's readers are never blocked
        # by a rebuild, and see the old copy or the new one, never half of it.
        self._conn = sqlite3.connect(f"file:{self.path}", uri=True, isolation_level=None,
                                     check_same_thread=False, timeout=30)
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.executescript(SCHEMA)
        self.refresh()

    def refresh(self) -> bool:
        """Rebuild the copy if the database changed since the last build; True when it did."""
        with self._lock:
            version = self._watch.execute("PRAGMA data_version").fetchone()[0]
            if version == self._seen:
                return False
            self._build()
            self._seen = version
            self.built_at = time.strftime("%Y-%m-%d %H:%M:%S")
            self.builds += 1
            return True

    def _build(self) -> None:
        """Fill the copy from the database in one transaction (set-based: one INSERT … SELECT per table)."""
        conn = self._conn
        conn.execute("ATTACH ? AS src", [f"file:{self.database}?mode=ro"])
        try:
            conn.execute("BEGIN IMMEDIATE")
            for table, select in _FILL.items():
                conn.execute(f"DELETE FROM {table}")
                conn.execute(f"INSERT INTO {table} {select}", _THRESHOLD_KEYS if table == "settings" else [])
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.execute("DETACH src")

    def close(self) -> None:
        """Close the watch connection and remove the copy and its folder."""
        self._watch.close()
        self._conn.close()
        for leftover in self._folder.glob("wksbm.db*"):
            leftover.unlink(missing_ok=True)
        try:
            self._folder.rmdir()
        except OSError:
            pass

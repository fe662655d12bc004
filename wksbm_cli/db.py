"""Where the database lives, how it is opened, and how writes are wrapped."""

import contextlib
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from wksbm_cli.errors import WksbmError
from wksbm_cli.i18n import _
from wksbm_cli.text import name_key

# The number of migrations in wksbm_cli.schema; checked by a test. Kept here so that
# opening an up-to-date database never imports sqlite-utils (start-up time).
SCHEMA_VERSION = 7
BUSY_TIMEOUT_MS = 30_000
# A write that finds another wksbm writing (an import can take minutes) says so, then waits this
# much longer before giving up: two commands on one database wait for each other, not fail.
WRITE_WAIT_MS = 30 * 60_000


def default_path() -> Path:
    """The per-user database file: `wksbm.db` in the platform's data folder."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "wksbm" / "wksbm.db"


def database_path(option: str | None = None) -> Path:
    """The database to use: `--db`, else $WKSBM_DB, else the per-user default."""
    chosen = option or os.environ.get("WKSBM_DB")
    return Path(chosen).expanduser() if chosen else default_path()


class NoDatabase(WksbmError):
    """A read command was pointed at a path where there is no database (it never creates one)."""


class NotWksbm(WksbmError):
    """The file is not a wksbm database (another program's, empty, or of a newer schema): left untouched."""


def open_db(path: Path | str, officer: str | None = None, *, create: bool = False) -> sqlite3.Connection:
    """Open and migrate the wksbm database at `path`; `officer` signs the audit log.

    Where there is no file, `create` (write commands) makes a new database, else NoDatabase is raised.
    A file that is not a wksbm database, or of a newer schema, is refused (NotWksbm) untouched.
    """
    if create and str(path) != ":memory:":
        create_database(path)
    conn = connect(path, officer)
    try:
        migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def create_database(path: Path | str, officer: str | None = None) -> bool:
    """Make a new, migrated database at `path` if there is none; True if this call made it.

    The database is built in a hidden 0600 file beside `path` and linked into place whole, so no
    other command ever sees it half made (nor an empty file that might be someone else's).
    """
    from wksbm_cli.files import create_privately, make_private_folder

    path = Path(path)
    if os.path.lexists(path):
        return False
    try:
        make_private_folder(path.parent)
    except OSError as error:
        raise WksbmError(_("cannot create database {path}: {reason}").format(path=path, reason=error.strerror)) from None

    def build(temp: Path) -> None:
        conn = _configured(sqlite3.connect(str(temp), isolation_level=None, check_same_thread=False), officer)
        try:
            migrate(conn)
        finally:
            conn.close()

    try:
        return create_privately(path, build)
    except sqlite3.DatabaseError as error:
        raise WksbmError(_("cannot create database {path}: {reason}").format(path=path, reason=error)) from None


def connect(path: Path | str, officer: str | None = None) -> sqlite3.Connection:
    """Open the existing wksbm database `path` with wksbm's settings, without migrating. ':memory:' works too.

    Nothing is written before the file is known to be a wksbm database of a schema this wksbm
    knows: NoDatabase if there is no file, NotWksbm for anything else. `officer` (default:
    default_officer()) is who the audit triggers record for every change.
    """
    if str(path) == ":memory:":
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        return _configured(conn, officer)
    path = Path(path)
    if not path.exists():
        raise NoDatabase(_("no database at {path}; `wksbm init {path}` or any add/import creates it").format(path=path))
    if path.is_dir():
        raise NotWksbm(_("{path} is a folder, not a wksbm database").format(path=path))
    try:
        # mode=rw: SQLite must never create the file (a read command does not make databases).
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=rw", uri=True,
                               isolation_level=None, check_same_thread=False)
    except sqlite3.DatabaseError as error:
        raise WksbmError(_("cannot open database {path}: {reason}").format(path=path, reason=error)) from None
    try:
        refuse_unless_wksbm(conn, path)
        _configured(conn, officer)
        _use_wal(conn)
        # With WAL, NORMAL loses nothing on a process crash and never corrupts on power loss.
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as error:
        conn.close()
        raise WksbmError(_("cannot open database {path}: {reason}").format(path=path, reason=error)) from None
    except BaseException:
        conn.close()
        raise
    return conn


def refuse_unless_wksbm(conn: sqlite3.Connection, path: Path | str) -> None:
    """Raise NotWksbm unless `conn` holds a wksbm database of a schema this wksbm knows; reads only."""
    kind, version = identify(conn)
    if kind == "empty":
        raise NotWksbm(_("{path} is an empty file, not a wksbm database: `wksbm init {path}` makes it one").format(path=path))
    if kind == "not sqlite":
        raise NotWksbm(_("{path} is not a database file (damaged, or another kind of file): it was left untouched")
                       .format(path=path))
    if kind == "foreign":
        raise NotWksbm(_("{path} is not a wksbm database (another program's file?): it was left untouched; "
                         "give wksbm its own file with --db").format(path=path))
    if version > SCHEMA_VERSION:
        raise NotWksbm(_("{path} has schema version {version}, newer than this wksbm knows ({known}): "
                         "upgrade wksbm; the file was left untouched").format(path=path, version=version, known=SCHEMA_VERSION))


def identify(conn: sqlite3.Connection) -> tuple[str, int]:
    """What the file on `conn` holds — "wksbm", "empty", "foreign" or "not sqlite" — and its user_version; reads only.

    wksbm's migrations (sqlite-utils) record themselves in `_sqlite_migrations` under the set
    "wksbm"; a file without that is another program's, whatever its tables are called.
    """
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as error:  # not SQLite at all ("file is not a database"), encrypted …
        if "not a database" in str(error) or "encrypted" in str(error):
            return "not sqlite", 0
        raise
    if tables == 0:
        return ("empty" if version == 0 else "foreign"), version
    try:
        ours = conn.execute("SELECT 1 FROM _sqlite_migrations WHERE migration_set = 'wksbm' LIMIT 1").fetchone()
    except sqlite3.OperationalError:  # no such table (or no such column): not made by wksbm
        ours = None
    return ("wksbm" if ours and version >= 1 else "foreign"), version


def _configured(conn: sqlite3.Connection, officer: str | None) -> sqlite3.Connection:
    """wksbm's functions and per-connection settings (none of them writes to the file)."""
    conn.row_factory = sqlite3.Row
    register(conn, officer)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # REPLACE deletes fire delete triggers (the audit) only with recursive triggers on.
    conn.execute("PRAGMA recursive_triggers = ON")
    conn.execute("PRAGMA cache_size = -32000")
    return conn


def register(conn: sqlite3.Connection, officer: str | None = None) -> None:
    """Make wksbm's SQL functions available on `conn` (db.connect, and the web view's Datasette).

    Any connection that writes must have them: the audit triggers call them. `officer` (default:
    default_officer()) is who the triggers record for every change. The stage SQL's `wksbm_median`
    is registered by stages.states_sql itself (it lives there).
    """
    conn.create_function("name_key", 1, _name_key_or_none, deterministic=True)
    # The audit triggers (schema m002) call this, so no write through wksbm goes unsigned;
    # a connection without it (another tool) cannot write audited tables at all. Constant per
    # connection, so "deterministic" is true, and lets SQLite call it less often in bulk writes.
    signer = officer or default_officer()
    conn.create_function("wksbm_officer", 0, lambda: signer, deterministic=True)
    # SQLite's own strftime('…%f', 'now') costs more per row than the audit insert itself.
    conn.create_function("wksbm_now", 0, _AuditClock())
    # The hash chain of the audit log (schema m003).
    conn.create_function("wksbm_audit_hash", 9, audit_hash, deterministic=True)


def audit_hash(previous, id_, at, officer, action, table_name, record_uid, before, after) -> str:
    """An audit entry's hash: sha256 over its content and the previous entry's hash (None for the first).

    Every stored entry's hash depends on this exact text: it can never change.
    """
    import hashlib
    import json

    content = [previous or "", id_, at, officer, action, table_name, record_uid, before, after]
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_officer() -> str:
    """Who is making changes when --officer is not given: $WKSBM_OFFICER, else the login name."""
    if os.environ.get("WKSBM_OFFICER"):
        return os.environ["WKSBM_OFFICER"]
    try:
        import getpass  # only when no officer was named

        return getpass.getuser()
    except Exception:  # no login name on some systems (containers, services)
        return "unknown"


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema up to date; cheap when it already is."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise WksbmError(_("this database has schema version {version}, newer than this wksbm knows ({known}): upgrade wksbm")
                         .format(version=version, known=SCHEMA_VERSION))
    from wksbm_cli import schema

    with transaction(conn):  # the write lock first, so two first runs do not race
        schema.apply(conn)


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All writes inside commit together or not at all; takes the write lock up front."""
    if conn.in_transaction:
        with _savepoint(conn):
            yield conn
        return
    _begin_immediate(conn)
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _begin_immediate(conn: sqlite3.Connection) -> None:
    """Take the write lock; after the busy timeout, tell the user and keep waiting (WRITE_WAIT_MS)."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        return
    except sqlite3.OperationalError as error:
        if "locked" not in str(error) and "busy" not in str(error):
            raise
    sys.stderr.write(_("Waiting: another program is writing to this database (an import?); "
                       "this command goes on when it has finished.") + "\n")
    sys.stderr.flush()
    conn.execute(f"PRAGMA busy_timeout = {WRITE_WAIT_MS}")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if "locked" not in str(error) and "busy" not in str(error):
            raise
        waited = BUSY_TIMEOUT_MS + WRITE_WAIT_MS
        shown = f"{waited // 60_000} min" if waited >= 60_000 else f"{waited / 1000:g} s"
        raise WksbmError(_("the database stayed busy for {time}: another program is still writing to it; try again later")
                         .format(time=shown)) from None
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


@contextlib.contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("SAVEPOINT wksbm_nested")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK TO wksbm_nested")
            conn.execute("RELEASE wksbm_nested")
        raise
    conn.execute("RELEASE wksbm_nested")


class _AuditClock:
    """The UTC time to the millisecond as ISO text, formatted once per millisecond (bulk writes)."""

    def __init__(self):
        self._millis, self._text = -1, ""

    def __call__(self) -> str:
        millis = time.time_ns() // 1_000_000
        if millis != self._millis:
            seconds = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(millis // 1000))
            self._millis, self._text = millis, f"{seconds}.{millis % 1000:03d}Z"
        return self._text


def _name_key_or_none(text: str | None) -> str | None:
    return None if text is None else name_key(text)


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL mode (a no-op once the file is in it).

    The switch needs the database to itself, and SQLite reports "database is locked" at once,
    without waiting out the busy timeout, when another process is creating the same new file;
    so it is retried for as long as the busy timeout would have waited.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def write_privately(path: Path | str, write, *, force: bool = False, database: Path | str | None = None):
    """The one way wksbm writes a file other than the database: see wksbm_cli.files.write_privately."""
    from wksbm_cli.files import write_privately as write_file

    return write_file(path, write, force=force, database=database)

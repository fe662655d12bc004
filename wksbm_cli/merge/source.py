"""Reading another wksbm database for a merge: checked first, then loaded whole into memory.

The file is opened read-only and serialized (a consistent image, its WAL included), so a merge never
writes to, locks or journals an officer's file; the image is deserialized into the `incoming` schema
of the merging connection, so the merge itself is set-based SQL across the two, in one transaction.
"""

import sqlite3
from pathlib import Path
from urllib.parse import quote

from wksbm_cli.errors import Conflict, NotFound, WksbmError
from wksbm_cli.i18n import _

INCOMING = "incoming"
# What a wksbm database of this version holds (a file without them is another program's).
_REQUIRED = {"villages", "institutions", "activities", "cases", "case_events", "audit_log", "db_identity",
             "pmks_categories", "institution_types"}
# The schema versions whose tables and columns are this version's: m006 and m007 only changed indexes and how
# CHECKs are written (the same rules), so an
# officer's file still at version 5 (not yet opened by this wksbm) holds the same data and merges as it is.
SAME_DATA_SINCE = 5


def load_image(path: Path) -> bytes:
    """The whole database at `path` as bytes, after checking it is a sound wksbm database of this version."""
    from wksbm_cli.db import SCHEMA_VERSION

    path = Path(path).expanduser()
    if not path.is_file():
        raise NotFound(_("no database at {path}").format(path=path))
    try:
        conn = _open_read_only(path)
    except sqlite3.DatabaseError:  # SQLite's own words ("file is not a database") are not a clerk's
        raise WksbmError(_("{path} is not a database file (damaged, or another kind of file): nothing was merged")
                         .format(path=path)) from None
    try:
        from wksbm_cli.db import identify

        try:
            kind, version = identify(conn)
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as error:
            raise WksbmError(_("{path} is damaged ({problem}): nothing was merged").format(path=path, problem=error)) from None
        if kind == "not sqlite":
            raise WksbmError(_("{path} is not a database file (damaged, or another kind of file): nothing was merged")
                             .format(path=path))
        if kind != "wksbm":
            raise WksbmError(_("{path} is not a wksbm database: nothing was merged").format(path=path))
        if not SAME_DATA_SINCE <= version <= SCHEMA_VERSION or not _REQUIRED <= tables:
            raise WksbmError(
                _("{path} has schema version {version}, this database has {ours}: open it once with this "
                  "wksbm (`wksbm --db FILE info`), or upgrade wksbm, then merge").format(
                    path=path, version=version, ours=SCHEMA_VERSION)
            )
        try:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            verdict = str(error)
        if verdict != "ok":
            raise WksbmError(_("{path} is damaged ({problem}): nothing was merged").format(path=path, problem=verdict))
        return as_image(conn.serialize())
    finally:
        conn.close()


def as_image(data: bytes) -> bytes:
    """`data` marked as a rollback-journal database: SQLite cannot open a WAL-mode image in memory."""
    image = bytearray(data)
    if len(image) >= 20:
        image[18] = image[19] = 1
    return bytes(image)


def attach_incoming(conn: sqlite3.Connection) -> None:
    """Give `conn` an empty in-memory schema `incoming` to load images into (once per connection)."""
    names = {row[1] for row in conn.execute("PRAGMA database_list")}
    if INCOMING not in names:
        conn.execute(f"ATTACH DATABASE ':memory:' AS {INCOMING}")


def load_into(conn: sqlite3.Connection, image: bytes) -> None:
    """Replace the `incoming` schema's content with `image` (allowed inside the merge's transaction)."""
    conn.deserialize(image, name=INCOMING)


def same_file(path: Path, database: Path) -> bool:
    """Whether `path` is the database being merged into."""
    try:
        return Path(path).expanduser().resolve() == Path(database).resolve()
    except OSError:
        return False


def refuse_self(path: Path, database: Path) -> None:
    """Merging a database into itself is refused (it would change nothing, and says so)."""
    if same_file(path, database):
        raise Conflict(_("{path} is the database itself: merge another officer's file").format(path=path))


def _open_read_only(path: Path) -> sqlite3.Connection:
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as error:
        conn.close()
        if "unable to open" not in str(error) and "readonly" not in str(error).replace("-", ""):
            raise
        # A WAL database whose -shm is gone can only be read by a connection that may create it.
        conn = sqlite3.connect(str(path))
    return conn

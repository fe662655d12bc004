"""Every database has its own identity; so does every copy `backup` makes of it."""

import sqlite3
from pathlib import Path
from typing import Any

from wksbm_cli.ids import new_db_code, new_uid, now


def identity(conn: sqlite3.Connection, schema: str = "main") -> dict[str, Any]:
    """This database's identity row (uid, code, ref_code, where and when it was copied from)."""
    return dict(conn.execute(f"SELECT * FROM {schema}.db_identity WHERE id = 1").fetchone())


def give_copy_its_identity(copy: sqlite3.Connection, source_path: Path) -> dict[str, Any]:
    """Make `copy` (a fresh backup) a database of its own: new uid and code, recorded with its origin.

    The copy's generated refs carry its code from now on, so cases opened in the copy never share
    a ref with the original's or another copy's. Its origin and the time are the point the two last
    agreed; each side's audit entries after it are the changes the next merge compares.
    """
    origin = copy.execute("SELECT uid, code FROM db_identity WHERE id = 1").fetchone()
    code = new_db_code()
    while origin and code == origin[1]:
        code = new_db_code()
    copy.execute(
        """UPDATE db_identity SET uid = ?, code = ?, created_at = ?, ref_code = ?, copied_from = ?,
           copied_from_code = ?, copied_from_path = ?, copied_at = ? WHERE id = 1""",
        [new_uid(), code, now(), code, origin[0] if origin else None, origin[1] if origin else None,
         str(Path(source_path).resolve()), now()],
    )
    return {"code": code}


def ref_code(conn: sqlite3.Connection) -> str | None:
    """The code generated refs carry, once this database was copied or has merged others (else None)."""
    try:
        row = conn.execute("SELECT ref_code FROM db_identity WHERE id = 1").fetchone()
    except sqlite3.OperationalError:  # a database opened without migrating (never the case in commands)
        return None
    return row[0] if row else None


def use_ref_code(conn: sqlite3.Connection) -> None:
    """From now on this database's generated refs carry its code (called by a merge)."""
    conn.execute("UPDATE db_identity SET ref_code = code WHERE id = 1 AND ref_code IS NULL")

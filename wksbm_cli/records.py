"""Writing rows the same way everywhere: every record gets a uid, its timestamps and its origin here.

An insert is audited on the record itself (schema m004): `created_by` is the officer, `import_id`
the import it came from. A record added outside an import also gets its insert entry in the audit
log, written here (an import is one entry, its `imports` row, written by importing.run).
"""

import sqlite3
from typing import Any

from wksbm_cli.errors import Conflict
from wksbm_cli.i18n import _, column_header, each
from wksbm_cli.ids import new_uid, new_uids, now


def insert(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> int:
    """Insert one record into `table`, stamping uid/timestamps/created_by and auditing it; return its id."""
    stamp = now()
    row = {"uid": new_uid(), **values, "created_at": stamp, "updated_at": stamp, "created_by": _officer(conn)}
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    try:
        cursor = conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))
    except sqlite3.IntegrityError as error:
        raise Conflict(_("cannot add to {table}: {reason}").format(table=table, reason=_explain(error))) from None
    _audit_inserts(conn, table, [row["uid"]])
    return cursor.lastrowid


def insert_many(
    conn: sqlite3.Connection,
    table: str,
    rows: list[dict[str, Any]],
    columns: list[str] | tuple[str, ...] | None = None,
    import_id: int | None = None,
) -> int:
    """Insert records in one executemany, stamped like insert(); returns how many.

    `columns` (default: the first row's keys) are the stored columns written; a row without one
    stores NULL. Rows of an import (`import_id`) get no audit entry each: the import is one.
    """
    if not rows:
        return 0
    columns = list(columns or rows[0])
    return insert_columns(conn, table, {column: [row.get(column) for row in rows] for column in columns}, import_id)


def insert_columns(conn: sqlite3.Connection, table: str, values: dict[str, list], import_id: int | None = None) -> int:
    """insert_many() of records given column by column: `values` maps each column to one value per record."""
    count = len(next(iter(values.values()), ()))
    if not count:
        return 0
    # The values every record shares go in the statement as SQL literals (quoted by SQLite): one bind
    # fewer per record for each.
    stamp, officer, origin = conn.execute("SELECT quote(?), quote(?), quote(?)", [now(), _officer(conn), import_id]).fetchone()
    marks = ", ".join("?" for _ in range(len(values) + 1))
    sql = (f"INSERT INTO {table} ({', '.join(values)}, uid, created_at, updated_at, created_by, import_id) "
           f"VALUES ({marks}, {stamp}, {stamp}, {officer}, {origin})")
    uids = new_uids(count)
    try:
        conn.executemany(sql, zip(*values.values(), uids))
    except sqlite3.IntegrityError as error:
        raise Conflict(_("cannot add to {table}: {reason}").format(table=table, reason=_explain(error))) from None
    if import_id is None:
        _audit_inserts(conn, table, uids)
    return count


def _audit_inserts(conn: sqlite3.Connection, table: str, uids: list[str]) -> None:
    """The insert entries of records added outside an import (their values are the record itself)."""
    conn.executemany(
        "INSERT INTO audit_log (at, officer, action, table_name, record_uid) "
        "VALUES (wksbm_now(), wksbm_officer(), 'insert', ?, ?)",
        [(table, uid) for uid in uids],
    )


def _officer(conn: sqlite3.Connection) -> str:
    """Who signs this connection's changes (db.register's wksbm_officer)."""
    return conn.execute("SELECT wksbm_officer()").fetchone()[0]


def update(conn: sqlite3.Connection, table: str, id_: int, changes: dict[str, Any]) -> bool:
    """Apply `changes` to record `id_` if any value differs; return whether it changed."""
    current = conn.execute(f"SELECT * FROM {table} WHERE id = ?", [id_]).fetchone()
    changes = {key: value for key, value in changes.items() if current[key] != value}
    if not changes:
        return False
    assignments = ", ".join(f"{column} = ?" for column in changes)
    try:
        conn.execute(
            f"UPDATE {table} SET {assignments}, updated_at = ? WHERE id = ?",
            [*changes.values(), now(), id_],
        )
    except sqlite3.IntegrityError as error:
        raise Conflict(_taken(conn, table, id_, {**dict(current), **changes}, error)) from None
    return True


def delete(conn: sqlite3.Connection, table: str, id_: int, label: str) -> None:
    """Delete record `id_`; refused while other records still point at it."""
    try:
        conn.execute(f"DELETE FROM {table} WHERE id = ?", [id_])
    except sqlite3.IntegrityError:
        raise Conflict(_("{record} still has records that refer to it; remove those first").format(record=label)) from None


def _explain(error: sqlite3.IntegrityError) -> str:
    """Why an insert was refused, in people's words where the constraint says which columns (a check the rules missed)."""
    text = str(error)
    if not text.startswith("UNIQUE constraint failed:"):
        return text
    columns = [column.strip().split(".")[-1] for column in text.split(":", 1)[1].split(",")]
    return _("another record already has the same {columns}").format(
        columns=each([column_header(column) for column in columns]))


def _taken(conn: sqlite3.Connection, table: str, id_: int, row: dict[str, Any], error: sqlite3.IntegrityError) -> str:
    """Why a change was refused, in people's words: which record already has the value (never SQLite's constraint text)."""
    text = str(error)
    if not text.startswith("UNIQUE constraint failed:"):
        return _("cannot change {table}: {reason}").format(table=table, reason=text)  # a check the rules before missed
    columns = [column.strip().split(".")[-1] for column in text.split(":", 1)[1].split(",")]
    where = " AND ".join(f"{column} IS ?" for column in columns)
    other = conn.execute(f"SELECT * FROM {table} WHERE {where} AND id != ?", [*(row[c] for c in columns), id_]).fetchone()
    if table == "villages" and columns == ["code"]:
        return _("the village code {code} is already used by village {village}").format(
            code=row["code"], village=other["name"] if other else "?")
    if table == "institutions" and "name_key" in columns:
        return _("the village already has an institution named {name}").format(name=other["name"] if other else row["name"])
    if table == "cases" and columns == ["ref"]:
        return _("the ref {ref} is already used by another case").format(ref=row["ref"])
    return _("another record already has the same {columns}").format(
        columns=each([column_header(column) for column in columns]))

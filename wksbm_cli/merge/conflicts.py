"""Stored conflicts: raised by a merge, listed and settled by `wksbm conflicts`."""

import json
import sqlite3
from typing import Any

from wksbm_cli.errors import Conflict, Invalid, NotFound
from wksbm_cli.i18n import _, column_header
from wksbm_cli.ids import new_uid, now
from wksbm_cli.merge.kinds import BY_TABLE

LIST_COLUMNS = ["id", "kind", "record", "field", "here", "incoming", "source", "found_at", "resolved"]
TABLE_COLUMNS = ["id", "kind", "record", "field", "here", "incoming", "source", "resolved"]
# The field a conflict names when it is about the whole record (deleted on one side, changed on the other).
RECORD = "(record)"


def raise_conflict(conn: sqlite3.Connection, table: str, record_uid: str, record: str, field: str,
                   here: Any, incoming: Any, source: str, source_db: str) -> int | None:
    """Store a conflict (the current database keeps its value); None if this one was raised before.

    A conflict is raised once per record, field and incoming value: merging the same file again, or
    a file holding the same change, does not raise it again, settled or not.
    """
    incoming_json = json.dumps(incoming, ensure_ascii=False)
    seen = conn.execute(
        "SELECT 1 FROM main.merge_conflicts WHERE record_uid = ? AND field = ? AND incoming IS ?",
        [record_uid, field, incoming_json],
    ).fetchone()
    if seen:
        return None
    cursor = conn.execute(
        """INSERT INTO main.merge_conflicts (uid, table_name, record_uid, record, field, here, incoming,
               source, source_db, found_at, found_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, wksbm_officer())""",
        [new_uid(), table, record_uid, record, field, json.dumps(here, ensure_ascii=False), incoming_json,
         source, source_db, now()],
    )
    return cursor.lastrowid


def conflict_rows(conn: sqlite3.Connection, ids: list[int] | None = None, everything: bool = False) -> list[dict[str, Any]]:
    """Conflicts as the report and `conflicts list` show them (NIK masked); open ones unless `everything`."""
    where = "WHERE resolved_at IS NULL" if not everything else ""
    if ids is not None:
        where = f"WHERE id IN ({', '.join(str(int(i)) for i in ids) or 'NULL'})"
    rows = conn.execute(f"SELECT * FROM main.merge_conflicts {where} ORDER BY id").fetchall()
    return [
        {
            "id": row["id"], "kind": row["table_name"], "record": row["record"], "field": row["field"],
            "here": shown(conn, row["table_name"], row["field"], json.loads(row["here"])),
            "incoming": shown(conn, row["table_name"], row["field"], json.loads(row["incoming"])),
            "source": row["source"], "found_at": row["found_at"],
            "resolved": f"{row['taken']} ({row['resolved_by']}, {row['resolved_at']})" if row["taken"] else None,
        }
        for row in rows
    ]


def shown(conn: sqlite3.Connection, table: str, field: str, value: Any) -> Any:
    """A stored value as people read it: a referred record by its name, a NIK masked."""
    from wksbm_cli.fields import mask_nik

    if value is None or field == RECORD:
        return value
    if field == "nik":
        return mask_nik(str(value))
    target = BY_TABLE[table].refs.get(field) if table in BY_TABLE else None
    if target:
        row = conn.execute(f"SELECT name FROM main.{target} WHERE uid = ?", [value]).fetchone()
        return row[0] if row else value
    return value


def resolve_conflict(conn: sqlite3.Connection, conflict_id: int, take: str) -> dict[str, Any]:
    """Settle conflict `conflict_id`: keep this database's value (`here`) or take the incoming one; audited."""
    from wksbm_cli import records

    row = conn.execute("SELECT * FROM main.merge_conflicts WHERE id = ?", [conflict_id]).fetchone()
    if row is None:
        raise NotFound(_("no conflict {id}: `wksbm conflicts list` shows them").format(id=conflict_id))
    if row["taken"]:
        raise Conflict(_("conflict {id} was already settled ({taken})").format(id=conflict_id, taken=column_header(row["taken"])))
    if take not in ("here", "incoming"):
        raise Invalid(_("--take is here or incoming"), field="take", value=take)
    if take == "incoming":
        table, field = row["table_name"], row["field"]
        if field == RECORD:
            raise Invalid(_("conflict {id} is about a record deleted on one side: keep this database's "
                            "(--take here), then change or delete the record by hand").format(id=conflict_id))
        record = conn.execute(f"SELECT * FROM main.{table} WHERE uid = ?", [row["record_uid"]]).fetchone()
        if record is None:
            raise NotFound(_("the record of conflict {id} is no longer here").format(id=conflict_id))
        value = json.loads(row["incoming"])
        kind = BY_TABLE[table]
        if value is not None and field in kind.refs:
            target = conn.execute(f"SELECT id FROM main.{kind.refs[field]} WHERE uid = ?", [value]).fetchone()
            if target is None:
                raise NotFound(_("the record conflict {id} refers to is no longer here").format(id=conflict_id))
            value = target[0]
        changes = {field: value}
        if field in kind.keys:
            from wksbm_cli.text import name_key

            changes[kind.keys[field]] = name_key(value) if value is not None else None
        records.update(conn, table, record["id"], changes)
    conn.execute(
        "UPDATE main.merge_conflicts SET taken = ?, resolved_at = ?, resolved_by = wksbm_officer() WHERE id = ?",
        [take, now(), conflict_id],
    )
    return conflict_rows(conn, [conflict_id])[0]

"""Each side's history, from its own audit log: what it changed that the other has not seen.

An audit entry is the same entry in every database that holds it (a copy keeps its original's, a
merge appends the other's verbatim), so "changed since the two last agreed" is simply: the entries
one side holds and the other does not. No watermark per peer is kept, so merging works the same in
any direction and through any hub (A into B, B into A, both into a hub and the hub back).
"""

import json
import sqlite3
from collections import defaultdict
from typing import Any

# The columns that make an audit entry the one entry it is, wherever it is held.
_ENTRY = "record_uid, action, at, officer, before, after"
# The tables whose audit triggers a merge lifts while it applies the other side's changes: those
# changes are recorded by the other side's own entries (its officers, its times), appended instead.
AUDITED = ("villages", "institutions", "activities", "cases", "case_events", "institution_types")


def entries_by_record(conn: sqlite3.Connection, schema: str, table: str, uids: list[str]) -> dict[str, list[tuple]]:
    """The update/delete entries of records `uids` of `table` in `schema`, by record uid, oldest first."""
    found: dict[str, list[tuple]] = defaultdict(list)
    for start in range(0, len(uids), 500):
        chunk = uids[start:start + 500]
        sql = f"""SELECT {_ENTRY} FROM {schema}.audit_log
                  WHERE table_name = ? AND action != 'insert'
                    AND record_uid IN (SELECT value FROM json_each(?)) ORDER BY id"""
        for row in conn.execute(sql, [table, json.dumps(chunk)]):
            found[row[0]].append(tuple(row))
    return found


def changed_fields(entries: list[tuple], seen: set[tuple]) -> set[str]:
    """The fields that `entries` not in `seen` changed (a delete changes the record itself: '*')."""
    fields: set[str] = set()
    for entry in entries:
        if entry in seen:
            continue
        if entry[1] == "delete":
            fields.add("*")
            continue
        before, after = json.loads(entry[4] or "{}"), json.loads(entry[5] or "{}")
        fields.update(key for key, value in after.items() if before.get(key) != value)
    return fields


def has_unseen_changes(conn: sqlite3.Connection, schema: str, other: str, table: str, uids: list[str]) -> set[str]:
    """Of records `uids`, those with an update in `schema`'s audit that `other`'s does not hold."""
    mine = entries_by_record(conn, schema, table, uids)
    theirs = entries_by_record(conn, other, table, uids)
    return {uid for uid, entries in mine.items() if changed_fields(entries, set(theirs.get(uid, ())))}


def deleted_uids(conn: sqlite3.Connection, schema: str, table: str) -> str:
    """SQL: the uids `schema`'s audit log says were deleted from `table`."""
    return f"(SELECT record_uid FROM {schema}.audit_log WHERE table_name = '{table}' AND action = 'delete')"


def append_entries(conn: sqlite3.Connection, source_file: str, source: dict[str, Any]) -> int:
    """Append the incoming audit entries this database does not hold, marked with where each came from."""
    first = (conn.execute("SELECT max(id) FROM main.audit_log").fetchone()[0] or 0) + 1
    conn.execute(
        f"""INSERT INTO main.audit_log (at, officer, action, table_name, record_uid, before, after)
            SELECT s.at, s.officer, s.action, s.table_name, s.record_uid, s.before, s.after
            FROM incoming.audit_log s
            WHERE NOT EXISTS (SELECT 1 FROM main.audit_log m
                              WHERE m.record_uid = s.record_uid AND m.at = s.at AND m.action = s.action
                                AND m.table_name = s.table_name AND m.officer = s.officer
                                AND m.before IS s.before AND m.after IS s.after)
            ORDER BY s.id"""
    )
    # Each appended entry is marked with the database it first came from: the one it was merged
    # from, or, if that one had merged it from another, that other.
    conn.execute(
        """INSERT INTO main.audit_sources (audit_id, source_db, source_code, source_file)
           SELECT m.id, coalesce(o.source_db, :db), coalesce(o.source_code, :code), coalesce(o.source_file, :file)
           FROM main.audit_log m
           LEFT JOIN incoming.audit_log s ON s.record_uid = m.record_uid AND s.at = m.at AND s.action = m.action
                AND s.officer = m.officer AND s.before IS m.before AND s.after IS m.after
           LEFT JOIN incoming.audit_sources o ON o.audit_id = s.id
           WHERE m.id >= :first GROUP BY m.id""",
        {"db": source["uid"], "code": source["code"], "file": source_file, "first": first},
    )
    return conn.execute("SELECT count(*) FROM main.audit_log WHERE id >= ?", [first]).fetchone()[0]


def lift_triggers(conn: sqlite3.Connection) -> list[str]:
    """Drop the audited tables' audit triggers (inside the merge's transaction); returns their SQL."""
    tables = ", ".join(f"'{table}'" for table in AUDITED)
    rows = conn.execute(
        f"""SELECT name, sql FROM main.sqlite_master
            WHERE type = 'trigger' AND tbl_name IN ({tables}) AND name LIKE 'audit%'"""
    ).fetchall()
    for name, _sql in rows:
        conn.execute(f'DROP TRIGGER main."{name}"')
    return [sql for _name, sql in rows]


def restore_triggers(conn: sqlite3.Connection, statements: list[str]) -> None:
    """Recreate the triggers lift_triggers dropped, exactly as they were."""
    for sql in statements:
        conn.execute(sql)


def note_rename(conn: sqlite3.Connection, uid: str, old: str, new: str) -> None:
    """Audit a ref this merge renamed on a case it brought in (the case's own triggers were lifted)."""
    conn.execute(
        """INSERT INTO main.audit_log (at, officer, action, table_name, record_uid, before, after)
           VALUES (wksbm_now(), wksbm_officer(), 'update', 'cases', ?, json_object('ref', ?), json_object('ref', ?))""",
        [uid, old, new],
    )

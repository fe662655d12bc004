"""Merging one other wksbm database into this one, kind by kind, in set-based SQL keyed by uid.

The other file's image is in the `incoming` schema (wksbm_cli.merge.source). For each kind a temp
table maps every incoming record to the record here it is (by uid, an earlier link, or a new link by
its natural key) or marks it new; integer ids (village_id, handled_by, case_id, institution_id) are
remapped through these maps. Records both sides hold are merged field by field from each side's
history (wksbm_cli.merge.history); case events are a union and a case's status follows its latest.
"""

import json
import sqlite3
from typing import Any

from wksbm_cli.merge import history
from wksbm_cli.merge.conflicts import RECORD, raise_conflict
from wksbm_cli.merge.identity import identity
from wksbm_cli.merge.kinds import CASES, EVENTS, INSTITUTIONS, MERGED, VILLAGES, Kind, label_sql
from wksbm_cli.merge.report import Report
from wksbm_cli.text import name_key


def merge_incoming(conn: sqlite3.Connection, source_file: str, report: Report) -> None:
    """Merge the database loaded in `incoming` into main (inside the caller's transaction)."""
    source = identity(conn, "incoming")
    renames = _rename_colliding_refs(conn, source_file, report)  # audited by the triggers: our change
    lifted = history.lift_triggers(conn)
    try:
        _insert_missing_types(conn)
        for kind in MERGED:
            _map(conn, kind)
            _merge_kind(conn, kind, source_file, source, report, renames)
        _merge_events(conn, report)
        for kind in reversed(MERGED):
            _apply_deletions(conn, kind, source_file, source, report)
        history.append_entries(conn, source_file, source)
        for uid, (old, new) in renames.items():
            history.note_rename(conn, uid, old, new)
    finally:
        if conn.in_transaction:
            history.restore_triggers(conn, lifted)


def _insert_missing_types(conn: sqlite3.Connection) -> None:
    """Institution types an officer added that this database lacks (matched by code)."""
    conn.execute(
        """INSERT INTO main.institution_types (code, name_id, name_en, builtin)
           SELECT code, name_id, name_en, 0 FROM incoming.institution_types
           WHERE code NOT IN (SELECT code FROM main.institution_types)"""
    )


def _map(conn: sqlite3.Connection, kind: Kind) -> None:
    """temp.map_<table>: each incoming record and the record here it is (here_id), or none yet."""
    table, name = kind.table, f"temp.map_{kind.table}"
    conn.execute(f"DROP TABLE IF EXISTS {name}")
    conn.execute(f"CREATE TABLE {name} (s_id INTEGER PRIMARY KEY, s_uid TEXT NOT NULL, here_id INTEGER, how TEXT)")
    conn.execute(
        f"""INSERT INTO {name} (s_id, s_uid, here_id, how)
            SELECT s.id, s.uid, coalesce(m.id, l.id),
                   CASE WHEN m.id IS NOT NULL THEN 'uid' WHEN l.id IS NOT NULL THEN 'link' END
            FROM incoming.{table} s
            LEFT JOIN main.{table} m ON m.uid = s.uid
            LEFT JOIN main.merge_links k ON m.id IS NULL AND k.table_name = '{table}' AND k.uid = s.uid
            LEFT JOIN main.{table} l ON l.uid = k.linked_to"""
    )
    # Records here whose uid (or a linked uid) the incoming side holds are not linked to another.
    claimed = f"(SELECT here_id FROM {name} WHERE here_id IS NOT NULL)"
    if kind is VILLAGES:
        conn.execute(
            f"""UPDATE {name} SET here_id = (
                    SELECT m.id FROM main.villages m, incoming.villages s
                    WHERE s.id = {name}.s_id AND m.id NOT IN {claimed}
                      AND (m.code = s.code OR ((m.code IS NULL OR s.code IS NULL) AND m.name_key = s.name_key
                           AND name_key(coalesce(m.kecamatan, '')) = name_key(coalesce(s.kecamatan, ''))))
                    ORDER BY m.code IS s.code DESC, m.id LIMIT 1)
                WHERE here_id IS NULL"""
        )
    elif kind is INSTITUTIONS:
        conn.execute(
            f"""UPDATE {name} SET here_id = (
                    SELECT m.id FROM main.institutions m, incoming.institutions s
                    WHERE s.id = {name}.s_id AND m.id NOT IN {claimed} AND m.name_key = s.name_key
                      AND m.village_id = (SELECT here_id FROM temp.map_villages WHERE s_id = s.village_id)
                    ORDER BY m.id LIMIT 1)
                WHERE here_id IS NULL"""
        )
    conn.execute(f"UPDATE {name} SET how = 'linked' WHERE how IS NULL AND here_id IS NOT NULL")
    conn.execute(
        f"""INSERT OR IGNORE INTO main.merge_links (table_name, uid, linked_to)
            SELECT '{table}', s_uid, (SELECT uid FROM main.{table} WHERE id = here_id) FROM {name} WHERE how = 'linked'"""
    )
    # Deleted here (by its uid or the uid it is linked to): the deletion stands unless the other side
    # changed the record since (then it is a conflict).
    deleted = history.deleted_uids(conn, "main", table)
    conn.execute(
        f"""UPDATE {name} SET how = 'gone' WHERE here_id IS NULL
              AND (s_uid IN {deleted} OR EXISTS (SELECT 1 FROM main.merge_links k
                   WHERE k.table_name = '{table}' AND k.uid = s_uid AND k.linked_to IN {deleted}))"""
    )


def _mapped(kind: Kind, column: str, row: str = "s") -> str:
    """SQL for incoming `row`'s `column` as this database stores it (an id remapped through the maps)."""
    target = kind.refs.get(column)
    if target is None:
        return f"{row}.{column}"
    return f"(SELECT here_id FROM temp.map_{target} WHERE s_id = {row}.{column})"


def _merge_kind(conn, kind: Kind, source_file: str, source: dict, report: Report, renames: dict) -> None:
    table, name = kind.table, f"temp.map_{kind.table}"
    counts = report.kind(table)
    # A new record whose village (or case, institution) is not here: its parent was deleted here.
    for column in kind.refs:
        conn.execute(
            f"""UPDATE {name} SET how = 'orphan' WHERE how IS NULL
                AND (SELECT s.{column} FROM incoming.{table} s WHERE s.id = {name}.s_id) IS NOT NULL
                AND (SELECT {_mapped(kind, column)} FROM incoming.{table} s WHERE s.id = {name}.s_id) IS NULL"""
        )
    _report_gone(conn, kind, source_file, source, report)
    # Fields first: a ref renamed there must leave here before a case that keeps it comes in.
    changed = _merge_fields(conn, kind, source_file, source, report)
    # New records: inserted with their own uid and timestamps, ids remapped.
    columns = [row[1] for row in conn.execute(f"PRAGMA main.table_info({table})") if row[1] != "id"]
    incoming_columns = {row[1] for row in conn.execute(f"PRAGMA incoming.table_info({table})")}
    values = [_mapped(kind, c) if c in incoming_columns else "NULL" for c in columns]
    if "import_id" in columns:  # an import of the other database: not one of ours
        values[columns.index("import_id")] = "NULL"
    if kind is CASES and renames:
        values[columns.index("ref")] = "coalesce((SELECT value ->> 1 FROM json_each(:renames) WHERE key = s.uid), s.ref)"
    inserted = conn.execute(
        f"""INSERT INTO main.{table} ({', '.join(columns)})
            SELECT {', '.join(values)} FROM incoming.{table} s JOIN {name} mp ON mp.s_id = s.id
            WHERE mp.how IS NULL ORDER BY s.id""",
        {"renames": json.dumps(renames)},
    ).rowcount
    counts["inserted"] += inserted
    conn.execute(
        f"""UPDATE {name} SET here_id = (SELECT id FROM main.{table} WHERE uid = {name}.s_uid), how = 'new'
            WHERE how IS NULL"""
    )
    if kind is CASES:
        report.new_cases.extend(row[0] for row in conn.execute(f"SELECT here_id FROM {name} WHERE how = 'new'"))
    counts["linked"] += conn.execute(f"SELECT count(*) FROM {name} WHERE how = 'linked'").fetchone()[0]
    matched = {row[0] for row in conn.execute(f"SELECT here_id FROM {name} WHERE how IN ('uid', 'link')")}
    counts["updated"] += len(changed & matched)
    counts["unchanged"] += len(matched - changed)
    counts["unchanged"] += conn.execute(f"SELECT count(*) FROM {name} WHERE how IN ('gone', 'orphan')").fetchone()[0]
    report.changed[table] = changed


def _report_gone(conn, kind: Kind, source_file: str, source: dict, report: Report) -> None:
    """Records deleted here that the other side changed since, or new ones whose parent was: conflicts."""
    table, name = kind.table, f"temp.map_{kind.table}"
    gone = [row[0] for row in conn.execute(f"SELECT s_uid FROM {name} WHERE how = 'gone'")]
    changed_there = history.has_unseen_changes(conn, "incoming", "main", table, gone) if gone else set()
    rows = conn.execute(
        f"""SELECT mp.s_uid, mp.how, {label_sql(kind, 'incoming')} AS label FROM {name} mp
            JOIN incoming.{table} t ON t.id = mp.s_id WHERE mp.how = 'orphan' OR mp.s_uid IN (SELECT value FROM json_each(?))""",
        [json.dumps(sorted(changed_there))],
    ).fetchall()
    for uid, how, label in rows:
        here = "deleted here" if how == "gone" else "what it belongs to was deleted here"
        _conflict(conn, report, table, uid, label, RECORD, here, "changed there", source_file, source)


def _merge_fields(conn, kind: Kind, source_file: str, source: dict, report: Report) -> set[int]:
    """Merge the fields of records both sides hold; returns the ids here that took a change."""
    table, name = kind.table, f"temp.map_{kind.table}"
    fields = kind.fields
    differs = " OR ".join(f"m.{f} IS NOT {_mapped(kind, f)}" for f in fields)
    rows = conn.execute(
        f"""SELECT mp.here_id, mp.how, m.uid AS here_uid, mp.s_uid, {label_sql(kind, 'main').replace('t.', 'm.')} AS label,
                   m.updated_at AS here_updated, s.updated_at AS in_updated,
                   {', '.join(f'm.{f} AS "h.{f}"' for f in fields)},
                   {', '.join(f'{_mapped(kind, f)} AS "i.{f}", s.{f} AS "r.{f}"' for f in fields)}
            FROM {name} mp JOIN main.{table} m ON m.id = mp.here_id JOIN incoming.{table} s ON s.id = mp.s_id
            WHERE mp.how IN ('uid', 'link', 'linked') AND ({differs})"""
    ).fetchall()
    if not rows:
        return set()
    here_uids = {row["here_uid"] for row in rows}
    aliases: dict[str, list[str]] = {}
    for uid, linked_to in conn.execute(
        "SELECT uid, linked_to FROM main.merge_links WHERE table_name = ? AND linked_to IN (SELECT value FROM json_each(?))",
        [table, json.dumps(sorted(here_uids))],
    ):
        aliases.setdefault(linked_to, []).append(uid)
    every_uid = sorted(here_uids | {row["s_uid"] for row in rows} | {a for v in aliases.values() for a in v})
    here_entries = history.entries_by_record(conn, "main", table, every_uid)
    in_entries = history.entries_by_record(conn, "incoming", table, every_uid)
    changed = set()
    for row in rows:
        uids = [row["here_uid"], *aliases.get(row["here_uid"], [])]
        if row["s_uid"] not in uids:
            uids.append(row["s_uid"])
        mine = [entry for uid in uids for entry in here_entries.get(uid, ())]
        theirs = [entry for uid in uids for entry in in_entries.get(uid, ())]
        here_changed = history.changed_fields(mine, set(theirs))
        there_changed = history.changed_fields(theirs, set(mine))
        taken = {}
        for field in fields:
            here, incoming = row[f"h.{field}"], row[f"i.{field}"]
            if here == incoming:
                continue
            if incoming is None and row[f"r.{field}"] is not None:
                continue  # refers to a record not here (deleted here): nothing to take
            if field in there_changed and field not in here_changed:
                taken[field] = incoming
            elif field in here_changed and field not in there_changed:
                continue
            elif field not in here_changed and field not in there_changed and field in kind.keys \
                    and name_key(str(here)) == name_key(str(incoming)):
                continue  # made apart, one name written two ways: this database's spelling stays
            elif field not in here_changed and here is None:
                taken[field] = incoming  # no history either side (records made apart): fill the blank
            elif field in here_changed or field in there_changed or incoming is not None:
                _conflict(conn, report, table, row["here_uid"], row["label"], field,
                          _stored(conn, kind, field, here), _stored(conn, kind, field, incoming), source_file, source)
        if taken:
            _take(conn, kind, row["here_id"], taken, max(row["here_updated"], row["in_updated"]))
            changed.add(row["here_id"])
    return changed


def _stored(conn, kind: Kind, field: str, value: Any) -> Any:
    """A value as a conflict stores it: a referred record by its uid (ids differ between databases)."""
    target = kind.refs.get(field)
    if target is None or value is None:
        return value
    return conn.execute(f"SELECT uid FROM main.{target} WHERE id = ?", [value]).fetchone()[0]


def _take(conn, kind: Kind, here_id: int, taken: dict[str, Any], updated_at: str) -> None:
    assignments = [f"{field} = :{field}" for field in taken]
    assignments += [f"{key} = name_key(:{field})" for field, key in kind.keys.items() if field in taken]
    conn.execute(
        f"UPDATE main.{kind.table} SET {', '.join(assignments)}, updated_at = :updated_at WHERE id = :id",
        {**taken, "updated_at": updated_at, "id": here_id},
    )


def _conflict(conn, report: Report, table, uid, label, field, here, incoming, source_file, source) -> None:
    conflict_id = raise_conflict(conn, table, uid, label, field, here, incoming, source_file, source["uid"])
    if conflict_id is not None:
        report.conflict_ids.append(conflict_id)
        report.kind(table)["conflicts"] += 1


def _merge_events(conn: sqlite3.Connection, report: Report) -> None:
    """Case events: a union by uid; each case whose events grew takes the status of its latest."""
    _map(conn, EVENTS)
    counts = report.kind("case_events")
    columns = [row[1] for row in conn.execute("PRAGMA main.table_info(case_events)") if row[1] != "id"]
    incoming_columns = {row[1] for row in conn.execute("PRAGMA incoming.table_info(case_events)")}
    values = [_mapped(EVENTS, c) if c in incoming_columns else "NULL" for c in columns]
    inserted = conn.execute(
        f"""INSERT INTO main.case_events ({', '.join(columns)})
            SELECT {', '.join(values)} FROM incoming.case_events s JOIN temp.map_case_events mp ON mp.s_id = s.id
            WHERE mp.how IS NULL AND {_mapped(EVENTS, 'case_id')} IS NOT NULL ORDER BY s.id"""
    ).rowcount
    counts["inserted"] += inserted
    counts["unchanged"] += conn.execute("SELECT count(*) FROM temp.map_case_events WHERE how IS NOT NULL").fetchone()[0]
    conn.execute("UPDATE temp.map_case_events SET how = 'new' WHERE how IS NULL")
    # Status is the latest event's, by its date, then by when it was recorded: a status changed on
    # both sides is no conflict, and both changes stay in the history.
    latest = """(SELECT e.{column} FROM main.case_events e WHERE e.case_id = cases.id
                 ORDER BY e.on_date DESC, e.created_at DESC, e.uid DESC LIMIT 1)"""
    status, on_date = latest.format(column="new_status"), latest.format(column="on_date")
    resolved_on = f"CASE WHEN {status} = 'resolved' THEN {on_date} END"
    changed = conn.execute(
        f"""UPDATE main.cases SET status = {status}, resolved_on = {resolved_on},
                   updated_at = max(updated_at, (SELECT max(e.updated_at) FROM main.case_events e WHERE e.case_id = cases.id))
            WHERE id IN (SELECT n.case_id FROM main.case_events n WHERE n.uid IN
                         (SELECT s_uid FROM temp.map_case_events WHERE how = 'new'))
              AND (status IS NOT {status} OR resolved_on IS NOT {resolved_on})
            RETURNING id"""
    ).fetchall()
    # A case that only changed status counts as updated (once, with its field changes).
    cases = report.kind("cases")
    for (case_id,) in changed:
        if case_id not in report.changed["cases"] and case_id not in report.new_cases:
            report.changed["cases"].add(case_id)
            cases["updated"] += 1
            cases["unchanged"] -= 1


def _apply_deletions(conn, kind: Kind, source_file: str, source: dict, report: Report) -> None:
    """Records the other side deleted: deleted here too, unless changed here since (a conflict)."""
    table = kind.table
    deleted = history.deleted_uids(conn, "incoming", table)
    rows = conn.execute(
        f"""SELECT m.id, m.uid, {label_sql(kind, 'main').replace('t.', 'm.')} AS label FROM main.{table} m
            WHERE m.id NOT IN (SELECT here_id FROM temp.map_{table} WHERE here_id IS NOT NULL)
              AND (m.uid IN {deleted} OR EXISTS (SELECT 1 FROM main.merge_links k WHERE k.table_name = '{table}'
                   AND k.linked_to = m.uid AND k.uid IN {deleted}))"""
    ).fetchall()
    if not rows:
        return
    changed_here = history.has_unseen_changes(conn, "main", "incoming", table, [row["uid"] for row in rows])
    for row in rows:
        if row["uid"] in changed_here or _still_referred_to(conn, kind, row["id"]):
            _conflict(conn, report, table, row["uid"], row["label"], RECORD, "changed here", "deleted there",
                      source_file, source)
            continue
        if kind is CASES:
            conn.execute("DELETE FROM main.case_events WHERE case_id = ?", [row["id"]])
        conn.execute(f"DELETE FROM main.{table} WHERE id = ?", [row["id"]])
        report.kind(table)["updated"] += 1


def _still_referred_to(conn, kind: Kind, record_id: int) -> bool:
    """Whether records here still refer to this one (records the other side never had)."""
    from wksbm_cli.merge.kinds import BY_TABLE

    for other in BY_TABLE.values():
        for column, target in other.refs.items():
            if target == kind.table and other is not EVENTS and conn.execute(
                f"SELECT 1 FROM main.{other.table} WHERE {column} = ? LIMIT 1", [record_id]
            ).fetchone():
                return True
    if kind is CASES:  # events the other side did not hold are a change here
        return bool(conn.execute(
            """SELECT 1 FROM main.case_events WHERE case_id = ?
               AND uid NOT IN (SELECT uid FROM incoming.case_events) LIMIT 1""", [record_id]).fetchone())
    return False


def _rename_colliding_refs(conn: sqlite3.Connection, source_file: str, report: Report) -> dict[str, tuple[str, str]]:
    """Two different cases with one ref: the later-made one (greater uid) gets a suffix from its uid.

    The choice does not depend on which side merges which, so A into B and B into A rename alike.
    A case here is renamed now (audited as this officer's change); an incoming one as it comes in
    (returned: uid -> (old ref, new ref)).
    """
    pairs = conn.execute(
        """SELECT m.id AS here_id, m.uid AS here_uid, s.uid AS in_uid, m.ref
           FROM incoming.cases s JOIN main.cases m ON m.ref = s.ref AND m.uid != s.uid
           WHERE s.uid NOT IN (SELECT uid FROM main.cases)
             AND s.uid NOT IN (SELECT uid FROM main.merge_links WHERE table_name = 'cases')
             AND m.uid NOT IN (SELECT uid FROM incoming.cases)"""
    ).fetchall()
    renames = {}
    for row in pairs:
        loser = max(row["here_uid"], row["in_uid"])
        new = _free_ref(conn, row["ref"], loser)
        if loser == row["here_uid"]:
            conn.execute("UPDATE main.cases SET ref = ?, updated_at = ? WHERE id = ?", [new, _now(), row["here_id"]])
            report.renamed_refs.append({"ref": row["ref"], "renamed_to": new, "database": "here", "source": source_file})
        else:
            renames[loser] = (row["ref"], new)
            report.renamed_refs.append({"ref": row["ref"], "renamed_to": new, "database": "incoming", "source": source_file})
    return renames


def _free_ref(conn: sqlite3.Connection, ref: str, uid: str) -> str:
    digits = uid.replace("-", "").upper()
    for length in (4, 6, 8, 12, 32):
        candidate = f"{ref[:39 - length]}-{digits[-length:]}"
        taken = conn.execute(
            "SELECT 1 FROM main.cases WHERE ref = ? UNION ALL SELECT 1 FROM incoming.cases WHERE ref = ?",
            [candidate, candidate],
        ).fetchone()
        if not taken:
            return candidate
    raise AssertionError("a uid's 32 hex digits make a free ref")


def _now() -> str:
    from wksbm_cli.ids import now

    return now()

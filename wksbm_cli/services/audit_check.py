"""Is the audit log whole? Its hash chain (schema m003) and the triggers that write it, as `wksbm check` sees them."""

import sqlite3

from wksbm_cli.i18n import _, ngettext

LIMIT = 20  # problems named; the rest are counted


def audit_problems(conn: sqlite3.Connection) -> list[str]:
    """Triggers that are missing, changed or foreign; audit entries altered, replaced, out of order or removed."""
    return _trigger_problems(conn) + _chain_problems(conn) + _unsigned_records(conn)


def wksbm_triggers() -> dict[str, str]:
    """Every trigger wksbm's migrations make, by name, with its SQL exactly as they make it."""
    from wksbm_cli import schema
    from wksbm_cli.db import connect

    model = connect(":memory:")
    try:
        schema.apply(model)
        return dict(model.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
    finally:
        model.close()


def _trigger_problems(conn: sqlite3.Connection) -> list[str]:
    # The whole SQL is compared, not the name: a trigger replaced by an empty one of the same
    # name records nothing, and one added by another program can rewrite what is recorded.
    present = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
    wanted = wksbm_triggers()
    problems = []
    for name, sql in wanted.items():
        if name not in present:
            problems.append(_("trigger {name} is missing: changes go unrecorded").format(name=name))
        elif present[name] != sql:
            problems.append(_("trigger {name} is not wksbm's: its SQL was changed").format(name=name))
    problems += [
        _("trigger {name} is not wksbm's: another program added it").format(name=name)
        for name in present if name not in wanted
    ]
    return problems


def _unsigned_records(conn: sqlite3.Connection) -> list[str]:
    """Records without `created_by` (schema m004): inserted by another program, so in no audit entry."""
    from wksbm_cli.services.imports import RECORD_TABLES

    problems = []
    for table in RECORD_TABLES:
        if "created_by" not in {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}:
            return []
        count = conn.execute(f"SELECT count(*) FROM {table} WHERE created_by IS NULL").fetchone()[0]
        if count:
            problems.append(ngettext(
                "{count} record of {table} was added by another program: it has no created_by and no audit entry",
                "{count} records of {table} were added by another program: they have no created_by and no audit entry",
                count).format(count=count, table=table))
    return problems


def _chain_problems(conn: sqlite3.Connection) -> list[str]:
    """Walk the log oldest first, recomputing each entry's hash from the one before it."""
    from wksbm_cli.db import audit_hash

    columns = [row[1] for row in conn.execute("PRAGMA table_info(audit_log)")]
    if "hash" not in columns:
        return []  # not upgraded yet (a read-only look at an old schema): "schema" says so
    problems, more = [], 0

    def add(text: str) -> None:
        nonlocal more
        if len(problems) < LIMIT:
            problems.append(text)
        else:
            more += 1

    # Entries a merge appended (h7, m005) carry the other database's times, older than ours: they are
    # chained like any entry, but take no part in the order of this database's own.
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    merged = {row[0] for row in conn.execute("SELECT audit_id FROM audit_sources")} if "audit_sources" in tables else set()
    previous_id, previous_hash, previous_at = 0, None, ""
    rows = conn.execute(
        "SELECT id, at, officer, action, table_name, record_uid, before, after, hash FROM audit_log ORDER BY id"
    )
    for row in rows:
        id_, at, stored = row[0], row[1], row[8]
        gap = id_ != previous_id + 1
        if gap:
            first, last = previous_id + 1, id_ - 1
            if first == last:
                add(_("audit entry {id} was removed from the log").format(id=first))
            else:
                add(_("audit entries {first} to {last} were removed from the log").format(first=first, last=last))
        # After a gap the chain is broken by the removal itself: that entry is not named again.
        if stored is None:
            add(_("audit entry {id} was written by another program: it has no hash").format(id=id_))
        elif at < previous_at and id_ not in merged:
            add(_("audit entry {id} was inserted out of order: it is dated {at}, before entry {before}")
                .format(id=id_, at=at, before=previous_id))
        elif not gap and stored != audit_hash(previous_hash, *tuple(row)[:8]):
            add(_("audit entry {id} was altered or replaced: its hash does not match "
                  "what it records and the entry before it").format(id=id_))
        previous_id, previous_hash = id_, stored
        if id_ not in merged:
            previous_at = at
    if more:
        problems.append(ngettext("… and {count} more problem in the audit log",
                                 "… and {count} more problems in the audit log", more).format(count=more))
    return problems

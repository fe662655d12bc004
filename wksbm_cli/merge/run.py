"""`wksbm merge`: every file checked first, then all merged in one transaction, or none."""

import sqlite3
from pathlib import Path
from typing import Any

from wksbm_cli.db import transaction
from wksbm_cli.merge import engine, source
from wksbm_cli.merge.identity import use_ref_code
from wksbm_cli.merge.report import Report, find_duplicates


def merge_files(conn: sqlite3.Connection, files: list[Path], database: Path) -> dict[str, Any]:
    """Merge other wksbm databases into `conn`'s; returns the report (SPEC section 10's JSON shape).

    A file that is not a sound wksbm database of this version is named before anything is written.
    """
    for path in files:
        source.refuse_self(path, database)
    images = [(str(path), source.load_image(path)) for path in files]
    source.attach_incoming(conn)
    report = Report(files=[name for name, _image in images])
    with transaction(conn):
        use_ref_code(conn)  # this database now holds others' cases: its new refs carry its code
        for name, image in images:
            source.load_into(conn, image)
            report.new_cases = []
            report.changed = {}
            engine.merge_incoming(conn, name, report)
            report.duplicates.extend(find_duplicates(conn, report.new_cases, name))
        result = report.as_dict(conn)
    conn.execute(f"DETACH DATABASE {source.INCOMING}")  # let go of the last image's memory
    return result


def dry_run_connection(database: Path, officer: str) -> sqlite3.Connection:
    """A copy in memory of the database at `database` (migrated there if it is older), to merge into
    without writing a byte to the file: a dry run takes exactly the real merge's path."""
    from wksbm_cli.db import connect, migrate
    from wksbm_cli.errors import WksbmError
    from wksbm_cli.i18n import _

    memory = connect(":memory:", officer)
    if Path(database).exists():
        from wksbm_cli.db import refuse_unless_wksbm

        try:
            image = source._open_read_only(Path(database))
            try:
                refuse_unless_wksbm(image, database)
                data = image.serialize()
            finally:
                image.close()
        except sqlite3.DatabaseError:
            raise WksbmError(_("{path} is not a database file (damaged, or another kind of file): nothing was merged")
                             .format(path=database)) from None
        memory.deserialize(source.as_image(data))
    migrate(memory)
    return memory


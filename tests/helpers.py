"""Small helpers several test files share (fixtures live in conftest.py)."""

import json
import sqlite3


def import_counts(result):
    """`wksbm import … --format json`'s result as {kind: [inserted, updated, unchanged]}; asserts success."""
    assert result.exit_code == 0, result.output
    return {row["kind"]: [row["inserted"], row["updated"], row["unchanged"]] for row in json.loads(result.stdout)}


def query(db, sql):
    """All rows of `sql` on the database file `db`, read with a plain connection."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def table_cells(text):
    """The body cells of a Rich table, stripped."""
    return [[cell.strip() for cell in line.split("│")[1:-1]] for line in text.splitlines() if line.startswith("│")]

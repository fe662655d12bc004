"""What a database holds: its location, schema version and record counts."""

import sqlite3
from pathlib import Path
from typing import Any

COUNTED = ["villages", "institutions", "activities", "cases", "case_events", "institution_types", "pmks_categories"]


def database_info(conn: sqlite3.Connection, path: Path) -> dict[str, Any]:
    """Where the database is, its schema version, size and how many records of each kind."""
    counts = {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COUNTED}
    return {
        "database": str(path),
        "schema_version": conn.execute("PRAGMA user_version").fetchone()[0],
        "size_bytes": path.stat().st_size if path.exists() else 0,
        **counts,
    }

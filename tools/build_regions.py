"""Rebuild wksbm_cli/data/regions.sqlite from tools/kemendagri_regions.csv.gz.

Run after replacing the CSV copy with a newer Kemendagri list (see wksbm_cli/data/REGIONS_SOURCE.md):

    python tools/build_regions.py [CSV_OR_CSV_GZ] [OUTPUT]

The CSV is `code,name` without a header, one region a line. The output holds one WITHOUT ROWID
table keyed by code, with each name as officers write it and its normalised key (text.name_key)
indexed for name search; the file is vacuumed so that it is as small as SQLite makes it.
"""

import csv
import gzip
import io
import os
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wksbm_cli.regions import CODE_PREFIX, display_name  # noqa: E402
from wksbm_cli.text import name_key  # noqa: E402

SOURCE = ROOT / "tools" / "kemendagri_regions.csv.gz"
TARGET = ROOT / "wksbm_cli" / "data" / "regions.sqlite"


def read_regions(source: Path) -> list[tuple[str, str, str]]:
    """(code, display name, name key) for every line of the CSV, checked and in code order."""
    raw = source.read_bytes()
    text = gzip.decompress(raw).decode("utf-8") if source.suffix == ".gz" else raw.decode("utf-8-sig")
    rows = []
    for line, (code, official) in enumerate(csv.reader(io.StringIO(text)), start=1):
        code, official = code.strip(), " ".join(official.split())
        if not CODE_PREFIX.fullmatch(code) or not official:
            raise SystemExit(f"{source}:{line}: not a `code,name` region line: {code},{official}")
        name = display_name(official, code)
        rows.append((code, name, name_key(name)))
    rows.sort()
    return rows


def build(source: Path = SOURCE, target: Path = TARGET) -> int:
    """Write the SQLite file for `source` to `target` (replacing it); returns the number of regions."""
    rows = read_regions(source)
    partial = target.with_suffix(".tmp")
    partial.unlink(missing_ok=True)
    conn = sqlite3.connect(partial)
    with conn:
        conn.execute(
            "CREATE TABLE regions (code TEXT PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL) WITHOUT ROWID"
        )
        conn.executemany("INSERT INTO regions VALUES (?, ?, ?)", rows)
        conn.execute("CREATE INDEX regions_name_key ON regions(name_key)")
    conn.execute("ANALYZE")
    conn.execute("VACUUM")
    conn.close()
    os.replace(partial, target)
    return len(rows)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    count = build(Path(arguments[0]) if arguments else SOURCE, Path(arguments[1]) if len(arguments) > 1 else TARGET)
    print(f"wrote {count} regions to {TARGET if len(arguments) < 2 else arguments[1]}")

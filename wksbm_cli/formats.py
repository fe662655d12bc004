"""One writer per format: every CSV and every JSON array the tool prints goes through here.

CSV cells that start with = + - @ get a leading ' so that opening any CSV of wksbm's (a listing,
an export, the log) in Excel or LibreOffice never runs a formula someone typed into a name or a
note (import takes the prefix off again). Both writers stream: rows may be any iterable, one row
in memory at a time.
"""

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@")


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, made inert with a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(rows: Iterable[dict[str, Any]], columns: list[str], stream: IO[str]) -> int:
    """Write rows as CSV with a header (None an empty cell, formulas neutralised); returns the number of rows."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for count, row in enumerate(rows, start=1):
        writer.writerow(["" if row.get(c) is None else neutralise(row.get(c)) for c in columns])
    return count


def write_json(rows: Iterable[dict[str, Any]], columns: list[str] | None, stream: IO[str]) -> int:
    """Write rows as a JSON array of objects, one object per line; returns the number of rows."""
    count = 0
    stream.write("[")
    for count, row in enumerate(rows, start=1):
        shown = row if columns is None else {column: row.get(column) for column in columns}
        stream.write(("\n" if count == 1 else ",\n") + json.dumps(shown, ensure_ascii=False))
    stream.write("\n]\n" if count else "]\n")
    return count

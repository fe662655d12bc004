"""Exports: every record of one kind as CSV, JSON or XLSX that `wksbm import` reads back.

Spreadsheet cells that start with = + - @ are prefixed with ' so that opening an export in
Excel or LibreOffice never runs a formula someone typed into a name or a note (import takes
the prefix off again). NIKs are masked unless asked for; `redact` drops people's names and NIKs.
"""

import csv
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from wksbm_cli.fields import mask_nik
from wksbm_cli.importing.headers import COLUMNS

FORMULA_STARTS = ("=", "+", "-", "@")
_PERSONAL = {"cases": ("person_name", "nik"), "institutions": ("leader",)}

_QUERIES = {
    "villages": "SELECT code, name, kecamatan, kabupaten, formed_on, decree, notes FROM villages "
                "ORDER BY kabupaten, kecamatan, name, id",
    "institutions": """SELECT v.name AS village, v.code AS village_code, i.name, i.type, i.leader, i.members,
                              i.joined_on, i.notes
                       FROM institutions i JOIN villages v ON v.id = i.village_id ORDER BY v.name, v.id, i.name""",
    "activities": """SELECT v.name AS village, v.code AS village_code, a.held_on, a.kind, i.name AS institution,
                            a.title, a.attendees, a.notes
                     FROM activities a JOIN villages v ON v.id = a.village_id
                     LEFT JOIN institutions i ON i.id = a.institution_id ORDER BY a.held_on, v.name, a.id""",
    "cases": """SELECT c.ref, v.name AS village, v.code AS village_code, c.category, c.person_name, c.nik,
                       c.gender, c.birth_year, c.reported_on, c.status, i.name AS handled_by, c.resolved_on, c.notes
                FROM cases c JOIN villages v ON v.id = c.village_id
                LEFT JOIN institutions i ON i.id = c.handled_by ORDER BY c.reported_on, c.ref""",
}


def export_columns(kind: str, redact: bool = False) -> list[str]:
    """The columns an export of `kind` has: the names import reads."""
    dropped = _PERSONAL.get(kind, ()) if redact else ()
    return [column for column in COLUMNS[kind] if column not in dropped]


def export_rows(conn: sqlite3.Connection, kind: str, show_pii: bool = False, redact: bool = False) -> Iterator[dict[str, Any]]:
    """Every record of `kind`, streamed, as dicts of export_columns(kind, redact)."""
    columns = export_columns(kind, redact)
    for row in conn.execute(_QUERIES[kind]):
        record = {column: row[column] for column in columns}
        if "nik" in record and not show_pii:
            record["nik"] = mask_nik(record["nik"])
        yield record


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, made inert with a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(rows, columns: list[str], stream: IO[str]) -> int:
    """Write rows as CSV with a header; returns the number of rows."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for count, row in enumerate(rows, start=1):
        writer.writerow(["" if row[c] is None else neutralise(row[c]) for c in columns])
    return count


def write_json(rows, columns: list[str], stream: IO[str]) -> int:
    """Write rows as a JSON array of objects, one object per line; returns the number of rows."""
    count = 0
    stream.write("[")
    for count, row in enumerate(rows, start=1):
        stream.write(("\n" if count == 1 else ",\n") + json.dumps(row, ensure_ascii=False))
    stream.write("\n]\n" if count else "]\n")
    return count


def write_xlsx(rows, columns: list[str], path: Path, title: str) -> int:
    """Write rows to a one-sheet XLSX workbook (streamed: write-only mode); returns the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cell(value: Any) -> Any:
        value = neutralise(value)
        if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
            # XLSX cannot hold control characters: write them as visible escapes (\x1b) instead.
            value = ILLEGAL_CHARACTERS_RE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), value)
        return value

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(columns)
    count = 0
    for count, row in enumerate(rows, start=1):
        sheet.append([cell(row[c]) for c in columns])
    workbook.save(path)
    return count

"""Exports: every record of one kind as CSV, JSON or XLSX that `wksbm import` reads back.

CSV cells that start with = + - @ are prefixed with ' so that opening an export in Excel or
LibreOffice never runs a formula someone typed into a name or a note (import takes the prefix
off again); XLSX stores such text as a text cell instead, with no visible '. NIKs are masked unless asked for; `redact` drops people's names and NIKs.
"""

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from wksbm_cli.fields import mask_nik
from wksbm_cli.formats import FORMULA_STARTS, write_csv, write_json  # noqa: F401 (the one writer per format, used by export)
from wksbm_cli.importing.headers import COLUMNS

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


# XLSX cells: dates as date cells, codes/NIKs/refs as text cells (a spreadsheet keeps their zeros and dots).
_DATE_COLUMNS = frozenset({"formed_on", "joined_on", "held_on", "reported_on", "resolved_on"})
_TEXT_COLUMNS = frozenset({"code", "village_code", "nik", "ref", "decree"})
_WIDTH_SAMPLE = 1000  # rows read ahead to size the columns; the rest stream after them
_WIDEST = 60


def write_xlsx(rows, columns: list[str], path: Path, title: str) -> int:
    """Write rows to a one-sheet XLSX workbook a clerk can use; returns the number of rows.

    Streamed (write-only mode). Dates are date cells, codes and NIKs text cells; the header is
    bold and frozen; columns are as wide as their content. Text that looks like a formula is
    stored as a text cell, so no spreadsheet runs it and no `'` shows (CSV keeps the `'`).
    """
    import datetime as dt
    from itertools import chain, islice

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    bold = Font(bold=True)

    def cell(column: str, value: Any) -> Any:
        if value is None or isinstance(value, (int, float)):
            return value
        text = str(value)
        if ILLEGAL_CHARACTERS_RE.search(text):
            # XLSX cannot hold control characters: write them as visible escapes (\x1b) instead.
            text = ILLEGAL_CHARACTERS_RE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)
        if column in _DATE_COLUMNS:
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                pass
            else:
                written = WriteOnlyCell(sheet, value=day)
                written.number_format = "yyyy-mm-dd"
                return written
        if column in _TEXT_COLUMNS or text.startswith(FORMULA_STARTS):
            written = WriteOnlyCell(sheet, value=text)
            written.data_type = "s"  # never a formula, whatever it starts with
            written.number_format = "@"
            written.quotePrefix = text.startswith(FORMULA_STARTS)  # editing it keeps it text
            return written
        return text

    rows = iter(rows)
    ahead = list(islice(rows, _WIDTH_SAMPLE))
    for index, column in enumerate(columns, start=1):
        longest = max((_width(column, row[column]) for row in ahead), default=0)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest, len(column)) + 2, _WIDEST)
    sheet.freeze_panes = "A2"
    header = []
    for column in columns:
        heading = WriteOnlyCell(sheet, value=column)
        heading.font = bold
        header.append(heading)
    sheet.append(header)
    count = 0
    for count, row in enumerate(chain(ahead, rows), start=1):
        sheet.append([cell(c, row[c]) for c in columns])
    workbook.save(path)
    return count


def _width(column: str, value: Any) -> int:
    """Characters a value takes in its column (the longest line of a note)."""
    if value is None:
        return 0
    if column in _DATE_COLUMNS:
        return 10
    return max(len(line) for line in str(value).splitlines() or [""])

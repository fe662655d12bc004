"""What every reader shares: the open table, its options, and problems with a whole file.

A reader yields `(line, record)`: `record` is a dict of field -> cell value (or, from a reader
that sets Table.fields, the list of cells in that order), or a string saying why that row cannot
be read (a ragged row). A problem with the whole file raises FileProblem.
Lines count as a spreadsheet user counts them: the header is line 1 (for JSON, the file's line).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wksbm_cli.i18n import _, language, ngettext
from wksbm_cli.importing.headers import ALIASES, COLUMNS, header_key, map_headers, missing_columns

if TYPE_CHECKING:  # sources imports the XLSX reader, which imports this module
    from wksbm_cli.importing.sources import Source

SAMPLE = 1 << 16  # bytes read ahead: to sniff a CSV delimiter, and per piece of a JSON file
MAX_CELL = 10_000  # characters in one cell: longer is not a name, a note or a code
MAX_LINE = 1 << 20  # characters in one row
# C1 controls and U+FFFD are what a wrong encoding leaves behind (mojibake): never stored.
_MOJIBAKE = re.compile("[\x80-\x9f\ufffd]")


class FileProblem(Exception):
    """The whole file cannot be read; `line` is where it went wrong (1 for the file itself)."""

    def __init__(self, reason: str, line: int = 1):
        super().__init__(reason)
        self.reason, self.line = reason, line


@dataclass
class Options:
    """How to read the files of one import (--delimiter, --encoding, --sheet)."""

    delimiter: str | None = None
    encoding: str | None = None
    sheet: str | None = None


@dataclass
class Table:
    """One source opened for reading: its records, what its headers mean, how far it has got."""

    source: "Source"
    records: Iterator[tuple[int, Any]]
    labels: dict[str, str] = field(default_factory=dict)  # field -> the header as written
    unknown: list[str] = field(default_factory=list)
    size: int | None = None
    position: Any = lambda: 0
    kind: str = ""
    indonesian: bool = False  # headed in Indonesian: a column it lacks is named by its Indonesian header
    # Set by a reader whose records are lists of cells (CSV), once it has read the header: the field of
    # each cell. dict(zip(fields, cells)) is the record; a chunk's columns come without a dict per row.
    fields: list[str] | None = None

    def column(self, name: str | None) -> str:
        """The header the user wrote for field `name` (a field the file has no column for: as the file would head it)."""
        if not name:
            return ""
        if name in self.labels:
            return self.labels[name]
        if self.indonesian:
            return next((alias for alias, meant in ALIASES[self.kind].items() if meant == name), name)
        return name


def header_fields(table: Table, kind: str, cells: list, line: int) -> list:
    """Map a header row to fields; unknown columns are kept as keys of their own (ignored later)."""
    try:
        fields, unknown = map_headers(kind, cells)
    except Exception as error:  # two columns meaning one field
        raise FileProblem(str(error), line) from None
    missing = missing_columns(kind, fields)
    if missing:
        raise FileProblem(ngettext("missing required column: {columns}", "missing required columns: {columns}",
                                   len(missing)).format(columns=named_columns(kind, missing, cells)), line)
    table.labels = {f: str(cell).strip() for f, cell in zip(fields, cells) if f}
    table.kind, table.indonesian = kind, _headed_in_indonesian(kind, cells)
    table.unknown = unknown
    return [f or f"\0unknown{i}" for i, f in enumerate(fields)]


def named_columns(kind: str, fields: list[str], headers: list = ()) -> str:
    """Required fields as the file would head them: Indonesian (`kategori`) in a file headed in Indonesian,
    English (`category`) in one headed in English, both (`category (kategori)`) when its headers tell neither."""
    english, indonesian = _header_languages(kind, headers)
    named = []
    for field in fields:
        if field == "name (or code)":  # a villages file needs one of the two
            name, code = ("nama", "kode") if indonesian > english or not english and language() == "id" else ("name", "code")
            named.append(_("{name} (or {code})").format(name=name, code=code))
            continue
        alias = next((alias for alias, meant in ALIASES[kind].items() if meant == field), None)
        if alias and indonesian > english:
            named.append(alias)
        elif alias and not english:
            named.append(f"{field} ({alias})")
        else:
            named.append(field)
    return ", ".join(named)


def _header_languages(kind: str, headers) -> tuple[int, int]:
    """How many of the headers are wksbm's English field names, and how many its Indonesian headers."""
    keys = [header_key(header) for header in headers]
    english = sum(key in COLUMNS[kind] and key not in ("kecamatan", "kabupaten") for key in keys)  # words of both
    return english, sum(key in ALIASES[kind] for key in keys)


def _headed_in_indonesian(kind: str, headers) -> bool:
    english, indonesian = _header_languages(kind, headers)
    return indonesian > english


def not_encoding(error: UnicodeDecodeError, table: Table | None, options: Options | None = None) -> str:
    byte = error.object[error.start : error.start + 1].hex()
    if error.encoding.replace("-", "").lower().startswith("utf8"):
        return _("is not UTF-8 text (byte 0x{byte} cannot be read); if it was saved by Excel on Windows, "
                 "try --encoding cp1252").format(byte=byte)
    return _("cannot be read as {encoding} (byte 0x{byte}); try another --encoding").format(encoding=error.encoding, byte=byte)


def too_long(length: int) -> str:
    """Why a row with an overlong cell is refused."""
    return _("a cell holds {length:,} characters; wksbm takes at most {most:,} in one cell").format(
        length=length, most=MAX_CELL)


def cells_problem(cells: list, joined: str | None = None, encoding: str | None = None) -> str | None:
    """Why a row's cells cannot be stored (a cell too long, mojibake), or None; `joined` if already made."""
    if joined is None:
        joined = "".join(cell for cell in cells if isinstance(cell, str))
    if len(joined) > MAX_CELL:
        longest = max(len(cell) for cell in cells if isinstance(cell, str))
        if longest > MAX_CELL:
            return too_long(longest)
    if not joined.isascii() and (bad := _MOJIBAKE.search(joined)):
        if bad[0] == "\ufffd":
            if encoding:
                return _("holds bytes that are not {encoding} text; give the file's --encoding").format(encoding=encoding)
            return _("holds U+FFFD, the mark of text read in the wrong encoding; correct the text in the file")
        return _("holds the control character U+{code:04X}, left by text read in the wrong encoding; "
                 "save the file as UTF-8 again or give --encoding").format(code=ord(bad[0]))
    return None

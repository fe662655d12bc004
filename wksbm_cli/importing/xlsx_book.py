"""Reading an XLSX workbook's parts ourselves: streamed, bounded, and with no XML entities at all.

openpyxl's readers trust the file: a declared sheet size, one huge shared string or an entity
declaration can make them take gigabytes, and read-only mode does not see merged cells. Here
every part is parsed by expat in pieces, a DOCTYPE is refused before anything is expanded, every
cell, row and part has a bound, and the merged ranges of a sheet are found in a first pass so
that a merged value fills every cell of its range. openpyxl only lends its number-format rules.
"""

import re
import zipfile
from array import array
from collections.abc import Iterator
from typing import Any
from xml.parsers import expat

from wksbm_cli.i18n import _
from wksbm_cli.importing.table import MAX_CELL, MAX_LINE, FileProblem

MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384  # what Excel itself allows
MAX_RATIO = 100  # unpacked / packed size of a part; office files stay far below (a zip bomb does not)
MAX_SHARED_CHARS = 100_000_000
MAX_MERGES = 100_000
_PIECE = 1 << 16
_DATE_FORMAT_IDS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_CELL = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_RANGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*[\"']([A-Z]{1,3}[0-9]{1,7}):([A-Z]{1,3}[0-9]{1,7})[\"']")


class TooLong:
    """A text longer than MAX_CELL: only its length is kept."""

    def __init__(self, length: int):
        self.length = length


def column_index(letters: str) -> int:
    """A column's number from its letters: A -> 1, AA -> 27."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _cell_ref(ref: str) -> tuple[int, int]:
    match = _CELL.fullmatch(ref)
    if not match:
        raise FileProblem(_("is not a readable XLSX workbook: a cell reference '{ref}' is malformed").format(ref=ref[:20]))
    return int(match[2]), column_index(match[1])


class Book:
    """An open workbook: its sheets by name, its shared strings and date styles (read when needed)."""

    def __init__(self, path):
        try:
            self.zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise FileProblem(_("is not a readable XLSX workbook (not a zip archive: was it saved as .xlsx?)")) from None
        except OSError as error:
            raise FileProblem(_("cannot be opened: {reason}").format(reason=error.strerror)) from None
        self.sheets, self.date1904 = self._sheets()
        self._shared: SharedStrings | None = None
        self._dates: set[int] | None = None

    def close(self) -> None:
        """Close the archive."""
        self.zip.close()

    # --- parts -------------------------------------------------------------------------------

    def parse(self, name: str, start=None, end=None, data=None) -> Iterator[None]:
        """Feed part `name` to expat piece by piece, yielding after each piece (handlers see it all)."""
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise FileProblem(_("is not a readable XLSX workbook: it has no part {part}").format(part=name)) from None
        if info.file_size > 10_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise FileProblem(_("is not a workbook an office program writes: its part {part} unpacks to {size:,} bytes "
                                "from {packed:,}").format(part=name, size=info.file_size, packed=info.compress_size))
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = _refuse_doctype
        parser.EntityDeclHandler = _refuse_doctype
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        if start:
            parser.StartElementHandler = start
        if end:
            parser.EndElementHandler = end
        if data:
            parser.CharacterDataHandler = data
        try:
            with self.zip.open(info) as stream:
                while piece := stream.read(_PIECE):
                    parser.Parse(piece, False)
                    yield
                parser.Parse(b"", True)
                yield
        except expat.ExpatError as error:
            raise FileProblem(_("is not a readable XLSX workbook: its part {part} is not well-formed XML ({reason})")
                              .format(part=name, reason=expat.ErrorString(error.code))) from None
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as error:
            raise FileProblem(_("is not a readable XLSX workbook: its part {part} cannot be unpacked ({reason})")
                              .format(part=name, reason=str(error)[:80])) from None

    def read(self, name: str, start=None, end=None, data=None) -> None:
        """Parse a whole part."""
        for _piece in self.parse(name, start, end, data):
            pass

    def _sheets(self) -> tuple[dict[str, str], bool]:
        targets, sheets, flags = {}, [], {"date1904": False}

        def rel(name, attrs):
            if _local(name) == "Relationship":
                targets[attrs.get("Id")] = attrs.get("Target", "")

        def sheet(name, attrs):
            local = _local(name)
            if local == "sheet":
                rid = next((value for key, value in attrs.items() if key.endswith(":id") or key == "id"), None)
                sheets.append((attrs.get("name", ""), rid))
            elif local == "workbookPr":
                flags["date1904"] = attrs.get("date1904", "").lower() in ("1", "true")

        self.read("xl/_rels/workbook.xml.rels", start=rel)
        self.read("xl/workbook.xml", start=sheet)
        named = {}
        for sheet_name, rid in sheets:
            target = targets.get(rid, "")
            named[sheet_name] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if not named:
            raise FileProblem(_("is not a readable XLSX workbook: it has no sheets"))
        return named, flags["date1904"]

    @property
    def shared(self) -> "SharedStrings":
        """The shared strings, read once."""
        if self._shared is None:
            self._shared = SharedStrings()
            if "xl/sharedStrings.xml" in self.zip.namelist():
                self._shared.read(self)
        return self._shared

    @property
    def date_styles(self) -> set[int]:
        """The cell style numbers that show a number as a date."""
        if self._dates is None:
            self._dates = set()
            if "xl/styles.xml" in self.zip.namelist():
                self._dates = _date_styles(self)
        return self._dates

    # --- sheets ------------------------------------------------------------------------------

    def merged_ranges(self, part: str) -> list[tuple[int, int, int, int]]:
        """(first row, first column, last row, last column) of each merged range of a sheet part."""
        ranges, tail = [], b""
        try:
            with self.zip.open(part) as stream:
                while piece := stream.read(_PIECE):
                    text = tail + piece
                    last = 0
                    for match in _RANGE.finditer(text):
                        (row1, col1), (row2, col2) = _cell_ref(match[1].decode()), _cell_ref(match[2].decode())
                        ranges.append((min(row1, row2), min(col1, col2), max(row1, row2), max(col1, col2)))
                        last = match.end()
                        if len(ranges) > MAX_MERGES:
                            raise FileProblem(_("has more than {count:,} merged ranges in one sheet")
                                              .format(count=MAX_MERGES))
                    tail = text[max(last, len(text) - 200):]
        except (zipfile.BadZipFile, EOFError, OSError, KeyError) as error:
            raise FileProblem(_("is not a readable XLSX workbook: its part {part} cannot be unpacked ({reason})")
                              .format(part=part, reason=str(error)[:80])) from None
        return sorted(ranges)

    def rows(self, part: str) -> Iterator[tuple[int, dict[int, Any]]]:
        """(row number, {column number: value}) of every row with a value, merged values filled in."""
        sheet = _SheetParser(self)
        merges = self.merged_ranges(part)
        shared, dates = self.shared, self.date_styles  # read before the sheet: a sheet refers to them
        sheet.shared, sheet.dates = shared, dates
        filler = _MergeFiller(merges)
        for _piece in self.parse(part, sheet.start, sheet.end, sheet.data):
            done, sheet.done = sheet.done, []
            for number, cells in done:
                yield number, filler(number, cells)

    def declared_rows(self, part: str) -> int | None:
        """The number of rows the sheet says it has (for progress only: never trusted)."""
        found = []
        try:
            with self.zip.open(part) as stream:
                head = stream.read(_PIECE)
        except (zipfile.BadZipFile, EOFError, OSError, KeyError):
            return None
        match = re.search(rb"<(?:\w+:)?dimension\b[^>]*?\bref\s*=\s*[\"']([A-Z0-9:]+)[\"']", head)
        if match:
            found = re.findall(rb"[A-Z]+([0-9]+)", match[1])
        rows = max((int(number) for number in found), default=0)
        if rows > MAX_ROWS:
            raise FileProblem(_("declares {rows:,} rows, more than a spreadsheet can hold").format(rows=rows))
        return rows or None


def _refuse_doctype(*_args) -> None:
    raise FileProblem(_("is not a workbook wksbm reads: it declares XML entities (<!DOCTYPE …>), which no office "
                        "program writes"))


def _local(name: str) -> str:
    return name.rpartition(":")[2]


class SharedStrings:
    """The workbook's shared strings, packed: joined in blocks of 1,024 with their offsets."""

    _BLOCK = 1024

    def __init__(self):
        self.blocks: list[str] = []
        self.offsets: list[array] = []
        self.long: dict[int, TooLong] = {}
        self.count = self.chars = 0
        self._pending: list[str] = []

    def __getitem__(self, index: int):
        if index in self.long:
            return self.long[index]
        block, at = divmod(index, self._BLOCK)
        offsets = self.offsets[block]
        return self.blocks[block][offsets[at] : offsets[at + 1]]

    def __len__(self) -> int:
        return self.count

    def _add(self, text: str | TooLong) -> None:
        if isinstance(text, TooLong):
            self.long[self.count] = text
            text = ""
        self.chars += len(text)
        if self.chars > MAX_SHARED_CHARS:
            raise FileProblem(_("has more than {count:,} characters of text: too big for wksbm to read")
                              .format(count=MAX_SHARED_CHARS))
        self._pending.append(text)
        self.count += 1
        if len(self._pending) == self._BLOCK:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            offsets = array("q", [0])
            for text in self._pending:
                offsets.append(offsets[-1] + len(text))
            self.blocks.append("".join(self._pending))
            self.offsets.append(offsets)
            self._pending = []

    def read(self, book: Book) -> None:
        """Read xl/sharedStrings.xml: each <si>'s text (<t> and rich-text runs, not phonetic hints)."""
        state = {"in_t": False, "skip": 0, "parts": [], "length": 0}

        def start(name, _attrs):
            local = _local(name)
            if local == "si":
                state["parts"], state["length"] = [], 0
            elif local == "t" and not state["skip"]:
                state["in_t"] = True
            elif local in ("rPh", "phoneticPr"):
                state["skip"] += 1

        def end(name):
            local = _local(name)
            if local == "t":
                state["in_t"] = False
            elif local in ("rPh", "phoneticPr"):
                state["skip"] -= 1
            elif local == "si":
                length = state["length"]
                self._add(TooLong(length) if length > MAX_CELL else "".join(state["parts"]))

        def data(text):
            if state["in_t"]:
                state["length"] += len(text)
                if state["length"] <= MAX_CELL:
                    state["parts"].append(text)

        book.read("xl/sharedStrings.xml", start, end, data)
        self._flush()


def _date_styles(book: Book) -> set[int]:
    from openpyxl.styles.numbers import is_date_format

    formats: dict[int, bool] = {}
    styles: list[int] = []
    depth = {"cellXfs": False}

    def start(name, attrs):
        local = _local(name)
        if local == "numFmt":
            try:
                formats[int(attrs.get("numFmtId", "-1"))] = is_date_format(attrs.get("formatCode", "")[:200])
            except ValueError:
                pass
        elif local == "cellXfs":
            depth["cellXfs"] = True
        elif local == "xf" and depth["cellXfs"]:
            if len(styles) > 1_000_000:
                raise FileProblem(_("has more than a million cell styles: not a workbook an office program writes"))
            try:
                styles.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                styles.append(0)

    def end(name):
        if _local(name) == "cellXfs":
            depth["cellXfs"] = False

    book.read("xl/styles.xml", start, end)
    return {index for index, number in enumerate(styles) if formats.get(number, number in _DATE_FORMAT_IDS)}


class _SheetParser:
    """expat handlers collecting a sheet's rows: `done` holds the rows finished in the last piece."""

    def __init__(self, book: Book):
        self.book = book
        self.done: list[tuple[int, list]] = []
        self.row_number = 0
        self.cells: dict[int, Any] = {}
        self.row_size = 0
        self.column = 0
        self.type = self.style = None
        self.text: list[str] | None = None
        self.collecting = False
        self.phonetic = 0
        self.length = 0
        self.shared: SharedStrings | None = None
        self.dates: set[int] = set()

    def start(self, name, attrs):
        local = _local(name)
        if local == "c":
            ref = attrs.get("r")
            if ref:
                _row, self.column = _cell_ref(ref)
            else:
                self.column += 1
            if self.column > MAX_COLUMNS:
                raise FileProblem(_("has a cell beyond column XFD: not a workbook an office program writes"))
            self.type, self.style = attrs.get("t", "n"), attrs.get("s")
            self.text, self.length = None, 0
        elif local in ("v", "t") and not self.phonetic:
            self.collecting = True
            if self.text is None:
                self.text = []
        elif local == "row":
            number = attrs.get("r")
            self.row_number = int(number) if number and number.isdigit() else self.row_number + 1
            if self.row_number > MAX_ROWS:
                raise FileProblem(_("has a row beyond row {rows:,}: not a workbook an office program writes")
                                  .format(rows=MAX_ROWS))
            self.cells, self.row_size, self.column = {}, 0, 0
        elif local == "rPh":
            self.phonetic += 1

    def data(self, text):
        if self.collecting:
            self.length += len(text)
            if self.length <= MAX_CELL:
                self.text.append(text)

    def end(self, name):
        local = _local(name)
        if local in ("v", "t"):
            self.collecting = False
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "c":
            value = self._value()
            if value is not None:
                self.cells[self.column] = value
                self.row_size += value.length if isinstance(value, TooLong) else len(str(value))
                if self.row_size > MAX_LINE:
                    raise FileProblem(_("row {row} holds more than {size:,} characters").format(
                        row=self.row_number, size=MAX_LINE), self.row_number)
            self.text = None
        elif local == "row":
            if self.cells:
                self.done.append((self.row_number, self.cells))
            self.cells = {}

    def _value(self) -> Any:
        if self.text is None:
            return None
        if self.length > MAX_CELL:
            return TooLong(self.length)
        text = "".join(self.text)
        kind = self.type
        if kind in ("inlineStr", "str"):
            return text
        if kind == "s":
            try:
                return self.shared[int(text)]
            except (ValueError, IndexError):
                raise FileProblem(_("is not a readable XLSX workbook: a cell refers to a shared string that does not "
                                    "exist"), self.row_number) from None
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "e":
            return text  # #N/A, #DIV/0! …: shown as the spreadsheet shows it, and refused where it matters
        if not text.strip():
            return None
        return self._number(text.strip())

    def _number(self, text: str) -> Any:
        try:
            number = float(text) if any(ch in text for ch in ".eE") else int(text)
        except ValueError:
            raise FileProblem(_("is not a readable XLSX workbook: a number cell holds '{text}'")
                              .format(text=text[:20]), self.row_number) from None
        if self.style is not None and self.style.isdigit() and int(self.style) in self.dates:
            from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

            try:
                return from_excel(number, CALENDAR_MAC_1904 if self.book.date1904 else CALENDAR_WINDOWS_1900)
            except (ValueError, OverflowError, TypeError):
                return number
        return number


class _MergeFiller:
    """Gives every cell of a merged range the value of its top-left cell, row by row."""

    def __init__(self, ranges: list[tuple[int, int, int, int]]):
        self.pending = ranges  # sorted by first row
        self.next = 0
        self.active: list[tuple] = []  # (first_row, first_col, last_row, last_col, value)

    def __call__(self, number: int, cells: dict[int, Any]) -> dict[int, Any]:
        pending = self.pending
        while self.next < len(pending) and pending[self.next][0] <= number:
            first_row, first_col, last_row, last_col = pending[self.next]
            self.next += 1
            if last_row >= number:
                value = cells.get(first_col) if first_row == number else None
                self.active.append((first_row, first_col, last_row, last_col, value))
        if not self.active:
            return cells
        self.active = [merge for merge in self.active if merge[2] >= number]
        for _first_row, first_col, _last_row, last_col, value in self.active:
            if value is not None:
                for col in range(first_col, last_col + 1):
                    cells[col] = value
        return cells

"""Opening a file (or stdin) for import: CSV here, JSON and XLSX in their own modules.

See wksbm_cli.importing.table for what a reader yields.
"""

import codecs
import csv
import io
import sys
from collections.abc import Iterator
from itertools import chain
from typing import Any

from wksbm_cli.i18n import N_, _
from wksbm_cli.importing.json_rows import json_array, mapped_objects, ndjson
from wksbm_cli.importing.sources import Source
from wksbm_cli.importing.table import (MAX_CELL, MAX_LINE, SAMPLE, FileProblem, Options, Table, cells_problem, header_fields,
                                       not_encoding)
from wksbm_cli.importing.xlsx_rows import xlsx_table

_DELIMITERS = [",", ";", "\t", "|"]
_NUL = N_("contains NUL bytes: is it really a CSV text file (not UTF-16, not a spreadsheet renamed .csv)?")
_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


def parse_delimiter(value: str | None) -> str | None:
    """A --delimiter value: one character, or tab/comma/semicolon/pipe by name."""
    if value is None:
        return None
    value = _DELIMITER_NAMES.get(value.lower(), value)
    if len(value) != 1:
        from wksbm_cli.errors import UsageError

        raise UsageError(_("--delimiter is one character (or tab), not '{value}'").format(value=value))
    return value


def open_table(source: Source, options: Options, warn=lambda text: None) -> Table:
    """Open `source` for reading; raises FileProblem if it cannot be read at all."""
    if source.format == "xlsx":
        return xlsx_table(source, options)
    if options.encoding is not None:
        check_encoding(options.encoding)
    binary = _binary(source)
    fmt = source.format
    if fmt == "stdin":
        head = binary.peek(SAMPLE).lstrip(codecs.BOM_UTF8).lstrip()
        fmt = "json" if head[:1] == b"[" else "ndjson" if head[:1] == b"{" else "csv"
    size = source.path.stat().st_size if source.path else None
    position = (lambda: size if binary.closed else binary.tell()) if source.path else (lambda: 0)
    if fmt == "csv":
        return _csv_table(source, binary, options, size, position, warn)
    text = _text(source, binary, options)
    records = json_array(text) if fmt == "json" else ndjson(text)
    table = Table(source, iter(()), size=size, position=position)
    table.records = mapped_objects(table, records)
    return table


def check_encoding(name: str) -> None:
    """Refuse an --encoding that Python does not know or that is not a text encoding (rot13, hex …)."""
    from wksbm_cli.errors import UsageError

    try:
        info = codecs.lookup(name)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise UsageError(_("--encoding: '{name}' is not a text encoding wksbm can read (try cp1252 or latin-1)")
                         .format(name=name))


# --- CSV ---------------------------------------------------------------------------------

def _csv_table(source: Source, binary, options: Options, size, position, warn) -> Table:
    sample = binary.peek(SAMPLE)[:SAMPLE]
    if not sample.strip():
        raise FileProblem(_("the file is empty"))
    if b"\x00" in sample and not (options.encoding or "").lower().replace("-", "").startswith("utf16"):
        raise FileProblem(_(_NUL), sample[: sample.index(b"\x00")].count(b"\n") + 1)
    lines = CsvText(binary, options.encoding, lambda: warn(
        _("{file}: not UTF-8 text: read as Windows-1252 (cp1252), as Excel on Windows saves it; "
          "give --encoding if it is another").format(file=source.label)))
    delimiter = options.delimiter or sniff_delimiter(lines.sample())
    csv.field_size_limit(MAX_LINE)
    table = Table(source, iter(()), size=size, position=position)
    table.records = _csv_records(table, csv.reader(lines, delimiter=delimiter), lines)
    return table


class CsvText:
    """The lines of a CSV file as text, each at most MAX_LINE long, in memory that never grows.

    Without --encoding a file is UTF-8 (with or without BOM) until a byte says otherwise; then,
    if nothing before was beyond ASCII, it is Windows-1252 (what Excel on Windows writes), with
    one warning. Bytes the encoding cannot read become U+FFFD, which the row check refuses, so
    that line (and not the whole file) is reported.
    """

    def __init__(self, binary, encoding: str | None, on_fallback):
        self.binary, self.on_fallback = binary, on_fallback
        self.explicit = encoding
        self.encoding = encoding or "utf-8"
        self.line = 0  # physical lines handed out
        self._first = True
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace") if encoding else None

    def sample(self) -> str:
        """The first SAMPLE bytes as text (for sniffing the delimiter), decoded as the file will be."""
        sample = self.binary.peek(SAMPLE)[:SAMPLE]
        if self.explicit:
            try:
                return codecs.getincrementaldecoder(self.explicit)(errors="replace").decode(sample)
            except UnicodeError as error:
                raise FileProblem(_("cannot be read as {encoding}: {reason}").format(
                    encoding=self.explicit, reason=str(error)[:80])) from None
        sample = sample.removeprefix(codecs.BOM_UTF8)
        cut = sample.rfind(b"\n") + 1 if len(sample) == SAMPLE else len(sample)
        try:
            return sample[:cut].decode("utf-8")
        except UnicodeDecodeError:
            return sample[:cut].decode("cp1252", errors="replace")

    def __iter__(self):
        # Lines are made a block (SAMPLE bytes) at a time, as lists: chain hands them out in C,
        # where a generator yielding each line would cost a resume per line.
        return chain.from_iterable(self._explicit_lines() if self.explicit else self._guessed_lines())

    def _too_long(self) -> FileProblem:
        return FileProblem(_("line {line} is longer than {size:,} characters: not a row of a table").format(
            line=self.line + 1, size=MAX_LINE), self.line + 1)

    def _explicit_lines(self):
        pending, decoder = "", self._decoder
        while True:
            chunk = self.binary.read(SAMPLE)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeError as error:
                raise FileProblem(_("cannot be read as {encoding}: {reason}").format(
                    encoding=self.explicit, reason=str(error)[:80]), self.line + 1) from None
            yield from self._split(pending + text)
            pending = self._rest
            if not chunk:
                if pending:
                    self.line += 1
                    yield [pending]
                return

    def _guessed_lines(self):
        rest = b""
        while True:
            chunk = self.binary.read(SAMPLE)
            if self._first:
                self._first = False
                if chunk.startswith(codecs.BOM_UTF8):
                    chunk = chunk[len(codecs.BOM_UTF8):]
            block = rest + chunk
            # Cut after the last newline byte: 0x0A is never inside a UTF-8 or cp1252 character.
            cut = block.rfind(b"\n") + 1 if chunk else len(block)
            if cut == 0 and len(block) > MAX_LINE * 4:
                raise self._too_long()
            whole, rest = block[:cut], block[cut:]
            if whole:
                yield from self._split(self._decode(whole))
                if self._rest:  # only at the very end: a last line without a newline
                    self.line += 1
                    yield [self._rest]
            if not chunk:
                return

    def _decode(self, data: bytes) -> str:
        if self.encoding == "utf-8":
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                self.encoding = "cp1252"
                self.on_fallback()
        # Line by line: a line that is UTF-8 (a file pasted together from two sources) stays UTF-8.
        return "\n".join(line.decode("ascii") if line.isascii() else _utf8_else_cp1252(line)
                         for line in data.split(b"\n"))

    def _split(self, text: str):
        """Yield the complete lines of `text` (with their newline) as one list; keep the rest in self._rest.

        A line over MAX_LINE is refused after the lines before it have been read.
        """
        lines = text.split("\n")
        self._rest = lines.pop()
        if max(map(len, lines), default=0) > MAX_LINE:
            lines = lines[:next(at for at, line in enumerate(lines) if len(line) > MAX_LINE)]
            self.line += len(lines)
            yield [line + "\n" for line in lines]
            raise self._too_long()
        self.line += len(lines)
        yield [line + "\n" for line in lines]
        if len(self._rest) > MAX_LINE:
            raise self._too_long()


def _utf8_else_cp1252(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("cp1252", errors="replace")  # 0x81, 0x8d, 0x8f, 0x90, 0x9d: U+FFFD, refused


def sniff_delimiter(sample: str) -> str:
    """The delimiter among , ; tab | that splits the first lines into the same number of cells."""
    lines = [line for line in sample.splitlines()[:20] if line.strip()][:10]
    if len(sample) >= SAMPLE - 4 and len(lines) > 1:
        lines = lines[:-1]  # the last line of a cut sample may be incomplete
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter) if row]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        score = (sum(count == counts[0] for count in counts), counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_records(table: Table, reader, lines: CsvText) -> Iterator[tuple[int, Any]]:
    kind = table.source.kind
    line = rows = 0
    try:
        fields = None
        for line, cells in enumerate(reader, start=1):
            joined = "".join(cells)  # one C call per row for the checks below
            if not joined.strip():  # a blank row
                continue
            if len(joined) <= MAX_CELL and joined.isascii():  # cells_problem's common case, without a call
                problem = None
            else:
                problem = cells_problem(cells, joined, lines.encoding if lines.encoding != "utf-8" else None)
            if fields is None:
                if problem:
                    raise FileProblem(problem, line)
                fields = table.fields = header_fields(table, kind, cells, line)
                width = len(fields)
                continue
            if len(cells) != width:
                if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
                    cells = cells[:width]  # trailing empty cells, as spreadsheets often save
                else:
                    rows += 1
                    yield line, _("the row has {cells} cells but the header has {width}").format(
                        cells=len(cells), width=width)
                    continue
            rows += 1
            yield line, problem or cells
    except csv.Error as error:
        if "NUL" in str(error):
            raise FileProblem(_(_NUL), line + 1) from None
        raise FileProblem(_("cannot be read as CSV: {reason}").format(reason=error), line + 1) from None
    except UnicodeDecodeError as error:
        raise FileProblem(not_encoding(error, table), line + 1) from None
    if fields is None:
        raise FileProblem(_("the file is empty"))
    if rows == 0:
        raise FileProblem(_("the file has a header row but no data rows"))


# --- bytes and text --------------------------------------------------------------------------

def _binary(source: Source):
    if source.path is not None:
        try:
            return open(source.path, "rb", buffering=SAMPLE)
        except OSError as error:
            raise FileProblem(_("cannot be opened: {reason}").format(reason=error.strerror)) from None
    stream = sys.stdin.buffer
    return stream if hasattr(stream, "peek") else io.BufferedReader(stream, SAMPLE)


def _text(source: Source, binary, options: Options, encoding: str | None = None):
    if encoding is None:
        head = binary.peek(3)[:3]
        encoding = options.encoding or ("utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8")
    check_encoding(encoding)
    return io.TextIOWrapper(binary, encoding=encoding, newline="")

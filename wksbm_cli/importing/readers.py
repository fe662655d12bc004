"""Opening a file (or stdin) for import: CSV here, JSON and XLSX in their own modules.

See wksbm_cli.importing.table for what a reader yields.
"""

import codecs
import csv
import io
import sys
from collections.abc import Iterator
from typing import Any

from wksbm_cli.i18n import _
from wksbm_cli.importing.json_rows import json_array, mapped_objects, ndjson
from wksbm_cli.importing.sources import Source
from wksbm_cli.importing.table import SAMPLE, FileProblem, Options, Table, header_fields, not_encoding
from wksbm_cli.importing.xlsx_rows import xlsx_table

_DELIMITERS = [",", ";", "\t", "|"]
_NUL = "contains NUL bytes: is it really a CSV text file (not UTF-16, not a spreadsheet renamed .csv)?"
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


def open_table(source: Source, options: Options) -> Table:
    """Open `source` for reading; raises FileProblem if it cannot be read at all."""
    if source.format == "xlsx":
        return xlsx_table(source, options)
    binary = _binary(source)
    fmt = source.format
    if fmt == "stdin":
        head = binary.peek(SAMPLE).lstrip(codecs.BOM_UTF8).lstrip()
        fmt = "json" if head[:1] == b"[" else "ndjson" if head[:1] == b"{" else "csv"
    size = source.path.stat().st_size if source.path else None
    position = (lambda: size if binary.closed else binary.tell()) if source.path else (lambda: 0)
    if fmt == "csv":
        return _csv_table(source, binary, options, size, position)
    text = _text(source, binary, options)
    records = json_array(text) if fmt == "json" else ndjson(text)
    table = Table(source, iter(()), size=size, position=position)
    table.records = mapped_objects(table, records)
    return table


# --- CSV ---------------------------------------------------------------------------------

def _csv_table(source: Source, binary, options: Options, size, position) -> Table:
    sample = binary.peek(SAMPLE)[:SAMPLE]
    if not sample.strip():
        raise FileProblem("the file is empty")
    if b"\x00" in sample:
        raise FileProblem(_NUL, sample[: sample.index(b"\x00")].count(b"\n") + 1)
    encoding = options.encoding or ("utf-8-sig" if sample.startswith(codecs.BOM_UTF8) else "utf-8")
    sample_text = _decode_sample(sample, encoding, options)
    delimiter = options.delimiter or sniff_delimiter(sample_text)
    text = _text(source, binary, options, encoding)
    reader = csv.reader(text, delimiter=delimiter)
    table = Table(source, iter(()), size=size, position=position)
    table.records = _csv_records(table, reader)
    return table


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


def _csv_records(table: Table, reader) -> Iterator[tuple[int, Any]]:
    kind = table.source.kind
    line = rows = 0
    try:
        fields = None
        for line, cells in enumerate(reader, start=1):
            if not "".join(cells).strip():  # a blank row (one C call: this runs per row)
                continue
            if fields is None:
                fields = header_fields(table, kind, cells, line)
                width = len(fields)
                continue
            if len(cells) != width:
                if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
                    cells = cells[:width]  # trailing empty cells, as spreadsheets often save
                else:
                    rows += 1
                    yield line, f"the row has {len(cells)} cells but the header has {width}"
                    continue
            rows += 1
            yield line, dict(zip(fields, cells))
    except csv.Error as error:
        if "NUL" in str(error):
            raise FileProblem(_NUL, line + 1) from None
        raise FileProblem(f"cannot be read as CSV: {error}", line + 1) from None
    except UnicodeDecodeError as error:
        raise FileProblem(not_encoding(error, table), line + 1) from None
    if fields is None:
        raise FileProblem("the file is empty")
    if rows == 0:
        raise FileProblem("the file has a header row but no data rows")


# --- bytes and text --------------------------------------------------------------------------

def _binary(source: Source):
    if source.path is not None:
        try:
            return open(source.path, "rb", buffering=SAMPLE)
        except OSError as error:
            raise FileProblem(f"cannot be opened: {error.strerror}") from None
    stream = sys.stdin.buffer
    return stream if hasattr(stream, "peek") else io.BufferedReader(stream, SAMPLE)


def _text(source: Source, binary, options: Options, encoding: str | None = None):
    if encoding is None:
        head = binary.peek(3)[:3]
        encoding = options.encoding or ("utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8")
    try:
        return io.TextIOWrapper(binary, encoding=encoding, newline="")
    except LookupError:
        from wksbm_cli.errors import UsageError

        raise UsageError(_("--encoding: unknown encoding '{encoding}' (try cp1252 or latin-1)").format(encoding=encoding)) from None


def _decode_sample(sample: bytes, encoding: str, options: Options) -> str:
    try:
        decoder = codecs.getincrementaldecoder(encoding)()
    except LookupError:
        from wksbm_cli.errors import UsageError

        raise UsageError(_("--encoding: unknown encoding '{encoding}' (try cp1252 or latin-1)").format(encoding=encoding)) from None
    try:
        return decoder.decode(sample, final=len(sample) < SAMPLE)
    except UnicodeDecodeError as error:
        line = sample[: error.start].count(b"\n") + 1
        raise FileProblem(not_encoding(error, None, options), line) from None

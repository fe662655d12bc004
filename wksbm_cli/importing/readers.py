"""Reading rows out of CSV, JSON, NDJSON and XLSX files, one at a time, with their line numbers.

A reader yields `(line, record)`: `record` is a dict of field -> cell value, or a string saying
why that row cannot be read (a ragged row). A problem with the whole file raises FileProblem.
Lines count as a spreadsheet user counts them: the header is line 1 (for JSON, the file's line).
"""

import codecs
import csv
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from wksbm_cli.importing.headers import field_for, map_headers, missing_columns
from wksbm_cli.importing.sources import Source

_SAMPLE = 1 << 16
_DELIMITERS = [",", ";", "\t", "|"]
_TOO_DEEP = "not valid JSON for wksbm: values nested too deeply"
_NUL = "contains NUL bytes: is it really a CSV text file (not UTF-16, not a spreadsheet renamed .csv)?"
_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


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

    source: Source
    records: Iterator[tuple[int, Any]]
    labels: dict[str, str] = field(default_factory=dict)  # field -> the header as written
    unknown: list[str] = field(default_factory=list)
    size: int | None = None
    position: Any = lambda: 0

    def column(self, name: str | None) -> str:
        """The header the user wrote for field `name`."""
        return self.labels.get(name, name) if name else ""


def parse_delimiter(value: str | None) -> str | None:
    """A --delimiter value: one character, or tab/comma/semicolon/pipe by name."""
    if value is None:
        return None
    value = _DELIMITER_NAMES.get(value.lower(), value)
    if len(value) != 1:
        from wksbm_cli.errors import UsageError

        raise UsageError(f"--delimiter is one character (or tab), not '{value}'")
    return value


def open_table(source: Source, options: Options) -> Table:
    """Open `source` for reading; raises FileProblem if it cannot be read at all."""
    if source.format == "xlsx":
        return _xlsx_table(source, options)
    binary = _binary(source)
    fmt = source.format
    if fmt == "stdin":
        head = binary.peek(_SAMPLE).lstrip(codecs.BOM_UTF8).lstrip()
        fmt = "json" if head[:1] == b"[" else "ndjson" if head[:1] == b"{" else "csv"
    size = source.path.stat().st_size if source.path else None
    position = (lambda: size if binary.closed else binary.tell()) if source.path else (lambda: 0)
    if fmt == "csv":
        return _csv_table(source, binary, options, size, position)
    text = _text(source, binary, options)
    records = _json_array(text) if fmt == "json" else _ndjson(text)
    table = Table(source, iter(()), size=size, position=position)
    table.records = _mapped_objects(table, records)
    return table


def sheet_names(path) -> list[str]:
    """The sheet names of an XLSX workbook."""
    workbook = _workbook(path)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


# --- CSV ---------------------------------------------------------------------------------

def _csv_table(source: Source, binary, options: Options, size, position) -> Table:
    sample = binary.peek(_SAMPLE)[:_SAMPLE]
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
    if len(sample) >= _SAMPLE - 4 and len(lines) > 1:
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
                fields = _header(table, kind, cells, line)
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
        raise FileProblem(_not_encoding(error, table), line + 1) from None
    if fields is None:
        raise FileProblem("the file is empty")
    if rows == 0:
        raise FileProblem("the file has a header row but no data rows")


def _header(table: Table, kind: str, cells: list, line: int) -> list:
    """Map a header row to fields; unknown columns are kept as keys of their own (ignored later)."""
    try:
        fields, unknown = map_headers(kind, cells)
    except Exception as error:  # two columns meaning one field
        raise FileProblem(str(error), line) from None
    missing = missing_columns(kind, fields)
    if missing:
        raise FileProblem(f"missing required column{'s' if len(missing) > 1 else ''}: {', '.join(missing)} "
                          f"(a {kind} file needs {', '.join(missing)})", line)
    table.labels = {f: str(cell).strip() for f, cell in zip(fields, cells) if f}
    table.unknown = unknown
    return [f or f"\0unknown{i}" for i, f in enumerate(fields)]


# --- JSON and NDJSON -------------------------------------------------------------------------

def _json_array(text) -> Iterator[tuple[int, Any]]:
    """The items of a JSON array, decoded one by one as the text streams in, with their lines."""
    import json

    decoder = json.JSONDecoder()
    buffer, pos, line, expect, eof = "", 0, 1, "[", False
    while True:
        while pos < len(buffer) and buffer[pos] in " \t\r\n\ufeff":
            line += buffer[pos] == "\n"
            pos += 1
        if pos >= len(buffer) or expect == "more":
            more = "" if eof else text.read(_SAMPLE)
            if not more:
                if eof or expect != "more":
                    break
                eof = True
            buffer, pos = buffer[pos:] + more, 0
            expect = "item" if expect == "more" else expect
            continue
        char = buffer[pos]
        if expect == "[":
            if char != "[":
                raise FileProblem("a .json file holds an array of objects: [{...}, {...}]", line)
            pos, expect = pos + 1, "item or ]"
        elif expect == "after item" or (char == "]" and expect == "item or ]"):
            if char == "]":
                return
            if char != ",":
                raise FileProblem(f"not valid JSON: expected ',' or ']' but found {char!r}", line)
            pos, expect = pos + 1, "item"
        else:
            try:
                value, end = decoder.raw_decode(buffer, pos)
            except RecursionError:
                raise FileProblem(_TOO_DEEP, line) from None
            except json.JSONDecodeError as error:
                if not eof:
                    expect = "more"  # the item may go on in the next piece of the file
                    continue
                raise FileProblem(f"not valid JSON: {error.msg}", line + buffer.count("\n", pos, error.pos)) from None
            yield line, value
            line += buffer.count("\n", pos, end)
            pos, expect = end, "after item"
    if expect == "[":
        raise FileProblem("the file is empty")
    raise FileProblem("not valid JSON: the array is not closed with ]", line)


def _ndjson(text) -> Iterator[tuple[int, Any]]:
    """One JSON object per line."""
    import json

    for line, text_line in enumerate(text, start=1):
        if not text_line.strip():
            continue
        try:
            yield line, json.loads(text_line)
        except RecursionError:
            raise FileProblem(_TOO_DEEP, line) from None
        except json.JSONDecodeError as error:
            raise FileProblem(f"not valid JSON: {error.msg}", line) from None


def _mapped_objects(table: Table, records) -> Iterator[tuple[int, Any]]:
    """JSON objects with their keys mapped to fields (each distinct set of keys mapped once)."""
    kind, mappings, any_rows = table.source.kind, {}, False
    try:
        for line, value in records:
            if not isinstance(value, dict):
                yield line, "not a JSON object ({...})"
                continue
            keys = tuple(value)
            if keys not in mappings:
                mappings[keys] = _object_mapping(table, kind, keys)
            fields, missing = mappings[keys]
            if missing:
                yield line, f"missing required key{'s' if len(missing) > 1 else ''}: {', '.join(missing)}"
                continue
            any_rows = True
            yield line, {f: _json_cell(v) for f, v in zip(fields, value.values()) if f}
    except UnicodeDecodeError as error:
        raise FileProblem(_not_encoding(error, table)) from None
    if not any_rows and not mappings:
        raise FileProblem("the file holds no records")


def _object_mapping(table: Table, kind: str, keys: tuple) -> tuple[list, list]:
    try:
        fields, unknown = map_headers(kind, list(keys))
    except Exception as error:
        raise FileProblem(str(error)) from None
    for key, f in zip(keys, fields):
        if f:
            table.labels.setdefault(f, key)
    table.unknown.extend(name for name in unknown if name not in table.unknown)
    return fields, missing_columns(kind, fields)


def _json_cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        import json

        try:
            return json.dumps(value, ensure_ascii=False)
        except RecursionError:
            return f"({_TOO_DEEP})"
    return value


# --- XLSX ------------------------------------------------------------------------------------

def _workbook(path):
    import zipfile

    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileProblem(f"not a readable XLSX workbook ({error})") from None


def _xlsx_table(source: Source, options: Options) -> Table:
    workbook = _workbook(source.path)
    sheet = source.sheet or options.sheet
    if sheet is not None and sheet not in workbook.sheetnames:
        names = ", ".join(workbook.sheetnames)
        workbook.close()
        raise FileProblem(f"has no sheet '{sheet}' (its sheets: {names})")
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    table = Table(source, iter(()), size=worksheet.max_row, position=lambda: 0)
    table.records = _xlsx_records(table, workbook, worksheet)
    return table


def _xlsx_records(table: Table, workbook, worksheet) -> Iterator[tuple[int, Any]]:
    kind, fields, skipped, line = table.source.kind, None, [], 0
    try:
        for line, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            table.position = lambda line=line: line
            cells = [_xlsx_cell(value) for value in values]
            if not any(cell not in (None, "") for cell in cells):
                continue
            if fields is None:
                # Office sheets often have a title above the header: take the first row that
                # names at least two known columns (within the first ten), else the first row.
                known = sum(field_for(kind, cell) is not None for cell in cells if cell is not None)
                if known < 2 and len(skipped) < 9:
                    skipped.append((line, cells))
                    continue
                fields = _header(table, kind, cells, line)
                continue
            cells = cells[: len(fields)] + [None] * (len(fields) - len(cells))
            yield line, dict(zip(fields, cells))
        if fields is None and skipped:
            first_line, first = skipped[0]
            fields = _header(table, kind, first, first_line)
            for line, cells in skipped[1:]:
                yield line, dict(zip(fields, cells + [None] * (len(fields) - len(cells))))
        if fields is None:
            raise FileProblem("the sheet is empty")
    finally:
        workbook.close()


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


# --- bytes and text --------------------------------------------------------------------------

def _binary(source: Source):
    if source.path is not None:
        try:
            return open(source.path, "rb", buffering=_SAMPLE)
        except OSError as error:
            raise FileProblem(f"cannot be opened: {error.strerror}") from None
    stream = sys.stdin.buffer
    return stream if hasattr(stream, "peek") else io.BufferedReader(stream, _SAMPLE)


def _text(source: Source, binary, options: Options, encoding: str | None = None):
    if encoding is None:
        head = binary.peek(3)[:3]
        encoding = options.encoding or ("utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8")
    try:
        return io.TextIOWrapper(binary, encoding=encoding, newline="")
    except LookupError:
        from wksbm_cli.errors import UsageError

        raise UsageError(f"--encoding: unknown encoding '{encoding}' (try cp1252 or latin-1)") from None


def _decode_sample(sample: bytes, encoding: str, options: Options) -> str:
    try:
        decoder = codecs.getincrementaldecoder(encoding)()
    except LookupError:
        from wksbm_cli.errors import UsageError

        raise UsageError(f"--encoding: unknown encoding '{encoding}' (try cp1252 or latin-1)") from None
    try:
        return decoder.decode(sample, final=len(sample) < _SAMPLE)
    except UnicodeDecodeError as error:
        line = sample[: error.start].count(b"\n") + 1
        raise FileProblem(_not_encoding(error, None, options), line) from None


def _not_encoding(error: UnicodeDecodeError, table: Table | None, options: Options | None = None) -> str:
    byte = error.object[error.start : error.start + 1].hex()
    if error.encoding.replace("-", "").lower().startswith("utf8"):
        return (f"is not UTF-8 text (byte 0x{byte} cannot be read); if it was saved by Excel on Windows, "
                "try --encoding cp1252")
    return f"cannot be read as {error.encoding} (byte 0x{byte}); try another --encoding"

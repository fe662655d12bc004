"""Reading XLSX sheets as tables: a title above the header, merged cells, number and date cells."""

from collections.abc import Iterator
from typing import Any

from wksbm_cli.i18n import _
from wksbm_cli.importing.headers import field_for
from wksbm_cli.importing.table import FileProblem, Options, Table, cells_problem, header_fields, too_long
from wksbm_cli.importing.xlsx_book import Book, TooLong


def sheet_names(path) -> list[str]:
    """The sheet names of an XLSX workbook."""
    book = Book(path)
    try:
        return list(book.sheets)
    finally:
        book.close()


def xlsx_table(source, options: Options) -> Table:
    """The rows of one sheet of `source` (its own sheet, --sheet, else the first)."""
    book = Book(source.path)
    try:
        sheet = source.sheet or options.sheet
        if sheet is not None and sheet not in book.sheets:
            raise FileProblem(_("has no sheet '{sheet}' (its sheets: {names})").format(
                sheet=sheet, names=", ".join(book.sheets)))
        part = book.sheets[sheet] if sheet else next(iter(book.sheets.values()))
        size = book.declared_rows(part)
    except FileProblem:
        book.close()
        raise
    table = Table(source, iter(()), size=size, position=lambda: 0)
    table.records = _xlsx_records(table, book, part)
    return table


def _xlsx_records(table: Table, book: Book, part: str) -> Iterator[tuple[int, Any]]:
    kind, fields, skipped, width = table.source.kind, None, [], 0
    try:
        for line, values in book.rows(part):
            table.position = lambda line=line: line
            if fields is None:
                cells = _cells(values, max(values))
                if not any(cell not in (None, "") for cell in cells):
                    continue
                long = _too_long(cells)
                if long is not None:
                    raise FileProblem(too_long(long), line)
                # Office sheets often have a title above the header: take the first row that
                # names at least two known columns (within the first ten), else the first row.
                known = sum(field_for(kind, cell) is not None for cell in cells if cell is not None)
                if known < 2 and len(skipped) < 9:
                    skipped.append((line, values))
                    continue
                fields = header_fields(table, kind, cells, line)
                width = len(fields)
                continue
            # Only the header's columns are read: a value far to the right costs nothing.
            cells = _cells(values, width)
            if not any(cell not in (None, "") for cell in cells):
                continue
            yield line, _row_problem(cells) or dict(zip(fields, cells))
        if fields is None and skipped:
            first_line, first = skipped[0]
            fields = header_fields(table, kind, _cells(first, max(first)), first_line)
            for line, values in skipped[1:]:
                cells = _cells(values, len(fields))
                yield line, _row_problem(cells) or dict(zip(fields, cells))
        if fields is None:
            raise FileProblem(_("the sheet is empty"))
    finally:
        book.close()


def _cells(values: dict[int, Any], width: int) -> list:
    """The first `width` cells of a row, text stripped, whole numbers as int."""
    get = values.get
    return [value.strip() if isinstance(value := get(col), str) else _number(value) for col in range(1, width + 1)]


def _too_long(cells: list) -> int | None:
    return next((cell.length for cell in cells if isinstance(cell, TooLong)), None)


def _row_problem(cells: list) -> str | None:
    long = _too_long(cells)
    return too_long(long) if long is not None else cells_problem(cells)


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        return int(value)
    return value

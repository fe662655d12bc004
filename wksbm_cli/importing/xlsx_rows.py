"""Reading XLSX workbooks (openpyxl in read-only mode, imported only when a workbook is read)."""

from collections.abc import Iterator
from typing import Any

from wksbm_cli.importing.headers import field_for
from wksbm_cli.importing.sources import Source
from wksbm_cli.importing.table import FileProblem, Options, Table, header_fields


def sheet_names(path) -> list[str]:
    """The sheet names of an XLSX workbook."""
    workbook = _workbook(path)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _workbook(path):
    import zipfile

    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileProblem(f"not a readable XLSX workbook ({error})") from None


def xlsx_table(source: Source, options: Options) -> Table:
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
                fields = header_fields(table, kind, cells, line)
                continue
            cells = cells[: len(fields)] + [None] * (len(fields) - len(cells))
            yield line, dict(zip(fields, cells))
        if fields is None and skipped:
            first_line, first = skipped[0]
            fields = header_fields(table, kind, first, first_line)
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

"""One place for output: the shared --format option and the renderer every listing uses."""

import os
import sys
from enum import Enum
from typing import Annotated, Any

import typer

from wksbm_cli.i18n import _, column_header, shown_cell
from wksbm_cli.printable import printable


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help=_("Output as a table, JSON or CSV."), case_sensitive=False)
]


def render(
    rows: list[dict[str, Any]],
    format_: Format,
    columns: list[str] | None = None,
    title: str | None = None,
) -> None:
    """Print `rows` to stdout as a Rich table, a JSON array of objects, or CSV with a header."""
    columns = columns or (list(rows[0]) if rows else [])
    if format_ is Format.json:
        print_json([{column: row.get(column) for column in columns} for row in rows])
    elif format_ is Format.csv:
        sys.stdout.write(to_csv(rows, columns))
    else:
        print_table(rows, columns, title)


def print_json(value: Any) -> None:
    """One JSON document on stdout (for `show` commands: an object, not an array)."""
    import json

    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def to_csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """CSV text with a header row; None becomes an empty cell."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return buffer.getvalue()


def print_table(rows: list[dict[str, Any]], columns: list[str], title: str | None = None) -> None:
    """A Rich table on stdout; headers are the column names with spaces."""
    from rich.table import Table
    from rich.text import Text

    console = stdout()
    # Piped or redirected: the table keeps its natural width instead of being cut at 80.
    natural_width = not console.is_terminal and "COLUMNS" not in os.environ
    if natural_width:
        console.width = 10_000
    table = Table(title=printable(title) if title else None, title_justify="left")
    for column in columns:
        # Codes, refs and dates never wrap; other cells fold rather than lose text to an ellipsis.
        keep_whole = natural_width or column in ("code", "ref", "nik") or column.endswith(("_on", "_code"))
        header = column_header(column)
        # A narrow terminal squeezes the wrapping columns, but never below their header's longest word.
        table.add_column(header, no_wrap=keep_whole, overflow="fold", min_width=min(8, max(map(len, header.split()))))
    for row in rows:
        # Text, not str: stored values are shown as typed, never read as Rich markup or :emoji: codes.
        # printable: control characters escaped, NIK-like runs masked (the nik column is masked by its service).
        table.add_row(*(Text(printable(shown_cell(c, row.get(c)), mask_niks=c != "nik")) for c in columns))
    console.print(table)


def print_fields(fields: dict[str, Any], title: str | None = None) -> None:
    """A record shown as `field  value` lines (for `show` commands)."""
    from rich.table import Table
    from rich.text import Text

    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for name, value in fields.items():
        table.add_row(column_header(name), Text(printable(shown_cell(name, value), mask_niks=name != "nik")))
    console = stdout()
    if title:
        console.print(Text(printable(title), style="bold underline"))
    console.print(table)


def stdout():
    """A Rich console on the current stdout (tests swap stdout, so never cache it)."""
    from rich.console import Console

    return Console(file=sys.stdout, highlight=False)


def message(text: str) -> None:
    """A note for the user on stderr (never mixed into data on stdout)."""
    from rich.console import Console

    Console(file=sys.stderr, highlight=False, soft_wrap=True).print(printable(text), markup=False, emoji=False)

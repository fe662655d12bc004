"""One place for output: the shared --format option and the renderer every listing uses."""

import itertools
import os
import sys
from enum import Enum
from collections.abc import Callable, Iterable
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


# A table shows a first page; JSON and CSV every row (SPEC section 8).
TABLE_PAGE = 50
_MOST = 1_000_000_000

LimitOption = Annotated[int | None, typer.Option("--limit", min=1, help=_("Show at most N rows (a table shows 50 unless --all)."), show_default=False)]
AllOption = Annotated[bool, typer.Option("--all", help=_("Show every row in the table."))]


def page_size(limit: int | None, all_: bool, format_: "Format") -> int | None:
    """How many rows a listing fetches: `--limit`, else 50 for a table, None (every row) with --all or JSON/CSV."""
    from wksbm_cli.errors import UsageError

    if limit is not None and limit > _MOST:
        raise UsageError(_("--limit is at most {most:,}; use --all for every row.").format(most=_MOST))
    if limit is not None and all_:
        raise UsageError(_("give --limit or --all, not both."))
    if limit is not None or all_ or format_ is not Format.table:
        return limit
    return TABLE_PAGE


def render(
    rows: Iterable[dict[str, Any]],
    format_: Format,
    columns: list[str] | None = None,
    title: str | None = None,
    empty: str | None = None,
) -> None:
    """Print `rows` to stdout as a Rich table, a JSON array of objects, or CSV with a header.

    JSON and CSV go through the one writer of each format (formats.py), streamed. A table with
    no rows is a message on stderr (`empty`), never an empty box.
    """
    from wksbm_cli import formats

    if format_ is not Format.table:
        rows = iter(rows)
        first = next(rows, None)
        columns = columns or (list(first) if first else [])
        rows = itertools.chain([first], rows) if first is not None else ()
        writer = formats.write_json if format_ is Format.json else formats.write_csv
        writer(rows, columns, sys.stdout)
        return
    rows = list(rows)
    if not rows:
        message(empty or (_("{title}: none.").format(title=title) if title else _("Nothing to show.")))
        return
    print_table(rows, columns or list(rows[0]), title)


def render_page(
    rows: Iterable[dict[str, Any]],
    format_: Format,
    columns: list[str],
    size: int | None,
    count: Callable[[], int],
    note: Callable[[int], str],
    empty: str | None = None,
) -> None:
    """A long listing (SPEC section 8): JSON/CSV stream every row; a table shows the page of `size` rows
    it was given and, when `count()` says there are more, `note(total)` ("{shown:,} of {total:,} …") on stderr."""
    if format_ is not Format.table:
        render(rows, format_, columns)  # streamed: every row, one in memory at a time
        return
    rows = list(rows)
    render(rows, format_, columns, empty=empty)
    if size is not None and len(rows) == size:
        total = count()
        if total > size:
            message(note(total).format(shown=size, total=total))


def print_json(value: Any) -> None:
    """One JSON document on stdout (for `show` commands: an object, not an array)."""
    import json

    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


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

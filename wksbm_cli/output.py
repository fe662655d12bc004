"""One place for output: the shared --format option and the renderer every listing uses."""

import itertools
import os
import sys
from enum import Enum
from collections.abc import Callable, Iterable
from typing import Annotated, Any

import typer

from wksbm_cli.i18n import _, column_header, shown_cell
from wksbm_cli.printable import data_stream, printable


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
    second: tuple[str, ...] = (),
) -> None:
    """Print `rows` to stdout as a Rich table, a JSON array of objects, or CSV with a header.

    JSON and CSV go through the one writer of each format (formats.py), streamed. A table with
    no rows is a message on stderr (`empty`), never an empty box. `second`: the columns a narrow
    terminal shows on each row's second line first (print_table).
    """
    from wksbm_cli import formats

    if format_ is not Format.table:
        rows = iter(rows)
        first = next(rows, None)
        columns = columns or (list(first) if first else [])
        rows = itertools.chain([first], rows) if first is not None else ()
        if format_ is Format.json:
            formats.write_json(rows, columns, sys.stdout)
        else:
            formats.write_csv(rows, columns, data_stream(sys.stdout))
        return
    rows = list(rows)
    if not rows:
        message(empty or (_("{title}: none.").format(title=title) if title else _("Nothing to show.")))
        return
    print_table(rows, columns or list(rows[0]), title, second)


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


# Cells that are one thing (codes, refs, dates, numbers, statuses, categories, stage words): never wrapped.
_WHOLE = {"code", "ref", "nik", "id", "at", "status", "old_status", "new_status", "stage", "category", "kind", "type",
          "action", "table", "level", "key", "gender", "birth_year", "renamed_to", "match"}


def print_table(
    rows: list[dict[str, Any]], columns: list[str], title: str | None = None, second: tuple[str, ...] = (),
) -> None:
    """A Rich table on stdout; headers are the column names with spaces.

    On a terminal too narrow for it, a compact layout (layout.py): the columns that fit on a row's first line,
    the others on an indented second line (first the `second` columns, in that order, until the rest fits).
    """
    from rich.table import Table
    from rich.text import Text

    console = stdout()
    # Piped or redirected: the table keeps its natural width instead of being cut at 80.
    natural_width = not console.is_terminal and "COLUMNS" not in os.environ
    if natural_width:
        console.width = 10_000
    # Text, not str: stored values are shown as typed, never read as Rich markup or :emoji: codes.
    # printable: control characters escaped, NIK-like runs masked (the nik column is masked by its service).
    cells = [[Text(printable(shown_cell(c, row.get(c)), mask_niks=c != "nik")) for c in columns] for row in rows]
    headers = [column_header(column) for column in columns]
    widest = [max([len(header), *(row[n].cell_len for row in cells)]) for n, header in enumerate(headers)]
    if sum(widest) + 3 * len(columns) + 1 <= console.width:  # the boxed table, one line a row: each cell padded, │ apart
        table = Table(title=printable(title) if title else None, title_justify="left")
        for header in headers:
            table.add_column(header, no_wrap=True)
        for row in cells:
            table.add_row(*row)
        console.print(table)
        return
    from wksbm_cli.layout import Column, compact_lines

    whole = [_is_whole(column, [row.get(column) for row in rows]) for column in columns]
    layout = [Column(header, whole=keep, second=second.index(column) + 1 if column in second else 0)
              for column, header, keep in zip(columns, headers, whole)]
    lines = compact_lines(layout, cells, console.width, title=printable(title) if title else None)
    console.print(Text("\n").join(lines), no_wrap=True, overflow="ignore", crop=False, soft_wrap=True)


def _is_whole(column: str, values: list[Any]) -> bool:
    """A column whose cells never wrap: a code, ref, date, number or status (by its name or its values)."""
    if column in _WHOLE or column.endswith(("_on", "_code", "_id")):
        return True
    return all(value is None or isinstance(value, (int, float)) for value in values)


def print_fields(fields: dict[str, Any], title: str | None = None) -> None:
    """A record shown as `field  value` lines (for `show` commands)."""
    from rich.table import Table
    from rich.text import Text

    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    # A value wraps at spaces; only a word longer than the line (a path, a uid) is folded, never cut short.
    table.add_column(overflow="fold")
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
    say(printable(text))


def say(text: str) -> None:
    """Safe text on stderr: each line whole for a script; on a terminal, broken at spaces to fit its width.

    Left to the terminal, a line longer than the screen breaks in the middle of a word
    (`'Randujala` / `k'`); a script reading stderr still gets one line per message.
    """
    if sys.stderr.isatty():
        import shutil
        import textwrap

        width = shutil.get_terminal_size().columns
        text = "\n".join(
            textwrap.fill(line, width, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False)
            if len(line) > width else line
            for line in text.split("\n")
        )
    sys.stderr.write(text + "\n")

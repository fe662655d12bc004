"""`wksbm import` and `wksbm export`: spreadsheets in, safe files out."""

import contextlib
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from wksbm_cli.context import connection, session
from wksbm_cli.i18n import _, ngettext
from wksbm_cli.output import Format, FormatOption, message, render
from wksbm_cli.printable import data_stream

IMPORT_COLUMNS = ["kind", "files", "rows", "inserted", "updated", "unchanged"]


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


def import_(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help=_("CSV, JSON, NDJSON or XLSX files, folders of them, or - for stdin."), show_default=False)],
    kind: Annotated[str | None, typer.Option("--kind", "-k", help=_("What the files hold: villages, institutions, activities or cases (default: from each file's name)."))] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("Check everything and say what would change; write nothing."))] = False,
    delimiter: Annotated[str | None, typer.Option("--delimiter", help=_("CSV delimiter (default: sniffed among , ; tab |)."))] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help=_("Text encoding of CSV files (default UTF-8), e.g. cp1252."))] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help=_("The XLSX sheet to read (default: the first)."))] = None,
    format_: FormatOption = Format.table,
) -> None:
    """Import villages, institutions, activities and cases; all files in one transaction.

    `wksbm import undo ID` takes import ID back (`wksbm log --imports` lists them) if nothing changed its records since.

    Example: wksbm import desa.csv lembaga.xlsx kasus_2021.csv --dry-run
    """
    if paths and paths[0] == "undo":
        _undo(ctx, paths[1:])
        return
    from wksbm_cli.importing.readers import parse_delimiter
    from wksbm_cli.importing.table import Options
    from wksbm_cli.importing.run import import_files
    from wksbm_cli.importing.sources import parse_kind

    options = Options(delimiter=parse_delimiter(delimiter), encoding=encoding, sheet=sheet)
    with _progress() as progress:
        result = import_files(
            connection(ctx, create=not dry_run, scratch=dry_run), paths, kind=parse_kind(kind) if kind else None, options=options,
            dry_run=dry_run, warn=lambda text: message(_("Warning: {warning}").format(warning=text)), progress=progress,
        )
    title = _("Dry run: what the import would do") if dry_run else _("Imported")
    rows = result.rows()
    if format_ is Format.table:  # each kind as people say it (desa, kasus…); JSON and CSV keep `villages`, `cases`
        from wksbm_cli.i18n import record_kind

        rows = [{**row, "kind": record_kind(row["kind"], many=True)} for row in rows]
    render(rows, format_, IMPORT_COLUMNS, title=title)
    if dry_run:
        message(_("Dry run: nothing was written."))
    else:
        message(ngettext("Imported {count} file in one transaction.", "Imported {count} files in one transaction.",
                         len(result.files)).format(count=len(result.files)))
        message(_("This was import {id}: `wksbm import undo {id}` takes it back.").format(id=result.import_id))


def _undo(ctx: typer.Context, arguments: list[str]) -> None:
    """`wksbm import undo ID`: remove what import ID inserted, in one transaction."""
    from wksbm_cli.context import writing
    from wksbm_cli.errors import UsageError
    from wksbm_cli.services import imports

    if len(arguments) != 1 or not arguments[0].isdigit():
        raise UsageError(_("give the import to undo by its number: wksbm import undo ID (see `wksbm log --imports`)"))
    with writing(ctx) as conn:
        result = imports.undo_import(conn, int(arguments[0]))
    message(imports.undo_message(result))


def export(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=_("villages, institutions, activities or cases."), show_default=False)],
    format_: Annotated[ExportFormat | None, typer.Option("--format", "-f", help=_("csv, json or xlsx (default: from -o's extension, else csv)."), case_sensitive=False)] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_("File to write (default: stdout; needed for xlsx)."), show_default=False)] = None,
    redact: Annotated[bool, typer.Option("--redact", help=_("Leave out people's names and NIKs."))] = False,
    show_pii: Annotated[bool, typer.Option("--show-pii", help=_("Write NIKs in full (personal data: take care)."))] = False,
    force: Annotated[bool, typer.Option("--force", help=_("Replace the -o file if it exists."))] = False,
) -> None:
    """Export every record of one kind as CSV, JSON or XLSX that `wksbm import` reads back.

    Example: wksbm export cases --format xlsx -o kasus.xlsx --redact
    """
    from wksbm_cli.errors import UsageError
    from wksbm_cli.importing.sources import parse_kind
    from wksbm_cli.files import checked_target, write_privately
    from wksbm_cli.services import export as exporting

    kind = parse_kind(kind, "KIND")
    fmt = format_.value if format_ else _format_of(output)
    if fmt == "xlsx" and output is None:
        raise UsageError(_("--format xlsx writes a file: give -o FILE.xlsx"))
    database = session(ctx).db_path
    if output is not None:
        checked_target(output, force=force, database=database)  # refused before reading anything
    columns = exporting.export_columns(kind, redact)
    rows = exporting.export_rows(connection(ctx), kind, show_pii=show_pii and not redact, redact=redact)
    if output is None:
        if fmt == "json":
            exporting.write_json(rows, columns, sys.stdout)
        else:
            exporting.write_csv(rows, columns, data_stream(sys.stdout))
        return
    if fmt == "xlsx":
        count = write_privately(output, lambda path: exporting.write_xlsx(rows, columns, path, kind),
                                force=force, database=database)
    else:
        writer = exporting.write_json if fmt == "json" else exporting.write_csv

        def write(path: Path) -> int:
            with open(path, "w", encoding="utf-8", newline="") as stream:
                return writer(rows, columns, stream)

        count = write_privately(output, write, force=force, database=database)
    wrote = {
        "villages": ngettext("Wrote {count} village to {path}.", "Wrote {count} villages to {path}.", count),
        "institutions": ngettext("Wrote {count} institution to {path}.", "Wrote {count} institutions to {path}.", count),
        "activities": ngettext("Wrote {count} activity to {path}.", "Wrote {count} activities to {path}.", count),
        "cases": ngettext("Wrote {count} case to {path}.", "Wrote {count} cases to {path}.", count),
    }[kind]
    message(wrote.format(count=count, path=output))


def _format_of(output: Path | None) -> str:
    suffix = output.suffix.lower() if output else ""
    return {".json": "json", ".xlsx": "xlsx"}.get(suffix, "csv")


@contextlib.contextmanager
def _progress():
    """A progress callback: a Rich bar on stderr when it is a terminal, else nothing at all."""
    if not sys.stderr.isatty():
        yield lambda label, done, total: None
        return
    from rich.console import Console
    from rich.progress import Progress

    tasks: dict[str, int] = {}
    with Progress(console=Console(file=sys.stderr), transient=True) as bar:

        def update(label: str, done: int | None, total: int | None) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total)
            bar.update(tasks[label], completed=done or 0)

        yield update

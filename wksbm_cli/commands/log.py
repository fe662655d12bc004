"""`wksbm log`: the audit trail of every change, oldest first."""

import itertools
import sys
from typing import Annotated

import typer

from wksbm_cli.context import connection
from wksbm_cli.i18n import _
from wksbm_cli.output import Format, FormatOption, message, render


def log(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help=_("Only changes on or after this date."))] = None,
    record: Annotated[str | None, typer.Option("--record", help=_("Only changes to this record: its uid, a case ref, a village code or a setting key."))] = None,
    table: Annotated[str | None, typer.Option("--table", help=_("Only changes to this table (villages, cases, settings…)."))] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help=_("Only the newest N changes."))] = None,
    imports_: Annotated[bool, typer.Option("--imports", help=_("List the imports instead: when, who, files, counts, whether undone."))] = False,
    format_: FormatOption = Format.table,
) -> None:
    """Show who changed what and when (NIKs appear masked); the log itself can never be changed.

    Example: wksbm log --since 01/03/2021 --format json
    """
    import csv
    import json

    from wksbm_cli.services import audit

    if imports_:
        _imports(ctx, format_)
        return
    entries = audit.audit_entries(connection(ctx), since=since, record=record, table=table, limit=limit)
    first = next(entries, None)
    if first is None:
        message("No changes recorded" + (" that match." if since or record or table else " yet."))
        return
    entries = itertools.chain([first], entries)
    if format_ is Format.table:
        render([audit.table_row(entry) for entry in entries], format_, audit.TABLE_COLUMNS)
    elif format_ is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")  # streamed: a log can be long
        writer.writerow(audit.COLUMNS)
        for entry in entries:
            as_json = {key: json.dumps(entry[key], ensure_ascii=False) if entry[key] else None for key in ("before", "after")}
            writer.writerow(["" if value is None else value for value in {**entry, **as_json}.values()])
    else:
        # A JSON array with one entry per line, streamed.
        for number, entry in enumerate(entries):
            sys.stdout.write(("[\n" if number == 0 else ",\n") + json.dumps(entry, ensure_ascii=False))
        sys.stdout.write("\n]\n")


def _imports(ctx: typer.Context, format_: Format) -> None:
    """`wksbm log --imports`: one row per import (h3's; kept apart from the log's own display)."""
    from wksbm_cli.services import imports

    rows = imports.imports_list(connection(ctx))
    if not rows:
        message(_("No imports recorded yet."))
        return
    if format_ is Format.json:
        render(rows, format_, list(rows[0]))
        return
    shown = (lambda stamp: (stamp or "")[:19].replace("T", " ")) if format_ is Format.table else (lambda stamp: stamp)
    rows = [{**row, "at": shown(row["at"]), "files": "; ".join(row["files"]), "undone": shown(row["undone"])}
            for row in rows]
    render(rows, format_, imports.LIST_COLUMNS)

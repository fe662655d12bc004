"""`wksbm log`: the audit trail of every change (a table newest first; JSON/CSV oldest first, streamed)."""

import itertools
import sys
from typing import Annotated

import typer

from wksbm_cli.context import connection
from wksbm_cli.i18n import _, ngettext
from wksbm_cli.output import AllOption, Format, FormatOption, page_size, message, render
from wksbm_cli.printable import data_stream


def log(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help=_("Only changes on or after this date."))] = None,
    record: Annotated[str | None, typer.Option("--record", help=_("Only changes to this record: its uid, a case ref, a village code or a setting key."))] = None,
    table: Annotated[str | None, typer.Option("--table", help=_("Only changes to one kind of record, named as the table names it (village, case status…) in either language, or by its table (villages, case_events…)."))] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help=_("Only the newest N changes (a table shows 50 unless --all)."), show_default=False)] = None,
    all_: AllOption = False,
    imports_: Annotated[bool, typer.Option("--imports", help=_("List the imports instead: when, who, files, counts, whether undone."))] = False,
    format_: FormatOption = Format.table,
) -> None:
    """Show who changed what and when (NIKs appear masked); the log itself can never be changed.

    Example: wksbm log --since 01/03/2021 --format json
    """
    import json

    from wksbm_cli import formats

    from wksbm_cli.services import audit

    if imports_:
        _imports(ctx, format_)
        return
    conn = connection(ctx)
    size = page_size(limit, all_, format_)
    entries = audit.audit_entries(conn, since=since, record=record, table=table, limit=size)
    first = next(entries, None)
    if first is None:
        message(_("No changes recorded that match.") if since or record or table else _("No changes recorded yet."))
        return
    entries = itertools.chain([first], entries)
    if format_ is Format.table:
        # Newest first, the records named as people know them; a bounded page (size rows at most).
        names = audit.RecordNames(conn)
        rows = [audit.table_row(entry, names) for entry in entries][::-1]
        render(rows, format_, audit.TABLE_COLUMNS, second=("changes",))  # narrow: the changes on a line of their own
        if size is not None and len(rows) == size:
            total = audit.count_entries(conn, since=since, record=record, table=table)
            if total > size:
                message(ngettext("{shown:,} of {total:,} change; --limit N or --all", "{shown:,} of {total:,} changes; --limit N or --all",
                                 total).format(shown=size, total=total))
    elif format_ is Format.csv:
        # The one CSV writer (formula rule), streamed: a log can be long.
        encoded = ({**entry, **{key: json.dumps(entry[key], ensure_ascii=False) if entry[key] else None for key in ("before", "after")}}
                   for entry in entries)
        formats.write_csv(encoded, audit.COLUMNS, data_stream(sys.stdout))
    else:
        formats.write_json(entries, None, sys.stdout)


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

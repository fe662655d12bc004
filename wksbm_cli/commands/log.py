"""`wksbm log`: the audit trail of every change, oldest first."""

from typing import Annotated

import typer

from wksbm_cli.context import connection
from wksbm_cli.output import Format, FormatOption, message, render


def log(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help="Only changes on or after this date.")] = None,
    record: Annotated[str | None, typer.Option("--record", help="Only changes to the record with this uid (a setting: its key).")] = None,
    table: Annotated[str | None, typer.Option("--table", help="Only changes to this table (villages, cases, settings…).")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the newest N changes.")] = None,
    format_: FormatOption = Format.table,
) -> None:
    """Show who changed what and when (NIKs appear masked); the log itself can never be changed.

    Example: wksbm log --since 01/03/2021 --format json
    """
    import json

    from wksbm_cli.services import audit

    entries = audit.audit_entries(connection(ctx), since=since, record=record, table=table, limit=limit)
    if not entries:
        message("No changes recorded" + (" that match." if since or record or table else " yet."))
        return
    if format_ is Format.table:
        render([{**entry, "changes": audit.changes_text(entry)} for entry in entries], format_, audit.TABLE_COLUMNS)
    elif format_ is Format.csv:
        as_text = [
            {**entry, **{key: json.dumps(entry[key], ensure_ascii=False) if entry[key] else None for key in ("before", "after")}}
            for entry in entries
        ]
        render(as_text, format_, audit.COLUMNS)
    else:
        render(entries, format_, audit.COLUMNS)


def register(app: typer.Typer) -> None:
    """Attach this command to the root app."""
    app.command("log")(log)

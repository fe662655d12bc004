"""`wksbm info`: where the database is and what it holds."""

import typer

from wksbm_cli.context import connection, session
from wksbm_cli.output import Format, FormatOption, print_fields, print_json
from wksbm_cli.services.status import database_info


def info(ctx: typer.Context, format_: FormatOption = Format.table) -> None:
    """Show where the database is, its schema version and how many records it holds.

    Example: wksbm info
    """
    details = database_info(connection(ctx), session(ctx).db_path)
    if format_ is Format.table:
        print_fields(details)
    else:
        print_json(details)


def register(app: typer.Typer) -> None:
    """Attach these commands to the root app."""
    app.command("info")(info)

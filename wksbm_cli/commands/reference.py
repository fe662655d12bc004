"""`wksbm categories` and `wksbm types`: the PMKS categories and institution types."""

from typing import Annotated

import typer

from wksbm_cli.context import connection, writing
from wksbm_cli.i18n import _
from wksbm_cli.output import Format, FormatOption, message, render

# Services are imported inside each command: only the one that runs pays for its imports.
types_app = typer.Typer(help=_("Institution types (list them, or add your own)."), invoke_without_command=True)


def categories(ctx: typer.Context, format_: FormatOption = Format.table) -> None:
    """List the 26 PMKS categories (Permensos 08/2012) with the codes cases use.

    Example: wksbm categories --format csv
    """
    from wksbm_cli.services import reference

    render(reference.list_categories(connection(ctx)), format_, reference.CATEGORY_COLUMNS)


@types_app.callback()
def types_(ctx: typer.Context, format_: FormatOption = Format.table) -> None:
    """List institution types with the codes institutions use.

    Example: wksbm types --format json
    """
    from wksbm_cli.services import reference

    if ctx.invoked_subcommand is None:
        render(reference.list_types(connection(ctx)), format_, reference.TYPE_COLUMNS)


@types_app.command("add")
def add_type(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=_("Short code, e.g. bank-sampah."), show_default=False)],
    name: Annotated[str, typer.Option("--name", help=_("Indonesian name."), show_default=False)],
    name_en: Annotated[str | None, typer.Option("--name-en", help=_("English name."))] = None,
) -> None:
    """Add an institution type.

    Example: wksbm types add bank-sampah --name "Bank Sampah" --name-en "Waste bank"
    """
    from wksbm_cli.services import reference

    with writing(ctx) as conn:
        row = reference.add_type(conn, code, name, name_en)
    message(_("Added institution type {code}.").format(code=row["code"]))

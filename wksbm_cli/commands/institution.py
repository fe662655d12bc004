"""`wksbm institution …`: the local institutions that make up a village's WKSBM network."""

from typing import Annotated

import typer

from wksbm_cli.context import complete_villages, connection, given, writing
from wksbm_cli.i18n import _, ngettext
from wksbm_cli.output import (AllOption, Format, FormatOption, LimitOption, message, page_size, print_fields, print_json,
                               render, render_page)

# Services are imported inside each command: only the one that runs pays for its imports.
app = typer.Typer(help=_("Institutions of a village's WKSBM network."), no_args_is_help=True)

NameArg = Annotated[str, typer.Argument(help=_("Institution name."), show_default=False)]
VillageOpt = Annotated[str, typer.Option("--village", "-v", help=_("Village code or name."), autocompletion=complete_villages, show_default=False)]
TypeOpt = Annotated[str | None, typer.Option("--type", help=_("Institution type code or name (see `wksbm types`)."))]
JoinedOpt = Annotated[str | None, typer.Option("--joined-on", help=_("Date it joined the WKSBM network."))]
LeaderOpt = Annotated[str | None, typer.Option("--leader", help=_("Name of its leader (ketua)."))]
MembersOpt = Annotated[str | None, typer.Option("--members", help=_("Number of members."))]
NotesOpt = Annotated[str | None, typer.Option("--notes", help=_("Free notes."))]


@app.command("add")
def add(
    ctx: typer.Context,
    name: NameArg,
    village: VillageOpt,
    type_: Annotated[str, typer.Option("--type", help=_("Institution type code or name (see `wksbm types`)."), show_default=False)],
    joined_on: JoinedOpt = None,
    leader: LeaderOpt = None,
    members: MembersOpt = None,
    notes: NotesOpt = None,
) -> None:
    """Add an institution to a village.

    Example: wksbm institution add "KUBE Sejahtera" --village Randujalak --type kube --joined-on 01/04/2020
    """
    from wksbm_cli.services import institutions

    with writing(ctx) as conn:
        row = institutions.add_institution(
            conn, village, **given(name=name, type=type_, joined_on=joined_on, leader=leader, members=members, notes=notes)
        )
    message(_("Added institution {name} to {village}.").format(name=row["name"], village=row["village"]))


@app.command("list")
def list_(
    ctx: typer.Context,
    village: Annotated[str | None, typer.Option("--village", "-v", help=_("Only this village's institutions."), autocompletion=complete_villages)] = None,
    type_: TypeOpt = None,
    format_: FormatOption = Format.table,
    limit: LimitOption = None,
    all_: AllOption = False,
) -> None:
    """List institutions by village (a table shows the first 50).

    Example: wksbm institution list --village Randujalak --format json
    """
    from wksbm_cli.services import institutions

    conn, size = connection(ctx), page_size(limit, all_, format_)
    rows = institutions.list_institutions(conn, village=village, type_=type_, limit=size)
    render_page(rows, format_, institutions.LIST_COLUMNS, size,
                lambda: institutions.count_institutions(conn, village=village, type_=type_),
                lambda total: ngettext("{shown:,} of {total:,} institution; --limit N or --all",
                                       "{shown:,} of {total:,} institutions; --limit N or --all", total))


@app.command("show")
def show(ctx: typer.Context, name: NameArg, village: VillageOpt, format_: FormatOption = Format.table) -> None:
    """Show one institution.

    Example: wksbm institution show "PKK Randujalak" --village Randujalak
    """
    from wksbm_cli.services import institutions

    row = institutions.institution_detail(connection(ctx), village, name)
    shown = {key: value for key, value in row.items() if key not in ("id", "village_id", "name_key")}
    if format_ is Format.json:
        print_json(shown)
    elif format_ is Format.csv:
        render([shown], format_)
    else:
        print_fields(shown, title=_("Institution {name}").format(name=row["name"]))


@app.command("update")
def update(
    ctx: typer.Context,
    name: NameArg,
    village: VillageOpt,
    new_name: Annotated[str | None, typer.Option("--name", help=_("New name."))] = None,
    type_: TypeOpt = None,
    joined_on: JoinedOpt = None,
    leader: LeaderOpt = None,
    members: MembersOpt = None,
    notes: NotesOpt = None,
) -> None:
    """Change an institution's fields (an empty value clears a field).

    Example: wksbm institution update "KUBE Sejahtera" --village Randujalak --members 12
    """
    from wksbm_cli.services import institutions

    with writing(ctx) as conn:
        row, changed = institutions.update_institution(
            conn, village, name,
            **given(name=new_name, type=type_, joined_on=joined_on, leader=leader, members=members, notes=notes),
        )
    text = _("Updated institution {name}.") if changed else _("Institution {name} already had these values.")
    message(text.format(name=row["name"]))


@app.command("delete")
def delete(ctx: typer.Context, name: NameArg, village: VillageOpt) -> None:
    """Delete an institution that no activity or case refers to.

    Example: wksbm institution delete "Arisan Lama" --village Randujalak
    """
    from wksbm_cli.services import institutions

    with writing(ctx) as conn:
        deleted = institutions.delete_institution(conn, village, name)
    message(_("Deleted institution {name}.").format(name=deleted))

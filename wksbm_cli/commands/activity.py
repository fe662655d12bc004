"""`wksbm activity …`: what a village's network did."""

from typing import Annotated

import typer

from wksbm_cli.context import complete_villages, connection, given, writing
from wksbm_cli.i18n import _, ngettext, shown_cell
from wksbm_cli.output import AllOption, Format, FormatOption, LimitOption, message, page_size, render_page

# Services are imported inside each command: only the one that runs pays for its imports.
app = typer.Typer(help=_("Activities of a village's WKSBM network."), no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    village: Annotated[str, typer.Option("--village", "-v", help=_("Village code or name."), autocompletion=complete_villages, show_default=False)],
    on: Annotated[str, typer.Option("--on", help=_("Date it was held (DD/MM/YYYY or YYYY-MM-DD)."), show_default=False)],
    kind: Annotated[str, typer.Option("--kind", help=_("meeting, program, outreach, advocacy, training or other."), show_default=False)],
    institution: Annotated[str | None, typer.Option("--institution", help=_("Institution that ran it."))] = None,
    title: Annotated[str | None, typer.Option("--title", help=_("What it was."))] = None,
    attendees: Annotated[str | None, typer.Option("--attendees", help=_("Number of people present."))] = None,
    notes: Annotated[str | None, typer.Option("--notes", help=_("Free notes."))] = None,
) -> None:
    """Record an activity.

    Example: wksbm activity add --village Randujalak --on 12/01/2021 --kind meeting --title "Rapat rutin"
    """
    from wksbm_cli.services import activities

    with writing(ctx) as conn:
        row = activities.add_activity(
            conn, village,
            **given(held_on=on, kind=kind, institution=institution, title=title, attendees=attendees, notes=notes),
        )
    message(_("Recorded {kind} on {date} in {village}.").format(
        kind=shown_cell("kind", row["kind"]), date=shown_cell("held_on", row["held_on"]), village=row["village"]))


@app.command("list")
def list_(
    ctx: typer.Context,
    village: Annotated[str | None, typer.Option("--village", "-v", help=_("Only this village's activities."), autocompletion=complete_villages)] = None,
    since: Annotated[str | None, typer.Option("--since", help=_("Only activities on or after this date."))] = None,
    format_: FormatOption = Format.table,
    limit: LimitOption = None,
    all_: AllOption = False,
) -> None:
    """List activities, newest first (a table shows the newest 50).

    Example: wksbm activity list --village Randujalak --since 01/01/2021
    """
    from wksbm_cli.services import activities

    conn, size = connection(ctx), page_size(limit, all_, format_)
    rows = activities.list_activities(conn, village=village, since=since, limit=size)
    render_page(rows, format_, activities.LIST_COLUMNS, size,
                lambda: activities.count_activities(conn, village=village, since=since),
                lambda total: ngettext("{shown:,} of {total:,} activity; --limit N or --all",
                                       "{shown:,} of {total:,} activities; --limit N or --all", total))


IdArg = Annotated[str, typer.Argument(help=_("The activity's id, as `wksbm activity list` shows it."), show_default=False)]


@app.command("update")
def update(
    ctx: typer.Context,
    id_: IdArg,
    village: Annotated[str | None, typer.Option("--village", "-v", help=_("The village it was really held in."), autocompletion=complete_villages)] = None,
    on: Annotated[str | None, typer.Option("--on", help=_("The date it was really held."))] = None,
    kind: Annotated[str | None, typer.Option("--kind", help=_("meeting, program, outreach, advocacy, training or other."))] = None,
    institution: Annotated[str | None, typer.Option("--institution", help=_("Institution that ran it (\"\" for none)."))] = None,
    title: Annotated[str | None, typer.Option("--title", help=_("What it was."))] = None,
    attendees: Annotated[str | None, typer.Option("--attendees", help=_("Number of people present."))] = None,
    notes: Annotated[str | None, typer.Option("--notes", help=_("Free notes."))] = None,
) -> None:
    """Correct an activity (an empty value clears an optional field); the audit log keeps the old values.

    Example: wksbm activity update 12 --on 13/01/2021 --attendees 25
    """
    from wksbm_cli.services import activities

    with writing(ctx) as conn:
        row, changed = activities.update_activity(
            conn, id_,
            **given(village=village, held_on=on, kind=kind, institution=institution, title=title, attendees=attendees, notes=notes),
        )
    text = (_("Updated activity {id}: {kind} on {date} in {village}.") if changed
            else _("Activity {id} already had these values."))
    message(text.format(id=row["id"], kind=shown_cell("kind", row["kind"]), date=shown_cell("held_on", row["held_on"]),
                        village=row["village"]))


@app.command("delete")
def delete(ctx: typer.Context, id_: IdArg) -> None:
    """Delete an activity recorded by mistake (twice, or in the wrong village); the audit log keeps it.

    Example: wksbm activity delete 12
    """
    from wksbm_cli.services import activities

    with writing(ctx) as conn:
        row = activities.delete_activity(conn, id_)
    message(_("Deleted activity {id}: {kind} on {date} in {village}.").format(
        id=row["id"], kind=shown_cell("kind", row["kind"]), date=shown_cell("held_on", row["held_on"]), village=row["village"]))

"""`wksbm case …`: PMKS cases and their history."""

from typing import Annotated

import typer

from wksbm_cli.context import complete_case_refs, complete_villages, connection, given, writing
from wksbm_cli.i18n import _, ngettext, shown_cell
from wksbm_cli.output import AllOption, Format, FormatOption, LimitOption, page_size, message, print_fields, print_json, render

# Services are imported inside each command: only the one that runs pays for its imports.
app = typer.Typer(help=_("PMKS cases and their status history."), no_args_is_help=True)

RefArg = Annotated[str, typer.Argument(help=_("The case's ref, e.g. KS-2021-0007."), show_default=False,
                                        autocompletion=complete_case_refs)]
ShowPiiOpt = Annotated[bool, typer.Option("--show-pii", help=_("Show NIKs in full (personal data: take care)."))]


@app.command("add")
def add(
    ctx: typer.Context,
    village: Annotated[str, typer.Option("--village", "-v", help=_("Village code or name."), autocompletion=complete_villages, show_default=False)],
    category: Annotated[str, typer.Option("--category", help=_("PMKS category code, number or name (see `wksbm categories`)."), show_default=False)],
    name: Annotated[str, typer.Option("--name", help=_("The person's name."), show_default=False)],
    nik: Annotated[str | None, typer.Option("--nik", help=_("16-digit NIK."))] = None,
    gender: Annotated[str | None, typer.Option("--gender", help=_("L (laki-laki) or P (perempuan)."))] = None,
    birth_year: Annotated[str | None, typer.Option("--birth-year", help=_("Year of birth."))] = None,
    reported_on: Annotated[str | None, typer.Option("--reported-on", help=_("Date reported (default: today)."))] = None,
    status: Annotated[str | None, typer.Option("--status", help=_("reported (default), in_handling, resolved, referred or closed."))] = None,
    resolved_on: Annotated[str | None, typer.Option("--resolved-on", help=_("Date resolved (for --status resolved)."))] = None,
    handled_by: Annotated[str | None, typer.Option("--handled-by", help=_("Institution of the village handling it."))] = None,
    ref: Annotated[str | None, typer.Option("--ref", help=_("Your own ref (default: KS-YEAR-NNNN)."))] = None,
    notes: Annotated[str | None, typer.Option("--notes", help=_("Free notes."))] = None,
) -> None:
    """Open a case; prints its ref.

    Example: wksbm case add --village Randujalak --category lansia-terlantar --name "Mbok Sarmi" --reported-on 03/02/2021
    """
    from wksbm_cli.dates import date_option
    from wksbm_cli.services import cases

    reported_on = date_option(reported_on, "reported_on")  # blank is refused, not silently today
    with writing(ctx) as conn:
        row = cases.add_case(
            conn, village, ref=ref,
            **given(category=category, person_name=name, nik=nik, gender=gender, birth_year=birth_year,
                    reported_on=reported_on, status=status, resolved_on=resolved_on, handled_by=handled_by, notes=notes),
        )
    print(row["ref"])
    message(_("Opened case {ref} ({category}, {village}).").format(ref=row["ref"], category=row["category"], village=row["village"]))


@app.command("list")
def list_(
    ctx: typer.Context,
    village: Annotated[str | None, typer.Option("--village", "-v", help=_("Only this village's cases."), autocompletion=complete_villages)] = None,
    category: Annotated[str | None, typer.Option("--category", help=_("Only this PMKS category."))] = None,
    status: Annotated[str | None, typer.Option("--status", help=_("Only cases with this status."))] = None,
    format_: FormatOption = Format.table,
    show_pii: ShowPiiOpt = False,
    limit: LimitOption = None,
    all_: AllOption = False,
) -> None:
    """List cases, newest report first (a table shows the newest 50); NIKs are masked unless --show-pii.

    Example: wksbm case list --village Randujalak --status in_handling --format csv
    """
    from wksbm_cli.services import cases

    conn = connection(ctx)
    size = page_size(limit, all_, format_)
    rows = cases.case_rows(conn, village=village, category=category, status=status, show_pii=show_pii, limit=size)
    if format_ is not Format.table:
        render(rows, format_, cases.LIST_COLUMNS)  # streamed: every row, one in memory at a time
        return
    rows = list(rows)
    # On a narrow terminal the NIK, then the name, go on each case's second line; ref, date, status stay in columns.
    render(rows, format_, cases.TABLE_COLUMNS, second=("nik", "person_name"), empty=_("No cases match.") if village or category or status else _("No cases yet."))
    if size is not None and len(rows) == size:
        total = cases.count_cases(conn, village=village, category=category, status=status)
        if total > size:
            message(ngettext("{shown:,} of {total:,} case; --limit N or --all", "{shown:,} of {total:,} cases; --limit N or --all",
                             total).format(shown=size, total=total))


@app.command("show")
def show(ctx: typer.Context, ref: RefArg, format_: FormatOption = Format.table, show_pii: ShowPiiOpt = False) -> None:
    """Show a case and its history of status changes.

    Example: wksbm case show KS-2021-0007
    """
    from wksbm_cli.services import cases

    detail = cases.case_detail(connection(ctx), ref, show_pii=show_pii)
    history = detail.pop("history")
    shown = {key: value for key, value in detail.items() if key not in ("id", "village_id", "person_key")}
    if format_ is Format.json:
        print_json({**shown, "history": history})
        return
    if format_ is Format.csv:
        render([shown], format_)  # the case's fields, one row (the history is in --format json)
        return
    print_fields(shown, title=_("Case {ref}").format(ref=detail["ref"]))
    events = [{"on_date": detail["reported_on"], "old_status": None, "new_status": "reported", "note": _("case opened")}]
    if history and history[0]["old_status"] != "reported":
        events[0]["new_status"] = history[0]["old_status"]
    render(events + history, format_, ["on_date", "old_status", "new_status", "note"], title=_("History"))


@app.command("update")
def update(
    ctx: typer.Context,
    ref: RefArg,
    status: Annotated[str | None, typer.Option("--status", help=_("New status: in_handling, resolved, referred, closed or reported."))] = None,
    on: Annotated[str | None, typer.Option("--on", help=_("Date of the status change (default: today)."))] = None,
    note: Annotated[str | None, typer.Option("--note", help=_("Why the status changed."))] = None,
    handled_by: Annotated[str | None, typer.Option("--handled-by", help=_("Institution of the village now handling it (\"\" for none)."))] = None,
    village: Annotated[str | None, typer.Option("--village", "-v", help=_("Correct the village."), autocompletion=complete_villages)] = None,
    category: Annotated[str | None, typer.Option("--category", help=_("Correct the PMKS category."))] = None,
    name: Annotated[str | None, typer.Option("--name", help=_("Correct the person's name."))] = None,
    nik: Annotated[str | None, typer.Option("--nik", help=_("Correct the 16-digit NIK (\"\" to remove it)."))] = None,
    gender: Annotated[str | None, typer.Option("--gender", help=_("Correct the gender: L or P."))] = None,
    birth_year: Annotated[str | None, typer.Option("--birth-year", help=_("Correct the year of birth."))] = None,
    reported_on: Annotated[str | None, typer.Option("--reported-on", help=_("Correct the date reported."))] = None,
    notes: Annotated[str | None, typer.Option("--notes", help=_("Replace the free notes."))] = None,
) -> None:
    """Change a case's status (kept in its history), or correct any of its fields (the audit log keeps the old values).

    Example: wksbm case update KS-2021-0007 --status resolved --on 20/03/2021 --note "Dapat bantuan PKH"
    """
    from wksbm_cli.dates import date_option
    from wksbm_cli.services import cases

    on = date_option(on, "on")  # blank is refused, not silently today
    with writing(ctx) as conn:
        row, changed = cases.update_case(
            conn, ref, **given(status=status, on=on, note=note, handled_by=handled_by, village=village, category=category,
                               person_name=name, nik=nik, gender=gender, birth_year=birth_year,
                               reported_on=reported_on, notes=notes),
        )
    if status is not None:
        message(_("Case {ref} is now {status}.").format(ref=row["ref"], status=shown_cell("status", row["status"])))
    elif changed:
        message(_("Updated case {ref}.").format(ref=row["ref"]))
    else:
        message(_("Case {ref} already had these values.").format(ref=row["ref"]))


@app.command("delete")
def delete(
    ctx: typer.Context,
    ref: RefArg,
    with_history: Annotated[bool, typer.Option("--with-history", help=_("Also delete its status changes (they count in past reports)."))] = False,
) -> None:
    """Delete a case entered by mistake (a duplicate, a wrong person); the audit log keeps it.

    A case whose status has changed is refused unless --with-history. Example: wksbm case delete KS-2021-0007
    """
    from wksbm_cli.services import cases

    with writing(ctx) as conn:
        row = cases.delete_case(conn, ref, with_history=with_history)
    message(ngettext("Deleted case {ref} and {n} status change.", "Deleted case {ref} and {n} status changes.",
                     row["events_deleted"]).format(ref=row["ref"], n=row["events_deleted"])
            if row["events_deleted"] else _("Deleted case {ref}.").format(ref=row["ref"]))

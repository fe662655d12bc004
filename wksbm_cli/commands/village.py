"""`wksbm village …`: add, list, show, update and delete villages."""

from typing import Annotated

import typer

from wksbm_cli.context import connection, given, writing
from wksbm_cli.i18n import _, ngettext
from wksbm_cli.output import (AllOption, FormatOption, Format, LimitOption, message, page_size, print_fields, print_json,
                               render, render_page)
from wksbm_cli.services import villages

app = typer.Typer(help=_("Villages and their WKSBM."), no_args_is_help=True)

VillageArg = Annotated[str, typer.Argument(help=_("Village code (35.13.13.2013) or name (\"Randujalak\")."), show_default=False)]
CodeOpt = Annotated[str | None, typer.Option("--code", help=_("Kemendagri code PP.KK.CC.DDDD."))]
KecamatanOpt = Annotated[str | None, typer.Option("--kecamatan", help=_("Kecamatan (district)."))]
KabupatenOpt = Annotated[str | None, typer.Option("--kabupaten", help=_("Kabupaten or kota."))]
FormedOpt = Annotated[str | None, typer.Option("--formed-on", help=_("Date the WKSBM was set up (DD/MM/YYYY or YYYY-MM-DD)."))]
DecreeOpt = Annotated[str | None, typer.Option("--decree", help=_("Village head's decree (SK) number."))]
NotesOpt = Annotated[str | None, typer.Option("--notes", help=_("Free notes."))]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help=_("Stage as of this date (default: today)."), show_default=False)]


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help=_("Village name."), show_default=False)] = None,
    code: CodeOpt = None,
    kecamatan: KecamatanOpt = None,
    kabupaten: KabupatenOpt = None,
    formed_on: FormedOpt = None,
    decree: DecreeOpt = None,
    notes: NotesOpt = None,
) -> None:
    """Add a village.

    Example: wksbm village add Randujalak --code 35.13.13.2013 --kecamatan Besuk --kabupaten Probolinggo
    """
    with writing(ctx) as conn:
        village, warnings = villages.add_village(
            conn, **given(name=name, code=code, kecamatan=kecamatan, kabupaten=kabupaten,
                          formed_on=formed_on, decree=decree, notes=notes)
        )
    for warning in warnings:
        message(_("Warning: {warning}").format(warning=warning))
    if village["code"]:
        message(_("Added village {name} ({code}).").format(name=village["name"], code=village["code"]))
    else:
        message(_("Added village {name} (no code).").format(name=village["name"]))


@app.command("list")
def list_(
    ctx: typer.Context,
    kecamatan: Annotated[str | None, typer.Option("--kecamatan", help=_("Only villages of this kecamatan."))] = None,
    stage: Annotated[str | None, typer.Option("--stage", help=_("Only villages at this stage: none, formed, running or active."))] = None,
    as_of: AsOfOpt = None,
    format_: FormatOption = Format.table,
    limit: LimitOption = None,
    all_: AllOption = False,
) -> None:
    """List villages with their WKSBM's stage (a table shows the first 50).

    Example: wksbm village list --kecamatan Besuk --stage running --format csv
    """
    conn, size, as_of = connection(ctx), page_size(limit, all_, format_), _as_of(as_of)
    rows = villages.list_villages(conn, kecamatan=kecamatan, stage=stage, as_of=as_of, limit=size)
    render_page(rows, format_, villages.TABLE_COLUMNS if format_ is Format.table else villages.LIST_COLUMNS, size,
                lambda: villages.count_villages(conn, kecamatan=kecamatan, stage=stage, as_of=as_of),
                lambda total: ngettext("{shown:,} of {total:,} village; --limit N or --all",
                                       "{shown:,} of {total:,} villages; --limit N or --all", total))


@app.command("show")
def show(ctx: typer.Context, village: VillageArg, as_of: AsOfOpt = None, format_: FormatOption = Format.table) -> None:
    """Show one village: its WKSBM, institutions, recent activities, cases, and stage with each criterion.

    Example: wksbm village show "randu jalak" --as-of 31/12/2022
    """
    detail = villages.village_detail(connection(ctx), village, as_of=_as_of(as_of))
    if format_ is Format.json:
        print_json({key: value for key, value in detail.items() if key not in ("id", "name_key")})
        return
    nested = {key: detail.pop(key) for key in ("institutions", "recent_activities", "cases_by_status", "criteria")}
    shown = {key: value for key, value in detail.items() if key not in ("id", "name_key")}
    if format_ is Format.csv:
        render([shown], format_)
        return
    from wksbm_cli.i18n import shown_date
    from wksbm_cli.stages import stage_word

    # One stage vocabulary per language: the view names the stage once (JSON and CSV keep stage_id too).
    del shown["stage_id"]
    print_fields(shown, title=_("Village {name}").format(name=detail["name"]))
    render(nested["institutions"], format_, ["name", "type", "leader", "members", "joined_on"], title=_("Institutions"))
    render(nested["recent_activities"], format_, ["held_on", "kind", "title", "institution", "attendees"], title=_("Recent activities"))
    cases = [{"status": status, "cases": count} for status, count in nested["cases_by_status"].items()]
    render(cases, format_, ["status", "cases"], title=_("Cases"))
    criteria = [{**row, "met": _("yes") if row["met"] else _("no")} for row in nested["criteria"]]
    title = _("Stage as of {date}: {stage}").format(date=shown_date(detail["as_of"]), stage=stage_word(detail["stage"]))
    render(criteria, format_, ["key", "met", "rule", "evidence"], title=title)


def _as_of(value: str | None) -> str | None:
    from wksbm_cli.dates import parse_date
    from wksbm_cli.errors import checked

    return checked("--as-of", parse_date, value) if value else None


@app.command("update")
def update(
    ctx: typer.Context,
    village: VillageArg,
    name: Annotated[str | None, typer.Option("--name", help=_("New name."))] = None,
    code: CodeOpt = None,
    kecamatan: KecamatanOpt = None,
    kabupaten: KabupatenOpt = None,
    formed_on: FormedOpt = None,
    decree: DecreeOpt = None,
    notes: NotesOpt = None,
) -> None:
    """Change a village's fields (an empty value clears a field).

    Example: wksbm village update Randujalak --formed-on 14/03/2020 --decree "SK 12/2020"
    """
    with writing(ctx) as conn:
        row, changed = villages.update_village(
            conn, village, **given(name=name, code=code, kecamatan=kecamatan, kabupaten=kabupaten,
                                   formed_on=formed_on, decree=decree, notes=notes)
        )
    text = _("Updated village {name}.") if changed else _("Village {name} already had these values.")
    message(text.format(name=row["name"]))


@app.command("delete")
def delete(ctx: typer.Context, village: VillageArg) -> None:
    """Delete a village that has no institutions, activities or cases.

    Example: wksbm village delete 35.13.13.2099
    """
    with writing(ctx) as conn:
        name = villages.delete_village(conn, village)
    message(_("Deleted village {name}.").format(name=name))

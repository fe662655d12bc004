"""`wksbm summary` (each village's stage and progress) and `wksbm criteria` (the stage thresholds)."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from wksbm_cli.context import connection, session, writing
from wksbm_cli.i18n import _
from wksbm_cli.output import Format, FormatOption, message, print_json, render

# Reports and rules are imported inside each command: only the one that runs pays for them.
criteria_app = typer.Typer(help=_("The stage criteria and their thresholds."), invoke_without_command=True)


class By(str, Enum):
    village = "village"
    kecamatan = "kecamatan"
    kabupaten = "kabupaten"
    desa = "desa"  # the Indonesian word, understood whatever the language (SPEC 9): one row per village


AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help=_("Report as of this date (default: today)."), show_default=False)
]


def summary(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    by: Annotated[By, typer.Option("--by", help=_("One row per village, kecamatan or kabupaten."), case_sensitive=False)] = By.village,
    kecamatan: Annotated[str | None, typer.Option("--kecamatan", help=_("Only villages of this kecamatan (name or code 35.13.13)."))] = None,
    format_: FormatOption = Format.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_("Write the report to FILE.html (a page to print), FILE.xlsx or FILE.svg instead."))] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Replace the -o file if it exists."))] = False,
    trend: Annotated[bool, typer.Option("--trend", help=_("Villages per stage at each quarter end, from the earliest record to --as-of (with -o: added to the report)."))] = False,
) -> None:
    """Each village's progress toward a formed, running and active WKSBM (or per kecamatan/kabupaten).

    Example: wksbm summary --as-of 31/12/2022 --by kecamatan
    """
    from wksbm_cli.dates import parse_date, today
    from wksbm_cli.errors import UsageError, checked
    from wksbm_cli.files import checked_target, write_privately
    from wksbm_cli.reports import render as renderers
    from wksbm_cli.reports.summary import kecamatan_filter, summary as build_summary

    by = By.village if by is By.desa else by
    if output is not None:
        checked_target(output, force=force, database=session(ctx).db_path)  # refused before any work
    if output is not None and output.suffix.lower() not in (".html", ".htm", ".svg", ".xlsx"):
        raise UsageError(_("-o writes an .html, .xlsx or .svg file, not {name}").format(name=output.name))
    if trend and output is None and by is not By.village:
        raise UsageError(_("--trend counts all villages in view at each quarter end; --by applies only with -o FILE"))
    day = checked("--as-of", parse_date, as_of) if as_of else today()
    conn = connection(ctx)
    if trend:
        from wksbm_cli.reports import trend as trends

        over_time = trends.trend(conn, day, *kecamatan_filter(conn, kecamatan))
        if output is None:
            if format_ is Format.json:
                print_json(over_time)
            elif format_ is Format.csv:
                render(over_time["quarters"], format_, trends.TREND_CSV)
            else:
                trends.print_trend(over_time)
            return
    report = build_summary(conn, day, by.value, kecamatan)
    if output is not None:
        write = _page_writer(conn, report, output.suffix.lower(), kecamatan, over_time if trend else None)
        write_privately(output, write, force=force, database=session(ctx).db_path)
        message(_("Wrote {path}.").format(path=output))
    elif format_ is Format.json:
        print_json(report)
    elif format_ is Format.csv:
        rows, columns = renderers.csv_rows(report)
        render(rows, format_, columns)
    else:
        renderers.print_summary(report)


def _page_writer(conn, report: dict, suffix: str, kecamatan: str | None, trend: dict | None = None):
    """A function writing the report as a printable page (.html), a workbook (.xlsx) or a light image (.svg)."""
    import datetime as dt

    from wksbm_cli import stages
    from wksbm_cli.reports import labels

    page = {
        "criteria": stages.criteria_list(conn), "names": stages.thresholds(stages.read_settings(conn)),
        "area": labels.area_covered(report, kecamatan), "made": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "trend": trend,
    }
    if suffix == ".xlsx":
        from wksbm_cli.reports.workbook import write_xlsx

        return lambda temp: write_xlsx(report, temp, **page)
    if suffix == ".svg":
        from wksbm_cli.reports.image import write_svg

        return lambda temp: write_svg(report, temp, **page)
    from wksbm_cli.reports.page import write_html

    return lambda temp: write_html(report, temp, **page)


@criteria_app.callback()
def criteria(ctx: typer.Context, format_: FormatOption = Format.table) -> None:
    """Show the seven stage criteria and the thresholds this database uses.

    Example: wksbm criteria
    """
    if ctx.invoked_subcommand is None:
        _show(ctx, format_)


@criteria_app.command("show")
def show(ctx: typer.Context, format_: FormatOption = Format.table) -> None:
    """Show the seven stage criteria and the thresholds this database uses.

    Example: wksbm criteria show --format json
    """
    _show(ctx, format_)


@criteria_app.command("set")
def set_(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help=_("A threshold's key, e.g. running.activity_window_days."), show_default=False)],
    value: Annotated[str, typer.Argument(help=_("Its new value (a whole number)."), show_default=False)],
) -> None:
    """Change one stage threshold (every later report uses it).

    Example: wksbm criteria set running.activity_window_days 60
    """
    from wksbm_cli import stages

    with writing(ctx) as conn:
        old, new = stages.set_setting(conn, key, value)
    text = _("{key}: {old} -> {new}.") if old != new else _("{key} was already {new}.")
    message(text.format(key=key.strip().lower(), old=old, new=new))


def _show(ctx: typer.Context, format_: Format) -> None:
    from wksbm_cli import stages

    conn = connection(ctx)
    criteria_rows, settings = stages.criteria_list(conn), stages.settings_list(conn)
    if format_ is Format.json:
        print_json({"criteria": criteria_rows, "settings": settings})
    elif format_ is Format.csv:
        render(settings, format_, ["key", "value", "default", "meaning"])
    else:
        render(criteria_rows, format_, ["key", "stage", "rule"], title=_("Criteria"))
        render(settings, format_, ["key", "value", "default", "meaning"], title=_("Thresholds (wksbm criteria set KEY VALUE)"))

"""Renderers of the summary report for the terminal: the Rich table and CSV rows (pages: reports/page.py)."""

import os
import sys
from typing import Any

from wksbm_cli.i18n import _, shown, shown_date, shown_number
from wksbm_cli.printable import printable
from wksbm_cli.stages import CRITERIA_KEYS, STAGES, stage_word

_STAGE_STYLE = {"none": "red", "formed": "yellow", "running": "cyan", "active": "green"}
VILLAGE_CSV = [
    "code", "name", "kecamatan", "kabupaten", "stage", "stage_id", "progress", *CRITERIA_KEYS, "institutions",
    "activities_in_window", "cases_open", "cases_resolved", "cases_closed", "median_days_to_resolve", "next_step",
]
AREA_CSV = [
    "code", "name", "villages", *STAGES, "institutions", "activities_in_window",
    "cases_open", "cases_resolved", "cases_closed", "median_days_to_resolve",
]


def csv_rows(report: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """One CSV row per village (criteria as columns) or per area, and the columns."""
    if "villages" in report:
        return [{**row, **row["criteria"]} for row in report["villages"]], VILLAGE_CSV
    return report["areas"], AREA_CSV


def summary_table(report: dict[str, Any]):
    """The report as a Rich table: one row per village or area, a totals row, stage counts below."""
    from rich import box
    from rich.table import Table
    from rich.text import Text  # names as typed: never read as Rich markup or :emoji: codes

    table = Table(
        title=_("WKSBM progress as of {date}").format(date=shown_date(report["as_of"])), title_justify="left",
        caption=stage_line(report["totals"]), caption_justify="left", box=box.SIMPLE_HEAD, show_footer=True,
        padding=(0, 1), pad_edge=False, collapse_padding=True, show_edge=False,
    )
    totals = report["totals"]
    if "villages" in report:
        _village_columns(table, totals, report["villages"])
        for row in report["villages"]:
            table.add_row(
                Text(printable(row["name"])), Text(printable(row["kecamatan"])), _stage(row["stage"]), progress_bar(row["progress"]),
                str(row["institutions"]), str(row["activities_in_window"]), _cases(row),
                _days(row["median_days_to_resolve"]), shown(row["next_step"]) or "-",
            )
    else:
        _area_columns(table, report["by"], totals)
        for row in report["areas"]:
            table.add_row(
                Text(printable(row["name"]) or _("(unknown)")), row["code"] or "", str(row["villages"]),
                *(str(row[stage]) for stage in STAGES), _cases(row), _days(row["median_days_to_resolve"]),
            )
    return table


def _village_columns(table, totals: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    # Names keep their width (up to a point) so that narrow terminals wrap the next step instead.
    def widest(key: str, cap: int) -> int:
        return min(cap, max((len(row[key] or "") for row in rows), default=0))

    table.add_column(_("village"), _("Total"), min_width=max(5, widest("name", 20)), overflow="fold")
    table.add_column(_("kecamatan"), min_width=widest("kecamatan", 14), overflow="fold")
    table.add_column(_("stage"), str(totals["villages"]), no_wrap=True)  # stage words stay whole (belum terbentuk)
    table.add_column(_("progress"), no_wrap=True)
    # TRANSLATORS: short headings of the summary table: member institutions, activities in the window
    table.add_column(_("inst"), str(totals["institutions"]), justify="right")
    table.add_column(_("act"), str(totals["activities_in_window"]), justify="right")
    table.add_column(_("cases\nopen/res"), _cases(totals), justify="right", min_width=7)
    table.add_column(_("median\ndays"), _days(totals["median_days_to_resolve"]), justify="right", min_width=6)
    table.add_column(_("next step"))


def _area_columns(table, by: str, totals: dict[str, Any]) -> None:
    table.add_column(_("kecamatan") if by == "kecamatan" else _("kabupaten"), _("Total"), overflow="fold")
    table.add_column(_("code"), no_wrap=True)
    table.add_column(_("villages"), str(totals["villages"]), justify="right")
    for stage in STAGES:
        table.add_column(stage_word(stage), str(totals[stage]), justify="right", style=_STAGE_STYLE[stage])
    table.add_column(_("cases\nopen/res"), _cases(totals), justify="right")
    table.add_column(_("median\ndays"), _days(totals["median_days_to_resolve"]), justify="right")


def progress_bar(met: int, of: int = len(CRITERIA_KEYS)) -> str:
    """Criteria met as a bar readable without colour: `█████░░ 5/7`."""
    return "█" * met + "░" * (of - met) + f" {met}/{of}"


def stage_line(totals: dict[str, Any]) -> str:
    """`Villages per stage: active 1 · running 2 · formed 1 · none 2` (in Indonesian: eksis, berjalan, …)."""
    counts = " · ".join(f"{stage_word(stage)} {totals[stage]}" for stage in reversed(STAGES))
    return _("Villages per stage: {counts}").format(counts=counts)


def _stage(stage: str) -> str:
    """The stage in the interface's words (one vocabulary per language), coloured on a terminal."""
    return f"[{_STAGE_STYLE[stage]}]{stage_word(stage)}[/]"


def _cases(row: dict[str, Any]) -> str:
    return f"{row['cases_open']} / {row['cases_resolved']}"


def _days(days: float | int | None) -> str:
    return "-" if days is None else shown_number(days)  # 73,5 in Indonesian


def print_summary(report: dict[str, Any]) -> None:
    """The table on stdout, or its compact layout when the terminal is too narrow for one line per village.

    Piped without $COLUMNS it keeps its natural width, up to 160 columns.
    """
    from rich.console import Console

    console = Console(file=sys.stdout, highlight=False)
    table = summary_table(report)
    natural = console.measure(table, options=console.options.update_width(10_000)).maximum
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = min(max(natural, 80), 160)
    if natural <= console.width:
        console.print(table)
        return
    from rich.text import Text

    from wksbm_cli.layout import compact_lines

    title = _("WKSBM progress as of {date}").format(date=shown_date(report["as_of"]))
    lines = compact_lines(*compact_table(report), console.width, title=title, caption=stage_items(report["totals"]),
                          tight="areas" in report)  # areas: numbers only, one space apart rather than two lines
    console.print(Text("\n").join(lines), no_wrap=True, overflow="ignore", crop=False, soft_wrap=True)


def compact_table(report: dict[str, Any]):
    """The summary's columns and rows for a narrow terminal: the same cells, the next step on a line of its own."""
    from rich.text import Text

    from wksbm_cli.layout import Column

    totals = report["totals"]
    numbers = {"whole": True, "justify": "right"}
    if "villages" in report:
        columns = [
            Column(_("village"), footer=_("Total")), Column(_("kecamatan")),
            Column(_("stage"), whole=True, footer=str(totals["villages"])), Column(_("progress"), whole=True),
            Column(_("inst"), footer=str(totals["institutions"]), **numbers),
            Column(_("act"), footer=str(totals["activities_in_window"]), **numbers),
            Column(_("cases\nopen/res"), footer=_cases(totals), **numbers),
            Column(_("median\ndays"), footer=_days(totals["median_days_to_resolve"]), **numbers),
            Column(_("next step"), second=1),
        ]
        rows = [
            [Text(printable(row["name"])), Text(printable(row["kecamatan"])), _stage_text(row["stage"]),
             progress_bar(row["progress"]), str(row["institutions"]), str(row["activities_in_window"]), _cases(row),
             _days(row["median_days_to_resolve"]), shown(row["next_step"]) or ""]
            for row in report["villages"]
        ]
        return columns, rows
    area = _("kecamatan") if report["by"] == "kecamatan" else _("kabupaten")
    columns = [
        Column(area, footer=_("Total")), Column(_("code"), whole=True),
        Column(_("villages"), footer=str(totals["villages"]), **numbers),
        *(Column(stage_word(stage), footer=str(totals[stage]), **numbers) for stage in STAGES),
        Column(_("cases\nopen/res"), footer=_cases(totals), **numbers),
        Column(_("median\ndays"), footer=_days(totals["median_days_to_resolve"]), **numbers),
    ]
    rows = [
        [Text(printable(row["name"]) or _("(unknown)")), row["code"] or "", str(row["villages"]),
         *(Text(str(row[stage]), style=_STAGE_STYLE[stage]) for stage in STAGES), _cases(row),
         _days(row["median_days_to_resolve"])]
        for row in report["areas"]
    ]
    return columns, rows


def stage_items(totals: dict[str, Any]) -> list[str]:
    """The count of villages per stage as items that a narrow line may not split: `Villages per stage: active 2`, `running 3`…"""
    items = [f"{stage_word(stage)} {totals[stage]}" for stage in reversed(STAGES)]
    return [_("Villages per stage: {counts}").format(counts=items[0]), *items[1:]]


def _stage_text(stage: str):
    from rich.text import Text

    return Text(stage_word(stage), style=_STAGE_STYLE[stage])

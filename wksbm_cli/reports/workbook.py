"""The summary as a formatted workbook (`summary -o FILE.xlsx`): the report's table, numbers as numbers.

Sheet 1 holds a short heading (title, area, as-of, made), then the table under a bold header row
that stays in view, a bold totals row, columns as wide as their content. Sheet 2 is the legend.
"""

from pathlib import Path
from typing import Any

from wksbm_cli.i18n import _
from wksbm_cli.reports import labels
from wksbm_cli.reports.shown import shown
from wksbm_cli.stages import CRITERIA_KEYS, STAGES, stage_word

_WIDEST = 60
_HEADING_ROWS = 5  # title, area, as of, made, blank: the table's header is row 6


def _village_columns(names: dict[str, int]) -> list[tuple[str, str]]:
    """(key, heading) of each column of a village report."""
    return [
        ("code", _("code")), ("name", _("village")), ("kecamatan", _("kecamatan")), ("kabupaten", _("kabupaten")),
        ("stage_word", _("stage")), ("stage", _("stage (code)")), ("progress", _("criteria met (of 7)")),
        *((key, key) for key in CRITERIA_KEYS),
        ("institutions", _("member institutions")),
        ("activities_in_window", _("activities, last {window_days} days").format(**names)),
        ("cases_open", _("cases open")), ("cases_resolved", _("cases resolved")), ("cases_closed", _("cases closed")),
        ("median_days_to_resolve", _("median days to resolve")), ("next_step", _("next step")),
    ]


def _area_columns(by: str) -> list[tuple[str, str]]:
    area = _("kecamatan") if by == "kecamatan" else _("kabupaten")
    columns = [("name", area), ("code", _("code"))]
    if by == "kecamatan":
        columns.append(("kabupaten", _("kabupaten")))
    return columns + [
        ("villages", _("villages")), *((stage, stage_word(stage)) for stage in STAGES),
        ("institutions", _("member institutions")), ("activities_in_window", _("activities in the window")),
        ("cases_open", _("cases open")), ("cases_resolved", _("cases resolved")), ("cases_closed", _("cases closed")),
        ("median_days_to_resolve", _("median days to resolve")),
    ]


def write_xlsx(report: dict[str, Any], path: Path, *, criteria: list[dict[str, Any]], names: dict[str, int],
               area: str, made: str, trend: dict[str, Any] | None = None) -> None:
    """Write the report's table (and the trend, when given) as a workbook at `path`."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold, big = Font(bold=True), Font(bold=True, size=14)

    def styled(sheet, value: Any, font=None, text: bool = False):
        cell = WriteOnlyCell(sheet, value=value)
        if font is not None:
            cell.font = font
        if text:
            cell.data_type, cell.number_format = "s", "@"  # a code stays text; a name is never a formula
        return cell

    def table(title: str, columns: list[tuple[str, str]], rows: list[dict[str, Any]], total: dict[str, Any] | None):
        sheet = workbook.create_sheet(title)
        for index, (key, heading) in enumerate(columns, start=1):
            longest = max([len(heading), *(len(_value_text(row.get(key))) for row in rows[:2000])])
            sheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, _WIDEST)
        sheet.freeze_panes = f"A{_HEADING_ROWS + 2}"
        sheet.append([styled(sheet, labels.title(), big)])
        for label, value in [(_("Area"), area), (_("As of"), report["as_of"]), (_("Made on"), made)]:
            sheet.append([styled(sheet, label, bold), styled(sheet, shown(value), text=True)])
        sheet.append([])
        sheet.append([styled(sheet, heading, bold) for _key, heading in columns])
        for row in rows:
            sheet.append([_cell(styled, sheet, key, row.get(key)) for key, _heading in columns])
        if total is not None:
            sheet.append([styled(sheet, value if isinstance(value, (int, float)) else shown(value), bold)
                          if value is not None else None for value in (total.get(key) for key, _h in columns)])

    totals = {**report["totals"], "name": _("Total"), "code": None}
    if "villages" in report:
        # F1 … A3 as columns; the stage as the interface names it (SPEC 9), beside its code for formulas
        rows = [{**row, **row["criteria"], "stage_word": stage_word(row["stage"])} for row in report["villages"]]
        table(_("Villages"), _village_columns(names), rows, totals)
    else:
        table(_("Kecamatan") if report["by"] == "kecamatan" else _("Kabupaten"), _area_columns(report["by"]),
              report["areas"], totals)
    if trend is not None:
        columns = [("date", _("quarter end")), *((stage, stage_word(stage)) for stage in STAGES),
                   ("villages", _("villages"))]
        table(_("Stages over time"), columns, trend["quarters"], None)
    legend = workbook.create_sheet(_("Legend"))
    legend.column_dimensions["A"].width = 24
    legend.column_dimensions["B"].width = 90
    legend.append([styled(legend, _("Columns"), bold)])
    for column in labels.village_columns(names) if "villages" in report else labels.area_columns(report["by"]):
        legend.append([column.heading, column.meaning])
    legend.append([])
    legend.append([styled(legend, _("Stages"), bold)])
    for code, word, meaning in labels.stage_meanings():
        legend.append([word, meaning])
    legend.append([])
    legend.append([styled(legend, _("Criteria"), bold)])
    for criterion in criteria:
        legend.append([criterion["key"], shown(criterion["rule"])])
    workbook.save(path)


def _value_text(value: Any) -> str:
    return "" if value is None else str(value)


def _cell(styled, sheet, key: str, value: Any) -> Any:
    """A table cell: numbers and booleans as they are, codes as text cells, stored text shown escaped."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return styled(sheet, shown(value), text=True)

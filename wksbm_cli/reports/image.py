"""The summary as one light SVG image (`summary -o FILE.svg`): heading, chart, table and legend on white.

For slides and messages where a page will not do. The table is set in a monospace font so that its
columns line up without font metrics; next steps wrap onto more lines, never cut.
"""

import textwrap
from html import escape
from pathlib import Path
from typing import Any

from wksbm_cli.i18n import _, shown_date, shown_number
from wksbm_cli.reports import chart, labels
from wksbm_cli.reports.shown import shown
from wksbm_cli.stages import CRITERIA_KEYS, STAGES, stage_word

SIZE = 11  # px, the table's font size
CHAR = SIZE * 0.61  # DejaVu Sans Mono's advance is 0.602 em
LINE = 15
NEXT_STEP_WIDTH = 46  # characters a next step wraps at
MONO = 'font-family="DejaVu Sans Mono, Liberation Mono, Consolas, monospace"'


def svg_image(report: dict[str, Any], *, criteria: list[dict[str, Any]], names: dict[str, int], area: str,
              made: str, trend: dict[str, Any] | None = None) -> str:
    """The whole image as SVG text."""
    columns, rows = _table(report, names)
    widths = [max(len(column.heading), *(len(line) for row in rows for line in row[index]), 1)
              for index, column in enumerate(columns)]
    table_width = int(sum(widths) * CHAR + 12 * (len(widths) - 1))
    width = max(table_width, 660) + 40
    body: list[str] = []
    y = 34
    body.append(f'<text x="20" y="{y}" font-size="20" font-weight="bold">{escape(labels.title())}</text>')
    y += 22
    meta = "  ·  ".join(f"{label}: {value}" for label, value in [
        (_("Area"), area), (_("As of"), shown_date(report["as_of"])), (_("Made on"), shown_date(made)),
        (_("Villages"), report["totals"]["villages"])])
    body.append(f'<text x="20" y="{y}" font-size="12">{escape(shown(meta))}</text>')
    y += 14
    charts = [chart.stage_bars(report["totals"])]
    if report.get("areas"):
        charts.append(chart.area_bars(report["areas"]))
    if trend is not None:
        charts.append(chart.trend_chart(trend))
    for svg in charts:
        height = int(svg.split('height="', 1)[1].split('"', 1)[0])
        body.append(svg.replace("<svg ", f'<svg x="20" y="{y + 10}" ', 1))
        y += height + 20
    y += 16
    x_positions, x = [], 20.0
    for w in widths:
        x_positions.append(x)
        x += w * CHAR + 12
    numeric = {index for index, column in enumerate(columns) if column.key not in ("name", "code", "kecamatan",
                                                                                   "kabupaten", "stage", "next_step")}
    body.append(f'<g {MONO} font-size="{SIZE}">')
    body.append(_row([[c.heading] for c in columns], x_positions, widths, numeric, y, bold=True))
    y += 6
    body.append(f'<line x1="20" x2="{20 + table_width}" y1="{y}" y2="{y}" stroke="#333" stroke-width="1.2"/>')
    y += LINE
    for row in rows:
        body.append(_row(row, x_positions, widths, numeric, y))
        y += LINE * max(len(cell) for cell in row)
        body.append(f'<line x1="20" x2="{20 + table_width}" y1="{y - LINE + 4}" y2="{y - LINE + 4}" '
                    f'stroke="#ccc" stroke-width="0.6"/>')
        y += 4
    body.append("</g>")
    y += 10
    legend = [f"{c.heading}: {c.meaning}" for c in columns]
    legend += [f"{word}: {meaning}" for _code, word, meaning in labels.stage_meanings()]
    legend += [f"{c['key']}: {shown(c['rule'])}" for c in criteria]
    body.append(f'<text x="20" y="{y}" font-size="12" font-weight="bold">{escape(_("Legend"))}</text>')
    y += 16
    for line in legend:
        body.append(f'<text x="20" y="{y}" font-size="11">{escape(shown(line))}</text>')
        y += 14
    height = y + 12
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'{chart.FONT}><title>{escape(shown(labels.title() + " · " + area + " · " + shown_date(report["as_of"])))}</title>'
            f'<rect width="100%" height="100%" fill="#ffffff"/>' + "".join(body) + "</svg>\n")


def write_svg(report: dict[str, Any], path: Path, **page: Any) -> None:
    """Write the image to `path` (UTF-8)."""
    Path(path).write_text(svg_image(report, **page), encoding="utf-8")


def _row(cells: list[list[str]], xs: list[float], widths: list[int], numeric: set[int], y: float,
         bold: bool = False) -> str:
    parts = []
    weight = ' font-weight="bold"' if bold else ""
    for index, (lines, x) in enumerate(zip(cells, xs)):
        for offset, line in enumerate(lines):
            if index in numeric:
                anchor = f'x="{x + widths[index] * CHAR:.1f}" text-anchor="end"'
            else:
                anchor = f'x="{x:.1f}"'
            parts.append(f'<text {anchor} y="{y + offset * LINE}"{weight} xml:space="preserve">{escape(line)}</text>')
    return "".join(parts)


def _table(report: dict[str, Any], names: dict[str, int]) -> tuple[list[labels.Column], list[list[list[str]]]]:
    """The columns and each row's cells, a cell being its lines of text."""
    if "villages" in report:
        columns = [labels.Column("code", _("code"), _("the village's Kemendagri code")),
                   *labels.village_columns(names)]
        columns[1] = columns[1]._replace(meaning=_("the village's name"))
        rows = []
        for row in report["villages"]:
            steps = textwrap.wrap(shown(row["next_step"]), NEXT_STEP_WIDTH) if row["next_step"] else ["-"]
            rows.append([[shown(row["code"])], _wrap(row["name"], 24), _wrap(row["kecamatan"], 20),
                         [stage_word(row["stage"])], [f"{row['progress']}/{len(CRITERIA_KEYS)}"],
                         [str(row["institutions"])], [str(row["activities_in_window"])], [_cases(row)],
                         [_days(row["median_days_to_resolve"])], steps])
        totals = report["totals"]
        rows.append([[""], [_("Total")], [""], [str(totals["villages"])], [""], [str(totals["institutions"])],
                     [str(totals["activities_in_window"])], [_cases(totals)],
                     [_days(totals["median_days_to_resolve"])], [""]])
        return columns, rows
    columns = labels.area_columns(report["by"])
    rows = []
    for row in [*report["areas"], {**report["totals"], "name": _("Total"), "code": "", "kabupaten": ""}]:
        values = {"name": shown(row["name"] or _("(unknown)")), "code": shown(row.get("code")),
                  "kabupaten": shown(row.get("kabupaten")), "villages": str(row["villages"]),
                  "cases": _cases(row), "median_days_to_resolve": _days(row["median_days_to_resolve"]),
                  **{stage: str(row[stage]) for stage in STAGES}}
        rows.append([[values[column.key]] for column in columns])
    return columns, rows


def _wrap(value: Any, width: int) -> list[str]:
    """Stored text on lines of at most `width` characters (a long word is broken, never cut)."""
    return textwrap.wrap(shown(value), width, break_long_words=True) or [""]


def _cases(row: dict[str, Any]) -> str:
    return f"{row['cases_open']} / {row['cases_resolved']}"


def _days(days: float | int | None) -> str:
    return "-" if days is None else shown_number(days)  # 73,5 in Indonesian

"""The printable report: the summary as one self-contained HTML page a Dinsos head prints or shares.

A heading (title, area, as-of date, date made), a chart of villages per stage (per area with `--by`),
the table with every column and whole next steps, the stage path over time when asked (`--trend`),
and a legend of every column, stage and criterion. No script and no external resource: it works
offline and prints on A4 portrait or landscape without cutting anything.
"""

from pathlib import Path
from typing import Any

from wksbm_cli.i18n import _, language, ngettext, shown_date, shown_number
from wksbm_cli.reports import chart, labels
from wksbm_cli.reports.shown import html_text as h
from wksbm_cli.stages import CRITERIA_KEYS, STAGES, stage_word

CSS = """
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #111; background: #fff; }
body { margin: 24px auto; max-width: 1200px; padding: 0 16px; font-size: 10.5pt; line-height: 1.35; }
h1 { font-size: 18pt; margin: 0 0 6px; }
h2 { font-size: 12.5pt; margin: 20px 0 8px; border-bottom: 1px solid #999; padding-bottom: 2px; }
h3 { font-size: 10.5pt; margin: 12px 0 4px; }
.meta { display: grid; grid-template-columns: max-content auto; gap: 1px 12px; margin: 0; }
.meta dt { font-weight: bold; } .meta dd { margin: 0; }
figure { margin: 0; } svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th, td { text-align: left; vertical-align: top; padding: 3px 5px; border-bottom: 1px solid #c8c8c8; }
thead th { border-bottom: 2px solid #333; vertical-align: bottom; }
th, td { overflow-wrap: normal; }
td.text { overflow-wrap: anywhere; min-width: 7em; }  /* a name longer than the paper is wide still wraps */
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.code, .nowrap { white-space: nowrap; overflow-wrap: normal; }
.sub { display: block; color: #444; font-size: 85%; }
.next { overflow-wrap: anywhere; min-width: 11em; }
.dots { letter-spacing: -1px; white-space: nowrap; }
.sw { display: inline-block; width: 0.8em; height: 0.8em; border: 1px solid #555; margin-right: 4px;
      vertical-align: -1px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
""" + "".join(
    f".s-{stage} {{ background: {colour}; }}\n" for stage, colour in chart.COLOURS.items()
) + """
tr.total td { font-weight: bold; border-top: 2px solid #333; border-bottom: none; }
.legend dl { display: grid; grid-template-columns: max-content auto; gap: 2px 14px; margin: 0; }
.legend dt { font-weight: bold; white-space: nowrap; } .legend dd { margin: 0; }
.note { color: #444; font-size: 9pt; }
@page { margin: 12mm 10mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 9pt; }
  table { font-size: 8pt; }
  th, td { padding: 2px 3px; }
  tr, figure, .legend dl > * { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
"""


def html_page(
    report: dict[str, Any], *, criteria: list[dict[str, Any]], names: dict[str, int], area: str, made: str,
    trend: dict[str, Any] | None = None,
) -> str:
    """The whole page as text (`criteria`: the criteria worded; `names`: the thresholds by short name)."""
    heading = labels.title()
    parts = [
        "<!DOCTYPE html>", f'<html lang="{language()}">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{h(heading)} · {h(area)} · {h(shown_date(report['as_of']))}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        "<header>", f"<h1>{h(heading)}</h1>", '<dl class="meta">',
        f"<dt>{h(_('Area'))}</dt><dd>{h(area)}</dd>",
        f"<dt>{h(_('As of'))}</dt><dd>{h(shown_date(report['as_of']))}</dd>",
        f"<dt>{h(_('Made on'))}</dt><dd>{h(made)}</dd>",
        f"<dt>{h(_('Villages'))}</dt><dd>{report['totals']['villages']}</dd>",
        "</dl>", "</header>",
        "<section>", f"<h2>{h(_('Villages per stage'))}</h2>", f"<figure>{chart.stage_bars(report['totals'])}</figure>",
    ]
    if "areas" in report and report["areas"]:
        parts += [f"<h3>{h(_('Villages per stage in each area'))}</h3>", f"<figure>{chart.area_bars(report['areas'])}</figure>"]
    parts.append("</section>")
    if "villages" in report:
        parts += ["<section>", f"<h2>{h(_('Villages'))}</h2>", _village_table(report, names), "</section>"]
    else:
        by = _("Kecamatan") if report["by"] == "kecamatan" else _("Kabupaten")
        parts += ["<section>", f"<h2>{h(by)}</h2>", _area_table(report), "</section>"]
    if trend is not None:
        parts += _trend_section(trend)
    parts += _legend(report, criteria, names, trend is not None)
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def write_html(report: dict[str, Any], path: Path, **page: Any) -> None:
    """Write the page to `path` (UTF-8)."""
    Path(path).write_text(html_page(report, **page), encoding="utf-8")


def _cells(cells: list[tuple[str, str]], tag: str = "td") -> str:
    return "<tr>" + "".join(f'<{tag} class="{css}">{text}</{tag}>' if css else f"<{tag}>{text}</{tag}>"
                            for css, text in cells) + "</tr>"


def _head(columns: list[labels.Column], numeric: set[str]) -> str:
    cells = [("num" if column.key in numeric else "", h(column.heading)) for column in columns]
    return "<thead>" + _cells(cells, "th") + "</thead>"


def _village_table(report: dict[str, Any], names: dict[str, int]) -> str:
    columns = labels.village_columns(names)
    numeric = {"institutions", "activities_in_window", "cases", "median_days_to_resolve"}
    rows = [_head(columns, numeric), "<tbody>"]
    for row in report["villages"]:
        village = h(row["name"]) + (f'<span class="sub code">{h(row["code"])}</span>' if row["code"] else "")
        rows.append(_cells([
            ("text", village), ("text", h(row["kecamatan"])), ("", _stage(row["stage"])),
            ("nowrap", _progress(row)), ("num", str(row["institutions"])), ("num", str(row["activities_in_window"])),
            ("num", _cases(row)), ("num", _days(row["median_days_to_resolve"])),
            ("next", h(row["next_step"]) if row["next_step"] else "–"),
        ]))
    totals = report["totals"]
    rows.append('<tr class="total">' + "".join(
        f'<td class="{css}">{text}</td>' for css, text in [
            ("", h(_("Total"))), ("", h(ngettext("{count} village", "{count} villages", totals["villages"]).format(
                count=totals["villages"]))), ("", ""), ("", ""),
            ("num", str(totals["institutions"])), ("num", str(totals["activities_in_window"])),
            ("num", _cases(totals)), ("num", _days(totals["median_days_to_resolve"])), ("", ""),
        ]) + "</tr>")
    rows.append("</tbody>")
    return "<table>" + "\n".join(rows) + "</table>"


def _area_table(report: dict[str, Any]) -> str:
    columns = labels.area_columns(report["by"])
    numeric = {"villages", *STAGES, "cases", "median_days_to_resolve"}
    rows = [_head(columns, numeric), "<tbody>"]

    def cells(row: dict[str, Any], name: str) -> list[tuple[str, str]]:
        values = {"name": name, "code": h(row.get("code")), "kabupaten": h(row.get("kabupaten")),
                  "cases": _cases(row), "median_days_to_resolve": _days(row["median_days_to_resolve"]),
                  "villages": str(row["villages"]), **{stage: str(row[stage]) for stage in STAGES}}
        kinds = {"code": "code", "name": "text", "kabupaten": "text"}
        return [("num" if c.key in numeric else kinds.get(c.key, ""), values[c.key]) for c in columns]

    for row in report["areas"]:
        rows.append(_cells(cells(row, h(row["name"]) if row["name"] else h(_("(unknown)")))))
    total = {**report["totals"], "code": None, "kabupaten": None}
    rows.append(_cells(cells(total, h(_("Total")))).replace("<tr>", '<tr class="total">', 1))
    rows.append("</tbody>")
    return "<table>" + "\n".join(rows) + "</table>"


def _trend_section(trend: dict[str, Any]) -> list[str]:
    head = "".join(f'<th class="num">{h(stage_word(stage))}</th>' for stage in STAGES)
    rows = [f'<tr><td class="nowrap">{h(shown_date(point["date"]))}</td>'
            + "".join(f'<td class="num">{point[stage]}</td>' for stage in STAGES)
            + f'<td class="num">{point["villages"]}</td></tr>' for point in trend["quarters"]]
    return [
        "<section>", f"<h2>{h(_('Stages over time'))}</h2>",
        f'<p class="note">{h(_("Villages per stage at the end of each quarter, by the same criteria as today."))}</p>',
        f"<figure>{chart.trend_chart(trend)}</figure>",
        f"<table><thead><tr><th>{h(_('quarter end'))}</th>{head}<th class=\"num\">{h(_('villages'))}</th></tr></thead>",
        "<tbody>", *rows, "</tbody></table>", "</section>",
    ]


def _legend(report: dict[str, Any], criteria: list[dict[str, Any]], names: dict[str, int], trend: bool) -> list[str]:
    columns = labels.village_columns(names) if "villages" in report else labels.area_columns(report["by"])
    parts = ['<section class="legend">', f"<h2>{h(_('Legend'))}</h2>", f"<h3>{h(_('Columns'))}</h3>", "<dl>"]
    parts += [f"<dt>{h(column.heading)}</dt><dd>{h(column.meaning)}</dd>" for column in columns]
    parts += ["</dl>", f"<h3>{h(_('Stages'))}</h3>", "<dl>"]
    parts += [f'<dt><span class="sw s-{code}"></span>{h(word)}</dt><dd>{h(meaning)}</dd>'
              for code, word, meaning in labels.stage_meanings()]
    parts += ["</dl>", f"<h3>{h(_('Criteria'))}</h3>", "<dl>"]
    parts += [f"<dt>{h(c['key'])}</dt><dd>{h(c['rule'])}</dd>" for c in criteria]
    parts += ["</dl>"]
    if "villages" in report:
        parts.append(f'<p class="note">{h(_("Progress dots: ● a criterion met, ○ not met, in the order F1 … A3."))}</p>')
    parts.append("</section>")
    return parts


def _stage(stage: str) -> str:
    return f'<span class="sw s-{stage}"></span>{h(stage_word(stage))}'


def _progress(row: dict[str, Any]) -> str:
    met = [key for key in CRITERIA_KEYS if row["criteria"][key]]
    dots = "".join("●" if row["criteria"][key] else "○" for key in CRITERIA_KEYS)
    return f'<span class="dots" title="{h(" ".join(met))}">{dots}</span> {row["progress"]}/{len(CRITERIA_KEYS)}'


def _cases(row: dict[str, Any]) -> str:
    return f"{row['cases_open']} / {row['cases_resolved']}"


def _days(days: float | int | None) -> str:
    return "–" if days is None else shown_number(days)  # 73,5 in Indonesian

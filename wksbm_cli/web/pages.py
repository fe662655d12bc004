"""The web view's HTML pages, made from the same data as `wksbm summary` (no Datasette here).

Every value from the database goes through `_h` (escaped for HTML, control characters shown as
`\\x1b`); every word of the interface through `_()`.
"""

import re
from html import escape
from typing import Any
from urllib.parse import urlencode

from wksbm_cli import stages
from wksbm_cli.i18n import _, language, shown, shown_cell, shown_date
from wksbm_cli.reports import chart

DATABASE = "wksbm"  # the publishing copy's name in Datasette's URLs: /wksbm/villages
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

CSS = """
body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#1f4e79;color:#fff;padding:.6em 1.2em;display:flex;gap:1.5em;align-items:baseline;flex-wrap:wrap}
header a{color:#fff;margin-right:1em}header strong{font-size:1.2em}
main{padding:1em 1.2em;max-width:1200px}
h1{margin:.2em 0}.sub{color:#555;margin:0 0 1em}
table{border-collapse:collapse;background:#fff;margin:.6em 0 1.2em;font-size:.92em}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#eef2f6}td.n{text-align:right;font-variant-numeric:tabular-nums}
.stage{padding:.1em .45em;border-radius:.3em;white-space:nowrap;border:1px solid #555}
""" + "".join(f".stage-{stage}{{background:{colour};color:{chart.INK[stage]}}}" for stage, colour in chart.COLOURS.items()) + """
figure{margin:.4em 0 1em}svg{max-width:100%;height:auto}
td.p{white-space:nowrap}.bar{display:inline-block;width:70px;height:.7em;background:#ddd;margin-right:.4em}.bar i{display:block;height:100%;background:#2f9e5e}
.met{color:#23794a;font-weight:bold}.unmet{color:#b03030;font-weight:bold}
.cards{display:flex;gap:.8em;flex-wrap:wrap;margin:.5em 0}.card{background:#fff;border:1px solid #ccc;padding:.4em .8em}
.card b{font-size:1.4em;display:block}.next{background:#fff7e0;border-left:4px solid #e9b949;padding:.5em .8em}
footer{color:#666;font-size:.85em;padding:1em 1.2em}form{margin:.5em 0}
@media print{header nav,form{display:none}body{background:#fff}}
"""


def _h(value: Any) -> str:
    """A stored value as HTML text: escaped, control characters visible as \\xNN, never markup."""
    if value is None:
        return ""
    return escape(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                               else f"\\u{ord(m.group()):04x}", str(value)))


def _date(iso: str | None) -> str:
    """A date as the interface shows it: DD/MM/YYYY in Indonesian, YYYY-MM-DD in English."""
    return shown_date(iso) if iso else ""


def _stage(stage: str) -> str:
    return f'<span class="stage stage-{stage}">{_h(stages.stage_word(stage))}</span>'


def _progress(met: int) -> str:
    return (f'<span class="bar"><i style="width:{round(100 * met / 7)}%"></i></span>'
            + _("{met} of 7").format(met=met))


def _num(value: Any) -> str:
    return f'<td class="n">{"" if value is None else _h(value)}</td>'


def layout(title: str, body: str, refreshed: str) -> str:
    """The page around `body`: heading bar with the navigation, and the footer saying what is never shown."""
    nav = (f'<a href="/">{_h(_("Summary"))}</a><a href="/kecamatan">{_h(_("Per kecamatan"))}</a>'
           f'<a href="/kabupaten">{_h(_("Per kabupaten"))}</a><a href="/{DATABASE}">{_h(_("Data tables"))}</a>')
    footer = _("This view holds no personal data: no names, no NIK, no audit log. "
               "Copy made {refreshed}; it is remade when the database changes.").format(refreshed=refreshed)
    return (f'<!doctype html><html lang="{language()}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{_h(title)}</title><style>{CSS}</style></head><body>'
            f'<header><strong>WKSBM</strong><nav>{nav}</nav></header><main>{body}</main>'
            f'<footer>{_h(footer)}</footer></body></html>')


def _as_of_form(as_of: str, extra: dict[str, str]) -> str:
    hidden = "".join(f'<input type="hidden" name="{_h(k)}" value="{_h(v)}">' for k, v in extra.items() if v)
    return (f'<form method="get">{hidden}<label>{_h(_("As of"))} '
            f'<input type="date" name="as_of" value="{_h(as_of)}"></label> '
            f'<button type="submit">{_h(_("Show"))}</button></form>')


def _totals_cards(totals: dict[str, Any]) -> str:
    # (Not ngettext: "village" alone is a column word elsewhere, and one msgid cannot be both.)
    villages = _("village") if totals["villages"] == 1 else _("villages")
    cards = [f'<div class="card"><b>{totals["villages"]}</b>{_h(villages)}</div>']
    cards += [f'<div class="card"><b>{totals[stage]}</b>{_stage(stage)}</div>' for stage in stages.STAGES]
    cards.append(f'<div class="card"><b>{totals["cases_open"]}</b>{_h(_("cases open"))}</div>')
    cards.append(f'<div class="card"><b>{totals["cases_resolved"]}</b>{_h(_("cases resolved"))}</div>')
    return f'<div class="cards">{"".join(cards)}</div>'


def _trend_section(trend: dict[str, Any] | None, query: dict[str, str]) -> str:
    """Villages per stage at each quarter end (`summary --trend`): the chart, and its numbers under it."""
    if trend is None:
        return ""
    labels = stages.stage_words()
    heads = [_("Quarter end"), *(labels[stage] for stage in stages.STAGES), _("Villages")]
    rows = "".join(
        f'<tr data-date="{_h(point["date"])}"><td>{_h(_date(point["date"]))}</td>'
        + "".join(_num(point[key]) for key in (*stages.STAGES, "villages")) + "</tr>"
        for point in trend["quarters"])
    return (f'<h2>{_h(_("Stages over time"))}</h2>'
            f'<p class="sub">{_h(_("Villages per stage at the end of each quarter, by the same criteria as today."))}</p>'
            f'<figure>{chart.trend_chart(trend, words=labels)}</figure>'
            f'<table id="trend"><thead><tr>{"".join(f"<th>{_h(h)}</th>" for h in heads)}</tr></thead>'
            f'<tbody>{rows}</tbody></table>'
            f'<p><a href="/trend.json?{urlencode(query)}">{_h(_("These numbers as JSON"))}</a></p>')


def summary_page(report: dict[str, Any], links: dict[tuple, int], refreshed: str, kecamatan: str | None = None,
                 trend: dict[str, Any] | None = None) -> str:
    """Every village's stage, progress and next step, with the stage chart and the stages over time:
    `wksbm summary` (and `--trend`) as a page."""
    villages, totals = report["villages"], report["totals"]
    kabupaten = sorted({v["kabupaten"] for v in villages if v["kabupaten"]})
    area = kecamatan and _("Kecamatan {name}").format(name=villages[0]["kecamatan"] if villages else kecamatan)
    area = area or ", ".join(_("Kabupaten {name}").format(name=name) for name in kabupaten)
    title = _("WKSBM progress")
    heads = [_("Code"), _("Village"), _("Kecamatan"), _("Stage"), _("Progress"), _("Member institutions"),
             _("Activities in window"), _("Cases open"), _("Cases resolved"), _("Median days to resolve"), _("Next step")]
    rows = []
    for v in villages:
        village_id = links.get((v["code"], v["name"], v["kecamatan"]))
        name = _h(v["name"]) if village_id is None else f'<a href="/village/{village_id}?{urlencode({"as_of": report["as_of"]})}">{_h(v["name"])}</a>'
        rows.append(
            f'<tr data-code="{_h(v["code"])}"><td>{_h(v["code"])}</td><td>{name}</td><td>{_h(v["kecamatan"])}</td>'
            f'<td>{_stage(v["stage"])}</td><td class="p">{_progress(v["progress"])}</td>'
            + "".join(_num(v[key]) for key in ("institutions", "activities_in_window", "cases_open", "cases_resolved",
                                               "median_days_to_resolve"))
            + f'<td>{_h(shown(v["next_step"]) or "—")}</td></tr>')
    query = {"as_of": report["as_of"], **({"kecamatan": kecamatan} if kecamatan else {})}
    body = (
        f'<h1>{_h(title)}</h1><p class="sub">{_h(area)} · {_h(_("as of {date}").format(date=_date(report["as_of"])))}</p>'
        f'{_as_of_form(report["as_of"], {"kecamatan": kecamatan or ""})}{_totals_cards(totals)}'
        + f'<figure>{chart.stage_bars(totals, words=stages.stage_words())}</figure>'
        + f'<table id="villages"><thead><tr>{"".join(f"<th>{_h(h)}</th>" for h in heads)}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table>'
        f'<p><a href="/summary.json?{urlencode(query)}">{_h(_("These numbers as JSON"))}</a></p>'
        + _trend_section(trend, query)
    )
    return layout(title, body, refreshed)


def areas_page(report: dict[str, Any], refreshed: str, trend: dict[str, Any] | None = None) -> str:
    """Villages per stage rolled up per kecamatan or kabupaten, with a bar per area and the stages over time."""
    by, areas = report["by"], report["areas"]
    title = _("WKSBM progress per kecamatan") if by == "kecamatan" else _("WKSBM progress per kabupaten")
    labels = stages.stage_words()
    heads = [_("Code"), _("Kecamatan") if by == "kecamatan" else _("Kabupaten")]
    heads += [_("Kabupaten")] if by == "kecamatan" else []
    heads += [_("Villages"), *labels.values(), _("Member institutions"), _("Activities in window"),
              _("Cases open"), _("Cases resolved"), _("Median days to resolve")]
    rows = []
    for a in areas:
        name = _h(a["name"])
        if by == "kecamatan" and a["code"]:
            name = f'<a href="/?{urlencode({"as_of": report["as_of"], "kecamatan": a["code"]})}">{name}</a>'
        cells = [f'<td>{_h(a["code"])}</td>', f"<td>{name}</td>"]
        cells += [f'<td>{_h(a["kabupaten"])}</td>'] if by == "kecamatan" else []
        cells += [_num(a[key]) for key in ("villages", *stages.STAGES, "institutions", "activities_in_window",
                                            "cases_open", "cases_resolved", "median_days_to_resolve")]
        rows.append(f'<tr data-code="{_h(a["code"])}">{"".join(cells)}</tr>')
    body = (
        f'<h1>{_h(title)}</h1><p class="sub">{_h(_("as of {date}").format(date=_date(report["as_of"])))}</p>'
        f'{_as_of_form(report["as_of"], {})}{_totals_cards(report["totals"])}'
        + f'<figure>{chart.area_bars(areas, words=labels)}</figure>'
        + f'<table id="areas"><thead><tr>{"".join(f"<th>{_h(h)}</th>" for h in heads)}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table>'
        f'<p><a href="/summary.json?{urlencode({"as_of": report["as_of"], "by": by})}">{_h(_("These numbers as JSON"))}</a></p>'
        + _trend_section(trend, {"as_of": report["as_of"]})
    )
    return layout(title, body, refreshed)


def village_page(v: dict[str, Any], refreshed: str) -> str:
    """One village: its WKSBM, each criterion with its evidence, the next step, institutions, activities, case counts."""
    title = _("Village {name}").format(name=v["name"])
    facts = [
        (_("Code"), v["code"]), (_("Kabupaten"), v["kabupaten"]),
        (_("WKSBM formed on"), _date(v["formed_on"]) or _("not yet")), (_("Decree (SK)"), v["decree"]),
    ]
    facts_html = "".join(f"<tr><th>{_h(k)}</th><td>{_h(val)}</td></tr>" for k, val in facts)
    kecamatan = _h(v["kecamatan"])
    if v["kecamatan"]:
        query = urlencode({"as_of": v["as_of"], "kecamatan": v["code"][:8] if v["code"] else v["kecamatan"]})
        kecamatan = f'<a href="/?{query}">{kecamatan}</a>'
    facts_html = f"<tr><th>{_h(_('Kecamatan'))}</th><td>{kecamatan}</td></tr>" + facts_html
    criteria = "".join(
        f'<tr><td>{_h(c["key"])}</td><td>{_h(stages.stage_words()[c["stage"]])}</td><td>{_h(shown(c["rule"]))}</td>'
        f'<td class="{"met" if c["met"] else "unmet"}">{_h(_("met") if c["met"] else _("not met"))}</td>'
        f'<td>{_h(shown(c["evidence"]))}</td></tr>'
        for c in v["criteria"])
    next_step = shown(v["next_step"]) or _("Nothing: every criterion is met.")
    institutions = "".join(
        f'<tr><td>{_h(i["name"])}</td><td>{_h((i["type_id"] if language() == "id" else i["type_en"]) or i["type"])}</td>'
        f'{_num(i["members"])}<td>{_h(_date(i["joined_on"]) or _("not a member yet"))}</td></tr>'
        for i in v["institutions"])
    activities = "".join(
        f'<tr><td>{_h(_date(a["held_on"]))}</td><td>{_h(shown_cell("kind", a["kind"]))}</td><td>{_h(a["institution"])}</td>{_num(a["attendees"])}</tr>'
        for a in v["activities"])
    cases = [(_("Cases open"), v["cases_open"]), (_("Cases resolved"), v["cases_resolved"]),
             (_("Cases closed"), v["cases_closed"]), (_("Median days to resolve"), v["median_days_to_resolve"])]
    body = (
        f'<h1>{_h(title)}</h1><p class="sub">{_stage(v["stage"])} · {_progress(v["progress"])} · '
        f'{_h(_("as of {date}").format(date=_date(v["as_of"])))}</p>{_as_of_form(v["as_of"], {})}'
        f'<p class="next"><b>{_h(_("Next step"))}:</b> {_h(next_step)}</p>'
        f'<table id="facts">{facts_html}</table>'
        f'<h2>{_h(_("Criteria"))}</h2><table id="criteria"><thead><tr><th>{_h(_("Criterion"))}</th><th>{_h(_("Stage"))}</th>'
        f'<th>{_h(_("Rule"))}</th><th>{_h(_("Met"))}</th><th>{_h(_("Evidence"))}</th></tr></thead><tbody>{criteria}</tbody></table>'
        f'<h2>{_h(_("Cases"))}</h2><table id="cases">'
        + "".join(f"<tr><th>{_h(k)}</th>{_num(val)}</tr>" for k, val in cases) + "</table>"
        f'<h2>{_h(_("Institutions"))}</h2><table id="institutions"><thead><tr><th>{_h(_("Name"))}</th><th>{_h(_("Type"))}</th>'
        f'<th>{_h(_("Members"))}</th><th>{_h(_("Joined the WKSBM on"))}</th></tr></thead><tbody>{institutions}</tbody></table>'
        f'<h2>{_h(_("Recent activities"))}</h2><table id="activities"><thead><tr><th>{_h(_("Date"))}</th><th>{_h(_("Kind"))}</th>'
        f'<th>{_h(_("Institution"))}</th><th>{_h(_("Attendees"))}</th></tr></thead><tbody>{activities}</tbody></table>'
    )
    return layout(title, body, refreshed)


def error_page(status_text: str, refreshed: str) -> str:
    """A short page for a bad request or a missing village."""
    return layout(_("Not available"), f"<h1>{_h(_('Not available'))}</h1><p>{_h(status_text)}</p>", refreshed)

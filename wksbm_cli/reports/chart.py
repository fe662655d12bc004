"""Charts as inline SVG (no script, no external resource): villages per stage, per area, and over time.

Colours run light to dark from `none` to `active`, so a chart printed in black and white still reads;
every bar carries its number as text. The printable report names each stage in Indonesian (with the
English word on the stage bars); the web view passes `words`, the stage as its interface names it.
One implementation for both: the web view draws its charts here too.
"""

import math
from html import escape
from typing import Any

from wksbm_cli.i18n import _, language, shown_date
from wksbm_cli.reports.shown import shown
from wksbm_cli.stages import STAGES, stage_words

COLOURS = {"none": "#eeeeee", "formed": "#bdd7e7", "running": "#6baed6", "active": "#2171b5"}
INK = {"none": "#111111", "formed": "#111111", "running": "#111111", "active": "#ffffff"}
FONT = "font-family=\"DejaVu Sans, Liberation Sans, Arial, sans-serif\""
MOST_AREAS = 60  # a chart of more areas than this is no longer read; the table lists every area


def _svg(width: int, height: int, body: list[str], label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-label="{escape(label)}" {FONT} font-size="12">'
            f'<title>{escape(label)}</title>' + "".join(body) + "</svg>")


def _text_width(text: str, size: float = 12) -> float:
    """A generous estimate of how wide `text` is set in DejaVu Sans (no font metrics at hand)."""
    return len(text) * size * 0.62


def _words(words: dict[str, str] | None) -> dict[str, str]:
    return words or stage_words()


def stage_bars(totals: dict[str, Any], width: int = 640, words: dict[str, str] | None = None) -> str:
    """Villages per stage: one horizontal bar each, with the count and share of all villages."""
    label = _("Villages per stage")
    total = totals["villages"]
    names = [_words(words)[stage] for stage in STAGES]
    left = int(max(_text_width(name) for name in names)) + 12
    bar_room = width - left - 110
    most = max((totals[stage] for stage in STAGES), default=0) or 1
    body, y = [], 8
    for stage, name in zip(reversed(STAGES), reversed(names)):
        count = totals[stage]
        share = f"{100 * count / total:.0f}%" if total else "-"
        length = bar_room * count / most
        body.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{escape(name)}</text>')
        body.append(f'<rect x="{left}" y="{y}" width="{length:.1f}" height="22" fill="{COLOURS[stage]}" '
                    f'stroke="#555" stroke-width="0.8"/>')
        body.append(f'<text x="{left + length + 6:.1f}" y="{y + 15}">{count} · {share}</text>')
        y += 30
    return _svg(width, y + 4, body, label)


def area_bars(areas: list[dict[str, Any]], width: int = 640, words: dict[str, str] | None = None) -> str:
    """Villages per stage in each area: one stacked bar per area, as long as its number of villages."""
    shown_areas = sorted(areas, key=lambda area: -area["villages"])[:MOST_AREAS]
    shown_areas.sort(key=lambda area: (area["code"] is None, area["code"] or "", area["name"] or ""))
    label = _("Villages per stage in each area")
    names = [shown(area["name"] or _("(unknown)")) for area in shown_areas]
    names = [name if len(name) <= 28 else name[:27] + "…" for name in names]
    left = int(max((_text_width(name) for name in names), default=40)) + 12
    bar_room = width - left - 50
    most = max((area["villages"] for area in shown_areas), default=0) or 1
    body, y = [_legend_row(left, 4, words)], 30
    for area, name in zip(shown_areas, names):
        body.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{escape(name)}</text>')
        x = float(left)
        for stage in STAGES:
            length = bar_room * area[stage] / most
            if length:
                body.append(f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="18" fill="{COLOURS[stage]}" '
                            f'stroke="#555" stroke-width="0.6"><title>{escape(_words(words)[stage])}: {area[stage]}'
                            f'</title></rect>')
                if length > _text_width(str(area[stage]), 10) + 4:
                    body.append(f'<text x="{x + length / 2:.1f}" y="{y + 13}" font-size="10" text-anchor="middle" '
                                f'fill="{INK[stage]}">{area[stage]}</text>')
            x += length
        body.append(f'<text x="{x + 6:.1f}" y="{y + 13}">{area["villages"]}</text>')
        y += 24
    if len(areas) > len(shown_areas):
        note = _("The chart shows the {shown} areas with the most villages of {count}; the table lists every area.")
        body.append(f'<text x="0" y="{y + 12}" font-size="11">'
                    f'{escape(note.format(shown=len(shown_areas), count=len(areas)))}</text>')
        y += 20
    return _svg(width, y + 4, body, label)


def _legend_row(x: float, y: float, words: dict[str, str] | None = None) -> str:
    """A key to the stage colours, on one line."""
    parts = []
    for stage in STAGES:
        word = _words(words)[stage]
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="14" height="14" fill="{COLOURS[stage]}" stroke="#555" '
                     f'stroke-width="0.6"/><text x="{x + 19:.1f}" y="{y + 12}">{escape(word)}</text>')
        x += 19 + _text_width(word) + 14
    return "".join(parts)


def trend_chart(trend: dict[str, Any], width: int = 640, height: int = 240, words: dict[str, str] | None = None) -> str:
    """Villages per stage at each quarter end: stacked columns, one per quarter, `active` at the bottom."""
    points = trend["quarters"]
    label = _("Villages per stage at each quarter end")
    top, bottom, left, right = 30, 40, 44, 10
    room_x, room_y = width - left - right, height - top - bottom
    most = max((sum(point[stage] for stage in STAGES) for point in points), default=0) or 1
    step = room_x / max(len(points), 1)
    bar = max(min(step * 0.7, 40), 1)
    body = [_legend_row(left, 4, words)]
    for tick in _ticks(most):
        y = top + room_y - room_y * tick / most
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc" stroke-width="0.6"/>'
                    f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="10">{tick}</text>')
    every = max(1, math.ceil(len(points) / (room_x / 56)))  # a date label needs about 56 px
    for index, point in enumerate(points):
        x, y = left + step * index + (step - bar) / 2, float(top + room_y)
        for stage in reversed(STAGES):
            length = room_y * point[stage] / most
            if length:
                y -= length
                body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{length:.1f}" '
                            f'fill="{COLOURS[stage]}" stroke="#555" stroke-width="0.5"><title>{shown_date(point["date"])} '
                            f'{escape(_words(words)[stage])}: {point[stage]}</title></rect>')
        if index % every == 0 or index == len(points) - 1:
            body.append(f'<text x="{x + bar / 2:.1f}" y="{top + room_y + 14}" font-size="10" '
                        f'text-anchor="middle">{_month(point["date"])}</text>')
    body.append(f'<line x1="{left}" x2="{width - right}" y1="{top + room_y}" y2="{top + room_y}" stroke="#333"/>')
    return _svg(width, height, body, label)


def _month(iso: str) -> str:
    """A quarter's label: its month as the interface writes dates (2022-12 in English, 12/2022 in Indonesian)."""
    return iso[:7] if language() != "id" else f"{iso[5:7]}/{iso[:4]}"


def _ticks(most: int) -> list[int]:
    """Three or four round numbers up to `most` for the chart's grid lines."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 25000, 50000):
        if most / step <= 5:
            return list(range(0, most + 1, step))
    return [0, most]

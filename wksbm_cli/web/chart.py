"""Inline SVG charts of villages per stage: whole, and per area. No script, no external resource."""

from html import escape

from wksbm_cli import stages

COLOURS = {"none": "#b8b8b8", "formed": "#e9b949", "running": "#4a8fd6", "active": "#2f9e5e"}


def stage_bars(counts: dict[str, int], labels: dict[str, str], title: str) -> str:
    """One horizontal bar per stage, its length the number of villages in that stage."""
    width, label_w, row_h = 520, 150, 28
    most = max([counts.get(stage, 0) for stage in stages.STAGES] + [1])
    rows = []
    for i, stage in enumerate(stages.STAGES):
        n = counts.get(stage, 0)
        y = 8 + i * row_h
        bar = round((width - label_w - 50) * n / most)
        rows.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{escape(labels[stage])}</text>'
            f'<rect x="{label_w}" y="{y}" width="{bar}" height="20" fill="{COLOURS[stage]}"/>'
            f'<text x="{label_w + bar + 6}" y="{y + 15}">{n}</text>'
        )
    height = 16 + len(stages.STAGES) * row_h
    return _svg(width, height, title, "".join(rows))


def area_bars(areas: list[dict], labels: dict[str, str], title: str) -> str:
    """One bar per area, split by stage (villages per stage), with a legend."""
    width, label_w, row_h = 640, 170, 24
    most = max([area["villages"] for area in areas] + [1])
    rows = []
    for i, area in enumerate(areas):
        y = 34 + i * row_h
        x = label_w
        rows.append(f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end">{escape(str(area["name"] or "—"))}</text>')
        for stage in stages.STAGES:
            part = round((width - label_w - 50) * area[stage] / most)
            if part:
                rows.append(f'<rect x="{x}" y="{y}" width="{part}" height="18" fill="{COLOURS[stage]}">'
                            f'<title>{escape(labels[stage])}: {area[stage]}</title></rect>')
            x += part
        rows.append(f'<text x="{x + 6}" y="{y + 13}">{area["villages"]}</text>')
    legend, x = [], label_w
    for stage in stages.STAGES:
        legend.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{COLOURS[stage]}"/>'
                      f'<text x="{x + 16}" y="16">{escape(labels[stage])}</text>')
        x += 24 + 8 * len(labels[stage])
    height = 44 + len(areas) * row_h
    return _svg(width, height, title, "".join(legend + rows))


def _svg(width: int, height: int, title: str, body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" font-family="sans-serif" font-size="13">'
            f'<title>{escape(title)}</title>{body}</svg>')

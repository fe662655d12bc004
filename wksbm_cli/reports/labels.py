"""The words a printed or shared report uses: its title, the area it covers, column headings and the legend.

The HTML page, the SVG image and the XLSX workbook all take their wording from here, so they read alike
(and are translated once). Codes (`F1`, `active`) and the Indonesian stage words stay as they are.
"""

from typing import Any, NamedTuple

from wksbm_cli.i18n import _
from wksbm_cli.stages import STAGES, stage_word


class Column(NamedTuple):
    """One column of the report's table: its key in the report, its short heading and what it means."""

    key: str
    heading: str
    meaning: str


def title() -> str:
    """The report's title."""
    return _("WKSBM progress report")


def village_columns(names: dict[str, int]) -> list[Column]:
    """The columns of a report with one row per village (`names`: the thresholds by short name)."""
    return [
        Column("name", _("village"), _("the village's name and its Kemendagri code")),
        Column("kecamatan", _("kecamatan"), _("the kecamatan (district) the village belongs to")),
        Column("stage", _("stage"), _("the WKSBM's stage as of the report date (see Stages below)")),
        Column("progress", _("progress"), _("criteria met out of seven (F1 … A3, see Criteria below)")),
        Column("institutions", _("inst"),
               _("member institutions: institutions that joined on or before the report date")),
        Column("activities_in_window", _("act"),
               _("activities in the last {window_days} days up to the report date").format(**names)),
        Column("cases", _("open/res"),
               _("cases open (reported, in handling or referred) / cases resolved, as of the report date")),
        Column("median_days_to_resolve", _("median days"),
               _("median days from a case's report to its resolution, over the cases resolved by the report date")),
        Column("next_step", _("next step"), _("the first criterion not yet met, worded as what to do next")),
    ]


def area_columns(by: str) -> list[Column]:
    """The columns of a report with one row per kecamatan or kabupaten."""
    area = _("kecamatan") if by == "kecamatan" else _("kabupaten")
    columns = [
        Column("name", area, _("the area's name")),
        Column("code", _("code"), _("the area's Kemendagri code")),
    ]
    if by == "kecamatan":
        columns.append(Column("kabupaten", _("kabupaten"), _("the kabupaten the kecamatan belongs to")))
    columns.append(Column("villages", _("villages"), _("villages in the area")))
    columns += [
        Column(stage, stage_word(stage), _("villages at this stage"))
        for stage in STAGES
    ]
    columns += [
        Column("cases", _("open/res"),
               _("cases open (reported, in handling or referred) / cases resolved, as of the report date")),
        Column("median_days_to_resolve", _("median days"),
               _("median days from a case's report to its resolution, over the cases resolved by the report date")),
    ]
    return columns


def stage_meanings() -> list[tuple[str, str, str]]:
    """Each stage as (code, the interface's word for it, what it takes), from the lowest up."""
    return [
        ("none", stage_word("none"), _("not yet formed: F1 or F2 not met")),
        ("formed", stage_word("formed"), _("formed: F1 and F2 met")),
        ("running", stage_word("running"), _("running: F1, F2, R1 and R2 met")),
        ("active", stage_word("active"), _("active (lasting): all seven criteria met")),
    ]


def area_covered(report: dict[str, Any], kecamatan: str | None = None) -> str:
    """The area a report covers, in words: `Kecamatan Besuk, Kabupaten Probolinggo`, or the kabupaten it spans."""
    rows = report.get("villages", report.get("areas", []))
    if report.get("by") == "kabupaten":
        kabupaten = sorted({row["name"] for row in rows if row.get("name")})
    else:
        kabupaten = sorted({row["kabupaten"] for row in rows if row.get("kabupaten")})
    if kecamatan:
        names = sorted({row["kecamatan"] for row in rows if row.get("kecamatan")}) if "villages" in report else []
        shown = names[0] if len(names) == 1 else kecamatan
        if len(kabupaten) == 1:
            return _("Kecamatan {kecamatan}, Kabupaten {kabupaten}").format(kecamatan=shown, kabupaten=kabupaten[0])
        return _("Kecamatan {kecamatan}").format(kecamatan=shown)
    if not kabupaten:
        return _("every village in this database")
    if len(kabupaten) == 1:
        return _("Kabupaten {kabupaten}").format(kabupaten=kabupaten[0])
    if len(kabupaten) <= 4:
        return _("Kabupaten {names}").format(names=", ".join(kabupaten))
    return _("{count} kabupaten: every village in this database").format(count=len(kabupaten))

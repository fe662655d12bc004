"""`wksbm summary`: exact JSON and CSV, roll-ups per kecamatan/kabupaten, the table at a fixed width, pages."""

import json

import pytest

from wksbm_cli.services import cases, villages
from tests.test_stages import active_village, add_members, add_village


def small_world(conn):
    """Randujalak active, Alasnyiur formed (Besuk); Kregenan none (Kecamatan Kraksaan); Kampung Baru uncoded, in Besuk."""
    active_village(conn)
    add_members(conn, add_village(conn, name="Alasnyiur", code="35.13.13.2003", formed_on="2022-06-01"))
    add_village(conn, name="Kregenan", code="35.13.14.2001", kecamatan="Kraksaan", formed_on=None)
    villages.add_village(conn, name="Kampung Baru", kecamatan="Besuk", kabupaten="Probolinggo")
    cases.add_case(conn, "Kregenan", ref="T1", category="fakir-miskin", person_name="Paini", reported_on="2022-02-01",
                   status="resolved", resolved_on="2022-03-03")


def test_summary_json_is_exactly_the_spec_shape(conn, cli):
    small_world(conn)
    result = cli("summary", "--as-of", "31/12/2022", "--kecamatan", "35.13.13", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["as_of"] == "2022-12-31"
    assert report["totals"] == {
        "villages": 3, "none": 1, "formed": 1, "running": 0, "active": 1, "institutions": 6,
        "activities_in_window": 1, "cases_open": 0, "cases_resolved": 1, "cases_closed": 0, "median_days_to_resolve": 40,
    }
    assert report["villages"][2] == {
        "code": "35.13.13.2013", "name": "Randujalak", "kecamatan": "Besuk", "kabupaten": "Probolinggo",
        "stage": "active", "stage_id": "eksis", "progress": 7,
        "criteria": {"F1": True, "F2": True, "R1": True, "R2": True, "A1": True, "A2": True, "A3": True},
        "institutions": 3, "activities_in_window": 1, "cases_open": 0, "cases_resolved": 1, "cases_closed": 0,
        "median_days_to_resolve": 40, "next_step": None,
    }
    assert [(v["name"], v["stage"], v["progress"], v["next_step"]) for v in report["villages"][:2]] == [
        ("Alasnyiur", "formed", 2, "record a meeting: none in the last 90 days"),
        ("Kampung Baru", "none", 0, "set the date the WKSBM was formed: not set"),
    ]


def test_roll_up_by_kecamatan_uses_code_prefixes_and_names_for_uncoded_villages(conn, cli):
    small_world(conn)
    report = cli.json("summary", "--as-of", "2022-12-31", "--by", "kecamatan")
    assert report["areas"] == [
        {"code": "35.13.13", "name": "Besuk", "kabupaten": "Probolinggo", "villages": 3, "none": 1, "formed": 1,
         "running": 0, "active": 1, "institutions": 6, "activities_in_window": 1, "cases_open": 0,
         "cases_resolved": 1, "cases_closed": 0, "median_days_to_resolve": 40},
        {"code": "35.13.14", "name": "Kraksaan", "kabupaten": "Probolinggo", "villages": 1, "none": 1, "formed": 0,
         "running": 0, "active": 0, "institutions": 0, "activities_in_window": 0, "cases_open": 0,
         "cases_resolved": 1, "cases_closed": 0, "median_days_to_resolve": 30},
    ]
    assert report["totals"]["villages"] == 4
    assert report["totals"]["median_days_to_resolve"] == 35


def test_roll_up_by_kabupaten(conn, cli):
    small_world(conn)
    villages.add_village(conn, name="Nowhere")
    report = cli.json("summary", "--as-of", "2022-12-31", "--by", "kabupaten")
    assert [(a["code"], a["name"], a["villages"], a["none"], a["formed"], a["active"], a["cases_resolved"]) for a in report["areas"]] == [
        ("35.13", "Probolinggo", 4, 2, 1, 1, 2),
        (None, None, 1, 1, 0, 0, 0),
    ]
    assert report["areas"][0]["median_days_to_resolve"] == 35


def test_summary_csv_has_one_row_per_village(conn, cli):
    small_world(conn)
    result = cli("summary", "--as-of", "2022-12-31", "--kecamatan", "Kraksaan", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "code,name,kecamatan,kabupaten,stage,stage_id,progress,F1,F2,R1,R2,A1,A2,A3,institutions,activities_in_window,"
        "cases_open,cases_resolved,cases_closed,median_days_to_resolve,next_step",
        "35.13.14.2001,Kregenan,Kraksaan,Probolinggo,none,belum terbentuk,1,False,False,False,False,False,False,True,"
        "0,0,0,1,0,30,set the date the WKSBM was formed: not set",
    ]


def test_area_csv(conn, cli):
    small_world(conn)
    result = cli("summary", "--as-of", "2022-12-31", "--by", "kabupaten", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "code,name,villages,none,formed,running,active,institutions,activities_in_window,cases_open,cases_resolved,"
        "cases_closed,median_days_to_resolve",
        "35.13,Probolinggo,4,2,1,0,1,6,1,0,2,0,35",
    ]


TABLE_AT_100 = """\
WKSBM progress as of 2022-12-31
                                                            cases  median
village       kecamatan  stage   progress     inst  act  open/res    days
  next step
─────────────────────────────────────────────────────────────────────────
Alasnyiur     Besuk      formed  ██░░░░░ 2/7     3    0     0 / 0       -
  record a meeting: none in the last 90 days
Kampung Baru  Besuk      none    ░░░░░░░ 0/7     0    0     0 / 0       -
  set the date the WKSBM was formed: not set
Randujalak    Besuk      active  ███████ 7/7     3    1     0 / 1      40
Kregenan      Kraksaan   none    █░░░░░░ 1/7     0    0     0 / 1      30
  set the date the WKSBM was formed: not set
─────────────────────────────────────────────────────────────────────────
Total                    4                       6    1     0 / 2      35
Villages per stage: active 1 · running 0 · formed 1 · none 2
"""


def test_table_at_100_columns(conn, cli, monkeypatch):
    small_world(conn)
    monkeypatch.setenv("COLUMNS", "100")
    result = cli("summary", "--as-of", "2022-12-31")
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout
    assert "\n".join(line.rstrip() for line in result.stdout.splitlines()) + "\n" == TABLE_AT_100


def test_areas_table_lists_stage_counts(conn, cli):
    small_world(conn)
    result = cli("summary", "--as-of", "2022-12-31", "--by", "kabupaten")
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[2].split() == ["kabupaten", "code", "villages", "none", "formed", "running", "active", "open/res", "days"]
    assert lines[4].split() == ["Probolinggo", "35.13", "4", "2", "1", "0", "1", "0", "/", "2", "35"]


def test_html_and_svg_pages(conn, cli, tmp_path):
    small_world(conn)
    for name in ("summary.html", "summary.svg"):
        result = cli("summary", "--as-of", "2022-12-31", "-o", tmp_path / name)
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
        assert result.stderr == f"Wrote {tmp_path / name}.\n"
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "Randujalak" in text and "WKSBM progress report" in text and "2022-12-31" in text
    assert (tmp_path / "summary.svg").read_text(encoding="utf-8").startswith("<svg")


def test_errors(conn, cli, tmp_path):
    small_world(conn)
    result = cli("summary", "-o", tmp_path / "summary.pdf")
    assert (result.exit_code, result.stderr) == (2, "Error: -o writes an .html, .xlsx or .svg file, not summary.pdf\n")
    result = cli("summary", "--kecamatan", "Paiton")
    assert (result.exit_code, result.stderr) == (1, "Error: no villages in kecamatan Paiton\n")
    result = cli("summary", "--as-of", "12/31/2022")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --as-of: '12/31/2022': there is no month 31")


@pytest.mark.usefixtures("new_db")
def test_empty_database(cli):
    report = cli.json("summary", "--as-of", "2022-12-31")
    assert report == {
        "as_of": "2022-12-31", "by": "village", "villages": [],
        "totals": {"villages": 0, "none": 0, "formed": 0, "running": 0, "active": 0, "institutions": 0,
                   "activities_in_window": 0, "cases_open": 0, "cases_resolved": 0, "cases_closed": 0,
                   "median_days_to_resolve": None},
    }


def test_village_list_and_show_use_the_same_rules(conn, cli):
    small_world(conn)
    rows = cli.json("village", "list", "--as-of", "2022-12-31", "--stage", "terbentuk")
    assert [(row["name"], row["stage"]) for row in rows] == [("Alasnyiur", "formed")]
    detail = cli.json("village", "show", "Randujalak", "--as-of", "2022-12-31")
    assert (detail["stage"], detail["progress"], detail["next_step"]) == ("active", 7, None)
    assert detail["criteria"][2] == {
        "key": "R1", "met": True, "rule": "an activity in the last 90 days",
        "evidence": "1 activity in the last 90 days (latest: 2022-12-01)",
    }
    result = cli("village", "list", "--stage", "sleeping")
    assert result.exit_code == 1
    assert "a stage is one of none, formed, running, active" in result.stderr


def test_summary_shows_names_as_typed(cli):
    assert cli("village", "add", "[red]Desa :smile:", "--kecamatan", "[b]Besuk").exit_code == 0
    result = cli("summary", "--as-of", "2022-12-31")
    assert result.exit_code == 0
    assert "[red]Desa :smile:" in result.stdout and "[b]Besuk" in result.stdout
    result = cli("summary", "--as-of", "2022-12-31", "--by", "kecamatan")
    assert "[b]Besuk" in result.stdout

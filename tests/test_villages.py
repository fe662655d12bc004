import json

import pytest


@pytest.mark.usefixtures("new_db")
def test_add_then_list_as_json(cli):
    result = cli("village", "add", "Randujalak", "--code", "35.13.13.2013", "--kecamatan", "Besuk",
                 "--kabupaten", "Probolinggo", "--formed-on", "14/03/2020", "--decree", "SK 12/2020")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Added village Randujalak (35.13.13.2013).\n"
    rows = cli.json("village", "list")
    assert [{k: row[k] for k in ("code", "name", "kecamatan", "kabupaten", "formed_on", "decree", "institutions")}
            for row in rows] == [
        {"code": "35.13.13.2013", "name": "Randujalak", "kecamatan": "Besuk", "kabupaten": "Probolinggo",
         "formed_on": "2020-03-14", "decree": "SK 12/2020", "institutions": 0}
    ]


def test_list_as_csv_has_a_header_row(besuk):
    result = besuk("village", "list", "--format", "csv")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("code,name,kecamatan,kabupaten,formed_on,decree,institutions")
    assert lines[1].startswith("35.13.13.2003,Alasnyiur,Besuk,Probolinggo,,,0")
    assert lines[3].startswith("35.13.13.2013,Randujalak,Besuk,Probolinggo,,,2")


def test_list_filters_by_kecamatan_ignoring_case_and_spaces(besuk):
    besuk("village", "add", "Sumberan", "--kecamatan", "Tegal Siwalan", "--kabupaten", "Probolinggo")
    assert [row["name"] for row in besuk.json("village", "list", "--kecamatan", "tegalsiwalan")] == ["Sumberan"]


def test_a_village_is_found_by_name_ignoring_case_spaces_and_punctuation(besuk):
    for ref in ["randu jalak", "RANDUJALAK", "Randu-Jalak", "35.13.13.2013"]:
        result = besuk("village", "show", ref, "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["name"] == "Randujalak"
    assert json.loads(besuk("village", "show", "besukagung", "--format", "json").stdout)["name"] == "Besuk Agung"


def test_an_unknown_village_suggests_the_closest_names(besuk):
    result = besuk("village", "show", "Randujalk")
    assert result.exit_code == 1
    assert result.stderr == "Error: no village named 'Randujalk'; did you mean 'Randujalak'?\n"
    assert result.stdout == ""


def test_an_ambiguous_name_lists_the_candidates(cli):
    cli("village", "add", "Sumberan", "--code", "35.13.13.2017", "--kecamatan", "Besuk")
    cli("village", "add", "--code", "35.23.04.2013")  # the other Sumberan, in Kabupaten Tuban
    result = cli("village", "show", "sumberan")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 'sumberan' matches 2 villages: Sumberan (35.13.13.2017; Besuk, Probolinggo), "
        "Sumberan (35.23.04.2013; Bancar, Tuban); give the code instead\n"
    )


def test_show_lists_institutions_activities_and_cases(besuk):
    besuk("activity", "add", "--village", "Randujalak", "--on", "12/01/2021", "--kind", "meeting", "--title", "Rapat")
    besuk("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "Pak Sarju", "--reported-on", "2021-01-02")
    detail = json.loads(besuk("village", "show", "Randujalak", "--format", "json").stdout)
    assert [i["name"] for i in detail["institutions"]] == ["KUBE Sejahtera", "PKK Randujalak"]
    assert [(a["held_on"], a["kind"], a["title"]) for a in detail["recent_activities"]] == [("2021-01-12", "meeting", "Rapat")]
    assert detail["cases_by_status"] == {"reported": 1}


def test_duplicate_code_is_refused(besuk):
    result = besuk("village", "add", "Lain", "--code", "35.13.13.2013")
    assert result.exit_code == 1
    assert result.stderr == "Error: a village with code 35.13.13.2013 already exists\n"


@pytest.mark.usefixtures("new_db")
def test_malformed_code_and_date_are_refused_naming_the_value(cli):
    result = cli("village", "add", "X", "--code", "35.13.13")
    assert result.exit_code == 1
    assert result.stderr == "Error: --code: '35.13.13': not a village code: write PP.KK.CC.DDDD, e.g. 35.13.13.2013\n"
    result = cli("village", "add", "X", "--formed-on", "31/02/2021")
    assert result.exit_code == 1
    assert result.stderr == "Error: --formed-on: '31/02/2021': not a real date: 2021-02 has no day 31\n"
    assert cli.json("village", "list") == []


def test_update_changes_and_clears_fields(besuk):
    result = besuk("village", "update", "Alasnyiur", "--formed-on", "01/06/2020", "--decree", "SK 3/2020")
    assert result.exit_code == 0
    assert result.stderr == "Updated village Alasnyiur.\n"
    row = json.loads(besuk("village", "show", "Alasnyiur", "--format", "json").stdout)
    assert (row["formed_on"], row["decree"]) == ("2020-06-01", "SK 3/2020")
    besuk("village", "update", "Alasnyiur", "--decree", "")
    assert json.loads(besuk("village", "show", "Alasnyiur", "--format", "json").stdout)["decree"] is None
    result = besuk("village", "update", "Alasnyiur", "--formed-on", "2020-06-01")
    assert result.stderr == "Village Alasnyiur already had these values.\n"


def test_deleting_a_village_with_records_is_refused(besuk):
    result = besuk("village", "delete", "Randujalak")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: village Randujalak still has 2 institutions: delete those first (a village's records are never deleted with it)\n")
    result = besuk("village", "delete", "Alasnyiur")
    assert result.exit_code == 0
    assert [row["name"] for row in besuk.json("village", "list")] == ["Besuk Agung", "Randujalak"]


def test_table_cells_show_stored_text_as_typed(cli):
    assert cli("village", "add", "[bold]Desa :smile:").exit_code == 0
    table = cli("village", "list").stdout
    assert "[bold]Desa :smile:" in table
    assert "😄" not in table

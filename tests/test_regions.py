"""The bundled Kemendagri list: `region load`, villages added by code, suggestions from the list."""

import json

import pytest

from wksbm_cli.errors import Invalid
from wksbm_cli.services.villages import complete_village


def village_rows(cli, *options):
    return cli.json("village", "list", *options)


@pytest.mark.usefixtures("new_db")
def test_load_a_regency_adds_its_330_villages_with_kecamatan_and_kabupaten(cli):
    result = cli("region", "load", "35.13")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Probolinggo · Jawa Timur (35.13): 330 villages; added 330, 0 already present.\n"
    rows = village_rows(cli)
    assert len(rows) == 330
    assert len({row["kecamatan"] for row in rows}) == 24
    randujalak = next(row for row in rows if row["code"] == "35.13.13.2013")
    assert (randujalak["name"], randujalak["kecamatan"], randujalak["kabupaten"]) == ("Randujalak", "Besuk", "Probolinggo")


@pytest.mark.usefixtures("new_db")
def test_load_a_kecamatan_then_its_regency_adds_only_the_rest(cli):
    result = cli("region", "load", "35.13.13")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Besuk · Probolinggo · Jawa Timur (35.13.13): 17 villages; added 17, 0 already present.\n"
    assert [row["name"] for row in village_rows(cli, "--kecamatan", "besuk")][:3] == ["Alaskandang", "Alasnyiur", "Alassumurlor"]
    result = cli("region", "load", "3513")  # the code without dots works too
    assert result.exit_code == 0, result.output
    assert result.stderr == "Probolinggo · Jawa Timur (35.13): 330 villages; added 313, 17 already present.\n"


def test_load_is_idempotent(cli):
    assert cli("region", "load", "35.13").exit_code == 0
    before = village_rows(cli)
    result = cli("region", "load", "35.13")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Probolinggo · Jawa Timur (35.13): 330 villages; added 0, 330 already present.\n"
    assert village_rows(cli) == before


def test_load_keeps_villages_added_by_hand_and_codes_an_uncoded_twin(besuk):
    assert besuk("village", "add", "Bago", "--kecamatan", "Besuk").exit_code == 0  # no code given
    result = besuk("region", "load", "35.13.13")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Besuk · Probolinggo · Jawa Timur (35.13.13): 17 villages; added 13, 3 already present, "
        "1 stored without a code given theirs.\n"
    )
    rows = village_rows(besuk, "--kecamatan", "Besuk")
    assert len(rows) == 17
    assert [row["name"] for row in rows if row["code"] in ("35.13.13.2001", "35.13.13.2009")] == ["Bago", "Besuk Agung"]


@pytest.mark.parametrize(
    "code, error",
    [
        ("35.1", "Error: '35.1': not a region code: write 35, 35.13, 35.13.13 or 35.13.13.2013\n"),
        ("35.99", "Error: no region 35.99 in the Kemendagri list; find codes with `wksbm region search NAME`\n"),
    ],
)
@pytest.mark.usefixtures("new_db")
def test_load_refuses_a_malformed_or_unknown_code(cli, code, error):
    result = cli("region", "load", code)
    assert result.exit_code == 1
    assert result.stderr == error


@pytest.mark.usefixtures("new_db")
def test_add_by_code_alone_fills_name_kecamatan_and_kabupaten(cli):
    result = cli("village", "add", "--code", "35.13.13.2013")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Added village Randujalak (35.13.13.2013).\n"
    result = cli("village", "add", "--code", "35.74.01.1001")  # a kelurahan of Kota Probolinggo
    assert result.exit_code == 0, result.output
    rows = village_rows(cli)
    assert [(r["code"], r["name"], r["kecamatan"], r["kabupaten"]) for r in rows] == [
        ("35.74.01.1001", "Ketapang", "Kademangan", "Kota Probolinggo"),
        ("35.13.13.2013", "Randujalak", "Besuk", "Probolinggo"),
    ]


def test_add_by_code_with_a_name_that_agrees_keeps_the_typed_spelling(cli):
    result = cli("village", "add", "Besuk Agung", "--code", "35.13.13.2009", "--kabupaten", "Kabupaten Probolinggo", "--kecamatan", "Kec. Besuk")
    assert result.exit_code == 0, result.output
    assert [(r["name"], r["kecamatan"], r["kabupaten"]) for r in village_rows(cli)] == [("Besuk Agung", "Besuk", "Probolinggo")]
    assert cli.json("village", "show", "besukagung")["code"] == "35.13.13.2009"


@pytest.mark.parametrize(
    "args, error",
    [
        (["Bago", "--code", "35.13.13.2013"], "Error: name: 'Bago': the Kemendagri name of 35.13.13.2013 is 'Randujalak'\n"),
        (["--code", "35.13.13.2013", "--kecamatan", "Kraksaan"], "Error: --kecamatan: 'Kraksaan': 35.13.13.2013 is in Kecamatan Besuk\n"),
        (["--code", "35.13.13.2013", "--kabupaten", "Kota Probolinggo"],
         "Error: --kabupaten: 'Kota Probolinggo': 35.13.13.2013 is in Kabupaten Probolinggo\n"),
        (["X", "--code", "35.13.13.201"], "Error: --code: '35.13.13.201': not a village code: write PP.KK.CC.DDDD, e.g. 35.13.13.2013\n"),
        (["--code", "35.13.13.2099"],
         "Error: --code: '35.13.13.2099': not in the bundled Kemendagri list (a snapshot from before 2022); "
         "give the village's name to add it anyway\n"),
    ],
)
@pytest.mark.usefixtures("new_db")
def test_add_by_code_refuses_what_contradicts_the_list(cli, args, error):
    result = cli("village", "add", *args)
    assert result.exit_code == 1
    assert result.stderr == error
    assert village_rows(cli) == []


@pytest.mark.usefixtures("new_db")
def test_a_well_formed_code_the_list_lacks_is_accepted_with_a_warning(cli):
    result = cli("village", "add", "Besuk Baru", "--code", "35.13.13.2099")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Warning: village code 35.13.13.2099 is not in the bundled Kemendagri list (a snapshot from before 2022); kept as given\n"
        "Added village Besuk Baru (35.13.13.2099).\n"
    )
    # Its kecamatan is in the list, so kecamatan and kabupaten are filled from there.
    assert [(r["name"], r["kecamatan"], r["kabupaten"]) for r in village_rows(cli)] == [("Besuk Baru", "Besuk", "Probolinggo")]


def test_complete_village_is_the_rule_import_shares(conn):
    row, warnings = complete_village({"code": "3513132009", "name": "besuk-agung"})
    assert (row["code"], row["name"], row["name_key"], row["kecamatan"], row["kabupaten"], warnings) == (
        "35.13.13.2009", "besuk-agung", "besukagung", "Besuk", "Probolinggo", [],
    )
    with pytest.raises(Invalid) as error:
        complete_village({"code": "35.13.13.2009", "name": "Randujalak"})
    assert (error.value.field, error.value.value) == ("name", "Randujalak")
    assert complete_village({"code": "35.13.13.2099", "name": "Baru"})[1] == [
        "village code 35.13.13.2099 is not in the bundled Kemendagri list (a snapshot from before 2022); kept as given"
    ]


def test_a_typo_suggests_the_closest_names_in_the_database(besuk):
    result = besuk("village", "show", "Randujalk")
    assert result.exit_code == 1
    assert result.stderr == "Error: no village named 'Randujalk'; did you mean 'Randujalak'?\n"


def test_a_name_in_the_list_but_not_in_the_database_says_how_to_add_it(besuk):
    result = besuk("institution", "list", "--village", "Sumberan")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no village named 'Sumberan'; in the Kemendagri list but not in this database: "
        "Sumberan (35.13.13.2017, Besuk, Probolinggo), Sumberan (33.18.06.2003, Jaken, Pati), "
        "Sumberan (35.23.04.2013, Bancar, Tuban): add it with `wksbm village add --code 35.13.13.2017`\n"
    )


def test_a_typo_of_a_listed_village_near_the_database_is_suggested_too(besuk):
    result = besuk("village", "show", "Sumbran")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no village named 'Sumbran'; in the Kemendagri list but not in this database: "
        "Sumberan (35.13.13.2017, Besuk, Probolinggo), Sumberanom (35.13.02.2007, Sumber, Probolinggo): "
        "add it with `wksbm village add --code 35.13.13.2017`\n"
    )


def test_an_unknown_code_in_the_list_says_which_village_it_is(besuk):
    result = besuk("village", "show", "35.13.13.2001")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no village with code 35.13.13.2001; in the Kemendagri list but not in this database: "
        "Bago (35.13.13.2001, Besuk, Probolinggo): add it with `wksbm village add --code 35.13.13.2001`\n"
    )


def test_search_by_name_finds_villages_with_their_path(cli):
    result = cli("region", "search", "besuk agung", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{
        "code": "35.13.13.2009", "level": "desa", "name": "Besukagung", "kecamatan": "Besuk",
        "kabupaten": "Probolinggo", "province": "Jawa Timur",
        "path": "Besukagung · Besuk · Probolinggo · Jawa Timur",
    }]


def test_search_forgives_typos_and_shows_kota_as_officers_write_it(cli):
    result = cli("region", "search", "probolingo", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "code,level,name,kecamatan,kabupaten,province,path",
        "35.13,kabupaten,Probolinggo,,,Jawa Timur,Probolinggo · Jawa Timur",
    ]
    kota = cli.json("region", "search", "kota probolinggo")
    assert [(r["code"], r["level"], r["name"]) for r in kota] == [("35.74", "kota", "Kota Probolinggo")]


def test_search_by_code_lists_the_region_and_its_children(cli):
    rows = cli.json("region", "search", "35.13.13")
    assert (rows[0]["code"], rows[0]["level"], len(rows)) == ("35.13.13", "kecamatan", 18)
    assert [r["name"] for r in rows[1:4]] == ["Bago", "Kecik", "Alasnyiur"]


def test_search_within_a_region(cli):
    rows = cli.json("region", "search", "sumberan", "--in", "35.13")
    assert [(r["code"], r["name"]) for r in rows] == [
        ("35.13.13.2017", "Sumberan"), ("35.13.02.2007", "Sumberanom"), ("35.13.12.2018", "Sumberanyar"),
    ]


def test_search_without_a_match_says_so(cli):
    result = cli("region", "search", "qqqqqqqq")
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", "No region matches 'qqqqqqqq'.\n")


def test_search_says_when_more_regions_match_than_it_shows(cli):
    result = cli("region", "search", "tanjung", "--limit", "3", "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 3
    assert result.stderr == "The best 3 matches are shown, and more regions match; --limit N or --in CODE\n"
    whole = cli("region", "search", "besuk agung", "--in", "35.13", "--format", "json")
    assert (whole.exit_code, len(json.loads(whole.stdout)), whole.stderr) == (0, 1, "")

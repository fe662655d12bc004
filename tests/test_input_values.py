"""Values typed in either language, dates as spreadsheets write them, and values that are not values."""

import pytest

from helpers import import_counts, query


@pytest.mark.parametrize("typed, stored", [
    ("rapat", "meeting"), ("Pelatihan", "training"), ("sosialisasi", "outreach"), ("advokasi", "advocacy"),
    ("program", "program"), ("kegiatan", "program"), ("lainnya", "other"), ("meeting", "meeting"),
])
def test_activity_kinds_in_indonesian_are_stored_as_their_codes(besuk, typed, stored):
    result = besuk("activity", "add", "--village", "Randujalak", "--on", "12/01/21", "--kind", typed)
    assert result.exit_code == 0, result.output
    assert [(row["kind"], row["held_on"]) for row in besuk.json("activity", "list")] == [(stored, "2021-01-12")]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_statuses_and_genders_in_indonesian_whatever_the_interface_language(besuk, monkeypatch, lang):
    monkeypatch.setenv("WKSBM_LANG", lang)
    ref = besuk("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "Tini",
                "--gender", "perempuan", "--reported-on", "03/02/21", "--status", "dalam penanganan").stdout.strip()
    assert ref == "KS-2021-0001"
    for typed, stored in [("dirujuk", "referred"), ("ditangani", "in_handling"), ("ditutup", "closed"),
                          ("dilaporkan", "reported")]:
        result = besuk("case", "update", ref, "--status", typed, "--on", "2021-03-01")
        assert result.exit_code == 0, result.output
        assert besuk.json("case", "show", ref)["status"] == stored
    result = besuk("case", "update", ref, "--status", "selesai", "--on", "04/03/21")
    assert result.exit_code == 0, result.output
    case = besuk.json("case", "show", ref)
    assert (case["status"], case["resolved_on"], case["gender"]) == ("resolved", "2021-03-04", "P")


def test_an_import_in_indonesian_words_stores_the_codes(besuk, tmp_path, db_path):
    path = tmp_path / "kasus.csv"
    path.write_text("desa;kategori;nama;jk;tanggal lapor;status;tanggal selesai\n"
                    "Randujalak;fakir-miskin;Tini;Laki-laki;05/01/21;tertangani;06/02/21\n"
                    "Randujalak;fakir-miskin;Tono;L;07/01/21;selesai;08/02/2021\n"
                    "Alasnyiur;fakir-miskin;Tina;p;09/01/21;dirujuk;\n")
    assert import_counts(besuk("import", path, "--format", "json")) == {"cases": [3, 0, 0]}
    assert query(db_path, "SELECT person_name, gender, reported_on, status, resolved_on FROM cases ORDER BY id") == [
        ("Tini", "L", "2021-01-05", "resolved", "2021-02-06"),
        ("Tono", "L", "2021-01-07", "resolved", "2021-02-08"),
        ("Tina", "P", "2021-01-09", "referred", None),
    ]


@pytest.mark.parametrize("typed, message", [
    ("2020-01-05 garbage", "Error: --reported-on: '2020-01-05 garbage': not a date: write YYYY-MM-DD or DD/MM/YYYY\n"),
    ("2020-01-05T25:99:99", "Error: --reported-on: '2020-01-05T25:99:99': not a date: write YYYY-MM-DD or DD/MM/YYYY\n"),
    ("", "Error: --reported-on: '': no date given: write YYYY-MM-DD or DD/MM/YYYY\n"),
    ("  ", "Error: --reported-on: '': no date given: write YYYY-MM-DD or DD/MM/YYYY\n"),
])
def test_a_date_that_is_not_one_is_refused_not_replaced_by_today(besuk, typed, message):
    result = besuk("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "Tini",
                   "--reported-on", typed)
    assert result.exit_code == 1
    assert result.stderr == message
    assert besuk.json("case", "list") == []


def test_a_blank_date_of_a_status_change_is_refused(besuk):
    ref = besuk("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "Tini",
                "--reported-on", "2021-02-03").stdout.strip()
    result = besuk("case", "update", ref, "--status", "in_handling", "--on", "")
    assert result.exit_code == 1
    assert result.stderr == "Error: --on: '': no date given: write YYYY-MM-DD or DD/MM/YYYY\n"


@pytest.mark.parametrize("option, value, message", [
    ("--members", "99999999999999999999999",
     "Error: --members: 99999999999999999999999 is more than 1,000,000: give a whole number from 0 to 1,000,000\n"),
    ("--members", "1000001", "Error: --members: 1000001 is more than 1,000,000: give a whole number from 0 to 1,000,000\n"),
])
def test_a_huge_number_is_one_clear_sentence(besuk, option, value, message):
    result = besuk("institution", "add", "X", "--village", "Randujalak", "--type", "kube", option, value)
    assert result.exit_code == 1
    assert result.stderr == message
    result = besuk("institution", "add", "X", "--village", "Randujalak", "--type", "kube", option, "1000000")
    assert result.exit_code == 0, result.output


def test_huge_attendees_and_birth_year_are_refused_too(besuk):
    result = besuk("activity", "add", "--village", "Randujalak", "--on", "2021-01-12", "--kind", "rapat",
                   "--attendees", "1" * 30)
    assert result.exit_code == 1
    assert result.stderr == ("Error: --attendees: (30 digits) is more than 1,000,000: give a whole number from 0 to "
                             "1,000,000\n")
    result = besuk("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "Tini",
                   "--reported-on", "2021-02-03", "--birth-year", "9" * 25)
    assert result.exit_code == 1
    assert "is more than 1,000,000" in result.stderr

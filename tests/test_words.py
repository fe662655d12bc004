"""The words people read: every message in the interface language, naming what the user typed (the
option, the file's column) and never the database's own text (SPEC 9)."""

import pytest


@pytest.fixture
def case(besuk):
    result = besuk("case", "add", "--village", "Randujalak", "--category", "lansia-terlantar", "--name", "Mbok Sarmi",
                   "--reported-on", "03/02/2021", "--ref", "KS-1")
    assert result.exit_code == 0, result.output
    return "KS-1"


def refused(run, monkeypatch, *args) -> tuple[str, str]:
    """The stderr of `args` refused (exit code 1) in English, then in Indonesian (WKSBM_LANG=id stays set)."""
    messages = []
    for language in ("en", "id"):
        monkeypatch.setenv("WKSBM_LANG", language)
        result = run(*args)
        assert result.exit_code == 1, result.output
        messages.append(result.stderr)
    return messages[0], messages[1]


# --- messages that were never marked for translation (review item 7) ---

BLANK_REQUIRED = [
    (("case", "update", "KS-1", "--name", ""),
     "Error: --name: a case needs the person's name\n", "Kesalahan: --name: kasus memerlukan nama orangnya\n"),
    (("case", "update", "KS-1", "--reported-on", ""),
     "Error: --reported-on: a case needs its report date\n", "Kesalahan: --reported-on: kasus memerlukan tanggal lapornya\n"),
    (("case", "update", "KS-1", "--category", ""),
     "Error: --category: a case needs its PMKS category\n", "Kesalahan: --category: kasus memerlukan kategori PMKS-nya\n"),
    (("case", "add", "--village", "Randujalak", "--category", "24", "--name", ""),
     "Error: --name: '': a case needs the person's name\n", "Kesalahan: --name: '': kasus memerlukan nama orangnya\n"),
    (("institution", "add", "", "--village", "Randujalak", "--type", "kube"),
     "Error: name: '': an institution needs a name\n", "Kesalahan: nama: '': lembaga memerlukan nama\n"),
    (("village", "update", "Randujalak", "--name", ""),
     "Error: --name: '': a village needs a name\n", "Kesalahan: --name: '': desa memerlukan nama\n"),
]


@pytest.mark.parametrize(("args", "english", "indonesian"), BLANK_REQUIRED, ids=lambda a: " ".join(a) if isinstance(a, tuple) else "")
@pytest.mark.usefixtures("case")
def test_a_blank_required_value_is_refused_in_the_interface_language(besuk, monkeypatch, args, english, indonesian):
    assert refused(besuk, monkeypatch, *args) == (english, indonesian)


# --- the option as typed, stored values as the interface shows them (review item 9) ---

def test_a_bad_date_names_the_option_typed_not_the_stored_field(besuk, monkeypatch):
    english, indonesian = refused(besuk, monkeypatch, "activity", "add", "--village", "Randujalak", "--on", "31/02/2022",
                                  "--kind", "rapat")
    assert english == "Error: --on: '31/02/2022': not a real date: 2022-02 has no day 31\n"
    assert indonesian.startswith("Kesalahan: --on: '31/02/2022': ")


def test_a_status_the_case_already_has_is_named_as_the_interface_names_it(besuk, case, monkeypatch):
    assert besuk("case", "update", case, "--status", "resolved", "--on", "01/03/2021").exit_code == 0
    assert refused(besuk, monkeypatch, "case", "update", case, "--status", "selesai", "--on", "02/03/2021") == (
        "Error: --status: case KS-1 is already resolved\n", "Kesalahan: --status: kasus KS-1 memang sudah selesai\n")


def test_dates_in_an_indonesian_message_are_day_first(besuk, case, monkeypatch):
    monkeypatch.setenv("WKSBM_LANG", "id")
    result = besuk("case", "update", case, "--status", "ditangani", "--on", "01/02/2021")
    assert result.exit_code == 1
    assert result.stderr == "Kesalahan: --on: '01/02/2021': kasus itu baru dilaporkan pada 03/02/2021\n"


def test_an_activity_deleted_is_named_in_the_interface_language(besuk, monkeypatch):
    monkeypatch.setenv("WKSBM_LANG", "id")
    result = besuk("activity", "add", "--village", "Randujalak", "--on", "25/11/2019", "--kind", "sosialisasi")
    assert result.exit_code == 0, result.output
    result = besuk("activity", "delete", "1")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Kegiatan 1 dihapus: sosialisasi pada 25/11/2019 di Randujalak.\n"


# --- the database's own text never reaches the user (review item 6) ---

def test_a_village_code_already_used_names_the_village_that_has_it(besuk, monkeypatch):
    assert refused(besuk, monkeypatch, "village", "update", "Alasnyiur", "--code", "35.13.13.2013") == (
        "Error: the village code 35.13.13.2013 is already used by village Randujalak\n",
        "Kesalahan: kode desa 35.13.13.2013 sudah dipakai desa Randujalak\n")


def test_an_institution_renamed_to_a_name_its_village_has(besuk, monkeypatch):
    args = ("institution", "update", "PKK Randujalak", "--village", "Randujalak", "--name", "KUBE Sejahtera")
    assert refused(besuk, monkeypatch, *args) == (
        "Error: the village already has an institution named KUBE Sejahtera\n",
        "Kesalahan: desa itu sudah punya lembaga bernama KUBE Sejahtera\n")


def test_merging_a_file_that_is_no_database_says_so_in_words(cli, new_db, tmp_path, monkeypatch):
    other = tmp_path / "villages.csv"
    other.write_text("code,name\n35.13.13.2013,Randujalak\n", encoding="utf-8")
    result = cli("merge", other)
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {other} is not a database file (damaged, or another kind of file): nothing was merged\n")
    monkeypatch.setenv("WKSBM_LANG", "id")
    result = cli("merge", other)
    assert result.exit_code == 1
    assert result.stderr == f"Kesalahan: {other} bukan berkas basis data (rusak, atau berkas jenis lain): tidak ada yang digabungkan\n"


def test_json_that_does_not_decode_says_where_and_what_in_words(besuk, tmp_path, monkeypatch):
    broken = tmp_path / "kegiatan.json"
    broken.write_text('[\n{"desa": "Randujalak",\n "tanggal": "01/02/2022" "jenis": "rapat"}]\n', encoding="utf-8")
    result = besuk("import", broken)
    assert result.exit_code == 1
    assert result.stderr == ("Error: nothing was imported: 1 problem in 1 row:\n"
                             f"{broken}:3: not valid JSON (column 26): a comma (,) is missing between two items\n")
    monkeypatch.setenv("WKSBM_LANG", "id")
    result = besuk("import", broken)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == (
        f"{broken}:3: JSON tidak sah (karakter ke-26): tanda koma (,) tidak ada di antara dua isian")


# --- tables and views (review item 10) ---

def test_show_views_and_the_import_report_in_indonesian(besuk, tmp_path, monkeypatch):
    monkeypatch.setenv("WKSBM_LANG", "id")
    result = besuk("case", "add", "--village", "Randujalak", "--category", "24", "--name", "Mbok Sarmi", "--ref", "KS-1")
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in besuk("case", "show", "KS-1").stdout.splitlines()]
    assert "kode desa       35.13.13.2013" in lines
    lines = [line.rstrip() for line in besuk("village", "show", "Randujalak").stdout.splitlines()]
    assert "dibuat oleh         test-officer" in lines
    data = tmp_path / "desa.csv"
    data.write_text("kode,nama\n35.13.13.2003,Alasnyiur\n", encoding="utf-8")
    result = besuk("import", data, "--dry-run")
    assert result.exit_code == 0, result.output
    assert [row[0] for row in [[c.strip() for c in line.split("│")[1:-1]] for line in result.stdout.splitlines()
                               if line.startswith("│")]] == ["desa"]


# --- Typer's own words in help (review item 8) ---

def test_a_command_help_in_indonesian_has_no_typer_english():
    from test_i18n import run

    result = run("activity", "update", "--help", env={"WKSBM_LANG": "id", "COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    lines = [line.strip(" │") for line in result.stdout.splitlines()]
    assert "Cara pakai: wksbm activity update [OPSI] {nomor}" in lines
    assert any(line.startswith("--help") and line.endswith("Tampilkan bantuan ini lalu keluar.") for line in lines)
    assert any(line.startswith("--on") and "<teks>" in line for line in lines)
    for english in ("Usage:", "[OPTIONS]", "Show this message and exit.", "{id_}", "<str>  Desa"):
        assert english not in result.stdout
    group = run("village", "--help", env={"WKSBM_LANG": "id", "COLUMNS": "100"})
    assert group.returncode == 0, group.stderr
    assert "Cara pakai: wksbm village [OPSI] PERINTAH [ARGUMEN]..." in group.stdout
    english = run("activity", "update", "--help", env={"WKSBM_LANG": "en", "COLUMNS": "100"})
    assert "Usage: wksbm activity update [OPTIONS] {id}" in english.stdout and "Show this message and exit." in english.stdout


def test_a_number_below_its_least_is_refused_in_indonesian(new_db, cli, monkeypatch):
    monkeypatch.setenv("WKSBM_LANG", "id")
    result = cli("case", "list", "--limit", "-5")
    assert result.exit_code == 2
    assert result.stderr == ("Kesalahan: nilai '--limit' tidak sah: nilainya harus 1 atau lebih\n"
                             "Coba 'wksbm case list --help' untuk bantuan.\n")


@pytest.mark.parametrize("lang", ["en", "id"])
def test_summary_by_desa_is_by_village(besuk, monkeypatch, lang):
    monkeypatch.setenv("WKSBM_LANG", lang)
    by_desa = besuk("summary", "--as-of", "31/12/2022", "--by", "desa", "--format", "json")
    assert by_desa.exit_code == 0, by_desa.output
    assert by_desa.stdout == besuk("summary", "--as-of", "31/12/2022", "--by", "village", "--format", "json").stdout


# --- a file's columns named as the file heads them (review item 9) ---

@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_missing_column_is_named_in_the_language_of_the_files_headers(besuk, tmp_path, monkeypatch, lang):
    monkeypatch.setenv("WKSBM_LANG", lang)
    indonesian = tmp_path / "kegiatan.csv"
    indonesian.write_text("desa,judul\nRandujalak,Rapat\n", encoding="utf-8")
    english = tmp_path / "activities.csv"
    english.write_text("village,title\nRandujalak,Meeting\n", encoding="utf-8")
    for path, named in [(indonesian, "tanggal, jenis"), (english, "held_on, kind")]:
        result = besuk("import", path)
        assert result.exit_code == 1
        line = result.stderr.splitlines()[1]
        assert line == (f"{path}:1: " + ("kolom wajib tidak ada: " if lang == "id" else "missing required columns: ") + named)


def test_the_svg_reports_criteria_legend_is_in_indonesian(besuk, tmp_path, monkeypatch):
    monkeypatch.setenv("WKSBM_LANG", "id")
    result = besuk("summary", "--as-of", "31/12/2022", "-o", tmp_path / "laporan.svg")
    assert result.exit_code == 0, result.output
    svg = (tmp_path / "laporan.svg").read_text(encoding="utf-8")
    assert "F1: tanggal pembentukan sudah diisi dan tidak sesudah tanggal acuan laporan" in svg
    assert "formed_on is set" not in svg and "a case resolved in the last" not in svg


def test_a_row_problem_names_a_column_the_file_lacks_as_the_file_would_head_it(besuk, tmp_path, monkeypatch):
    monkeypatch.setenv("WKSBM_LANG", "id")
    path = tmp_path / "kasus.csv"
    path.write_text("ref;desa;kategori;nama;tanggal_lapor;status\nKS-9;Randujalak;24;Siti;01/02/2022;selesai\n",
                    encoding="utf-8")
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == f"{path}:2: tanggal_selesai: kasus yang selesai memerlukan tanggal selesainya"


def test_the_svg_heading_dates_are_day_first_in_indonesian(besuk, tmp_path, monkeypatch):
    import datetime as dt
    import re

    monkeypatch.setenv("WKSBM_LANG", "id")
    result = besuk("summary", "--as-of", "31/12/2022", "-o", tmp_path / "laporan.svg")
    assert result.exit_code == 0, result.output
    heading = re.search(r"Dibuat pada: ([^<·]*)", (tmp_path / "laporan.svg").read_text(encoding="utf-8")).group(1)
    assert heading.startswith(dt.date.today().strftime("%d/%m/%Y"))


def test_a_median_in_an_indonesian_table_has_a_decimal_comma(sample_db, monkeypatch):
    cli = sample_db
    monkeypatch.setenv("COLUMNS", "80")
    english = cli("summary", "--as-of", "31/12/2022")
    assert english.exit_code == 0, english.output
    assert "73.5" in english.stdout and "73,5" not in english.stdout
    monkeypatch.setenv("WKSBM_LANG", "id")
    indonesian = cli("summary", "--as-of", "31/12/2022")
    assert indonesian.exit_code == 0, indonesian.output
    row = next(line for line in indonesian.stdout.splitlines() if line.startswith("Besukagung"))
    assert row.split()[-1] == "73,5" and "73.5" not in indonesian.stdout
    assert ",73.5," in cli("summary", "--as-of", "31/12/2022", "--format", "csv").stdout  # CSV as stored


@pytest.fixture
def sample_db(cli):
    from pathlib import Path

    result = cli("import", Path(__file__).resolve().parent.parent / "sample_data")
    assert result.exit_code == 0, result.output
    return cli

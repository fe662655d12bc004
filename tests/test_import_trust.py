"""What a spreadsheet did to a whole column before the file reached wksbm: refused once, nothing stored.

The files are made as a clerk makes them, with LibreOffice (headless) where it is installed.
"""

import datetime as dt
import shutil
import subprocess

import pytest

from helpers import query, workbook

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (Debian: libreoffice-calc)")
ROUNDED = ("the NIK column looks rounded by a spreadsheet (all {count} NIKs end in 0): format the NIK column as Text "
           "in the original file and type the NIKs again")
# Six women and men of Randujalak with real NIKs (the last digit is not 0); the last one's serial is 0001.
NIKS = ["3513134107450046", "3513131305600051", "3513136405600057", "3513132010460043", "3513130102700068",
        "3513135512800001"]


def soffice(tmp_path, path, to, infilter=None):
    """`soffice --headless --convert-to TO PATH`, as a clerk's office program saves the file; the new file's path."""
    out = tmp_path / f"out-{to.split(':')[0]}-{path.stem}"
    command = ["soffice", f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
               *(["--infilter=" + infilter] if infilter else []), "--convert-to", to, "--outdir", str(out), str(path)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    return out / f"{path.stem}.{to.split(':')[0]}"


def cases_csv(path, niks):
    path.write_text("desa;kategori;nama;nik;tanggal_lapor\n"
                    + "".join(f"Randujalak;fakir-miskin;Orang {n};{nik};01/02/2022\n" for n, nik in enumerate(niks)),
                    encoding="utf-8")
    return path


@needs_soffice
def test_niks_rounded_by_a_spreadsheet_and_saved_as_text_are_refused_once_for_the_column(besuk, tmp_path, db_path):
    # The clerk opens kasus.csv in Calc (the NIKs become numbers), keeps it as .xlsx, later saves it as CSV again:
    # 15 significant digits, written back in full (…0046 is …0050, and …0001 is …0000).
    original = cases_csv(tmp_path / "kasus.csv", NIKS)
    workbook = soffice(tmp_path, original, "xlsx", infilter="CSV:59,34,76,1")
    path = soffice(tmp_path, workbook, "csv:Text - txt - csv (StarCalc):59,34,76,1")
    assert "3513134107450050" in path.read_text() and "3513135512800000" in path.read_text()
    result = besuk("import", path)
    assert result.exit_code == 1
    # One line for the column: not a line for the serial 0000 that rounding gave the last row.
    assert result.stderr == (f"Error: nothing was imported: 1 problem in 6 rows:\n"
                             f"{path}: nik: {ROUNDED.format(count=6)}\n")
    assert query(db_path, "SELECT count(*) FROM cases") == [(0,)]


def test_a_few_niks_ending_in_0_are_real_niks(besuk, tmp_path, db_path):
    niks = ["3513134107450040", "3513131305600050", "3513136405600060", "3513132010460070", "3513130102700068"]
    result = besuk("import", cases_csv(tmp_path / "kasus.csv", niks[:4]))
    assert result.exit_code == 0, result.output
    result = besuk("import", cases_csv(tmp_path / "kasus2.csv", niks))  # five NIKs, one not ending in 0
    assert result.exit_code == 0, result.output
    assert query(db_path, "SELECT count(*) FROM cases") == [(5,)]


def test_five_niks_all_ending_in_0_are_refused_with_the_other_problems_of_the_file(besuk, tmp_path, db_path):
    niks = ["3513134107450040", "3513131305600050", "3513136405600060", "3513132010460070", "3513130102700000"]
    path = cases_csv(tmp_path / "kasus.csv", niks)
    path.write_text(path.read_text() + "Randujalak;fakir-miskin;Orang 5;;31/02/2022\n", encoding="utf-8")
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr == ("Error: nothing was imported: 2 problems in 6 rows:\n"
                             f"{path}: nik: {ROUNDED.format(count=5)}\n"
                             f"{path}:7: tanggal_lapor: 31/02/2022: not a real date: 2022-02 has no day 31\n")


def test_a_nik_with_serial_0000_says_the_rule(besuk):
    result = besuk("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "Siti",
                   "--nik", "3513134107450000")
    assert result.exit_code == 1
    assert result.stderr == ("Error: --nik: '351313********00': a NIK's serial number (its last 4 digits) cannot be "
                             "0000\n")


def activities_xlsx(tmp_path, language):
    """kegiatan.xlsx as an office program set to `language` makes it from a CSV of day-first dates."""
    path = tmp_path / "kegiatan.csv"
    path.write_text("desa;tanggal;jenis;judul\nRandujalak;25/11/2019;rapat;A\nRandujalak;05/12/2020;rapat;B\n"
                    "Randujalak;03/04/2021;pelatihan;C\nRandujalak;17/08/2021;sosialisasi;D\n"
                    "Randujalak;09/10/2021;rapat;E\n", encoding="utf-8")
    return soffice(tmp_path, path, "xlsx", infilter=f"CSV:59,34,76,1,,{language}")


@needs_soffice
def test_date_cells_an_english_office_read_month_first_beside_day_first_text_are_refused_once(besuk, tmp_path, db_path):
    # en-US (1033): 25/11/2019 and 17/08/2021 stay text; 05/12/2020, 03/04/2021 and 09/10/2021 become
    # 12 May, 4 March and 10 September.
    path = activities_xlsx(tmp_path, 1033)
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: nothing was imported: 1 problem in 3 rows:\n"
        f"{path}: tanggal: 3 date cells look read month first by an office program (none has a day above 12, while "
        "dates typed as text, such as 25/11/2019, can only be day first): check the date cells and retype them "
        "as DD/MM/YYYY text or fix the dates\n")
    assert query(db_path, "SELECT count(*) FROM activities") == [(0,)]


@needs_soffice
def test_date_cells_an_indonesian_office_made_are_imported(besuk, tmp_path, db_path):
    result = besuk("import", activities_xlsx(tmp_path, 1057))  # id-ID: every date a date cell, read day first
    assert result.exit_code == 0, result.output
    assert query(db_path, "SELECT held_on FROM activities ORDER BY held_on") == [
        ("2019-11-25",), ("2020-12-05",), ("2021-04-03",), ("2021-08-17",), ("2021-10-09",)]


def test_one_month_first_date_says_the_whole_column_is_suspect(besuk, tmp_path, db_path):
    # 02/05/2022 and 03/04/2022 are 5 February and 4 March written month first: read day first they would be
    # stored as 2 May and 3 April once the clerk mended line 2 alone.
    path = tmp_path / "kegiatan.csv"
    path.write_text("desa;tanggal;jenis;judul\nRandujalak;01/13/2022;rapat;A\nRandujalak;02/05/2022;rapat;B\n"
                    "Randujalak;03/04/2022;rapat;C\n", encoding="utf-8")
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: nothing was imported: 1 problem in 1 row:\n"
        f"{path}:2: tanggal: 01/13/2022: there is no month 13: the column looks written month first (MM/DD/YYYY), "
        "but wksbm reads DD/MM/YYYY: check every date in the column\n")
    assert query(db_path, "SELECT count(*) FROM activities") == [(0,)]


def test_a_month_first_date_typed_as_an_option_says_how_it_is_read(besuk, monkeypatch):
    result = besuk("activity", "add", "--village", "Randujalak", "--kind", "rapat", "--on", "12/31/22")
    assert result.exit_code == 1
    assert result.stderr == ("Error: --on: '12/31/22': there is no month 31: the date looks written month first "
                             "(MM/DD/YY), but wksbm reads DD/MM/YY\n")
    monkeypatch.setenv("WKSBM_LANG", "id")
    result = besuk("activity", "add", "--village", "Randujalak", "--kind", "rapat", "--on", "12/31/2022")
    assert result.exit_code == 1
    assert result.stderr == ("Kesalahan: --on: '12/31/2022': tidak ada bulan 31: tanggal ini tampaknya ditulis "
                             "bulan lebih dulu (MM/DD/YYYY), padahal wksbm membacanya DD/MM/YYYY\n")


def test_one_persons_nik_ending_in_0_on_five_cases_is_not_taken_for_rounding(besuk, tmp_path, db_path):
    # Five cases of one person (a real NIK ends in 0 one time in ten): one NIK, not five that all end in 0.
    path = cases_csv(tmp_path / "kasus.csv", ["3513134107800010"] * 5)
    path.write_text(path.read_text().replace("fakir-miskin", "{}").format(
        "fakir-miskin", "lansia-terlantar", "anak-terlantar", "penyandang-disabilitas", "pekerja-migran-bermasalah"),
        encoding="utf-8")
    result = besuk("import", path)
    assert result.exit_code == 0, result.output
    assert query(db_path, "SELECT count(DISTINCT nik), count(*) FROM cases") == [(1, 5)]


def test_a_few_date_cells_up_to_the_12th_beside_day_first_text_are_not_refused(besuk, tmp_path, db_path):
    # Two dates typed as text, two right date cells whose day is up to 12 (one time in six by chance):
    # too few cells to say the column was read month first.
    path = workbook(tmp_path / "kegiatan.xlsx", {"Sheet1": [
        ["desa", "tanggal", "jenis", "judul"], ["Randujalak", "25/11/2019", "rapat", "A"],
        ["Randujalak", dt.datetime(2020, 12, 5), "rapat", "B"], ["Randujalak", dt.datetime(2021, 4, 3), "rapat", "C"],
        ["Randujalak", "17/08/2021", "rapat", "D"]]})
    result = besuk("import", path)
    assert result.exit_code == 0, result.output
    assert query(db_path, "SELECT held_on FROM activities ORDER BY held_on") == [
        ("2019-11-25",), ("2020-12-05",), ("2021-04-03",), ("2021-08-17",)]

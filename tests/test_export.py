"""`wksbm export`: files that re-import cleanly, with formulas neutralised and personal data guarded."""

import csv
import datetime as dt
import io
import json
import shutil
import sqlite3
import subprocess

import pytest

from openpyxl import load_workbook

CASES = ("ref,village,category,person_name,nik,gender,birth_year,reported_on,status,handled_by,resolved_on,notes\n"
         "KS-2021-0001,Randujalak,fakir-miskin,=cmd|' /C calc'!A0,3513134107450001,P,1945,2021-02-03,resolved,"
         "KUBE Sejahtera,2021-03-01,+62 812 3456\n"
         ",Alasnyiur,lansia-terlantar,Tini,,P,1933,2021-02-05,in_handling,,,@SUM(1)\n")


def loaded(besuk, tmp_path):
    path = tmp_path / "kasus.csv"
    path.write_text(CASES)
    result = besuk("import", path)
    assert result.exit_code == 0, result.output
    return besuk


def snapshot(db):
    """Every stored record of every kind, without ids, uids and timestamps."""
    conn = sqlite3.connect(db)
    try:
        return {
            "villages": conn.execute("SELECT code, name, kecamatan, kabupaten, formed_on, decree, notes FROM villages ORDER BY code").fetchall(),
            "institutions": conn.execute("""SELECT v.code, i.name, i.type, i.leader, i.members, i.joined_on, i.notes
                                            FROM institutions i JOIN villages v ON v.id = i.village_id ORDER BY 1, 2""").fetchall(),
            "activities": conn.execute("""SELECT v.code, a.held_on, a.kind, a.title, a.attendees, a.notes
                                          FROM activities a JOIN villages v ON v.id = a.village_id ORDER BY 1, 2""").fetchall(),
            "cases": conn.execute("""SELECT c.ref, v.code, c.category, c.person_name, c.nik, c.gender, c.birth_year,
                                            c.reported_on, c.status, i.name, c.resolved_on, c.notes
                                     FROM cases c JOIN villages v ON v.id = c.village_id
                                     LEFT JOIN institutions i ON i.id = c.handled_by ORDER BY 1""").fetchall(),
            "events": conn.execute("""SELECT c.ref, e.on_date, e.old_status, e.new_status FROM case_events e
                                      JOIN cases c ON c.id = e.case_id ORDER BY 1, 2""").fetchall(),
        }
    finally:
        conn.close()


def test_csv_export_neutralises_formulas_and_masks_nik(besuk, tmp_path):
    cli = loaded(besuk, tmp_path)
    result = cli("export", "cases")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [
        ["ref", "village", "village_code", "category", "person_name", "nik", "gender", "birth_year", "reported_on",
         "status", "handled_by", "resolved_on", "notes"],
        ["KS-2021-0001", "Randujalak", "35.13.13.2013", "fakir-miskin", "'=cmd|' /C calc'!A0", "351313********01", "P",
         "1945", "2021-02-03", "resolved", "KUBE Sejahtera", "2021-03-01", "'+62 812 3456"],
        ["KS-2021-0002", "Alasnyiur", "35.13.13.2003", "lansia-terlantar", "Tini", "", "P", "1933", "2021-02-05",
         "in_handling", "", "", "'@SUM(1)"],
    ]


def test_redact_drops_names_and_nik(besuk, tmp_path):
    cli = loaded(besuk, tmp_path)
    result = cli("export", "cases", "--format", "json", "--redact", "--show-pii")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert list(rows[0]) == ["ref", "village", "village_code", "category", "gender", "birth_year", "reported_on",
                             "status", "handled_by", "resolved_on", "notes"]
    result = cli("export", "institutions", "--redact")
    assert result.stdout.splitlines()[0] == "village,village_code,name,type,members,joined_on,notes"


def test_xlsx_export_is_a_workbook_a_clerk_can_use(besuk, tmp_path):
    cli = loaded(besuk, tmp_path)
    path = tmp_path / "out" / "kasus.xlsx"
    path.parent.mkdir()
    result = cli("export", "cases", "-o", path, "--show-pii")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote 2 cases to {path}.\n"
    assert [p.name for p in path.parent.iterdir()] == ["kasus.xlsx"]  # no temporary file left behind
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    sheet = load_workbook(path).worksheets[0]
    header, first, second = (list(row) for row in sheet.iter_rows())
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in header) and not first[0].font.bold
    by_name = dict(zip((cell.value for cell in header), first))
    # formula-looking text is a text cell without a visible ': no spreadsheet runs it
    assert (by_name["person_name"].value, by_name["person_name"].data_type) == ("=cmd|' /C calc'!A0", "s")
    assert (by_name["notes"].value, by_name["notes"].data_type) == ("+62 812 3456", "s")
    assert by_name["person_name"].quotePrefix and not by_name["village"].quotePrefix
    assert (second[12].value, second[12].data_type) == ("@SUM(1)", "s")
    # real dates, numbers as numbers, NIK and codes as text cells
    assert by_name["reported_on"].value == dt.datetime(2021, 2, 3) and by_name["reported_on"].is_date
    assert by_name["reported_on"].number_format == "yyyy-mm-dd"
    assert (by_name["birth_year"].value, by_name["birth_year"].data_type) == (1945, "n")
    for column in ("nik", "village_code", "ref"):
        assert by_name[column].data_type == "s" and by_name[column].number_format == "@"
    assert by_name["nik"].value == "3513134107450001"
    widths = {cell.value: sheet.column_dimensions[cell.column_letter].width for cell in header}
    assert widths["person_name"] == len("=cmd|' /C calc'!A0") + 2 and widths["nik"] == 18
    assert widths["reported_on"] == len("reported_on") + 2 and widths["ref"] == len("KS-2021-0001") + 2


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (Debian: libreoffice-calc)")
def test_libreoffice_reads_the_xlsx_export(besuk, tmp_path):
    cli = loaded(besuk, tmp_path)
    path = tmp_path / "kasus.xlsx"
    assert cli("export", "cases", "-o", path).exit_code == 0
    out = tmp_path / "converted"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
                    "--convert-to", "csv", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)
    rows = list(csv.reader(io.StringIO((out / "kasus.csv").read_text(encoding="utf-8"))))
    assert rows[0][:5] == ["ref", "village", "village_code", "category", "person_name"]
    # the formula stays text (not run, no '), the date is a date, the code keeps its dots
    assert rows[1][:5] == ["KS-2021-0001", "Randujalak", "35.13.13.2013", "fakir-miskin", "=cmd|' /C calc'!A0"]
    assert rows[1][5:9] == ["351313********01", "P", "1945", "2021-02-03"]
    assert rows[1][12] == "+62 812 3456" and rows[2][12] == "@SUM(1)"


def test_xlsx_needs_an_output_file(besuk):
    result = besuk("export", "villages", "--format", "xlsx")
    assert result.exit_code == 2
    assert "Error: --format xlsx writes a file: give -o FILE.xlsx" in result.stderr


def test_round_trip_into_an_empty_database(besuk, tmp_path, db_path):
    cli = loaded(besuk, tmp_path)
    cli("activity", "add", "--village", "Randujalak", "--on", "2021-04-01", "--kind", "meeting", "--title", "-Rapat-",
        "--institution", "KUBE Sejahtera", "--attendees", "12")
    folder = tmp_path / "export"
    folder.mkdir()
    for kind, suffix in [("villages", "csv"), ("institutions", "xlsx"), ("activities", "json"), ("cases", "csv")]:
        result = cli("export", kind, "--show-pii", "-o", folder / f"{kind}.{suffix}")
        assert result.exit_code == 0, result.output
    before = snapshot(db_path)

    other = tmp_path / "other.db"
    result = cli("--db", other, "import", folder, "--format", "json")
    assert result.exit_code == 0, result.output
    assert snapshot(other) == before
    result = cli("--db", other, "import", folder, "--format", "json")
    assert [row["unchanged"] for row in json.loads(result.stdout)] == [3, 2, 1, 2]


def test_masked_export_reimports_without_touching_niks(besuk, tmp_path, db_path):
    cli = loaded(besuk, tmp_path)
    path = tmp_path / "cases.csv"
    path.write_text(cli("export", "cases").stdout)
    before = snapshot(db_path)
    result = cli("import", path, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["unchanged"] == 2
    assert "masked NIKs (from an export without --show-pii) are ignored" in result.stderr
    assert snapshot(db_path) == before


def test_unknown_kind_names_the_argument(besuk):
    result = besuk("export", "pengurus")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: KIND must be one of villages, institutions, activities, cases "
        "(or desa, lembaga, kegiatan, kasus), not 'pengurus'\n"
    )

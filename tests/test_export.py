"""`wksbm export`: files that re-import cleanly, with formulas neutralised and personal data guarded."""

import csv
import io
import json
import sqlite3

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


def test_xlsx_export_neutralises_formulas(besuk, tmp_path):
    cli = loaded(besuk, tmp_path)
    path = tmp_path / "out" / "kasus.xlsx"
    path.parent.mkdir()
    result = cli("export", "cases", "-o", path)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote 2 cases to {path}.\n"
    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][4] == "'=cmd|' /C calc'!A0" and rows[1][12] == "'+62 812 3456" and rows[1][7] == 1945
    assert [p.name for p in path.parent.iterdir()] == ["kasus.xlsx"]  # no temporary file left behind
    assert oct(path.stat().st_mode & 0o777) == "0o600"


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

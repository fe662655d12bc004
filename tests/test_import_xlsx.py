"""XLSX as offices and attackers write them: merged cells, numbers where codes belong, hostile parts."""

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from helpers import import_counts, peak_import, query

DATA = Path(__file__).parent / "data"
CASES = ["ref", "desa", "kategori", "nama", "nik", "tanggal lapor"]


def workbook(path, rows, title="Sheet1", merged=()):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cells in merged:
        sheet.merge_cells(cells)
    book.save(path)
    return path


# --- merged cells -----------------------------------------------------------------------------

MERGED_INSTITUTIONS = [
    ("KUBE Mawar", "Randujalak", "kube", "Sumarni", 10), ("Arisan Melati", "Randujalak", "arisan", "Bu Ani", 25),
    ("Karang Taruna Randujalak", "Randujalak", "karang-taruna", "Mas Budi", 30),
    ("PKK Alasnyiur", "Alasnyiur", "pkk", "Bu Siti", 40), ("Posyandu Mawar", "Alasnyiur", "posyandu", "Bu Ida", 12),
]


def stored_institutions(db_path):
    return query(db_path, """SELECT i.name, v.name, i.type, i.leader, i.members FROM institutions i
                              JOIN villages v ON v.id = i.village_id WHERE i.leader IS NOT NULL ORDER BY i.id""")


def test_a_village_merged_down_its_block_applies_to_every_row(besuk, tmp_path, db_path):
    path = workbook(tmp_path / "lembaga.xlsx", [
        ["Daftar Lembaga WKSBM Kecamatan Besuk"],
        ["Desa", "Nama Lembaga", "Jenis", "Ketua", "Anggota"],
        ["Randujalak", "KUBE Mawar", "kube", "Sumarni", 10], [None, "Arisan Melati", "arisan", "Bu Ani", 25],
        [None, "Karang Taruna Randujalak", "karang-taruna", "Mas Budi", 30],
        ["Alasnyiur", "PKK Alasnyiur", "pkk", "Bu Siti", 40], [None, "Posyandu Mawar", "posyandu", "Bu Ida", 12],
    ], merged=["A1:E1", "A3:A5", "A6:A7"])
    assert import_counts(besuk("import", path, "--format", "json")) == {"institutions": [5, 0, 0]}
    assert stored_institutions(db_path) == MERGED_INSTITUTIONS


def test_a_merged_workbook_saved_by_libreoffice(besuk, tmp_path, db_path):
    # tests/data/lembaga_merged_libreoffice.xlsx: the workbook above, saved by LibreOffice Calc
    # (soffice --headless --convert-to xlsx), which writes the covered cells as empty styled cells.
    path = tmp_path / "lembaga.xlsx"
    path.write_bytes((DATA / "lembaga_merged_libreoffice.xlsx").read_bytes())
    assert import_counts(besuk("import", path, "--format", "json")) == {"institutions": [5, 0, 0]}
    assert stored_institutions(db_path) == MERGED_INSTITUTIONS


def test_a_value_merged_across_columns_fills_each_of_them(besuk, tmp_path, db_path):
    path = workbook(tmp_path / "kegiatan.xlsx", [
        ["desa", "tanggal", "jenis", "judul", "catatan"],
        ["Randujalak", "2021-01-12", "rapat", "Rapat pengurus", None],
        ["Alasnyiur", "2021-01-13", "sosialisasi", "Sosialisasi PKH", None],
    ], merged=["D3:E3"])
    assert import_counts(besuk("import", path, "--format", "json")) == {"activities": [2, 0, 0]}
    assert query(db_path, "SELECT kind, title, notes FROM activities ORDER BY held_on") == [
        ("meeting", "Rapat pengurus", None), ("outreach", "Sosialisasi PKH", "Sosialisasi PKH")]


# --- numbers where codes belong ----------------------------------------------------------------

NUMBER_FIX = "the NIK column holds numbers, which lose digits: format it as Text and type the NIKs again"


def test_niks_in_number_cells_are_refused_line_by_line_over_an_empty_database(besuk, tmp_path, db_path):
    path = workbook(tmp_path / "kasus.xlsx", [
        CASES,
        ["A-1", "Randujalak", "fakir-miskin", "Tini", 3513132010460050, "2021-01-01"],  # 3513132010460046, rounded
        ["A-2", "Randujalak", "fakir-miskin", "Tono", 3513134107450000.0, "2021-01-01"],
        ["A-3", "Randujalak", "fakir-miskin", "Tina", "3513134107450001", "2021-01-01"],
    ])
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: nothing was imported: 2 problems in 2 rows:\n"
        f"{path}:2: nik: 351313********50: {NUMBER_FIX}\n"
        f"{path}:3: nik: 351313********00: {NUMBER_FIX}\n"
    )
    assert query(db_path, "SELECT count(*) FROM cases") == [(0,)]


def test_niks_in_number_cells_never_replace_stored_ones(besuk, tmp_path, db_path):
    good = workbook(tmp_path / "kasus.xlsx", [CASES, ["A-1", "Randujalak", "fakir-miskin", "Tini", "3513132010460046", "2021-01-01"]])
    assert import_counts(besuk("import", good, "--format", "json")) == {"cases": [1, 0, 0]}
    rounded = workbook(tmp_path / "kasus_lagi.xlsx", [CASES, ["A-1", "Randujalak", "fakir-miskin", "Tini", 3513132010460050, "2021-01-01"]])
    result = besuk("import", rounded)
    assert result.exit_code == 1
    assert f"{rounded}:2: nik: 351313********50: {NUMBER_FIX}" in result.stderr
    assert query(db_path, "SELECT ref, nik FROM cases") == [("A-1", "3513132010460046")]


def test_village_codes_and_refs_in_number_cells_are_refused(besuk, tmp_path, db_path):
    villages = workbook(tmp_path / "desa.xlsx", [["kode", "nama"], [3513132001, "Bago"]])
    result = besuk("import", villages)
    assert result.exit_code == 1
    assert (f"{villages}:2: kode: 3513132001: the code column holds numbers, which lose digits: format it as Text "
            "and type the codes again") in result.stderr
    cases = workbook(tmp_path / "kasus.xlsx", [["ref", "kode desa", "kategori", "nama", "tanggal lapor"],
                                               [17, "35.13.13.2013", "fakir-miskin", "Tini", "2021-01-01"],
                                               ["B-1", 3513132013, "fakir-miskin", "Tono", "2021-01-01"]])
    result = besuk("import", cases)
    assert result.exit_code == 1
    assert f"{cases}:2: ref: 17: the ref column holds numbers" in result.stderr
    assert f"{cases}:3: kode desa: 3513132013: the code column holds numbers" in result.stderr
    assert query(db_path, "SELECT count(*) FROM cases") == [(0,)]


def test_a_nik_as_a_json_float_or_in_scientific_notation_is_refused(besuk, tmp_path):
    path = tmp_path / "kasus.json"
    path.write_text('[{"desa": "Randujalak", "kategori": "fakir-miskin", "nama": "Tini", "nik": 3513132010460046.0,'
                    ' "tanggal lapor": "2021-01-01"}]')
    result = besuk("import", path)
    assert result.exit_code == 1
    assert f"{path}:1: nik: 351313********46: {NUMBER_FIX}" in result.stderr
    csv_path = tmp_path / "kasus.csv"
    csv_path.write_text("desa;kategori;nama;nik;tanggal lapor\nRandujalak;fakir-miskin;Tini;3,51313E+15;01/01/2021\n")
    result = besuk("import", csv_path)
    assert result.exit_code == 1
    assert f"{csv_path}:2: nik: 3,51313E+15: {NUMBER_FIX}" in result.stderr


# --- hostile workbooks --------------------------------------------------------------------------

HEAD = b'<?xml version="1.0" encoding="UTF-8"?>'
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
ROWS = (b'<row r="1"><c r="A1" t="inlineStr"><is><t>ref</t></is></c><c r="B1" t="inlineStr"><is><t>desa</t></is></c>'
        b'<c r="C1" t="inlineStr"><is><t>kategori</t></is></c><c r="D1" t="inlineStr"><is><t>nama</t></is></c>'
        b'<c r="E1" t="inlineStr"><is><t>tanggal lapor</t></is></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>X-1</t></is></c><c r="B2" t="inlineStr"><is><t>Randujalak</t></is></c>'
        b'<c r="C2" t="inlineStr"><is><t>fakir-miskin</t></is></c><c r="D2" t="inlineStr"><is><t>Tini</t></is></c>'
        b'<c r="E2" t="inlineStr"><is><t>2021-01-01</t></is></c></row>')


def hostile(path, parts):
    """A real workbook with some of its parts replaced."""
    workbook(path, [["x"]], title="kasus")
    with zipfile.ZipFile(path) as source:
        items = {name: source.read(name) for name in source.namelist()}
    items.update(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name, data in items.items():
            target.writestr(name, data)
    return path


def sheet_xml(body, dimension=b"A1:E2", doctype=b""):
    return (HEAD + doctype + b"<worksheet " + NS + b'><dimension ref="' + dimension + b'"/><sheetData>' + body
            + b"</sheetData></worksheet>")


def test_entity_expansion_is_refused_in_one_sentence(besuk, tmp_path, db_path):
    laughs = b"".join(b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10))
    doctype = b'<!DOCTYPE worksheet [<!ENTITY l0 "lol">' + laughs + b"]>"
    body = b'<row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row>'
    path = hostile(tmp_path / "kasus.xlsx", {"xl/worksheets/sheet1.xml": sheet_xml(body, doctype=doctype)})
    returncode, stderr, peak = peak_import(db_path, path)
    assert returncode == 1
    assert stderr == (f"Error: nothing was imported: 1 problem in 1 row:\n{path}:1: is not a workbook "
                      "wksbm reads: it declares XML entities (<!DOCTYPE …>), which no office program writes\n")
    assert peak < 150


def test_an_external_entity_is_refused_and_never_read(besuk, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Ma'ruf,3513134107450001")
    doctype = b'<!DOCTYPE sst [<!ENTITY x SYSTEM "file://' + str(secret).encode() + b'">]>'
    strings = HEAD + doctype + b"<sst " + NS + b'><si><t>&x;</t></si></sst>'
    body = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    path = hostile(tmp_path / "kasus.xlsx", {"xl/sharedStrings.xml": strings, "xl/worksheets/sheet1.xml": sheet_xml(body)})
    result = besuk("import", path)
    assert result.exit_code == 1
    assert "it declares XML entities (<!DOCTYPE …>), which no office program writes" in result.stderr
    assert "3513" not in result.stderr and "unexpected" not in result.stderr


def test_one_huge_shared_string_is_refused_with_memory_bounded(besuk, tmp_path, db_path):
    strings = HEAD + b"<sst " + NS + b"><si><t>" + b"a" * 50_000_000 + b"</t></si></sst>"
    body = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    path = hostile(tmp_path / "kasus.xlsx", {"xl/sharedStrings.xml": strings, "xl/worksheets/sheet1.xml": sheet_xml(body)})
    assert path.stat().st_size < 400_000
    returncode, stderr, peak = peak_import(db_path, path)
    assert returncode == 1
    assert ("is not a workbook an office program writes: its part xl/sharedStrings.xml unpacks to 50,000,"
            in stderr)
    assert peak < 150


def test_a_cell_over_ten_thousand_characters_is_refused_on_its_line(besuk, tmp_path, db_path):
    path = workbook(tmp_path / "kasus.xlsx", [CASES, ["A-1", "Randujalak", "fakir-miskin", "T" * 10_001, None, "2021-01-01"],
                                               ["A-2", "Randujalak", "fakir-miskin", "T" * 10_000, None, "2021-01-01"]])
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr == (f"Error: nothing was imported: 1 problem in 1 row:\n{path}:2: a cell holds 10,001 "
                             "characters; wksbm takes at most 10,000 in one cell\n")


def test_a_declared_huge_sheet_with_values_far_away_costs_neither_time_nor_memory(besuk, tmp_path, db_path):
    far = b"".join(b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (row, row) for row in range(3, 20_000))
    path = hostile(tmp_path / "kasus.xlsx", {"xl/worksheets/sheet1.xml": sheet_xml(ROWS + far, b"A1:XFD1048576")})
    returncode, stderr, peak = peak_import(db_path, path)
    assert (returncode, stderr.splitlines()[0]) == (0, "Imported 1 file in one transaction.")
    assert query(db_path, "SELECT ref, person_name FROM cases") == [("X-1", "Tini")]
    assert peak < 150


@pytest.mark.parametrize("parts, message", [
    ({"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row>"},
     "is not a readable XLSX workbook: its part xl/worksheets/sheet1.xml is not well-formed XML (no element found)"),
    ({"xl/workbook.xml": b"\x00\x01garbage"},
     "is not a readable XLSX workbook: its part xl/workbook.xml is not well-formed XML (not well-formed (invalid token))"),
    ({"xl/worksheets/sheet1.xml": sheet_xml(b'<row r="1"><c r="A1" t="s"><v>99</v></c></row>')},
     "is not a readable XLSX workbook: a cell refers to a shared string that does not exist"),
    ({"xl/worksheets/sheet1.xml": sheet_xml(b'<row r="1"><c r="A1"><v>12abc</v></c></row>')},
     "is not a readable XLSX workbook: a number cell holds '12abc'"),
    ({"xl/worksheets/sheet1.xml": sheet_xml(b'<row r="1"><c r="ZZZZ1"><v>1</v></c></row>')},
     "is not a readable XLSX workbook: a cell reference 'ZZZZ1' is malformed"),
])
def test_a_malformed_workbook_is_one_clear_sentence(besuk, tmp_path, parts, message):
    path = hostile(tmp_path / "kasus.xlsx", parts)
    result = besuk("import", path, "--kind", "cases")
    assert result.exit_code == 1
    assert message in result.stderr
    assert "unexpected" not in result.stderr


def test_a_file_that_is_not_a_zip_archive(besuk, tmp_path):
    path = tmp_path / "kasus.xlsx"
    path.write_text("ref,desa\n")
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr == (f"Error: nothing was imported: 1 problem in 1 row:\n{path}:1: is not a readable XLSX "
                             "workbook (not a zip archive: was it saved as .xlsx?)\n")

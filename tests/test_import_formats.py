"""`wksbm import` of XLSX, JSON and NDJSON files, and of folders with several kinds."""

import datetime as dt
import json

from helpers import import_counts, query, workbook


def test_xlsx_with_indonesian_headers_and_a_title_row(besuk, tmp_path, db_path):
    path = workbook(tmp_path / "kasus_2021.xlsx", {"Sheet1": [
        ["Data PMKS Desa Randujalak 2021"],
        ["Kode", "Desa", "Kategori", "Nama", "NIK", "Jenis Kelamin", "Tahun Lahir", "Tanggal Lapor",
         "Status", "Ditangani Oleh", "Tanggal Selesai", "Catatan"],
        [None, "Randujalak", "Lansia Terlantar", "Mbok Sarmi", "3513134107450001", "Perempuan", 1945,
         dt.datetime(2021, 2, 3), "resolved", "PKK Randujalak", "20/03/2021", "Tinggal sendiri"],
        [None, "35.13.13.2013", 2, "Budi", None, "L", 2012.0, "05/02/2021", "in handling", None, None, None],
    ]})
    assert import_counts(besuk("import", path, "--format", "json")) == {"cases": [2, 0, 0]}
    assert query(db_path, """SELECT ref, category, person_name, nik, gender, birth_year, reported_on, status,
                                    handled_by IS NOT NULL, resolved_on, notes FROM cases ORDER BY ref""") == [
        ("KS-2021-0001", "lansia-terlantar", "Mbok Sarmi", "3513134107450001", "P", 1945, "2021-02-03", "resolved", 1,
         "2021-03-20", "Tinggal sendiri"),
        ("KS-2021-0002", "anak-terlantar", "Budi", None, "L", 2012, "2021-02-05", "in_handling", 0, None, None),
    ]
    assert query(db_path, "SELECT old_status, new_status, on_date FROM case_events ORDER BY on_date") == [
        ("reported", "in_handling", "2021-02-05"), ("reported", "resolved", "2021-03-20")]
    assert import_counts(besuk("import", path, "--format", "json")) == {"cases": [0, 0, 2]}


def test_xlsx_sheets_named_after_kinds_and_sheet_option(besuk, tmp_path, db_path):
    path = workbook(tmp_path / "laporan_besuk.xlsx", {
        "Kasus": [["desa", "kategori", "nama", "tanggal lapor"], ["Alasnyiur", "fakir-miskin", "Tini", "01/03/2022"]],
        "Lembaga": [["desa", "nama lembaga", "jenis", "ketua", "anggota", "tanggal bergabung"],
                    ["Alasnyiur", "Arisan Melati", "arisan", "Bu Ani", 25, "2021-01-10"]],
        "Catatan": [["apa saja"], ["bukan data"]],
    })
    # Dependency order: the institution sheet goes in before the cases sheet.
    assert import_counts(besuk("import", path, "--format", "json")) == {"institutions": [1, 0, 0], "cases": [1, 0, 0]}
    assert query(db_path, "SELECT name, leader, members, joined_on FROM institutions WHERE name = 'Arisan Melati'") == [
        ("Arisan Melati", "Bu Ani", 25, "2021-01-10")]
    result = besuk("import", path, "--sheet", "Lembaga", "--kind", "lembaga", "--format", "json")
    assert import_counts(result) == {"institutions": [0, 0, 1]}
    result = besuk("import", path, "--sheet", "Tidak Ada", "--kind", "lembaga")
    assert result.exit_code == 1
    assert "has no sheet 'Tidak Ada' (its sheets: Kasus, Lembaga, Catatan)" in result.stderr


def test_json_array(besuk, tmp_path, db_path):
    path = tmp_path / "villages.json"
    path.write_text(json.dumps([
        {"code": "35.13.99.2001", "name": "Desa Uji", "kecamatan": "Besuk", "kabupaten": "Probolinggo",
         "formed_on": "2021-05-01", "decree": "SK 1/2021"},
        {"kode": "35.13.13.2013", "nama": "Randujalak", "tanggal terbentuk": "16/03/2020"},
    ], indent=2))
    result = besuk("import", path, "--format", "json")
    assert import_counts(result) == {"villages": [1, 1, 0]}
    assert query(db_path, "SELECT code, name, formed_on FROM villages WHERE code IN ('35.13.99.2001', '35.13.13.2013') ORDER BY code") == [
        ("35.13.13.2013", "Randujalak", "2020-03-16"), ("35.13.99.2001", "Desa Uji", "2021-05-01")]


def test_json_problems_name_the_line_an_object_starts_on(besuk, tmp_path):
    path = tmp_path / "lembaga.json"
    path.write_text('[\n  {"village": "Randujalak", "name": "A", "type": "arisan"},\n'
                    '  {"village": "Randujalak",\n   "name": "B", "type": "bank"},\n  "text"\n]\n')
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [
        f"{path}:3: type: bank: not a known institution type; see `wksbm types`",
        f"{path}:5: not a JSON object ({{...}})",
    ]


def test_ndjson_and_stdin(besuk, tmp_path, db_path):
    path = tmp_path / "kegiatan.jsonl"
    path.write_text('{"desa": "Randujalak", "tanggal": "2022-01-05", "jenis": "meeting", "judul": "Rapat", "peserta": 12}\n'
                    '\n{"desa": "Alasnyiur", "tanggal": "06/01/2022", "jenis": "training", "peserta": "8"}\n')
    assert import_counts(besuk("import", path, "--format", "json")) == {"activities": [2, 0, 0]}
    assert import_counts(besuk("import", "-", "--kind", "activities", "--format", "json", input=path.read_text())) == {
        "activities": [0, 0, 2]}
    broken = tmp_path / "kegiatan2.ndjson"
    broken.write_text('{"desa": "Randujalak", "tanggal": "2022-01-05", "jenis": "meeting"}\n{"desa": \n')
    result = besuk("import", broken)
    assert result.exit_code == 1
    assert f"{broken}:2: not valid JSON (column 1): a value is missing or is not JSON (text goes in double quotes)" in result.stderr


def test_folder_in_dependency_order_in_one_transaction(cli, tmp_path, db_path):
    folder = tmp_path / "kiriman"
    folder.mkdir()
    (folder / "1_kasus.csv").write_text("desa,kategori,nama,tanggal_lapor,ditangani_oleh\n"
                                        "Desa Uji,fakir-miskin,Tini,2022-03-01,PKK Uji\n")
    (folder / "2_lembaga.csv").write_text("desa,nama,jenis\nDesa Uji,PKK Uji,pkk\n")
    (folder / "3_desa.csv").write_text("kode,nama,kecamatan,kabupaten\n35.13.99.2001,Desa Uji,Besuk,Probolinggo\n")
    (folder / "README.md").write_text("not data")
    (folder / "catatan.csv").write_text("a,b\n1,2\n")
    result = cli("import", folder, "--format", "json")
    assert import_counts(result) == {"villages": [1, 0, 0], "institutions": [1, 0, 0], "cases": [1, 0, 0]}
    assert "skipped" in result.stderr and "catatan.csv" in result.stderr

    # One bad file: nothing from the others is kept either.
    (folder / "4_kegiatan.csv").write_text("desa,tanggal,jenis\nDesa Uji,2022-13-01,meeting\n")
    (folder / "3_desa.csv").write_text("kode,nama\n35.13.99.2002,Desa Dua\n")
    result = cli("import", folder)
    assert result.exit_code == 1
    assert query(db_path, "SELECT count(*) FROM villages") == [(1,)]


def test_the_import_modules_import_each_other_without_a_cycle():
    import ast
    from pathlib import Path

    import wksbm_cli.importing as package

    folder = Path(package.__file__).parent
    graph = {}
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):  # imports inside functions count; those only for type checkers do not
            if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
                node.body = []
        graph[path.stem] = {node.module.rsplit(".", 1)[1] for node in ast.walk(tree)
                            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("wksbm_cli.importing.")}

    def reaches(start, goal, seen=()):
        return any(after == goal or (after not in seen and reaches(after, goal, (*seen, after)))
                   for after in graph.get(start, ()))

    assert [module for module in sorted(graph) if reaches(module, module)] == []

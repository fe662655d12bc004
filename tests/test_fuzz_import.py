"""Hostile files through `wksbm import`: each gets a clear error or is stored exactly as given;
never a traceback, never an "unexpected" error, never a partial write.

The corpus is generated here at run time (binary garbage, NUL bytes, a 10 MB cell, 1,000 columns,
deeply nested JSON, SQL-looking, right-to-left and emoji text, formula cells…) rather than
committed as multi-megabyte files.
"""

import csv
import io
import json
import random
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wksbm_cli.errors import Invalid
from wksbm_cli.importing.headers import KINDS, field_for, header_key, map_headers

HEADER = ["ref", "village", "category", "person_name", "reported_on", "notes"]
RANDUJALAK = "35.13.13.2013"


def csv_bytes(rows, header=HEADER, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def case_row(ref, name, notes=""):
    return [ref, RANDUJALAK, "fakir-miskin", name, "2021-01-01", notes]


def state(db_path):
    """Everything an import could change: row counts and the last audit entry."""
    conn = sqlite3.connect(db_path)
    tables = ["villages", "institutions", "activities", "cases", "case_events", "audit_log"]
    result = {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables}
    result["last_audit"] = conn.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    conn.close()
    return result


@pytest.fixture
def village(cli):
    assert cli("village", "add", "Randujalak", "--code", RANDUJALAK).exit_code == 0
    return cli


def run_import(cli, db_path, path, *options):
    """Import `path`; assert the outcome is clean either way (a failure wrote nothing); return the result."""
    before = state(db_path)
    result = cli("import", path, *options)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    assert "unexpected" not in result.stderr, result.stderr
    if result.exit_code == 1:
        assert "Error: " in [line[:7] for line in result.stderr.splitlines()]  # after any warnings
        assert state(db_path) == before, "a failed import wrote something"
    return result


def stored_cases(db_path):
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT ref, person_name, nik, notes FROM cases ORDER BY ref").fetchall()
    conn.close()
    return rows


# --- files that must be refused with a clear error ---------------------------------------------

def garbage():
    noise = random.Random(6).randbytes(50_000)
    return noise[:100] + b"\x00" + noise[100:]


REFUSED = {
    "binary garbage": ("kasus.csv", garbage(), "contains NUL bytes"),
    "NUL byte in a cell": ("kasus.csv", csv_bytes([case_row("N-1", "Nul\x00Byte")]), "contains NUL bytes"),
    "UTF-16 file": ("kasus.csv", csv_bytes([case_row("U-1", "Wati")]).decode().encode("utf-16"), "NUL bytes"),
    "empty file": ("kasus.csv", b"", "the file is empty"),
    "a zip that is no workbook": ("kasus.xlsx", b"PK\x03\x04" + random.Random(7).randbytes(3000), "not a readable XLSX workbook"),
    "JSON object, not an array": ("kasus.json", b'{"ref": "x"}', "holds an array of objects"),
    "JSON number": ("kasus.json", b"42", "holds an array of objects"),
    "truncated JSON": ("kasus.json", b'[{"ref": "T-1", "village": "35.13.13.2013"', "JSON"),
    "bad NDJSON line": ("kasus.ndjson", b'{"ref": "N-1"}\n{not json\n', "not valid JSON"),
    "two headers for one field": ("kasus.csv", csv_bytes([["D-1", "D-2", RANDUJALAK, "fakir-miskin", "A", "2021-01-01"]],
                                                         header=["ref", "ref", "village", "category", "person_name", "reported_on"]),
                                  "both mean ref"),
    "SQL in a reference": ("kasus.csv", csv_bytes([["Q-1", "x' OR '1'='1", "fakir-miskin", "A", "2021-01-01", ""]]), "x' OR '1'='1"),
    "month-first date": ("kasus.csv", csv_bytes([["M-1", RANDUJALAK, "fakir-miskin", "A", "03/25/2021", ""]]), "no month 25"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_hostile_file_is_refused_with_a_clear_error_and_nothing_written(village, db_path, tmp_path, name):
    filename, content, expected = REFUSED[name]
    path = tmp_path / filename
    path.write_bytes(content)
    result = run_import(village, db_path, path, "--kind", "cases")
    assert result.exit_code == 1
    assert expected in result.stderr
    assert len(result.stderr) < 2_000  # a listing of problems, not a dump of the file


NESTED = {
    "deeply nested JSON array": ("kasus.json", b"[" * 100_000 + b"]" * 100_000),
    "deeply nested JSON value": ("kasus.json", (
        '[{"ref": "J-1", "village": "35.13.13.2013", "category": "fakir-miskin", "reported_on": "2021-01-01", '
        '"person_name": ' + '{"a": ' * 5_000 + "1" + "}" * 5_000 + "}]").encode()),
    "deeply nested NDJSON line": ("kasus.ndjson", (
        '{"ref": "J-2", "village": "35.13.13.2013", "person_name": ' + "[" * 100_000 + "]" * 100_000 + "}\n").encode()),
}


@pytest.mark.parametrize("name", list(NESTED))
def test_deeply_nested_json_gets_a_clear_error(village, db_path, tmp_path, name):
    filename, content = NESTED[name]
    (tmp_path / filename).write_bytes(content)
    result = run_import(village, db_path, tmp_path / filename, "--kind", "cases")
    assert result.exit_code == 1


@pytest.mark.parametrize("name", list(NESTED))
def test_deeply_nested_json_never_writes_or_shows_a_traceback(village, db_path, tmp_path, name):
    filename, content = NESTED[name]
    (tmp_path / filename).write_bytes(content)
    before = state(db_path)
    result = village("import", tmp_path / filename, "--kind", "cases")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert state(db_path) == before


def test_one_bad_row_after_ten_thousand_good_ones_writes_nothing(village, db_path, tmp_path):
    rows = [case_row(f"G-{number}", f"Orang {number}") for number in range(10_000)]
    rows.append(case_row("G-bad", "Orang jahat") [:4] + ["31/02/2021", ""])
    path = tmp_path / "kasus.csv"
    path.write_bytes(csv_bytes(rows))
    result = run_import(village, db_path, path)
    assert result.exit_code == 1
    assert "kasus.csv:10002: reported_on: 31/02/2021: not a real date: 2021-02 has no day 31" in result.stderr
    assert stored_cases(db_path) == []


def test_a_huge_or_multi_line_bad_value_gives_a_short_listing(village, db_path, tmp_path):
    rows = [dict(zip(HEADER, case_row("H-1", "A"))), dict(zip(HEADER, case_row("H-2", "B")))]
    rows[0]["reported_on"] = "1" * 1_000_000
    rows[1]["reported_on"] = "2021\n-01-01"
    (tmp_path / "kasus.json").write_text(json.dumps(rows), encoding="utf-8")
    result = run_import(village, db_path, tmp_path / "kasus.json")
    assert result.exit_code == 1
    assert len(result.stderr) < 2_000
    assert len(result.stderr.splitlines()) == 3


# --- files whose strange text must be stored exactly as given ----------------------------------

STRANGE = [
    "Robert'); DROP TABLE cases;--",
    "\"; DELETE FROM audit_log; --",
    "=cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "+62 812 3456",
    "محمد عبد الله",
    "\u202eKASUS\u202c rahasia",
    "Mbok Sarmi 👵🏽‍🦯",
    "名前 Ñoño Çağrı",
    "quote \" and ; and , and | and \t tab",
    "two\nlines",
]


@pytest.mark.parametrize("extension", ["csv", "json", "ndjson", "xlsx"])
def test_strange_text_is_stored_exactly(village, db_path, tmp_path, extension):
    rows = [dict(zip(HEADER, case_row(f"S-{number:02d}", text, notes=text))) for number, text in enumerate(STRANGE)]
    path = tmp_path / f"kasus.{extension}"
    if extension == "csv":
        path.write_bytes(csv_bytes([list(row.values()) for row in rows]))
    elif extension == "json":
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    elif extension == "ndjson":
        path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append(HEADER)
        for row in rows:
            sheet.append(list(row.values()))
            for cell in sheet[sheet.max_row]:
                cell.data_type = "s"  # text that looks like a formula stays text, as a user typed it
        workbook.save(path)
    result = run_import(village, db_path, path)
    assert result.exit_code == 0, result.output
    assert stored_cases(db_path) == [(f"S-{number:02d}", text.strip(), None, text.strip()) for number, text in enumerate(STRANGE)]
    assert village("check").exit_code == 0


def test_a_10_mb_cell_is_refused_on_its_line(village, db_path, tmp_path):
    big = "x" * 10_000_000
    path = tmp_path / "kasus.csv"
    path.write_bytes(csv_bytes([case_row("B-1", "Besar", notes=big)]))
    result = run_import(village, db_path, path)
    assert result.exit_code == 1
    assert f"{path}:2: line 2 is longer than 1,048,576 characters: not a row of a table" in result.stderr


def test_a_10_mb_json_string_is_refused_on_its_line(village, db_path, tmp_path):
    big = "y" * 10_000_000
    path = tmp_path / "kasus.json"
    path.write_text(json.dumps([dict(zip(HEADER, case_row("B-2", "Besar", notes=big)))]), encoding="utf-8")
    result = run_import(village, db_path, path)
    assert result.exit_code == 1
    assert f"{path}:1: a cell holds 10,000,000 characters; wksbm takes at most 10,000 in one cell" in result.stderr


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_a_thousand_columns_import_with_a_warning(village, db_path, tmp_path, extension):
    header = HEADER + [f"extra{number}" for number in range(994)]
    row = case_row("W-1", "Lebar") + ["v"] * 994
    path = tmp_path / f"kasus.{extension}"
    if extension == "csv":
        path.write_bytes(csv_bytes([row], header=header))
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(header)
        sheet.append(row)
        workbook.save(path)
    result = run_import(village, db_path, path)
    assert result.exit_code == 0, result.output
    assert "ignored columns" in result.stderr and "extra993" in result.stderr
    assert stored_cases(db_path) == [("W-1", "Lebar", None, None)]


def test_xlsx_formula_cells_and_numeric_niks(village, db_path, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ref", "village", "category", "person_name", "nik", "reported_on", "notes"])
    sheet.append(["F-1", RANDUJALAK, "fakir-miskin", "Rumus", "3513134107450001", "2021-01-01", "=1+1"])
    sheet.append(["F-2", RANDUJALAK, "fakir-miskin", "Angka", 3513134107450002, "2021-01-01", None])
    path = tmp_path / "kasus.xlsx"
    workbook.save(path)
    result = run_import(village, db_path, path)
    # A NIK in a number cell has lost digits in the spreadsheet: refused, whatever it looks like.
    assert result.exit_code == 1
    assert (f"{path}:3: nik: 351313********02: the NIK column holds numbers, which lose digits: "
            "format it as Text and type the NIKs again") in result.stderr
    sheet.delete_rows(3)
    workbook.save(path)
    result = run_import(village, db_path, path)
    assert result.exit_code == 0, result.output
    # A formula cell counts as the value the spreadsheet shows; openpyxl saved none, so: empty.
    assert stored_cases(db_path) == [("F-1", "Rumus", "3513134107450001", None)]


def test_a_formula_where_a_name_belongs_is_refused(village, db_path, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["F-2", RANDUJALAK, "fakir-miskin", '=HYPERLINK("http://evil","klik")', "2021-01-01", ""])
    workbook.save(tmp_path / "kasus.xlsx")
    result = run_import(village, db_path, tmp_path / "kasus.xlsx")
    assert result.exit_code == 1
    assert "kasus.xlsx:2: person_name" in result.stderr


# --- property tests: any text as a file, any header ---------------------------------------------

fuzz = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@fuzz
@given(body=st.text(max_size=400))
def test_any_csv_text_imports_or_fails_cleanly(village, db_path, tmp_path, body):
    path = tmp_path / "kasus.csv"
    path.write_text("ref,village,category,person_name,reported_on\n" + body, encoding="utf-8")
    run_import(village, db_path, path)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


@fuzz
@given(document=json_values)
def test_any_json_document_imports_or_fails_cleanly(village, db_path, tmp_path, document):
    path = tmp_path / "kasus.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    run_import(village, db_path, path)


@fuzz
@given(records=st.lists(st.fixed_dictionaries({}, optional={
    key: st.one_of(st.text(max_size=20), st.integers(), st.none(), st.sampled_from([RANDUJALAK, "fakir-miskin", "2021-01-01"]))
    for key in ["ref", "village", "desa", "category", "kategori", "person_name", "nama", "nik", "reported_on", "status"]
}), max_size=5))
def test_any_case_records_import_or_fail_cleanly(village, db_path, tmp_path, records):
    path = tmp_path / "kasus.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    run_import(village, db_path, path)


@given(header=st.one_of(st.text(), st.integers(), st.none(), st.floats()))
def test_any_header_maps_to_a_known_field_or_none(header):
    key = header_key(header)
    assert key == key.strip("_") and "__" not in key
    for kind in KINDS:
        field = field_for(kind, header)
        assert field is None or isinstance(field, str)


@given(headers=st.lists(st.one_of(st.text(max_size=20), st.none(), st.sampled_from(["Nama", "NAMA", "nama_", "Desa", "desa"])), max_size=12))
def test_any_header_row_maps_or_names_the_clash(headers):
    try:
        fields, unknown = map_headers("cases", headers)
    except Invalid as error:
        assert "both mean" in str(error)
    else:
        assert len(fields) == len(headers)
        known = [field for field in fields if field]
        assert len(known) == len(set(known))

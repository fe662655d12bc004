"""Exports: NIKs masked in CSV, JSON and XLSX unless --show-pii; --redact drops names and NIKs;
formulas neutralised; export files private."""

import csv
import io
import json
import os
import stat
import sys

import pytest

WOMAN, MASKED = "3513134107450001", "351313********01"


@pytest.fixture
def cases(besuk):
    for name, nik, notes in [("Mbok Sarmi", WOMAN, "=HYPERLINK(\"http://x\")"), ("Pak Darmo", "", "@SUM(A1)")]:
        args = ["case", "add", "--village", "Randujalak", "--category", "lansia-terlantar", "--name", name,
                "--reported-on", "2021-02-03", "--notes", notes]
        result = besuk(*args, *(["--nik", nik] if nik else []))
        assert result.exit_code == 0, result.output
    return besuk


def read_xlsx(path):
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def exported(cli, tmp_path, format_, *options):
    """Run `wksbm export cases` in `format_` and return its rows as dicts."""
    if format_ == "xlsx":
        target = tmp_path / "kasus.xlsx"
        result = cli("export", "cases", "-o", target, *options)
        assert result.exit_code == 0, result.output
        return read_xlsx(target)
    result = cli("export", "cases", "--format", format_, *options)
    assert result.exit_code == 0, result.output
    if format_ == "json":
        return json.loads(result.stdout)
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.mark.parametrize("format_", ["csv", "json", "xlsx"])
def test_exports_mask_the_nik(cases, tmp_path, format_):
    rows = exported(cases, tmp_path, format_)
    assert [row["person_name"] for row in rows] == ["Mbok Sarmi", "Pak Darmo"]
    assert rows[0]["nik"] == MASKED
    assert rows[1]["nik"] in (None, "")


@pytest.mark.parametrize("format_", ["csv", "json", "xlsx"])
def test_show_pii_exports_the_nik_in_full(cases, tmp_path, format_):
    assert exported(cases, tmp_path, format_, "--show-pii")[0]["nik"] == WOMAN


@pytest.mark.parametrize("format_", ["csv", "json", "xlsx"])
def test_redact_drops_names_and_niks(cases, tmp_path, format_):
    rows = exported(cases, tmp_path, format_, "--redact")
    assert len(rows) == 2
    for row in rows:
        assert "person_name" not in row and "nik" not in row
        assert {"ref", "village", "category", "status"} <= set(row)
    text = json.dumps(rows, default=str)
    assert "Sarmi" not in text and "351313" not in text


def test_redact_wins_over_show_pii(cases, tmp_path):
    rows = exported(cases, tmp_path, "csv", "--redact", "--show-pii")
    assert "nik" not in rows[0] and "person_name" not in rows[0]


def test_csv_exports_neutralise_formulas(cases, tmp_path):
    rows = exported(cases, tmp_path, "csv")
    assert [row["notes"] for row in rows] == ["'=HYPERLINK(\"http://x\")", "'@SUM(A1)"]


def test_xlsx_exports_store_formulas_as_text_cells(cases, tmp_path):
    from openpyxl import load_workbook

    cases("export", "cases", "-o", tmp_path / "kasus.xlsx")
    sheet = load_workbook(tmp_path / "kasus.xlsx").active
    notes = [row[-1] for row in sheet.iter_rows(min_row=2)]
    assert [(cell.value, cell.data_type) for cell in notes] == [("=HYPERLINK(\"http://x\")", "s"), ("@SUM(A1)", "s")]


def test_json_export_keeps_text_as_stored(cases, tmp_path):
    assert [row["notes"] for row in exported(cases, tmp_path, "json")] == ["=HYPERLINK(\"http://x\")", "@SUM(A1)"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
@pytest.mark.parametrize("name", ["kasus.csv", "kasus.json", "kasus.xlsx"])
def test_export_files_are_private(cases, tmp_path, name):
    target = tmp_path / name
    result = cases("export", "cases", "-o", target, "--show-pii")
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_institution_leaders_are_redacted_too(besuk, tmp_path):
    besuk("institution", "update", "KUBE Sejahtera", "--village", "Randujalak", "--leader", "Bu Siti")
    result = besuk("export", "institutions", "--format", "json", "--redact")
    assert result.exit_code == 0, result.output
    assert "Bu Siti" not in result.stdout


def test_an_xlsx_export_of_text_with_control_characters_does_not_crash(besuk, tmp_path):
    result = besuk("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "Esc\x1b[31m",
                   "--notes", "nul\x00byte", "--reported-on", "2021-01-01")
    assert result.exit_code == 0
    result = besuk("export", "cases", "-o", tmp_path / "kasus.xlsx")
    assert "unexpected" not in result.stderr
    assert result.exit_code in (0, 1)

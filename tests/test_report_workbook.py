"""`summary -o FILE.xlsx`: the report's table as a formatted workbook (bold frozen header, widths, numbers)."""

from openpyxl import load_workbook

from tests.test_summary import small_world


def workbook(cli, tmp_path, *options):
    path = tmp_path / "laporan.xlsx"
    result = cli("summary", "--as-of", "2022-12-31", "-o", path, *options)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote {path}.\n"
    return load_workbook(path)


def test_the_summary_workbook_holds_the_table(conn, cli, tmp_path):
    small_world(conn)
    book = workbook(cli, tmp_path)
    assert book.sheetnames == ["Villages", "Legend"]
    sheet = book["Villages"]
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0][:1]] == ["WKSBM progress report"]
    assert [[cell.value for cell in row[:2]] for row in rows[1:4]] == [
        ["Area", "Kabupaten Probolinggo"], ["As of", "2022-12-31"], ["Made on", rows[3][1].value]]
    header = [cell.value for cell in rows[5]]
    assert header == [
        "code", "village", "kecamatan", "kabupaten", "stage", "stage (code)", "criteria met (of 7)",
        "F1", "F2", "R1", "R2", "A1", "A2", "A3", "member institutions", "activities, last 90 days", "cases open",
        "cases resolved", "cases closed", "median days to resolve", "next step"]
    assert sheet.freeze_panes == "A7" and all(cell.font.bold for cell in rows[5])
    first = [cell.value for cell in rows[6]]
    assert first == ["35.13.13.2003", "Alasnyiur", "Besuk", "Probolinggo", "formed", "formed", 2,
                     True, True, False, False, False, False, False, 3, 0, 0, 0, 0, None,
                     "record a meeting: none in the last 90 days"]
    assert rows[6][0].data_type == "s" and rows[6][6].data_type == "n" and rows[6][7].data_type == "b"
    randujalak = [cell.value for cell in rows[8]]
    assert randujalak[1] == "Randujalak" and randujalak[-2:] == [40, None]
    total = rows[10]
    assert [cell.value for cell in total][:2] == [None, "Total"] and total[1].font.bold
    assert [cell.value for cell in total][16:20] == [0, 2, 0, 35]
    widths = {cell.value: sheet.column_dimensions[cell.column_letter].width for cell in rows[5]}
    assert widths["next step"] == len("set the date the WKSBM was formed: not set") + 2
    assert widths["code"] == len("35.13.13.2003") + 2
    legend = list(book["Legend"].iter_rows(values_only=True))
    assert ("inst", "member institutions: institutions that joined on or before the report date") in legend
    assert ("active", "active (lasting): all seven criteria met") in legend
    assert ("F2", "at least 3 member institutions") in legend


def test_per_kabupaten(conn, cli, tmp_path):
    small_world(conn)
    sheet = workbook(cli, tmp_path, "--by", "kabupaten")["Kabupaten"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[5] == ("kabupaten", "code", "villages", "none", "formed", "running", "active",
                       "member institutions", "activities in the window", "cases open", "cases resolved",
                       "cases closed", "median days to resolve")
    assert rows[6] == ("Probolinggo", "35.13", 4, 2, 1, 0, 1, 6, 1, 0, 2, 0, 35)
    assert rows[7][:3] == ("Total", None, 4)


def test_stored_text_stays_text(conn, cli, tmp_path):
    from wksbm_cli.services import villages

    villages.add_village(conn, name="=HYPERLINK(\"http://x\")\x1b[31m", kecamatan="Besuk", kabupaten="Probolinggo")
    sheet = workbook(cli, tmp_path)["Villages"]
    cell = sheet.cell(row=7, column=2)
    assert (cell.value, cell.data_type) == ("=HYPERLINK(\"http://x\")\\x1b[31m", "s")


def test_in_indonesian_the_stage_column_has_the_indonesian_word_beside_the_code(conn, cli, tmp_path, monkeypatch):
    small_world(conn)
    monkeypatch.setenv("WKSBM_LANG", "id")
    path = tmp_path / "laporan.xlsx"
    result = cli("summary", "--as-of", "2022-12-31", "-o", path)
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(path).worksheets[0].iter_rows(values_only=True))
    assert rows[5][4:6] == ("tahap", "tahap (kode)")
    assert [row[4:6] for row in rows[6:10]] == [("terbentuk", "formed"), ("belum terbentuk", "none"),
                                                ("eksis", "active"), ("belum terbentuk", "none")]

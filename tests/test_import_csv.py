"""`wksbm import` of CSV files as offices send them: delimiters, BOMs, encodings, broken files."""

import pytest

from helpers import import_counts, peak_import, query

CASES_HEADER = "ref,village,category,person_name,nik,gender,birth_year,reported_on,status,handled_by,resolved_on,notes\n"


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_semicolon_csv_with_bom_and_day_first_dates(besuk, tmp_path, db_path):
    path = write(tmp_path / "kegiatan_2021.csv",
                 "\ufeffDesa;Tanggal;Jenis;Lembaga;Judul;Peserta;Catatan\n"
                 "Randujalak;25/11/2021;meeting;KUBE Sejahtera;Rapat rutin;21;\n"
                 'randu jalak;03-12-2021;outreach;;Sosialisasi;46;"Balai desa; lt 2"\n')
    result = besuk("import", path, "--format", "json")
    assert import_counts(result) == {"activities": [2, 0, 0]}
    assert query(db_path, """SELECT a.held_on, a.kind, a.title, i.name, a.attendees, a.notes
                                  FROM activities a LEFT JOIN institutions i ON i.id = a.institution_id
                                  ORDER BY a.held_on""") == [
        ("2021-11-25", "meeting", "Rapat rutin", "KUBE Sejahtera", 21, None),
        ("2021-12-03", "outreach", "Sosialisasi", None, 46, "Balai desa; lt 2"),
    ]


@pytest.mark.parametrize("delimiter", ["\t", "|", ","])
def test_delimiter_is_sniffed(besuk, tmp_path, delimiter):
    lines = [["village", "name", "type"], ["Alasnyiur", "PKK Alasnyiur", "pkk"], ["Alasnyiur", "Karang Taruna", "karang-taruna"]]
    path = write(tmp_path / "lembaga.csv", "".join(delimiter.join(line) + "\n" for line in lines))
    assert import_counts(besuk("import", path, "--format", "json")) == {"institutions": [2, 0, 0]}


def test_a_cp1252_file_is_read_as_windows_1252_with_one_warning(besuk, tmp_path, db_path):
    path = write(tmp_path / "kasus.csv", CASES_HEADER + "X-1,Randujalak,fakir-miskin,Ma’ruf Amin,,L,1950,2021-02-03,reported,,,\n", "cp1252")
    result = besuk("import", path)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (f"Warning: {path}: not UTF-8 text: read as Windows-1252 (cp1252), as Excel "
                                             "on Windows saves it; give --encoding if it is another")
    assert query(db_path, "SELECT ref, person_name FROM cases") == [("X-1", "Ma’ruf Amin")]


def test_a_cp1252_byte_far_into_an_ascii_file_switches_it_to_windows_1252(besuk, tmp_path, db_path):
    rows = "".join(f"A-{n},Randujalak,fakir-miskin,Orang {n},,L,1950,2021-02-03,reported,,,\n" for n in range(2000))
    path = write(tmp_path / "kasus.csv", CASES_HEADER + rows + "X-1,Randujalak,fakir-miskin,Ñoño,,L,1950,2021-02-03,reported,,,\n",
                 "cp1252")
    assert path.stat().st_size > 100_000
    result = besuk("import", path, "--format", "json")
    assert import_counts(result) == {"cases": [2001, 0, 0]}
    assert result.stderr.count("not UTF-8 text: read as Windows-1252") == 1
    assert query(db_path, "SELECT person_name FROM cases WHERE ref = 'X-1'") == [("Ñoño",)]


def test_a_file_pasted_together_from_utf_8_and_cp1252_reads_each_line_right(besuk, tmp_path, db_path):
    path = tmp_path / "kasus.csv"
    path.write_bytes(CASES_HEADER.encode() + "X-1,Randujalak,fakir-miskin,Ñoño,,L,1950,2021-02-03,reported,,,\n".encode()
                     + "X-2,Randujalak,fakir-miskin,Ma’ruf,,L,1950,2021-02-03,reported,,,\n".encode("cp1252")
                     + b"X-3,Randujalak,fakir-miskin,Ma\x81ruf,,L,1950,2021-02-03,reported,,,\n")  # 0x81: no cp1252 character
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [
        "Error: nothing was imported: 1 problem in 1 row:",
        f"{path}:4: holds bytes that are not cp1252 text; give the file's --encoding"]
    path.write_bytes(path.read_bytes().replace(b"\x81", b"\x92"))
    assert import_counts(besuk("import", path, "--format", "json")) == {"cases": [3, 0, 0]}
    assert query(db_path, "SELECT person_name FROM cases ORDER BY ref") == [("Ñoño",), ("Ma’ruf",), ("Ma’ruf",)]


def test_the_encoding_given_is_used(besuk, tmp_path, db_path):
    path = write(tmp_path / "kasus.csv", CASES_HEADER + "X-1,Randujalak,fakir-miskin,Ma’ruf Amin,,L,1950,2021-02-03,reported,,,\n", "cp1252")
    result = besuk("import", path, "--encoding", "latin-1")  # a wrong guess: 0x92 is a C1 control in latin-1
    assert result.exit_code == 1
    assert (f"{path}:2: holds the control character U+0092, left by text read in the wrong encoding; save the file "
            "as UTF-8 again or give --encoding") in result.stderr
    result = besuk("import", path, "--encoding", "cp1252")
    assert result.exit_code == 0, result.output
    assert query(db_path, "SELECT ref, person_name FROM cases") == [("X-1", "Ma’ruf Amin")]


def test_mojibake_is_never_stored(besuk, tmp_path, db_path):
    # Text once read in the wrong encoding and saved again as UTF-8: C1 controls and U+FFFD.
    path = write(tmp_path / "kasus.csv", CASES_HEADER + "X-1,Randujalak,fakir-miskin,Ma\u0092ruf,,L,1950,2021-02-03,reported,,,\n"
                 "X-2,Randujalak,fakir-miskin,Ma\ufffdruf,,L,1950,2021-02-03,reported,,,\n"
                 "X-3,Randujalak,fakir-miskin,Ma’ruf,,L,1950,2021-02-03,reported,,,\n")
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: nothing was imported: 2 problems in 2 rows:\n"
        f"{path}:2: holds the control character U+0092, left by text read in the wrong encoding; save the file as "
        "UTF-8 again or give --encoding\n"
        f"{path}:3: holds U+FFFD, the mark of text read in the wrong encoding; correct the text in the file\n")
    assert query(db_path, "SELECT count(*) FROM cases") == [(0,)]


@pytest.mark.parametrize("encoding", ["rot13", "hex", "base64", "no-such-thing"])
def test_an_encoding_that_is_not_one_is_one_sentence(besuk, tmp_path, encoding):
    path = write(tmp_path / "kasus.csv", CASES_HEADER)
    result = besuk("import", path, "--encoding", encoding)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: --encoding: '{encoding}' is not a text encoding wksbm can read "
                             "(try cp1252 or latin-1)\n")


def test_utf_16_with_the_encoding_given(besuk, tmp_path, db_path):
    path = write(tmp_path / "kasus.csv", CASES_HEADER + "X-1,Randujalak,fakir-miskin,Wati,,P,1950,2021-02-03,reported,,,\n",
                 "utf-16")
    assert import_counts(besuk("import", path, "--encoding", "utf-16", "--format", "json")) == {"cases": [1, 0, 0]}
    result = besuk("import", write(tmp_path / "kasus2.csv", CASES_HEADER, "utf-16-le"), "--encoding", "utf-16")
    assert result.exit_code == 1
    assert "cannot be read as utf-16" in result.stderr and "unexpected" not in result.stderr


def test_every_bad_row_is_listed_and_nothing_is_written(besuk, tmp_path, db_path):
    path = write(tmp_path / "cases.csv", CASES_HEADER
                 + ",Randujalak,fakir-miskin,Siti Aminah,3513134107450001,P,1945,2021-02-03,reported,,,\n"
                 + ",Randujalk,fakir-miskin,Budi,,L,1950,2021-02-03,reported,,,\n"
                 + ",Randujalak,miskin sekali,Tini,1234,X,1950,31/02/2021,reported,,,\n"
                 + ",Randujalak,lansia-terlantar,Kasmuri,,L,1946,2021-02-03,resolved,Posyandu Mawar,,\n")
    villages_path = write(tmp_path / "desa.csv", "code,name\n35.13.13.2099,Desa Baru\n35.13,Desa Salah\n")
    before = query(db_path, "SELECT count(*) FROM villages")
    result = besuk("import", path, villages_path)
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if not line.startswith("Warning")] == [
        "Error: nothing was imported: 7 problems in 4 rows:",
        f"{villages_path}:3: code: 35.13: not a village code: write PP.KK.CC.DDDD, e.g. 35.13.13.2013",
        f"{path}:3: village: Randujalk: no village named 'Randujalk'; did you mean 'Randujalak'?",
        f"{path}:4: category: miskin sekali: not a known PMKS category; see `wksbm categories`",
        f"{path}:4: nik: ****: a NIK has exactly 16 digits",
        f"{path}:4: gender: X: not a gender: use L (laki-laki) or P (perempuan)",
        f"{path}:4: reported_on: 31/02/2021: not a real date: 2021-02 has no day 31",
        f"{path}:5: handled_by: Posyandu Mawar: no institution 'Posyandu Mawar' in Randujalak",
    ]
    assert query(db_path, "SELECT count(*) FROM villages") == before
    assert query(db_path, "SELECT count(*) FROM cases") == [(0,)]


def test_resolution_rule_is_checked_with_its_line(besuk, tmp_path):
    path = write(tmp_path / "cases.csv", CASES_HEADER
                 + ",Randujalak,lansia-terlantar,Kasmuri,,L,1946,2021-02-03,resolved,,,\n")
    result = besuk("import", path)
    assert result.exit_code == 1
    assert f"{path}:2: resolved_on: a resolved case needs its resolution date" in result.stderr


@pytest.mark.parametrize("content, message", [
    (b"", ":1: the file is empty"),
    (b"village,name,type\n", ":1: the file has a header row but no data rows"),
    (b"village,name,type\nRandujalak,PKK\x00,pkk\n", ":2: contains NUL bytes: is it really a CSV text file (not UTF-16, not a spreadsheet renamed .csv)?"),
    (b"village,name\nRandujalak,PKK\n", ":1: missing required column: type"),
])
def test_broken_files_get_a_clear_message(besuk, tmp_path, content, message):
    path = tmp_path / "lembaga.csv"
    path.write_bytes(content)
    result = besuk("import", path)
    assert result.exit_code == 1
    assert f"{path}{message}" in result.stderr
    assert "Traceback" not in result.output


def test_ragged_rows_are_reported_by_line(besuk, tmp_path):
    path = write(tmp_path / "lembaga.csv", "village,name,type\nRandujalak,Arisan Melati,arisan,extra\nRandujalak,PKK Baru\n")
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [
        f"{path}:2: the row has 4 cells but the header has 3",
        f"{path}:3: the row has 2 cells but the header has 3",
    ]


def test_unknown_columns_are_a_warning(besuk, tmp_path):
    path = write(tmp_path / "lembaga.csv", "No.,Desa,Nama Lembaga,Jenis,Telepon\n1,Randujalak,Arisan Melati,arisan,0812\n")
    result = besuk("import", path, "--format", "json")
    assert import_counts(result) == {"institutions": [1, 0, 0]}
    assert f"Warning: {path}: ignored column wksbm does not know: Telepon" in result.stderr


def test_a_row_number_column_is_understood_without_a_warning(besuk, tmp_path):
    # SPEC 5: a `No.` column is a spreadsheet habit wksbm understands.
    for header in ("No.", "NO", "Nomor", "No Urut", "#"):
        path = write(tmp_path / "lembaga.csv", f"{header},Desa,Nama Lembaga,Jenis\n1,Randujalak,Arisan Melati,arisan\n")
        result = besuk("import", path, "--format", "json")
        assert result.exit_code == 0, result.output
        assert "Warning" not in result.stderr, (header, result.stderr)


def test_reimport_changes_nothing_and_updates_what_changed(besuk, tmp_path, db_path):
    path = write(tmp_path / "kasus_2021.csv", CASES_HEADER
                 + ",Randujalak,fakir-miskin,Siti Aminah,3513134107450001,P,1945,03/02/2021,reported,,,\n"
                 + "KS-2021-0100,Alasnyiur,lansia-terlantar,Tini,,P,1933,2021-02-05,in_handling,,,\n")
    assert import_counts(besuk("import", path, "--format", "json")) == {"cases": [2, 0, 0]}
    assert import_counts(besuk("import", path, "--format", "json")) == {"cases": [0, 0, 2]}
    assert query(db_path, "SELECT ref, status FROM cases ORDER BY ref") == [
        ("KS-2021-0100", "in_handling"), ("KS-2021-0101", "reported")]
    assert query(db_path, "SELECT old_status, new_status, on_date FROM case_events") == [
        ("reported", "in_handling", "2021-02-05")]

    path.write_text(path.read_text().replace("in_handling,,,", "resolved,,2021-03-01,"))
    assert import_counts(besuk("import", path, "--format", "json")) == {"cases": [0, 1, 1]}
    assert query(db_path, "SELECT old_status, new_status, on_date FROM case_events ORDER BY id") == [
        ("reported", "in_handling", "2021-02-05"), ("in_handling", "resolved", "2021-03-01")]


def test_repeated_rows_in_one_import_are_an_error(besuk, tmp_path):
    row = ",Randujalak,fakir-miskin,Siti Aminah,,P,1945,03/02/2021,reported,,,\n"
    path = write(tmp_path / "cases.csv", CASES_HEADER + row + row)
    result = besuk("import", path)
    assert result.exit_code == 1
    assert f"{path}:3: person_name: Siti Aminah: repeats line 2" in result.stderr


def test_dry_run_reports_and_writes_nothing(besuk, tmp_path, db_path):
    path = write(tmp_path / "desa.csv", "kode;nama;kecamatan;kabupaten\n35.13.13.2013;Randujalak;Besuk;Probolinggo\n35.13.99.2001;Desa Uji;Besuk;Probolinggo\n")
    result = besuk("import", path, "--dry-run", "--format", "json")
    assert import_counts(result) == {"villages": [1, 0, 1]}
    assert "Dry run: nothing was written." in result.stderr
    assert query(db_path, "SELECT count(*) FROM villages") == [(3,)]


def test_stdin_needs_kind(besuk):
    result = besuk("import", "-", input="village,name,type\nRandujalak,Arisan Melati,arisan\n")
    assert result.exit_code == 2
    assert "Error: reading from stdin (-) needs --kind" in result.stderr
    result = besuk("import", "-", "--kind", "lembaga", "--format", "json", input="village,name,type\nRandujalak,Arisan Melati,arisan\n")
    assert import_counts(result) == {"institutions": [1, 0, 0]}


def test_kind_from_file_name_or_an_error(besuk, tmp_path):
    path = write(tmp_path / "data.csv", "village,name,type\nRandujalak,Arisan Melati,arisan\n")
    result = besuk("import", path)
    assert result.exit_code == 1
    assert "cannot tell what it holds from its name" in result.stderr


@pytest.mark.parametrize("filler, reason", [
    (b"0", "line 3 is longer than 1,048,576 characters: not a row of a table"),
    (b"\x00", "contains NUL bytes: is it really a CSV text file (not UTF-16, not a spreadsheet renamed .csv)?"),
])
def test_valid_rows_then_hundreds_of_megabytes_without_a_newline(besuk, tmp_path, db_path, filler, reason):
    path = tmp_path / "kasus.csv"
    with open(path, "wb") as stream:
        stream.write((CASES_HEADER + "X-1,Randujalak,fakir-miskin,Wati,,P,1950,2021-02-03,reported,,,\n").encode())
        for _ in range(200):
            stream.write(filler * (1 << 20))
    returncode, stderr, peak = peak_import(db_path, path)
    assert returncode == 1
    assert stderr == f"Error: nothing was imported: 1 problem in 1 row:\n{path}:3: {reason}\n"
    assert peak < 150

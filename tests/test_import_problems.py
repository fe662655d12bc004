"""Import problems a clerk can act on: the same problem in many rows is one line, a problem caused by another says so."""

from helpers import query, workbook

CASES_HEADER = "desa,kategori,nama,tanggal_lapor\n"


def cases_csv(path, rows):
    path.write_text(CASES_HEADER + "".join(f"{','.join(row)}\n" for row in rows), encoding="utf-8")
    return path


def month_first(number):
    """A date as a computer set to US English writes it: month first, the day past 12."""
    return f"{number % 12 + 1:02d}/{number % 16 + 13:02d}/21"


def test_a_whole_column_of_month_first_dates_is_one_line_with_the_first_rows_and_the_count(besuk, tmp_path, db_path):
    path = cases_csv(tmp_path / "kasus.csv",
                     [["Randujalak", "fakir-miskin", f"Orang {number}", month_first(number)] for number in range(50)])
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: nothing was imported: 50 problems in 50 rows:\n"
        f"{path}: tanggal_lapor: 50 rows: no such month: the column looks written month first (MM/DD/YY), but wksbm reads DD/MM/YY: check every date in the column "
        "(lines 2: 01/13/21, 3: 02/14/21, 4: 03/15/21 and 47 more)\n")
    assert query(db_path, "SELECT count(*) FROM cases") == [(0,)]


def test_the_same_value_in_many_rows_is_named_once(besuk, tmp_path):
    # An XLSX whose category column holds a word wksbm does not know, in every row.
    path = workbook(tmp_path / "kasus.xlsx", {"Sheet1": [
        ["desa", "kategori", "nama", "tanggal lapor"],
        *[["Randujalak", "miskin sekali", f"Orang {number}", "05/01/2022"] for number in range(40)]]})
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: nothing was imported: 40 problems in 40 rows:\n"
        f"{path}: kategori: miskin sekali: 40 rows: not a known PMKS category; see `wksbm categories` "
        "(lines 2, 3, 4 and 37 more)\n")


def test_grouping_keeps_the_listing_short_and_the_counts_whole(besuk, tmp_path):
    # Two problems in each of 500 rows: two lines, where each problem used to be a line (the first 200 of them).
    path = cases_csv(tmp_path / "kasus.csv",
                     [["Randujalak", "fakir", f"Orang {number}", month_first(number)] for number in range(500)])
    result = besuk("import", path, "--dry-run")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the import would fail: 1000 problems in 500 rows:\n"
        f"{path}: kategori: fakir: 500 rows: not a known PMKS category; did you mean 'fakir-miskin'?; "
        "see `wksbm categories` (lines 2, 3, 4 and 497 more)\n"
        f"{path}: tanggal_lapor: 500 rows: no such month: the column looks written month first (MM/DD/YY), but wksbm reads DD/MM/YY: check every date in the column "
        "(lines 2: 01/13/21, 3: 02/14/21, 4: 03/15/21 and 497 more)\n")


def test_a_file_pasted_twice_is_one_line(besuk, tmp_path):
    rows = [["Randujalak", "fakir-miskin", f"Orang {number}", "2022-01-05"] for number in range(10)]
    path = cases_csv(tmp_path / "kasus.csv", rows + rows)
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: nothing was imported: 10 problems in 10 rows:\n"
        f"{path}: nama: 10 rows: repeats an earlier line of this file (lines 12: Orang 0, 13: Orang 1, 14: Orang 2 "
        "and 7 more)\n")


def test_three_rows_with_one_problem_and_distinct_problems_stay_one_line_each_in_line_order(besuk, tmp_path):
    # Line 3 is refused only when its chunk is matched, after the rows below it were read.
    path = cases_csv(tmp_path / "kasus.csv", [
        ["Randujalak", "fakir-miskin", "Siti", "12/13/21"],
        ["Randujalak", "fakir-miskin", "Joko", ""],
        ["Randujalak", "fakir-miskin", "Ani", "01/25/21"],
        ["Randujalak", "fakir-miskin", "Budi", "31/02/2022"],
        ["Randujalak", "fakir-miskin", "Dewi", "2022-14-01"],
        ["Randujalak", "fakir-miskin", "Eko", "2022-03-01"],
    ])
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: nothing was imported: 5 problems in 5 rows:\n"
        f"{path}:2: tanggal_lapor: 12/13/21: there is no month 13: the column looks written month first (MM/DD/YY), but "
        "wksbm reads DD/MM/YY: check every date in the column\n"
        f"{path}:3: tanggal_lapor: a new case needs the date it was reported\n"
        f"{path}:4: tanggal_lapor: 01/25/21: there is no month 25: the column looks written month first (MM/DD/YY), but "
        "wksbm reads DD/MM/YY: check every date in the column\n"
        f"{path}:5: tanggal_lapor: 31/02/2022: not a real date: 2022-02 has no day 31\n"
        f"{path}:6: tanggal_lapor: 2022-14-01: there is no month 14: dates are day first (DD/MM/YYYY)\n")


def test_four_rows_make_a_group_and_its_line_is_where_the_first_one_is(besuk, tmp_path):
    path = cases_csv(tmp_path / "kasus.csv", [
        ["Randujalak", "fakir-miskin", "Siti", "2022-01-05"],
        ["Randujalak", "fakir-miskin", "Ani", "13/13/2022"],
        ["Randujalak", "lansia", "Budi", "2022-01-05"],
        *[["Randujalak", "fakir-miskin", f"Orang {number}", "13/13/2022"] for number in range(3)],
    ])
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: nothing was imported: 5 problems in 5 rows:\n"
        f"{path}: tanggal_lapor: 13/13/2022: 4 rows: there is no month 13: dates are day first (DD/MM/YYYY) "
        "(lines 3, 5, 6 and 1 more)\n"
        f"{path}:4: kategori: lansia: not a known PMKS category; see `wksbm categories`\n")


def test_grouped_problems_in_indonesian(besuk, tmp_path, monkeypatch):
    monkeypatch.setenv("WKSBM_LANG", "id")
    path = cases_csv(tmp_path / "kasus.csv",
                     [["Randujalak", "fakir-miskin", f"Orang {number}", month_first(number)] for number in range(5)])
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr == (
        "Kesalahan: tidak ada yang diimpor: 5 masalah dalam 5 baris:\n"
        f"{path}: tanggal_lapor: 5 baris: bulan itu tidak ada: kolom ini tampaknya ditulis bulan lebih dulu (MM/DD/YY), padahal "
        "wksbm membacanya DD/MM/YY: periksa setiap tanggal di kolom ini "
        "(baris 2: 01/13/21, 3: 02/14/21, 4: 03/15/21, dan 2 lainnya)\n")


# --- a problem caused by another -------------------------------------------------------------------


def test_rows_referring_to_a_failed_row_say_so(besuk, tmp_path, db_path):
    # A new village whose row fails; an institution of that village; an institution that cannot be
    # new (no type); an activity and cases referring to each. Randujalak's row fails too, but it is
    # stored: what refers to it finds it.
    path = workbook(tmp_path / "data_wksbm.xlsx", {
        "Desa": [["kode", "nama", "kecamatan", "kabupaten", "tanggal terbentuk"],
                 ["35.13.13.2099", "Sumberagung", "Besuk", "Probolinggo", "31/02/2021"],
                 ["35.13.13.2013", "Randujalak", "Besuk", "Probolinggo", "2021-13-01"]],
        "Lembaga": [["desa", "nama", "jenis"],
                    ["Sumberagung", "PKK Sumberagung", "pkk"], ["Randujalak", "KUBE Mawar", None],
                    ["Randujalak", "Arisan Melati", "arisan"]],
        "Kegiatan": [["desa", "tanggal", "jenis", "judul", "lembaga"],
                     ["Randujalak", "2022-02-01", "rapat", "Rapat anggota", "KUBE Mawar"],
                     ["35.13.13.2099", "2022-02-02", "rapat", "Rapat desa", None]],
        "Kasus": [["desa", "kategori", "nama", "tanggal lapor", "lembaga"],
                  ["Sumberagung", "fakir-miskin", "Pak Darmo", "2022-03-01", None],
                  ["Randujalak", "fakir-miskin", "Siti Aminah", "2022-01-05", "kube mawar"],
                  ["Randujalak", "lansia-terlantar", "Mbok Sarmi", "2022-02-01", "Arisan Melati"],
                  ["Randujalak", "lansia-terlantar", "Mbah Karto", "2022-02-01", "KUBE Melati"]],
    })
    result = besuk("import", path)
    assert result.exit_code == 1
    book = str(path)
    assert result.stderr == (
        "Error: nothing was imported: 9 problems in 9 rows:\n"
        f"{book}[Desa]:2: tanggal terbentuk: 31/02/2021: not a real date: 2021-02 has no day 31\n"
        f"{book}[Desa]:3: tanggal terbentuk: 2021-13-01: there is no month 13: dates are day first (DD/MM/YYYY)\n"
        f"{book}[Lembaga]:2: desa: Sumberagung: village 'Sumberagung' not found: its row {book}[Desa]:2 has a problem "
        "(see above)\n"
        f"{book}[Lembaga]:3: jenis: a new institution needs its type (see `wksbm types`)\n"
        f"{book}[Kegiatan]:2: lembaga: KUBE Mawar: institution 'KUBE Mawar' not found: its row {book}[Lembaga]:3 has "
        "a problem (see above)\n"
        f"{book}[Kegiatan]:3: desa: 35.13.13.2099: village '35.13.13.2099' not found: its row {book}[Desa]:2 has a "
        "problem (see above)\n"
        f"{book}[Kasus]:2: desa: Sumberagung: village 'Sumberagung' not found: its row {book}[Desa]:2 has a problem "
        "(see above)\n"
        f"{book}[Kasus]:3: lembaga: kube mawar: institution 'kube mawar' not found: its row {book}[Lembaga]:3 has a "
        "problem (see above)\n"
        f"{book}[Kasus]:5: lembaga: KUBE Melati: no institution 'KUBE Melati' in Randujalak; did you mean "
        "'KUBE Sejahtera'?\n")
    assert query(db_path, "SELECT count(*) FROM villages") == [(3,)]


def test_many_rows_caused_by_one_failed_row_are_one_line(besuk, tmp_path):
    villages = tmp_path / "desa.csv"
    villages.write_text("kode,nama,tanggal_terbentuk\n35.13.13.2099,Sumberagung,2021-13-01\n", encoding="utf-8")
    cases = cases_csv(tmp_path / "kasus.csv",
                      [["Sumberagung", "fakir-miskin", f"Orang {number}", "2022-03-01"] for number in range(30)])
    result = besuk("import", cases, villages, "--dry-run")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the import would fail: 31 problems in 31 rows:\n"
        f"{villages}:2: tanggal_terbentuk: 2021-13-01: there is no month 13: dates are day first (DD/MM/YYYY)\n"
        f"{cases}: desa: Sumberagung: 30 rows: village 'Sumberagung' not found: its row {villages}:2 has a problem "
        "(see above) (lines 2, 3, 4 and 27 more)\n")



def test_a_reference_into_a_sheet_that_could_not_be_read_says_so(besuk, tmp_path):
    # The institutions sheet lacks its type column, the villages file is not a JSON array: what
    # refers to their records is not found, and the message points at the first problem to mend.
    villages = tmp_path / "desa.json"
    villages.write_text('{"kode": "35.13.13.2099", "nama": "Sumberagung"}', encoding="utf-8")
    path = workbook(tmp_path / "data_wksbm.xlsx", {
        "Lembaga": [["desa", "nama"], ["Randujalak", "KUBE Mawar"]],
        "Kasus": [["desa", "kategori", "nama", "tanggal lapor", "lembaga"],
                  ["Randujalak", "fakir-miskin", "Siti Aminah", "2022-01-05", "KUBE Mawar"],
                  ["Sumberagung", "fakir-miskin", "Pak Darmo", "2022-03-01", None],
                  ["Randujalak", "fakir-miskin", "Ani", "2022-03-01", "PKK Randujalak"]],
    })
    result = besuk("import", path, villages)
    assert result.exit_code == 1
    book = str(path)
    assert result.stderr == (
        "Error: nothing was imported: 4 problems in 4 rows:\n"
        f"{villages}:1: a .json file holds an array of objects: [{{...}}, {{...}}]\n"
        f"{book}[Lembaga]:1: missing required column: jenis\n"
        f"{book}[Kasus]:2: lembaga: KUBE Mawar: institution 'KUBE Mawar' not found; perhaps it is in {book}[Lembaga], "
        "which could not be read (see above)\n"
        f"{book}[Kasus]:3: desa: Sumberagung: village 'Sumberagung' not found; perhaps it is in {villages}, which "
        "could not be read (see above)\n")


def test_problems_with_a_whole_file_are_one_sentence_in_the_interface_language(besuk, tmp_path, monkeypatch):
    monkeypatch.setenv("WKSBM_LANG", "id")
    header_only = tmp_path / "kasus.csv"
    header_only.write_text("desa,nama\nRandujalak,Siti\n", encoding="utf-8")
    not_an_array = tmp_path / "kasus.json"
    not_an_array.write_text('{"desa": "Randujalak"}', encoding="utf-8")
    result = besuk("import", header_only, not_an_array)
    assert result.exit_code == 1
    assert result.stderr == (
        "Kesalahan: tidak ada yang diimpor: 2 masalah dalam 2 baris:\n"
        f"{header_only}:1: kolom wajib tidak ada: kategori, tanggal_lapor\n"
        f"{not_an_array}:1: berkas .json berisi larik objek: [{{...}}, {{...}}]\n")

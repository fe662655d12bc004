"""`wksbm log` in people's words, in both languages (SPEC 9); its JSON and CSV the same bytes in either.

The table says what was done (add, update, delete, import, undo), to what kind of record (village, case
status…), each field by the header the listings use and each value as tables show it (statuses and
activity kinds in Indonesian words, dates DD/MM/YYYY in Indonesian). JSON and CSV keep the entry as
stored: `insert`, `case_events`, `formed_on`, `in_handling`, `2022-01-01`.
"""

import json
import re

import pytest

VILLAGES = "code,name,kecamatan,kabupaten,formed_on\n" \
           "35.13.13.2013,Randujalak,Besuk,Probolinggo,\n35.13.13.2003,Alasnyiur,Besuk,Probolinggo,2020-07-14\n"
CASES = "ref,village,category,person_name,gender,reported_on,status\n" \
        "KS-2022-0001,35.13.13.2013,lansia-terlantar,Mbok Sarmi,P,2022-12-19,reported\n"
MORE_VILLAGES = "code,name,kecamatan,kabupaten\n35.13.13.2099,Sumberagung,Besuk,Probolinggo\n"


@pytest.fixture
def history(cli, tmp_path, monkeypatch):
    """An import, a village update, a case status change, a second import and its undo (in English)."""
    monkeypatch.chdir(tmp_path)  # the import entry names its files as they were given
    for name, text in [("villages.csv", VILLAGES), ("cases.csv", CASES), ("villages-2.csv", MORE_VILLAGES)]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    for args in [
        ["import", "villages.csv", "cases.csv"],
        ["village", "update", "Randujalak", "--formed-on", "01/01/2022"],
        ["case", "update", "KS-2022-0001", "--status", "in_handling", "--on", "20/12/2022", "--note", "Dikunjungi pendamping"],
        ["import", "villages-2.csv"],
        ["import", "undo", "2"],
    ]:
        result = cli(*args)
        assert result.exit_code == 0, (args, result.output)
    return cli


def shown(cli, monkeypatch, language, *args, width=80):
    """`wksbm ARGS…` in `language` at `width` columns; its stdout with each time stamp as `…hh:mm:ss`."""
    monkeypatch.setenv("WKSBM_LANG", language)
    monkeypatch.setenv("COLUMNS", str(width))
    result = cli(*args)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", "YYYY-MM-DD hh:mm:ss", result.stdout)
    return re.sub(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d", "DD/MM/YYYY hh:mm:ss", text)


LOG_ID = """\
id  waktu                petugas       tindakan  jenis         data
  perubahan
────────────────────────────────────────────────────────────────────────────
7   DD/MM/YYYY hh:mm:ss  test-officer  batalkan  impor         impor 2
  dibatalkan
6   DD/MM/YYYY hh:mm:ss  test-officer  hapus     desa          35.13.13.2099
  kode: 35.13.13.2099; nama: Sumberagung; kecamatan: Besuk; kabupaten:
  Probolinggo
5   DD/MM/YYYY hh:mm:ss  test-officer  impor     impor         impor 2
  villages-2.csv (desa: 1 ditambahkan, 0 diperbarui)
4   DD/MM/YYYY hh:mm:ss  test-officer  ubah      kasus         KS-2022-0001
  status: dilaporkan -> ditangani
3   DD/MM/YYYY hh:mm:ss  test-officer  tambah    status kasus  KS-2022-0001
  kasus: KS-2022-0001; tanggal: 20/12/2022; status lama: dilaporkan; status
  baru: ditangani; keterangan: Dikunjungi pendamping
2   DD/MM/YYYY hh:mm:ss  test-officer  ubah      desa          35.13.13.2013
  dibentuk: (kosong) -> 01/01/2022
1   DD/MM/YYYY hh:mm:ss  test-officer  impor     impor         impor 1
  villages.csv, cases.csv (desa: 2 ditambahkan, 0 diperbarui; kasus: 1
  ditambahkan, 0 diperbarui)
"""

LOG_EN = """\
id  at                   officer       action  kind         record
  changes
─────────────────────────────────────────────────────────────────────────
7   YYYY-MM-DD hh:mm:ss  test-officer  undo    import       import 2
  undone
6   YYYY-MM-DD hh:mm:ss  test-officer  delete  village      35.13.13.2099
  code: 35.13.13.2099; name: Sumberagung; kecamatan: Besuk; kabupaten:
  Probolinggo
5   YYYY-MM-DD hh:mm:ss  test-officer  import  import       import 2
  villages-2.csv (villages: 1 inserted, 0 updated)
4   YYYY-MM-DD hh:mm:ss  test-officer  update  case         KS-2022-0001
  status: reported -> in_handling
3   YYYY-MM-DD hh:mm:ss  test-officer  add     case status  KS-2022-0001
  case: KS-2022-0001; on date: 2022-12-20; old status: reported; new status:
  in_handling; note: Dikunjungi pendamping
2   YYYY-MM-DD hh:mm:ss  test-officer  update  village      35.13.13.2013
  formed on: (empty) -> 2022-01-01
1   YYYY-MM-DD hh:mm:ss  test-officer  import  import       import 1
  villages.csv, cases.csv (villages: 2 inserted, 0 updated; cases: 1 inserted, 0
  updated)
"""


def test_the_log_in_indonesian_at_80_columns(history, monkeypatch):
    assert shown(history, monkeypatch, "id", "log") == LOG_ID


def test_the_log_in_english_at_80_columns(history, monkeypatch):
    assert shown(history, monkeypatch, "en", "log") == LOG_EN


def test_a_wide_terminal_shows_the_same_words_one_line_an_entry(history, monkeypatch):
    lines = shown(history, monkeypatch, "id", "log", width=300).splitlines()
    assert [cell.strip() for cell in lines[3].split("│")[1:-1]] == [  # the header, a rule, then the newest entry
        "7", "DD/MM/YYYY hh:mm:ss", "test-officer", "batalkan", "impor", "impor 2", "dibatalkan"]
    assert [cell.strip() for cell in lines[6].split("│")[1:-1]][3:] == [
        "ubah", "kasus", "KS-2022-0001", "status: dilaporkan -> ditangani"]


def test_the_imports_in_indonesian_name_the_undone_column(history, monkeypatch):
    assert shown(history, monkeypatch, "id", "log", "--imports") == """\
id  waktu                petugas       ditambahkan  diperbarui  tetap
  berkas · dibatalkan
─────────────────────────────────────────────────────────────────────
1   DD/MM/YYYY hh:mm:ss  test-officer  3            0           0
  villages.csv; cases.csv · -
2   DD/MM/YYYY hh:mm:ss  test-officer  1            0           0
  villages-2.csv · DD/MM/YYYY hh:mm:ss
"""


READ_BY_SCRIPTS = [("log", "--format", "json"), ("log", "--format", "csv"),
                   ("log", "--imports", "--format", "json"), ("log", "--imports", "--format", "csv")]


def test_json_and_csv_keep_the_entries_as_stored_in_both_languages(history, monkeypatch):
    """What scripts read is the same bytes in either language, while the table speaks each language."""
    outputs = {}
    for language in ("en", "id"):
        monkeypatch.setenv("WKSBM_LANG", language)
        for args in READ_BY_SCRIPTS:
            result = history(*args)
            assert result.exit_code == 0, result.output
            outputs[language, args] = result.stdout
    assert [outputs["id", args] for args in READ_BY_SCRIPTS] == [outputs["en", args] for args in READ_BY_SCRIPTS]
    assert (shown(history, monkeypatch, "en", "log"), shown(history, monkeypatch, "id", "log")) == (LOG_EN, LOG_ID)
    entries = json.loads(outputs["id", READ_BY_SCRIPTS[0]])
    assert [(entry["action"], entry["table"]) for entry in entries] == [
        ("insert", "imports"), ("update", "villages"), ("insert", "case_events"), ("update", "cases"),
        ("insert", "imports"), ("delete", "villages"), ("update", "imports")]
    assert (entries[1]["before"]["formed_on"], entries[1]["after"]["formed_on"]) == (None, "2022-01-01")
    assert entries[2]["after"] == {"case_id": 1, "on_date": "2022-12-20", "old_status": "reported",
                                   "new_status": "in_handling", "note": "Dikunjungi pendamping"}
    csv_lines = outputs["id", READ_BY_SCRIPTS[1]].splitlines()
    assert csv_lines[0] == "id,at,officer,action,table,record,before,after"
    assert [line.split(",")[3:5] for line in csv_lines[1:]] == [[action, table] for action, table in
                                                               [(e["action"], e["table"]) for e in entries]]


def test_an_undo_refused_in_indonesian_names_the_record_as_people_do(history, monkeypatch):
    monkeypatch.setenv("WKSBM_LANG", "id")
    result = history("import", "undo", "1")
    assert result.exit_code == 1
    stamp = re.sub(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d", "DD/MM/YYYY hh:mm:ss", result.stderr)
    assert stamp == ("Kesalahan: impor nomor 1 tidak dapat dibatalkan: "
                     "desa 35.13.13.2013 diubah pada DD/MM/YYYY hh:mm:ss oleh test-officer\n")


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_table_filter_takes_the_kind_of_record_in_either_language(history, monkeypatch, language):
    monkeypatch.setenv("WKSBM_LANG", language)
    villages, status_changes = history.json("log", "--table", "villages"), history.json("log", "--table", "case_events")
    assert [entry["action"] for entry in villages] == ["update", "delete"] and len(status_changes) == 1
    for word in ("desa", "village", "Villages", "DESA"):
        assert history.json("log", "--table", word) == villages, word
    for word in ("status kasus", "case status", "Case  Status"):
        assert history.json("log", "--table", word) == status_changes, word
    assert [entry["table"] for entry in history.json("log", "--table", "impor")] == ["imports"] * 3


def test_the_import_summary_in_indonesian_names_each_kind(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "villages.csv").write_text(VILLAGES, encoding="utf-8")
    (tmp_path / "cases.csv").write_text(CASES, encoding="utf-8")
    english = cli("import", "villages.csv", "cases.csv", "--dry-run", "--format", "json").stdout
    monkeypatch.setenv("WKSBM_LANG", "id")
    result = cli("import", "villages.csv", "cases.csv")
    assert result.exit_code == 0, result.output
    assert [[cell.strip() for cell in line.split("│")[1:-1]] for line in result.stdout.splitlines() if line.startswith("│")] \
        == [["desa", "1", "2", "2", "0", "0"], ["kasus", "1", "1", "1", "0", "0"]]
    dry_run = cli("import", "villages.csv", "cases.csv", "--dry-run", "--format", "json").stdout
    assert [row["kind"] for row in json.loads(dry_run)] == [row["kind"] for row in json.loads(english)] == ["villages", "cases"]

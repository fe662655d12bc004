"""Tables at fixed terminal widths (80, 100, 120 columns; English and Indonesian), through the real CLI.

SPEC section 8: no line wider than the terminal, no word or code cut, nothing dropped. A code, ref,
date, category, status or stage word must stand whole on one line; free text (names, next steps) may
wrap at spaces only, so it reads whole again once the lines are joined with spaces.
"""

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from rich.cells import cell_len
from typer.testing import CliRunner

from wksbm_cli.app import app
from wksbm_cli.layout import Column, compact_lines
from tests.test_summary import small_world

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (80, 100, 120)
LANGUAGES = ("en", "id")
STAGE_WORDS = {"en": ("none", "formed", "running", "active"), "id": ("belum terbentuk", "terbentuk", "berjalan", "eksis")}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """The sample data (as `make demo` imports it) and a few changes made by hand, built once for this module."""
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "demo.db"
    env = {"WKSBM_DB": str(db), "XDG_DATA_HOME": str(folder / "data"), "WKSBM_OFFICER": "Bu Lilik", "WKSBM_LANG": "en"}
    runner = CliRunner()
    for args in [
        ["import", str(ROOT / "sample_data")],
        ["village", "add", "Besuk Agung Timur", "--code", "35.13.13.2099", "--kecamatan", "Besuk", "--kabupaten", "Probolinggo"],
        ["institution", "add", "PKK Besuk Agung Timur", "--village", "35.13.13.2099", "--type", "pkk", "--joined-on", "2022-01-01"],
        ["case", "add", "--village", "35.13.13.2099", "--category", "pekerja-migran-bermasalah", "--name", "Siti Nur Azizah",
         "--reported-on", "2022-03-01", "--ref", "KS-2022-0900"],
        ["case", "update", "KS-2022-0900", "--status", "in_handling", "--on", "2022-03-04",
         "--handled-by", "PKK Besuk Agung Timur", "--note", "Dikunjungi pendamping"],
    ]:
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 0, (args, result.output)
    return db


@pytest.fixture
def run(demo_db, tmp_path, monkeypatch):
    """`wksbm ARGS…` on a copy of the demo database at a width and in a language; asserts exit 0 and the width."""
    db = tmp_path / "demo.db"
    shutil.copy(demo_db, db)
    monkeypatch.setenv("WKSBM_DB", str(db))
    runner = CliRunner()

    def run(width: int, language: str, *args: str):
        monkeypatch.setenv("COLUMNS", str(width))
        monkeypatch.setenv("WKSBM_LANG", language)
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, (args, width, language, result.output)
        lines = [line.rstrip() for line in result.stdout.splitlines()]
        too_wide = [line for line in lines if cell_len(line) > width]
        assert not too_wide, (args, width, language, too_wide)
        assert "…" not in result.stdout, (args, width, language)  # nothing cut short with an ellipsis
        return lines

    run.json = lambda *args: json.loads(runner.invoke(app, [*args, "--format", "json"], env={"WKSBM_LANG": "en"}).stdout)
    return run


def read_whole(lines: list[str]) -> str:
    """The text with every line break read as a space: what a wrapped-at-spaces sentence reads as."""
    return " ".join(" ".join(lines).split())


def on_one_line(token: str, lines: list[str]) -> bool:
    return any(token in line for line in lines)


def shown_date(iso: str, language: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if language == "id" else iso


def test_the_summary_keeps_every_village_stage_next_step_and_count(run):
    report = run.json("summary", "--as-of", "2022-12-31")
    totals = report["totals"]
    for width in (*WIDTHS, 160, 240):  # wide enough for one line a village: the stage word stays whole there too
        for language in LANGUAGES:
            lines = run(width, language, "summary", "--as-of", "2022-12-31")
            words = STAGE_WORDS[language]
            stage_of = dict(zip(("none", "formed", "running", "active"), words))
            for village in report["villages"]:
                # the village, its stage word whole and its counts on one line
                row = next(line for line in lines if line.startswith(village["name"] + "  "))
                assert stage_of[village["stage"]] in row, (width, language, row)
                assert f"{village['progress']}/7" in row and f"{village['cases_open']} / {village['cases_resolved']}" in row
            text = read_whole(lines)
            if language == "en":
                for village in report["villages"]:
                    assert village["next_step"] is None or village["next_step"] in text, (width, village["next_step"])
            else:
                for step in ("catat rapat: tidak ada kegiatan dalam 90 hari terakhir",
                             "tambah lembaga anggota: baru 2 dari 3",
                             "isi tanggal pembentukan WKSBM: belum ada",
                             "adakan kegiatan rutin: hanya 2 dari 3 periode 90 hari terakhir ada kegiatan"):
                    assert step in text, (width, step)
            # every count of the footer and of the stage line, each with its word
            footer = next(line for line in lines if line.startswith(("Total ", "Jumlah ")))
            for count in (totals["villages"], totals["institutions"], totals["activities_in_window"]):
                assert f" {count} " in f" {footer} ", (width, language, footer)
            assert f"{totals['cases_open']} / {totals['cases_resolved']}" in footer
            assert footer.endswith(str(totals["median_days_to_resolve"]))
            for stage, word in zip(("none", "formed", "running", "active"), words):
                assert on_one_line(f"{word} {totals[stage]}", lines), (width, language, word)


def test_the_summary_by_area_keeps_its_headers_and_counts_whole(run):
    for width in WIDTHS:
        for language in LANGUAGES:
            for by, name, code in (("kecamatan", "Besuk", "35.13.13"), ("kabupaten", "Probolinggo", "35.13")):
                lines = run(width, language, "summary", "--as-of", "2022-12-31", "--by", by)
                assert on_one_line("kecamatan" if by == "kecamatan" else "kabupaten", lines), (width, language)
                row = next(line for line in lines if line.startswith(name + " "))
                assert row.split() == [name, code, "10", "3", "2", "3", "2", "35", "/", "59", "70"], (width, language, row)
                # the stage words as headers: each word whole (a two-word stage may take two header lines)
                for word in " ".join(STAGE_WORDS[language]).split():
                    assert any(word in line.split() for line in lines[:4]), (width, language, word)


def test_case_list_keeps_refs_categories_statuses_and_dates_whole(run):
    cases = run.json("case", "list", "--limit", "50")
    status_words = {"reported": "dilaporkan", "in_handling": "ditangani", "resolved": "selesai",
                    "referred": "dirujuk", "closed": "ditutup"}
    for width in WIDTHS:
        for language in LANGUAGES:
            lines = run(width, language, "case", "list")
            text = read_whole(lines)
            for case in cases:
                row = next((line for line in lines if line.startswith(case["ref"] + " ")), None)
                assert row is not None, (width, language, case["ref"])
                status = status_words[case["status"]] if language == "id" else case["status"]
                for token in (case["category"], status, shown_date(case["reported_on"], language)):
                    assert on_one_line(token, lines), (width, language, token)
                assert case["person_name"] in text, (width, language, case["person_name"])
                if case["nik"]:
                    assert on_one_line(case["nik"], lines)


def test_case_list_takes_at_most_two_lines_a_case_and_one_at_120_columns_without_a_nik(run):
    """At 100 columns 101 cases took 242 lines (cells wrapped inside their columns); now a case is a line, or two."""
    cases = run.json("case", "list", "--all")
    assert len(cases) == 102
    for width in WIDTHS:
        for language in LANGUAGES:
            lines = run(width, language, "case", "list", "--all")
            starts = [n for n, line in enumerate(lines) if line.startswith("KS-")]
            heights = [after - before for before, after in zip(starts, [*starts[1:], len(lines)])]
            assert len(starts) == len(cases) and max(heights) <= 2, (width, language, max(heights))
            if width == 120:
                assert heights == [2 if case["nik"] else 1 for case in cases], language


# The log's words for people, by language: the field a status change names its case by, how it says a village
# and who handles a case, its actions, the kind of a status change (JSON keeps `case_id`, `insert`, `case_events`).
LOG_WORDS = {
    "en": ("case", "village", "handled by: (empty)", "add|update|import", "case status"),
    "id": ("kasus", "desa", "ditangani oleh: (kosong)", "tambah|ubah|impor", "status kasus"),
}


def test_the_log_at_80_columns_names_records_newest_first_one_line_each(run):
    for width in WIDTHS:
        for language in LANGUAGES:
            case, village, handled, actions, status_change = LOG_WORDS[language]
            lines = run(width, language, "log")
            text = read_whole(lines)
            for internal in ("case_id", "village_id", "institution_id", "handled_by", "case_events"):
                assert internal not in text
            assert f"{village}: 35.13.13.2099 Besuk Agung Timur" in text
            assert f"{case}: KS-2022-0900" in text and f"{handled} -> PKK Besuk Agung Timur" in text
            entries = [line for line in lines if line[:1].isdigit()]
            assert [int(line.split()[0]) for line in entries] == [6, 5, 4, 3, 2, 1]  # newest first
            # each entry's time, officer, action, kind and record on its first line, nothing cut
            stamp = "[0-9]{2}/[0-9]{2}/[0-9]{4}" if language == "id" else "[0-9]{4}-[0-9]{2}-[0-9]{2}"
            assert all(re.match(rf"\d+\s+{stamp} \d\d:\d\d:\d\d\s+Bu Lilik\s+({actions})\s+\w+( \w+)?\s+\S", line)
                       for line in entries), (width, language, entries)
            assert on_one_line("PKK Besuk Agung Timur", entries) and on_one_line("KS-2022-0900", entries)
            status_changes = [line for line in entries if f" {status_change} " in line]
            assert len(status_changes) == 1 and "KS-2022-0900" in status_changes[0]  # a status change by its case
            assert len(lines) <= 3 + 6 * 5, (width, language, len(lines))  # no entry nine lines tall


@pytest.mark.parametrize("args", [["village", "list"], ["institution", "list"], ["activity", "list"]])
def test_every_listing_fits_and_keeps_codes_types_and_dates_whole(run, args):
    rows = run.json(*args)[:50]
    for width in WIDTHS:
        for language in LANGUAGES:
            lines = run(width, language, *args)
            text = read_whole(lines)
            for row in rows:
                if args[0] == "village":
                    assert on_one_line(row["code"], lines) and row["name"] in text
                elif args[0] == "institution":
                    assert on_one_line(row["type"], lines), (width, language, row["type"])
                    assert row["name"] in text and (row["leader"] or "") in text
                else:
                    assert on_one_line(shown_date(row["held_on"], language), lines)
                    assert (row["title"] or "") in text and (row["institution"] or "") in text


def test_the_show_views_and_info_fit_and_fold_a_long_value_rather_than_cut_it(run):
    for width in WIDTHS:
        for language in LANGUAGES:
            run(width, language, "info")  # the database's path is long: folded, never cut with …
            lines = run(width, language, "case", "show", "KS-2022-0900")
            for token in ("KS-2022-0900", "35.13.13.2099", "pekerja-migran-bermasalah", shown_date("2022-03-04", language)):
                assert on_one_line(token, lines), (width, language, token)
            lines = run(width, language, "village", "show", "Randujalak", "--as-of", "2022-12-31")
            for token in ("35.13.13.2013", "karang-taruna", "majelis-taklim", "rukun-kematian", shown_date("2022-12-27", language)):
                assert on_one_line(token, lines), (width, language, token)
            assert "Rapat evaluasi akhir tahun WKSBM" in read_whole(lines)


def test_every_listing_at_80_columns_keeps_each_category_and_type_whole(run):
    """What the issue saw at 80 columns: `karang-tarun/a`, `lansia-t/erlantar`, `in_han/dling`, dates cut off."""
    for language in LANGUAGES:
        lines = run(80, language, "institution", "list")
        for word in ("karang-taruna", "majelis-taklim", "rukun-kematian"):
            assert on_one_line(word, lines)
        lines = run(80, language, "case", "list")
        for word in ("anak-balita-terlantar", "pekerja-migran-bermasalah", "penyandang-disabilitas",
                     "ditangani" if language == "id" else "in_handling", shown_date("2022-12-19", language)):
            assert on_one_line(word, lines), (language, word)


SUMMARY_AT_80 = {"en": """\
WKSBM progress as of 2022-12-31
                                                            cases  median
village       kecamatan  stage   progress     inst  act  open/res    days
  next step
─────────────────────────────────────────────────────────────────────────
Alasnyiur     Besuk      formed  ██░░░░░ 2/7     3    0     0 / 0       -
  record a meeting: none in the last 90 days
Kampung Baru  Besuk      none    ░░░░░░░ 0/7     0    0     0 / 0       -
  set the date the WKSBM was formed: not set
Randujalak    Besuk      active  ███████ 7/7     3    1     0 / 1      40
Kregenan      Kraksaan   none    █░░░░░░ 1/7     0    0     0 / 1      30
  set the date the WKSBM was formed: not set
─────────────────────────────────────────────────────────────────────────
Total                    4                       6    1     0 / 2      35
Villages per stage: active 1 · running 0 · formed 1 · none 2
""", "id": """\
Perkembangan WKSBM per 31/12/2022
                                                         kasus  median
desa          tahap            kemajuan     lbg  kgt  buka/sls    hari
  kecamatan · langkah berikutnya
──────────────────────────────────────────────────────────────────────
Alasnyiur     terbentuk        ██░░░░░ 2/7    3    0     0 / 0       -
  Besuk · catat rapat: tidak ada kegiatan dalam 90 hari terakhir
Kampung Baru  belum terbentuk  ░░░░░░░ 0/7    0    0     0 / 0       -
  Besuk · isi tanggal pembentukan WKSBM: belum ada
Randujalak    eksis            ███████ 7/7    3    1     0 / 1      40
  Besuk · -
Kregenan      belum terbentuk  █░░░░░░ 1/7    0    0     0 / 1      30
  Kraksaan · isi tanggal pembentukan WKSBM: belum ada
──────────────────────────────────────────────────────────────────────
Jumlah        4                               6    1     0 / 2      35
Desa per tahap: eksis 1 · berjalan 0 · terbentuk 1 · belum terbentuk 2
"""}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_summary_at_80_columns_exactly(conn, cli, monkeypatch, language):
    small_world(conn)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("WKSBM_LANG", language)
    result = cli("summary", "--as-of", "2022-12-31")
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout
    assert "\n".join(line.rstrip() for line in result.stdout.splitlines()) + "\n" == SUMMARY_AT_80[language]


CELL_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 6), st.lists(st.lists(CELL_TEXT, min_size=6, max_size=6), max_size=5),
       st.integers(10, 120), st.lists(st.booleans(), min_size=6, max_size=6))
def test_any_table_fits_any_width_and_keeps_every_word(count, rows, width, whole):
    """The layout itself, on any text (wide characters included): no line over the width, no word lost or
    broken unless it alone is wider than a line."""
    columns = [Column(f"column {n}", whole=whole[n], second=1 if n == count - 1 else 0) for n in range(count)]
    lines = [line.plain for line in compact_lines(columns, [row[:count] for row in rows], width, title="a title",
                                                  caption=["active 1", "none 2"])]
    assert all(cell_len(line) <= width for line in lines), (width, lines)
    words = {word for line in lines for word in line.split()}
    for row in rows:
        for word in " ".join(row[:count]).split():
            assert word in words or cell_len(word) > width - 4, (word, width, lines)

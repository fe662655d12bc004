"""Listings: one CSV/JSON writer for every format, bounded tables, the log as people read it (SPEC section 8)."""

import csv
import io
import json

import pytest

from helpers import compact_rows, table_cells

HYPERLINK = '=HYPERLINK("http://evil.example","klik")'


def _cases_file(tmp_path, count):
    path = tmp_path / "cases.csv"
    lines = ["ref,village,category,person_name,reported_on"]
    lines += [f"KS-{n:04d},Randujalak,lansia-terlantar,Orang {n},{2000 + n // 12:04d}-{n % 12 + 1:02d}-01" for n in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def many(besuk, tmp_path):
    result = besuk("import", _cases_file(tmp_path, 57))
    assert result.exit_code == 0, result.output
    return besuk


def test_every_listing_csv_neutralises_formulas(besuk):
    result = besuk("village", "update", "Randujalak", "--decree", HYPERLINK)
    assert result.exit_code == 0, result.output
    listing = besuk("village", "list", "--format", "csv")
    assert listing.exit_code == 0
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(listing.stdout))}
    assert rows["35.13.13.2013"]["decree"] == "'" + HYPERLINK
    log = besuk("log", "--format", "csv")
    assert HYPERLINK not in log.stdout.replace("'" + HYPERLINK, "")


def test_info_as_csv_is_csv(besuk):
    result = besuk("info", "--format", "csv")
    assert result.exit_code == 0
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert row["villages"] == "3"


def test_case_show_as_csv_keeps_the_case_fields(besuk):
    besuk("case", "add", "--village", "Randujalak", "--category", "lansia-terlantar", "--name", "Mbok Sarmi",
          "--ref", "KS-1", "--reported-on", "2021-02-03")
    result = besuk("case", "show", "KS-1", "--format", "csv")
    assert result.exit_code == 0
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert (row["ref"], row["person_name"], row["village"], row["reported_on"]) == ("KS-1", "Mbok Sarmi", "Randujalak", "2021-02-03")


def test_an_empty_result_is_a_message_not_an_empty_box(besuk):
    result = besuk("case", "list")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "No cases yet.\n"
    assert besuk("case", "list", "--status", "resolved").stderr == "No cases match.\n"


def test_a_table_shows_the_newest_50_and_says_so(many):
    result = many("case", "list")
    assert result.exit_code == 0
    refs = [row[0] for row in table_cells(result.stdout) if row[0]]
    assert len(refs) == 50 and refs[0] == "KS-0056"
    assert result.stderr == "50 of 57 cases; --limit N or --all\n"
    every = many("case", "list", "--all")
    assert len([row for row in table_cells(every.stdout) if row[0]]) == 57 and every.stderr == ""
    three = many("case", "list", "--limit", "3")
    assert [row[0] for row in table_cells(three.stdout) if row[0]] == ["KS-0056", "KS-0055", "KS-0054"]
    assert three.stderr == "3 of 57 cases; --limit N or --all\n"
    # JSON and CSV give every row (streamed), with no note.
    assert len(many.json("case", "list")) == 57
    assert len(list(csv.DictReader(io.StringIO(many("case", "list", "--format", "csv").stdout)))) == 57


@pytest.mark.parametrize("command", [["case", "list"], ["log"], ["village", "list"], ["institution", "list"], ["activity", "list"]])
def test_an_absurd_limit_is_one_clear_sentence(besuk, command):
    result = besuk(*command, "--limit", "999999999999999999999")
    assert result.exit_code == 2
    assert result.stderr == "Error: --limit is at most 1,000,000,000; use --all for every row.\n"


def test_the_log_is_bounded_and_newest_first(many, conn):
    conn.execute("UPDATE cases SET notes = 'checked'")  # one audited update per case
    conn.commit()
    result = many("log")
    assert result.exit_code == 0
    ids = [int(row[0]) for row in table_cells(result.stdout) if row[0]]
    assert len(ids) == 50 and ids == sorted(ids, reverse=True)
    assert result.stderr.endswith("changes; --limit N or --all\n")
    assert len(json.loads(many("log", "--format", "json").stdout)) > 50


def test_the_log_names_records_as_people_know_them(besuk):
    besuk("case", "add", "--village", "Randujalak", "--category", "lansia-terlantar", "--name", "Mbok Sarmi",
          "--ref", "KS-1", "--reported-on", "2021-02-03", "--handled-by", "PKK Randujalak")
    besuk("case", "update", "KS-1", "--status", "in_handling", "--on", "2021-02-05")
    result = besuk("log", "--all")
    assert result.exit_code == 0
    for internal in ("village_id=", "case_id=", "handled_by=1", "handled_by=2", "institution_id="):
        assert internal not in result.stdout
    text = " ".join(" ".join([*cells, second]) for cells, second in compact_rows(result.stdout))
    assert "village: 35.13.13.2013 Randujalak" in text
    assert "handled by: PKK Randujalak" in text
    assert "case: KS-1" in text


@pytest.fixture
def long_lists(cli, tmp_path):
    """57 villages of Kecamatan Besuk, 57 institutions and 57 activities spread over the first three."""
    files = {
        "villages.csv": ["name,kecamatan,kabupaten,formed_on"]
        + [f"Desa {n:02d},Besuk,Probolinggo,2020-01-{n % 28 + 1:02d}" for n in range(57)],
        "institutions.csv": ["village,name,type,members,joined_on"]
        + [f"Desa {n % 3:02d},Kelompok {n:02d},arisan,{n},2020-02-01" for n in range(57)],
        "activities.csv": ["village,held_on,kind,title,attendees"]
        + [f"Desa {n % 3:02d},2021-{n % 12 + 1:02d}-{n % 28 + 1:02d},meeting,Rapat {n:02d},{n}" for n in range(57)],
    }
    for name, lines in files.items():
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("import", *(tmp_path / name for name in files))
    assert result.exit_code == 0, result.output
    return cli


# Each long listing: its rows in the order it lists them (as the key JSON/CSV give), and how a table shows a row.
VILLAGES = [f"Desa {n:02d}" for n in range(57)]
INSTITUTIONS = sorted((f"Desa {n % 3:02d}", f"Kelompok {n:02d}") for n in range(57))
ACTIVITIES = sorted(((f"2021-{n % 12 + 1:02d}-{n % 28 + 1:02d}", f"Desa {n % 3:02d}", n + 1) for n in range(57)),
                    key=lambda a: (a[0], [-ord(c) for c in a[1]], a[2]), reverse=True)
LONG_LISTINGS = {
    "village": ("villages", [(name, "Besuk", "Probolinggo") for name in VILLAGES],
                lambda row: (row["name"], row["kecamatan"], row["kabupaten"]), lambda cells: tuple(cells[1:4])),
    "institution": ("institutions", INSTITUTIONS,
                    lambda row: (row["village"], row["name"]), lambda cells: tuple(cells[:2])),
    "activity": ("activities", ACTIVITIES,
                 lambda row: (row["held_on"], row["village"], int(row["id"])), lambda cells: (cells[1], cells[2], int(cells[0]))),
}


@pytest.mark.parametrize("kind", LONG_LISTINGS)
def test_long_listings_show_a_first_page_in_a_table_and_every_row_as_json_and_csv(long_lists, kind):
    noun, expected, from_data, from_table = LONG_LISTINGS[kind]
    result = long_lists(kind, "list")
    assert result.exit_code == 0
    assert [from_table(cells) for cells in table_cells(result.stdout)] == expected[:50]
    assert result.stderr == f"50 of 57 {noun}; --limit N or --all\n"
    three = long_lists(kind, "list", "--limit", "3")
    assert three.exit_code == 0
    assert [from_table(cells) for cells in table_cells(three.stdout)] == expected[:3]
    assert three.stderr == f"3 of 57 {noun}; --limit N or --all\n"
    every = long_lists(kind, "list", "--all")
    assert every.exit_code == 0
    assert [from_table(cells) for cells in table_cells(every.stdout)] == expected
    assert every.stderr == ""
    # JSON and CSV: every row, no note, whatever the page of a table.
    json_rows = long_lists.json(kind, "list")
    assert [from_data(row) for row in json_rows] == expected
    listing = long_lists(kind, "list", "--format", "csv")
    assert listing.exit_code == 0
    assert listing.stderr == ""
    assert [from_data(row) for row in csv.DictReader(io.StringIO(listing.stdout))] == expected
    assert len(long_lists.json(kind, "list", "--limit", "5")) == 5  # --limit narrows JSON/CSV too


def test_a_filtered_page_counts_what_the_filter_keeps(long_lists):
    result = long_lists("activity", "list", "--village", "Desa 01", "--limit", "4")
    assert result.exit_code == 0
    assert [cells[2] for cells in table_cells(result.stdout)] == ["Desa 01"] * 4
    assert result.stderr == "4 of 19 activities; --limit N or --all\n"
    shown = long_lists("institution", "list", "--village", "Desa 02", "--limit", "19")
    assert (shown.exit_code, shown.stderr) == (0, "")  # the whole of what the filter keeps: no note
    staged = long_lists("village", "list", "--stage", "none", "--limit", "2")
    # Desa 00-02 have their three institutions: formed; the other 54 are counted, stage evaluated.
    assert (staged.exit_code, staged.stderr) == (0, "2 of 54 villages; --limit N or --all\n")
    assert [row["name"] for row in long_lists.json("village", "list", "--stage", "none")] == VILLAGES[3:]


def test_a_short_listing_has_no_note_and_says_it_in_indonesian(long_lists, monkeypatch):
    result = long_lists("institution", "list", "--village", "Desa 00", "--all")
    assert (result.exit_code, result.stderr, len(table_cells(result.stdout))) == (0, "", 19)
    monkeypatch.setenv("WKSBM_LANG", "id")
    result = long_lists("village", "list", "--limit", "7")
    assert result.exit_code == 0
    assert result.stderr == "7 dari 57 desa; --limit N atau --all\n"


def _plan_of(conn, listing, marker):
    """The query plan of the statement `listing()` runs (found by `marker`), as one line."""
    statements = []
    conn.set_trace_callback(statements.append)
    list(listing())
    conn.set_trace_callback(None)
    (sql,) = [statement for statement in statements if marker in statement]
    return " | ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql))


def test_the_first_page_of_activities_is_read_off_an_index(conn):
    # m006: no sort of every activity to show the newest 50. (m007 dropped the cases' report-date
    # index: a bulk import paid for it, and the newest 50 cases are kept while the cases are read.)
    from wksbm_cli.services import activities

    plan = _plan_of(conn, lambda: activities.list_activities(conn, limit=50), "ORDER BY a.held_on")
    # Only the tie-breakers within one day are sorted, a day at a time.
    assert "SCAN a USING INDEX activities_held_on" in plan and "TEMP B-TREE FOR ORDER BY" not in plan, plan

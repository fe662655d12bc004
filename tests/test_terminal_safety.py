"""Stored values and typed arguments are data, never terminal control (SPEC section 8, issue 9).

A name carrying ESC sequences, NUL or BEL (from an older version, another tool, a hostile file)
must reach a person escaped in every table, `show` view, message and error; a NIK typed in the
wrong place is never repeated whole.
"""

import pytest

EVIL = "Evil\x1b[2J\x1b]0;pwned\x07\x00\u202e"
SHOWN = r"Evil\x1b[2J\x1b]0;pwned\x07\x00\u202e"
RAW = ("\x1b", "\x07", "\x00", "\u202e", "\x9b")


@pytest.fixture
def evil(besuk, conn):
    """Randujalak and its institution renamed, a case and an activity stored with control characters."""
    result = besuk("case", "add", "--village", "Randujalak", "--category", "lansia-terlantar", "--name", "Mbok Sarmi",
                   "--ref", "KS-1", "--reported-on", "03/02/2021", "--handled-by", "PKK Randujalak")
    assert result.exit_code == 0, result.output
    result = besuk("activity", "add", "--village", "Randujalak", "--kind", "meeting", "--on", "05/02/2021",
                   "--title", "Rapat", "--institution", "PKK Randujalak")
    assert result.exit_code == 0, result.output
    # Stored as another program (or an older wksbm) could have stored them, past today's input rules.
    conn.execute("UPDATE villages SET name = ?, kecamatan = ? WHERE code = '35.13.13.2013'", [EVIL, EVIL])
    conn.execute("UPDATE institutions SET name = ?, leader = ? WHERE name = 'PKK Randujalak'", [EVIL, EVIL])
    conn.execute("UPDATE cases SET person_name = ?, notes = ? WHERE ref = 'KS-1'", [EVIL, EVIL])
    conn.execute("UPDATE activities SET title = ?, notes = ?", [EVIL, EVIL])
    conn.commit()
    return besuk


@pytest.mark.parametrize("args", [
    ["village", "list"],
    ["village", "show", "35.13.13.2013"],
    ["institution", "list"],
    ["institution", "show", "KUBE Sejahtera", "--village", "35.13.13.2013"],
    ["activity", "list"],
    ["case", "list"],
    ["case", "show", "KS-1"],
    ["log"],
    ["summary", "--as-of", "2021-12-31"],
    ["summary", "--as-of", "2021-12-31", "--by", "kecamatan"],
])
@pytest.mark.parametrize("columns", ["200", "80"])
def test_every_table_and_view_shows_control_characters_escaped(evil, args, columns, monkeypatch):
    monkeypatch.setenv("COLUMNS", columns)
    result = evil(*args)
    assert result.exit_code == 0, result.output
    for char in RAW:
        assert char not in result.stdout and char not in result.stderr, (args, char)
    if columns == "200":
        assert r"\x1b[2J" in result.stdout


@pytest.mark.parametrize("args", [
    ["village", "show", EVIL],
    ["case", "list", "--village", EVIL],
    ["case", "show", EVIL],
    ["institution", "list", "--village", EVIL],
])
def test_errors_repeating_what_was_typed_show_it_escaped(besuk, args):
    result = besuk(*args)
    for char in RAW:
        assert char not in result.stdout and char not in result.stderr, (args, char)


def test_a_typed_name_is_shown_escaped_in_the_error(besuk):
    result = besuk("village", "show", EVIL)
    assert result.exit_code == 1
    assert r"Evil\x1b[2J" in result.stderr


def test_a_stored_name_is_escaped_in_messages(evil):
    result = evil("village", "update", "35.13.13.2013", "--notes", "x")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Updated village {SHOWN}.\n"


@pytest.mark.parametrize("args", [
    ["case", "list", "--village", "3513134107450001"],
    ["village", "show", "3513134107450001"],
    ["case", "add", "--village", "3513134107450001", "--category", "lansia-terlantar", "--name", "X"],
    ["case", "add", "--village", "Randujalak", "--category", "3513134107450001", "--name", "X"],
    ["institution", "add", "X", "--village", "Randujalak", "--type", "3513134107450001"],
])
def test_a_nik_typed_in_the_wrong_place_is_never_repeated(besuk, args):
    result = besuk(*args)
    assert result.exit_code != 0
    assert "3513134107450001" not in result.output
    assert "351313********01" in result.stderr


def test_a_nik_in_a_stored_name_is_masked_on_screen_but_not_in_json(evil, conn):
    conn.execute("UPDATE cases SET person_name = 'Sarmi 3513134107450001' WHERE ref = 'KS-1'")
    conn.commit()
    table = evil("case", "list")
    assert "3513134107450001" not in table.stdout and "Sarmi 351313********01" in table.stdout
    assert evil.json("case", "list")[0]["person_name"] == "Sarmi 3513134107450001"

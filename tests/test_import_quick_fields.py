"""The import's shortcuts (quick rules for the fields judged on every row, CHECKs left to the rules) change nothing stored."""

import sqlite3
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from wksbm_cli.db import transaction
from wksbm_cli.errors import Invalid
from wksbm_cli.fields import parse_nik
from wksbm_cli.importing.run import import_files
from wksbm_cli.services.cases import QUICK_CASE_FIELDS, prepare_case_field
from wksbm_cli.services.villages import add_village
from wksbm_cli.text import name_key

digits = st.text("0123456789", min_size=16, max_size=16)
names = st.one_of(st.text(), st.text(st.characters(max_codepoint=127)),
                  st.from_regex(r"[ ]?[A-Za-z][A-Za-z' .-]{0,30}[0-9]{0,3}[ ]?", fullmatch=True))


def verdict(rule, *args):
    try:
        return rule(*args)
    except Invalid as error:
        return ("refused", error.reason, error.value)


@settings(max_examples=500)
@given(st.one_of(digits, digits.map(lambda nik: nik[:6] + "1" + nik[7:]), names))
def test_the_quick_rules_agree_with_prepare_case_field(value):
    for field, quick in QUICK_CASE_FIELDS.items():
        if value[:1] == "'":
            continue  # a formula guard to take off: never given to a quick rule
        outcome = quick(value)
        if outcome is not None:
            assert outcome == prepare_case_field(None, None, field, value), (field, value)


@settings(max_examples=500)
@given(digits)
@example("3513132902010001")  # 29 February 2001: no such day
@example("3513136902040001")  # 29 February 2004, a woman (day + 40)
@example("3513136902050001")  # 29 February 2005, a woman: no such day
@example("3513133102210001")  # 31 February
@example("3513137112990001")  # 31 December, a woman
@example("3513133212990001")  # day 32
@example("3513130101000000")  # serial 0000
@example("1013130101000001")  # province 10
@example("3500130101000001")  # regency 00
def test_a_nik_as_typed_and_with_separators_gets_the_same_verdict(nik):
    # 16 digits as typed take parse_nik's first test; with spaces they take its full path.
    spaced = f"{nik[:6]} {nik[6:12]} {nik[12:]}"
    assert verdict(parse_nik, nik) == verdict(parse_nik, spaced)


@given(st.one_of(st.text(st.characters(max_codepoint=127)), names))
def test_a_name_key_of_ascii_text_is_its_unicode_key(text):
    assert name_key(text) == "".join(filter(str.isalnum, unicodedata.normalize("NFKD", text).casefold()))


def test_an_import_leaves_the_check_constraints_of_cases_on(conn, tmp_path):
    # The import inserts cases without evaluating their CHECKs (its rules allow only their values);
    # afterwards the connection checks them again.
    with transaction(conn):
        add_village(conn, name="Randujalak", code="35.13.13.2013")
    path = tmp_path / "kasus.csv"
    path.write_text("village,category,person_name,reported_on,status,gender\n"
                    "Randujalak,fakir-miskin,Mbok Sarmi,03/02/2021,ditangani,P\n", encoding="utf-8")
    result = import_files(conn, [str(path)])
    assert result.counts["cases"].inserted == 1
    assert conn.execute("PRAGMA ignore_check_constraints").fetchone()[0] == 0
    assert [tuple(row) for row in conn.execute("SELECT status, gender FROM cases")] == [("in_handling", "P")]
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute("UPDATE cases SET status = 'lost'")

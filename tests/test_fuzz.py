"""Bad input never crashes: parsers give a value or a clean Invalid; hostile text is stored exactly."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wksbm_cli.dates import parse_date
from wksbm_cli.errors import Invalid
from wksbm_cli.fields import parse_count, parse_gender, parse_kind, parse_nik, parse_status, parse_village_code

PARSERS = [parse_date, parse_nik, parse_village_code, parse_count, parse_gender, parse_kind, parse_status]
anything = st.one_of(
    st.text(), st.text(alphabet="0123456789/-.:T "), st.binary().map(lambda b: b.decode("utf-8", "replace")),
    st.integers(), st.floats(), st.none(), st.dates(), st.datetimes(),
)

# Text that has broken spreadsheet tools and databases before.
HOSTILE_TEXT = [
    "Robert'); DROP TABLE cases;--",
    "' OR 1=1 --",
    "\"; DELETE FROM audit_log; --",
    "=HYPERLINK(\"http://evil.example\",\"klik\")",
    "+62-812-3456",
    "-1+1",
    "@SUM(A1:A9)",
    "=cmd|' /C calc'!A0",
    "محمد عبد الله",  # right-to-left
    "\u202eKASUS\u202c rahasia",  # a right-to-left override
    "Mbok Sarmi 👵🏽‍🦯",  # emoji with a zero-width joiner
    "Ñoño Çağrı Øre",
    "名前",
    "tab\there",
    "line one\nline two",
    "back\\slash %s %d {0}",
    "x" * 5000,
]


@settings(max_examples=400)
@pytest.mark.parametrize("parse", PARSERS, ids=lambda parse: parse.__name__)
@given(value=anything)
def test_a_parser_returns_a_value_or_a_one_line_invalid(parse, value):
    try:
        parse(value)
    except Invalid as error:
        message = str(error)
        assert "\n" not in message and len(message) < 300


@given(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
def test_every_written_form_of_a_date_gives_that_date(day):
    for text in (day.isoformat(), day.strftime("%d/%m/%Y"), day.strftime("%d-%m-%Y"),
                 f"{day.day}/{day.month}/{day.year}", f"{day.isoformat()}T10:00:00", day):
        assert parse_date(text) == day.isoformat()


@given(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).filter(lambda d: d.day > 12))
def test_month_first_is_never_taken(day):
    with pytest.raises(Invalid, match="there is no month"):
        parse_date(day.strftime("%m/%d/%Y"))


@given(st.text())
def test_a_parsed_date_is_stable(text):
    try:
        parsed = parse_date(text)
    except Invalid:
        return
    assert parse_date(parsed) == parsed
    assert dt.date.fromisoformat(parsed)


@pytest.fixture
def village(cli):
    result = cli("village", "add", "Randujalak", "--code", "35.13.13.2013")
    assert result.exit_code == 0, result.output
    return cli


@pytest.mark.parametrize("text", HOSTILE_TEXT, ids=range(len(HOSTILE_TEXT)))
def test_hostile_text_is_stored_and_shown_exactly_as_given(village, text):
    result = village("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", text,
                     "--notes", text, "--reported-on", "2021-01-01")
    assert result.exit_code == 0, result.output
    (row,) = village.json("case", "list")
    assert row["person_name"] == text.strip()
    assert village.json("case", "show", row["ref"])["notes"] == text.strip()
    assert village("case", "list").exit_code == 0
    assert village("case", "list", "--format", "csv").exit_code == 0
    assert village.json("village", "list")[0]["name"] == "Randujalak"  # no SQL ran from the text
    assert village("check").exit_code == 0


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(name=st.text(min_size=1, max_size=200))
def test_any_name_is_stored_exactly_or_refused_in_one_line(village, name):
    result = village("village", "update", "Randujalak", "--notes", name)
    if result.exit_code != 0:
        assert result.exit_code in (1, 2)
        assert "Traceback" not in result.output
        assert result.stderr.count("\n") <= 2
        return
    stored = village.json("village", "show", "Randujalak")["notes"]
    assert stored == (name.strip() or None)


def test_a_nul_byte_and_a_10_mb_value_are_stored_whole(village):
    big = "ab\x00cd" + "x" * 10_000_000
    result = village("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "Nul\x00Byte",
                     "--notes", big, "--reported-on", "2021-01-01")
    assert result.exit_code == 0, result.output
    shown = village.json("case", "show", "KS-2021-0001")
    assert (shown["person_name"], shown["notes"]) == ("Nul\x00Byte", big)


def test_a_10_mb_bad_value_gives_a_short_error(village):
    result = village("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "X",
                     "--reported-on", "1" * 10_000_000)
    assert result.exit_code == 1
    assert result.stderr == ("Error: --reported-on: '" + "1" * 60 + "… (10,000,000 characters)': "
                             "not a date: write YYYY-MM-DD or DD/MM/YYYY\n")
    assert village.json("case", "list") == []


def test_a_right_to_left_override_in_a_bad_value_is_escaped_in_the_error(village):
    result = village("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "X",
                     "--reported-on", "2021\u202e-01-01\n")
    assert result.exit_code == 1
    assert result.stderr == "Error: --reported-on: '2021\\u202e-01-01': not a date: write YYYY-MM-DD or DD/MM/YYYY\n"

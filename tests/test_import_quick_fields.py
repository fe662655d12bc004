"""The import's shortcuts (quick rules for the fields judged on every row) change nothing stored."""

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from wksbm_cli.errors import Invalid
from wksbm_cli.fields import parse_nik
from wksbm_cli.services.cases import QUICK_CASE_FIELDS, prepare_case_field
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


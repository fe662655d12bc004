import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wksbm_cli.dates import parse_date
from wksbm_cli.errors import Invalid

days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@given(days)
def test_every_written_form_of_a_date_reads_back_the_same(day):
    assert parse_date(day.isoformat()) == day.isoformat()
    assert parse_date(day.strftime("%d/%m/%Y")) == day.isoformat()
    assert parse_date(day.strftime("%d-%m-%Y")) == day.isoformat()
    assert parse_date(f"{day.day}/{day.month}/{day.year}") == day.isoformat()
    assert parse_date(day) == day.isoformat()


@given(days.filter(lambda d: d.day > 12))
def test_month_first_is_refused_naming_the_value(day):
    text = day.strftime("%m/%d/%Y")
    with pytest.raises(Invalid) as error:
        parse_date(text)
    assert str(error.value) == (f"'{text}': there is no month {day.day}: the date looks written month first (MM/DD/YYYY), "
                                "but wksbm reads DD/MM/YYYY")


@given(st.text(max_size=30))
def test_any_text_is_a_date_or_a_clear_error(text):
    try:
        result = parse_date(text)
    except Invalid as error:
        assert error.reason
    else:
        assert dt.date.fromisoformat(result)


@pytest.mark.parametrize(
    "text, message",
    [
        ("31/02/2021", "'31/02/2021': not a real date: 2021-02 has no day 31"),
        ("2021-13-01", "'2021-13-01': there is no month 13: dates are day first (DD/MM/YYYY)"),
        ("12.01.2021", "'12.01.2021': not a date: write YYYY-MM-DD or DD/MM/YYYY"),
        ("01/02/1", "'01/02/1': not a date: write YYYY-MM-DD or DD/MM/YYYY"),
        ("2020-01-05 garbage", "'2020-01-05 garbage': not a date: write YYYY-MM-DD or DD/MM/YYYY"),
        ("2020-01-05T25:99:99", "'2020-01-05T25:99:99': not a date: write YYYY-MM-DD or DD/MM/YYYY"),
        ("2020-01-05T10:60", "'2020-01-05T10:60': not a date: write YYYY-MM-DD or DD/MM/YYYY"),
        ("  ", "'': no date given: write YYYY-MM-DD or DD/MM/YYYY"),
        ("31/02/21", "'31/02/21': not a real date: 2021-02 has no day 31"),
        ("12/01-2021", "'12/01-2021': not a date: write YYYY-MM-DD or DD/MM/YYYY"),
        ("01/01/0201", "'01/01/0201': year 201 is outside 1900-2100"),
    ],
)
def test_impossible_dates_are_refused(text, message):
    with pytest.raises(Invalid) as error:
        parse_date(text)
    assert str(error.value) == message


def test_a_timestamp_keeps_its_date():
    assert parse_date("2021-03-04T10:00:00") == "2021-03-04"
    assert parse_date(dt.datetime(2021, 3, 4, 10, 0)) == "2021-03-04"


@pytest.mark.parametrize("text", ["2021-03-04 10:00", "2021-03-04T23:59:59.5", "2021-03-04T10:00:00Z",
                                  "2021-03-04T10:00:00+07:00"])
def test_a_timestamp_with_a_real_time_keeps_its_date(text):
    assert parse_date(text) == "2021-03-04"


@given(days.filter(lambda d: 2000 <= d.year < 2100))
def test_two_digit_years_are_this_century(day):
    assert parse_date(day.strftime("%d/%m/%y")) == day.isoformat()
    assert parse_date(day.strftime("%d-%m-%y")) == day.isoformat()

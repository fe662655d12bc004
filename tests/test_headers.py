"""Property tests for what import reads: headers however offices spell them, dates, delimiters."""

import csv
import datetime as dt
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wksbm_cli.dates import parse_date
from wksbm_cli.importing.headers import ALIASES, COLUMNS, KINDS, field_for, map_headers, missing_columns
from wksbm_cli.importing.readers import sniff_delimiter

ALL_NAMES = [(kind, name, field) for kind in KINDS for name, field in [*((c, c) for c in COLUMNS[kind]), *ALIASES[kind].items()]]


@st.composite
def spelled(draw, name):
    """`name` as someone might type it: any case, words joined by space, -, _ (or several), padded."""
    words = name.split("_")
    joins = [draw(st.sampled_from([" ", "-", "_", "  ", " - "])) for _ in words[1:]]
    text = words[0] + "".join(join + word for join, word in zip(joins, words[1:]))
    text = "".join(ch.upper() if draw(st.booleans()) else ch for ch in text)
    return draw(st.sampled_from(["", " ", "\ufeff"])) + text + draw(st.sampled_from(["", " "]))


@given(st.data())
def test_any_spelling_of_a_known_header_means_its_field(data):
    kind, name, field = data.draw(st.sampled_from(ALL_NAMES))
    assert field_for(kind, data.draw(spelled(name))) == field


@given(st.text(alphabet="xyzqw 0123456789", min_size=1))
def test_unknown_headers_are_unknown(text):
    for kind in KINDS:
        fields, unknown = map_headers(kind, [text])
        assert fields == [None] and unknown == ([text.strip()] if text.strip() else [])


@pytest.mark.parametrize("kind, header, field", [
    ("institutions", "Jenis", "type"), ("activities", "Jenis", "kind"), ("cases", "Jenis Kelamin", "gender"),
    ("villages", "Nama", "name"), ("cases", "Nama", "person_name"), ("cases", "Lembaga", "handled_by"),
    ("activities", "Lembaga", "institution"), ("institutions", "Lembaga", "name"), ("villages", "SK", "decree"),
    ("cases", "Tanggal", "reported_on"), ("activities", "Tanggal", "held_on"), ("villages", "Desa", "name"),
    ("cases", "Desa", "village"), ("cases", "Kode", "ref"), ("villages", "Kode", "code"),
])
def test_words_that_depend_on_the_kind(kind, header, field):
    assert field_for(kind, header) == field


def test_two_headers_for_one_field_and_missing_required_columns():
    with pytest.raises(Exception, match="columns 'Nama' and 'person_name' both mean person_name"):
        map_headers("cases", ["Nama", "person_name"])
    assert missing_columns("cases", map_headers("cases", ["desa", "nama"])[0]) == ["category", "reported_on"]
    assert missing_columns("villages", map_headers("villages", ["kecamatan"])[0]) == ["name (or code)"]
    assert missing_columns("institutions", map_headers("institutions", ["kode desa", "nama", "jenis"])[0]) == []


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)), st.booleans())
def test_dates_day_first_or_iso_read_the_same(date, pad):
    day, month = (f"{date.day:02d}", f"{date.month:02d}") if pad else (str(date.day), str(date.month))
    for text in (date.isoformat(), f"{day}/{month}/{date.year}", f"{day}-{month}-{date.year}"):
        assert parse_date(text) == date.isoformat()
    assert parse_date(dt.datetime.combine(date, dt.time(8, 30))) == date.isoformat()


@given(st.sampled_from([",", ";", "\t", "|"]),
       st.lists(st.lists(st.text(alphabet="abc XYZ,;|\t\"'0123456789", max_size=8), min_size=3, max_size=3),
                min_size=1, max_size=6))
def test_delimiter_is_sniffed_from_the_header_and_rows(delimiter, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["desa", "nama lembaga", "jenis"])
    writer.writerows(rows)
    sniffed = sniff_delimiter(buffer.getvalue())
    assert list(csv.reader(io.StringIO(buffer.getvalue()), delimiter=sniffed))[0] == ["desa", "nama lembaga", "jenis"]

"""Dates as officers write them: YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY, never month first."""

import datetime as dt
import re

from wksbm_cli.errors import Invalid

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{4})")
_MIN_YEAR, _MAX_YEAR = 1900, 2100


def parse_date(value: object) -> str:
    """Return `value` as an ISO date string, or raise Invalid naming the value.

    Accepts date/datetime objects (spreadsheet cells) and the text forms
    YYYY-MM-DD, DD/MM/YYYY and DD-MM-YYYY; an ISO timestamp keeps its date part.
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if match := _ISO.fullmatch(text[:10] if _is_timestamp(text) else text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DAY_FIRST.fullmatch(text):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    else:
        raise Invalid("not a date: write YYYY-MM-DD or DD/MM/YYYY", value=text)
    if not 1 <= month <= 12:
        raise Invalid(f"there is no month {month}: dates are day first (DD/MM/YYYY)", value=text)
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise Invalid(f"year {year} is outside {_MIN_YEAR}-{_MAX_YEAR}", value=text)
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise Invalid(f"not a real date: {year}-{month:02d} has no day {day}", value=text) from None


def parse_optional_date(value: object) -> str | None:
    """Like parse_date, but None or blank text gives None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_date(value)


def today() -> str:
    """Today's date as an ISO string."""
    return dt.date.today().isoformat()


def _is_timestamp(text: str) -> bool:
    return len(text) > 10 and text[10] in "T " and bool(_ISO.fullmatch(text[:10]))

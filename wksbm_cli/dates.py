"""Dates as officers write them: YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY or DD/MM/YY, never month first."""

import datetime as dt
import re

from wksbm_cli.errors import Invalid
from wksbm_cli.i18n import _, shown_date

_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
# A timestamp keeps its date only if the time is a real time (2020-01-05T25:99:99 is not).
_TIME = re.compile(r"[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]{1,9})?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?")
# Two-digit years are a spreadsheet's DD/MM/YY: 20YY (the records start after 2000).
_DAY_FIRST = re.compile(r"([0-9]{1,2})([/-])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})")
_MIN_YEAR, _MAX_YEAR = 1900, 2100


def parse_date(value: object) -> str:
    """Return `value` as an ISO date string, or raise Invalid naming the value.

    Accepts date/datetime objects (spreadsheet cells) and the text forms YYYY-MM-DD, DD/MM/YYYY,
    DD-MM-YYYY and DD/MM/YY (20YY); an ISO timestamp with a real time keeps its date part.
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        raise Invalid(_("no date given: write YYYY-MM-DD or DD/MM/YYYY"), value=text)
    if match := _ISO.fullmatch(text[:10] if len(text) > 10 and _real_time(text[10:]) else text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DAY_FIRST.fullmatch(text):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
        if len(match[4]) == 2:
            year += 2000
    else:
        raise Invalid(_("not a date: write YYYY-MM-DD or DD/MM/YYYY"), value=text)
    if not 1 <= month <= 12:
        raise _no_such_month(text, day, month, year, match)
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise Invalid(_("year {year} is outside {first}-{last}").format(year=year, first=_MIN_YEAR, last=_MAX_YEAR),
                      value=text, general=_("the year is outside {first}-{last}").format(first=_MIN_YEAR, last=_MAX_YEAR))
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise Invalid(_("not a real date: {year}-{month} has no day {day}").format(
            year=year, month=f"{month:02d}", day=day), value=text,
            general=_("not a real date: the month has no such day")) from None


def _no_such_month(text: str, day: int, month: int, year: int, match: re.Match) -> Invalid:
    """Why a month above 12 is refused; when the date is real month first, the whole column is suspect.

    A column written month first has rows whose "month" is above 12 and rows that read as a wrong
    day-first date (02/05/2022, 5 February, read as 2 May): mending only the rows refused would
    store the others wrong, so the message says to check every date, however few rows are refused.
    """
    if match.re is _DAY_FIRST and 1 <= day <= 12 and _real(year, day, month):
        form, read = ("MM/DD/YY", "DD/MM/YY") if len(match[4]) == 2 else ("MM/DD/YYYY", "DD/MM/YYYY")
        return Invalid(
            _("there is no month {month}: the date looks written month first ({form}), but wksbm reads "
              "{read}").format(month=month, form=form, read=read),
            value=text,
            in_column=_("there is no month {month}: the column looks written month first ({form}), but wksbm reads "
                        "{read}: check every date in the column").format(month=month, form=form, read=read),
            general=_("no such month: the column looks written month first ({form}), but wksbm reads {read}: "
                      "check every date in the column").format(form=form, read=read))
    return Invalid(_("there is no month {month}: dates are day first (DD/MM/YYYY)").format(month=month),
                   value=text, general=_("no such month: dates are day first (DD/MM/YYYY)"))


def _real(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def parse_optional_date(value: object) -> str | None:
    """Like parse_date, but None or blank text gives None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_date(value)


def parse_past_date(value: object) -> str:
    """Like parse_date, refusing a date after today: it dates something that happened (a report, a meeting)."""
    day = parse_date(value)
    if day > today():
        shown = value if isinstance(value, str) else day
        raise Invalid(_("the date is after today ({today}): give the day it happened").format(
            today=shown_date(today())), value=shown,
            general=_("the date is after today: give the day it happened"))
    return day


def parse_optional_past_date(value: object) -> str | None:
    """Like parse_past_date, but None or blank text gives None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_past_date(value)


def today() -> str:
    """Today's date as an ISO string."""
    return dt.date.today().isoformat()


def _real_time(text: str) -> bool:
    """Whether `text` (what follows YYYY-MM-DD) is a time of day: T10:00, 10:00:00.5+07:00 …"""
    match = _TIME.fullmatch(text)
    return bool(match) and int(match[1]) < 24 and int(match[2]) < 60 and int(match[3] or 0) < 60


def date_option(value: str | None, field: str) -> str | None:
    """A date typed as an option, not after today: not given is None (the command's default); a blank one is refused."""
    if value is None:
        return None
    try:
        return parse_past_date(value)
    except Invalid as error:
        raise error.at(field) from None

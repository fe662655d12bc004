"""One rule per field: each parser returns the stored value or raises Invalid naming the value.

The add/update commands and batch import both call these, so a value is judged the same way
whichever door it comes in through.
"""

import datetime as dt
import functools
import re
from operator import itemgetter

from wksbm_cli.errors import Invalid
from wksbm_cli.i18n import N_, _
from wksbm_cli.schema_values import ACTIVITY_KINDS, CASE_STATUSES
from wksbm_cli.text import clean, name_key

# [0-9], not \d: \d also matches other scripts' digits (٣٥, ３５), which must not be stored as codes.
VILLAGE_CODE = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}")
_GENDERS = {
    "l": "L", "m": "L", "male": "L", "laki": "L", "lakilaki": "L", "pria": "L",
    "p": "P", "f": "P", "female": "P", "perempuan": "P", "wanita": "P",
}
# Input values are understood in both languages whatever the interface language; stored in English.
_KIND_WORDS = {
    **{kind: kind for kind in ACTIVITY_KINDS},
    "rapat": "meeting", "pertemuan": "meeting", "pelatihan": "training", "sosialisasi": "outreach",
    "advokasi": "advocacy", "kegiatan": "program", "lainnya": "other", "lain": "other", "lain_lain": "other",
}
_STATUS_WORDS = {
    **{status: status for status in CASE_STATUSES},
    "dilaporkan": "reported", "ditangani": "in_handling", "dalam_penanganan": "in_handling",
    "selesai": "resolved", "tertangani": "resolved", "dirujuk": "referred", "ditutup": "closed",
}
# Why a NIK ending in 0000 is refused (an import's rounded NIK column replaces it: see importing/columns.py).
NIK_SERIAL = N_("a NIK's serial number (its last 4 digits) cannot be 0000")
MAX_COUNT = 1_000_000  # more people than any village has: a typo (and beyond SQLite's integers)


def refuse_number(value: object, what: str) -> None:
    """A code-like value (NIK, village code, ref) that a spreadsheet or JSON stored as a number.

    A spreadsheet keeps only 15 significant digits of a number (3513132010460046 becomes
    3513132010460050), so whatever the digits look like now, they cannot be trusted.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise Invalid(_("the {what} column holds numbers, which lose digits: format it as Text "
                        "and type the {what}s again").format(what=what), value=_number_shown(value, what == "NIK"))


def _number_shown(value: int | float, mask: bool) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e20:
        value = int(value)
    return _masked(str(value)) if mask else str(value)


def parse_name(value: object, field: str, missing: str) -> tuple[str, str]:
    """A name as typed (trimmed) and its normalised key; `missing` (marked with N_()) says what lacks one."""
    name = clean(value)
    key = name_key(name) if name else ""
    if not key:
        raise Invalid(_(missing), field=field, value=value)
    return name, key


def parse_village_code(value: object) -> str:
    """A Kemendagri village code PP.KK.CC.DDDD (also accepted without dots)."""
    refuse_number(value, "code")
    text = str(value).strip()
    if re.fullmatch(r"[0-9]{10}", text):
        text = f"{text[:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"
    if not VILLAGE_CODE.fullmatch(text):
        raise Invalid(_("not a village code: write PP.KK.CC.DDDD, e.g. 35.13.13.2013"), value=text)
    return text


def parse_count(value: object) -> int:
    """A whole number of people or members, from zero to MAX_COUNT."""
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e20:
        text = str(int(value))
    if not re.fullmatch(r"[0-9]+", text):
        raise Invalid(_("not a whole number of 0 or more"), value=text)
    if len(text) > 7 or int(text) > MAX_COUNT:
        raise Invalid(_("{value} is more than {most}: give a whole number from 0 to {most}").format(
            value=text if len(text) <= 24 else f"({len(text)} digits)", most=f"{MAX_COUNT:,}"), value=None)
    return int(text)


def parse_kind(value: object) -> str:
    """An activity kind: meeting, program, outreach, advocacy, training or other (or rapat, pelatihan …)."""
    text = str(value).strip().lower()
    kind = _KIND_WORDS.get(re.sub(r"[\s-]+", "_", text))
    if kind is None:
        raise Invalid(_("not an activity kind; use one of {kinds} (or rapat, pelatihan, sosialisasi, advokasi, "
                        "program/kegiatan, lainnya)").format(kinds=", ".join(ACTIVITY_KINDS)), value=text)
    return kind


def parse_status(value: object) -> str:
    """A case status: reported, in_handling, resolved, referred or closed (or dilaporkan, selesai …)."""
    status = _STATUS_WORDS.get(re.sub(r"[\s-]+", "_", str(value).strip().lower()))
    if status is None:
        raise Invalid(_("not a case status; use one of {statuses} (or dilaporkan, ditangani, selesai, dirujuk, "
                        "ditutup)").format(statuses=", ".join(CASE_STATUSES)), value=value)
    return status


def parse_gender(value: object) -> str:
    """L (laki-laki) or P (perempuan); M/F and the words are accepted too."""
    key = re.sub(r"[^a-z]", "", str(value).lower())
    if key not in _GENDERS:
        raise Invalid(_("not a gender: use L (laki-laki) or P (perempuan)"), value=value)
    return _GENDERS[key]


def parse_birth_year(value: object) -> int:
    """A four-digit year between 1900 and 2100."""
    year = parse_count(value)
    if not 1900 <= year <= 2100:
        raise Invalid(_("not a birth year between 1900 and 2100"), value=value)
    return year


def parse_nik(value: object) -> str:
    """A NIK (nomor induk kependudukan): 16 digits, PPKKCC region + DDMMYY birth date + serial.

    Spaces, dots and hyphens are ignored. The region part must have a code's shape (province
    11-99 not ending in 0, regency and district 01-99); the date part must be a real date, with
    40 added to the day for women; the serial is 0001-9999. Errors never echo the full number.
    """
    if value.__class__ is str and len(value) == 16 and value.isascii() and value.isdigit():
        if nik_ok(value):
            return value  # the common case (import: most rows): 16 digits, nothing to take out
        text = value
    else:
        refuse_number(value, "NIK")  # a spreadsheet cell holding the NIK as a number
        if re.fullmatch(r"[0-9](?:[.,][0-9]+)?[eE]\+?[0-9]+", str(value).strip()):  # 3.51E+15: the same, as text
            raise Invalid(_("the {what} column holds numbers, which lose digits: format it as Text "
                            "and type the {what}s again").format(what="NIK"), value=str(value).strip())
        text = re.sub(r"[\s.\-]", "", str(value))
        if not re.fullmatch(r"[0-9]{16}", text):
            raise Invalid(_("a NIK has exactly 16 digits"), value=_masked(text))
    if not _nik_region_ok(text[:6]):
        raise Invalid(_("a NIK starts with its region code (province 11-99, regency and district 01-99)"),
                      value=_masked(text))
    if nik_birth_date(text) is None:
        raise Invalid(_("a NIK's digits 7-12 are the birth date DDMMYY (day + 40 for women)"),
                      value=_masked(text))
    if text[12:] == "0000":
        raise Invalid(_(NIK_SERIAL), value=_masked(text))
    return text


def nik_ok(text: str) -> bool:
    """Whether 16 ASCII digits are a NIK (region shape, real birth date, serial): parse_nik's checks, as one test."""
    part = text[6:12]
    day_month = part[:4]
    return (_nik_region_ok(text[:6]) and day_month in _DAY_MONTHS
            and (day_month not in _LEAP_DAYS or int(part[4:]) % 4 == 0) and text[12:] != "0000")


def niks_ok(niks: list[str]) -> bool:
    """nik_ok() of every one of these 16-digit strings, a part at a time (its distinct regions, dates, serials)."""
    if not all(map(_nik_region_ok, set(map(_REGION, niks)))):
        return False
    day_months = set(map(_DAY_MONTH, niks))
    if not day_months <= _DAY_MONTHS or "0000" in set(map(_SERIAL, niks)):
        return False
    return not day_months & _LEAP_DAYS or all(map(nik_ok, (nik for nik in niks if nik[6:10] in _LEAP_DAYS)))


_REGION, _DAY_MONTH, _SERIAL = itemgetter(slice(0, 6)), itemgetter(slice(6, 10)), itemgetter(slice(12, 16))
# Every DDMM a NIK's birth date may start with (day + 40 for women), in a leap year: one set look-up
# per row instead of building a date. 29 February is real only when 20YY is a leap year (YY % 4 == 0).
_DAY_MONTHS = frozenset(
    f"{day + women:02d}{month:02d}"
    for month, days in enumerate((31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31), start=1)
    for day in range(1, days + 1) for women in (0, 40)
)
_LEAP_DAYS = frozenset({"2902", "6902"})


def nik_birth_date(nik: str) -> tuple[int, int, int] | None:
    """(day, month, two-digit year) of the birth date in a 16-digit NIK, or None if not a real date."""
    return _birth_date(nik[6:12])


def _birth_date(part: str) -> tuple[int, int, int] | None:
    day, month, year = int(part[0:2]), int(part[2:4]), int(part[4:6])
    if day > 40:
        day -= 40
    try:
        # 2000 + year: a year divisible by 4 makes 29 February real in one of 19YY/20YY.
        dt.date(2000 + year, month, day)
    except ValueError:
        return None
    return day, month, year


@functools.lru_cache(maxsize=8192)
def _nik_region_ok(region: str) -> bool:
    """Whether a NIK's first six digits have a region code's shape."""
    province, regency, district = int(region[0:2]), int(region[2:4]), int(region[4:6])
    return not (province < 11 or province % 10 == 0 or regency == 0 or district == 0)


def nik_gender(nik: str) -> str:
    """'P' if the NIK's birth day has 40 added (a woman), else 'L'."""
    return "P" if int(nik[6:8]) > 40 else "L"


def _masked(text: str) -> str:
    """What an error may show of a rejected NIK: never all its digits, never a huge value."""
    if len(text) > 24:
        return f"({len(text)} characters)"
    return mask_nik(text)


def mask_nik(nik: str | None) -> str | None:
    """Hide the middle of a NIK: 3513134107450001 -> 351313********01."""
    if not nik:
        return nik
    if len(nik) <= 8:
        return "*" * len(nik)
    return nik[:6] + "*" * (len(nik) - 8) + nik[-2:]

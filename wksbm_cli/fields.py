"""One rule per field: each parser returns the stored value or raises Invalid naming the value.

The add/update commands and batch import both call these, so a value is judged the same way
whichever door it comes in through.
"""

import re

from wksbm_cli.errors import Invalid
from wksbm_cli.schema_values import ACTIVITY_KINDS, CASE_STATUSES

VILLAGE_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")
_GENDERS = {
    "l": "L", "m": "L", "male": "L", "laki": "L", "lakilaki": "L", "pria": "L",
    "p": "P", "f": "P", "female": "P", "perempuan": "P", "wanita": "P",
}


def parse_village_code(value: object) -> str:
    """A Kemendagri village code PP.KK.CC.DDDD (also accepted without dots)."""
    text = str(value).strip()
    if re.fullmatch(r"\d{10}", text):
        text = f"{text[:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"
    if not VILLAGE_CODE.fullmatch(text):
        raise Invalid("not a village code: write PP.KK.CC.DDDD, e.g. 35.13.13.2013", value=text)
    return text


def parse_count(value: object) -> int:
    """A whole number of people or members, zero or more."""
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not re.fullmatch(r"\d+", text):
        raise Invalid("not a whole number of 0 or more", value=text)
    return int(text)


def parse_kind(value: object) -> str:
    """An activity kind: meeting, program, outreach, advocacy, training or other."""
    text = str(value).strip().lower()
    if text not in ACTIVITY_KINDS:
        raise Invalid(f"not an activity kind; use one of {', '.join(ACTIVITY_KINDS)}", value=text)
    return text


def parse_status(value: object) -> str:
    """A case status: reported, in_handling, resolved, referred or closed."""
    text = re.sub(r"[\s-]+", "_", str(value).strip().lower())
    if text not in CASE_STATUSES:
        raise Invalid(f"not a case status; use one of {', '.join(CASE_STATUSES)}", value=value)
    return text


def parse_gender(value: object) -> str:
    """L (laki-laki) or P (perempuan); M/F and the words are accepted too."""
    key = re.sub(r"[^a-z]", "", str(value).lower())
    if key not in _GENDERS:
        raise Invalid("not a gender: use L (laki-laki) or P (perempuan)", value=value)
    return _GENDERS[key]


def parse_birth_year(value: object) -> int:
    """A four-digit year between 1900 and 2100."""
    year = parse_count(value)
    if not 1900 <= year <= 2100:
        raise Invalid("not a birth year between 1900 and 2100", value=value)
    return year


def parse_nik(value: object) -> str:
    """A 16-digit NIK (nomor induk kependudukan); spaces and dots are ignored."""
    text = re.sub(r"[\s.]", "", str(value))
    if not re.fullmatch(r"\d{16}", text):
        raise Invalid("a NIK has exactly 16 digits", value=mask_nik(text))
    return text


def mask_nik(nik: str | None) -> str | None:
    """Hide the middle of a NIK: 3513131234560001 -> 351313********01."""
    if not nik:
        return nik
    if len(nik) <= 8:
        return "*" * len(nik)
    return nik[:6] + "*" * (len(nik) - 8) + nik[-2:]

"""Stored text as a page shows it: in the interface language, control characters (C0, DEL, C1, bidi) escaped."""

import re
from html import escape

from wksbm_cli.i18n import shown as localized

# Tab and newline are kept: a page lays them out as spaces.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(value: object) -> str:
    """`value` as text (a Wording translated) with every control character shown escaped (`\\x1b`); None is empty."""
    text = "" if value is None else str(localized(value))
    return _CONTROL.sub(lambda match: match[0].encode("unicode_escape").decode("ascii"), text)


def html_text(value: object) -> str:
    """`value` escaped for HTML or SVG text and attributes, control characters shown escaped."""
    return escape(shown(value), quote=True)

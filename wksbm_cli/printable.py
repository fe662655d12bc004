"""What a person may see: any text made safe to put in front of them (SPEC section 8).

Stored values and typed arguments are data, never terminal control. Every table cell, `show`
view, message, warning and error goes through `printable()`; nothing else writes user data to a
terminal. JSON needs none of this (json.dumps escapes control characters itself).
"""

import re

# C0 controls (tab and newline are kept where a value may span lines), DEL, C1, and the
# bidirectional-text controls that make a line read differently from what it holds.
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[{_CONTROL}]")
_UNSAFE_ONE_LINE = re.compile(f"[{_CONTROL}\t\n]")
# A run of exactly 16 digits looks like a NIK (or a KK number): shown masked in messages.
_SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


def _escaped(match: re.Match) -> str:
    char = match[0]
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _masked(match: re.Match) -> str:
    digits = match[0]
    return digits[:6] + "*" * 8 + digits[-2:]


def holds_nik(text: str) -> bool:
    """Whether `text` has a run of exactly 16 digits: what messages mask as a NIK."""
    return _SIXTEEN_DIGITS.search(text) is not None


def printable(value: object, *, mask_niks: bool = True, one_line: bool = False) -> str:
    """`value` as text safe for a terminal: control characters shown escaped (`\\x1b`), 16-digit runs masked.

    `mask_niks=False` only where the caller has already decided how NIKs are shown (a table's
    `nik` column under `--show-pii`); `one_line=True` also escapes tab and newline (messages, errors).
    """
    text = "" if value is None else str(value)
    text = (_UNSAFE_ONE_LINE if one_line else _UNSAFE).sub(_escaped, text)
    return _SIXTEEN_DIGITS.sub(_masked, text) if mask_niks else text


class TerminalText:
    """A text stream for data (CSV) printed to a terminal: control characters written escaped, as in tables.

    Piped or redirected, data goes out as stored; on a terminal, an ESC in a stored value would
    change the terminal (its colours, its title) instead of being shown.
    """

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(_UNSAFE.sub(_escaped, text))

    def __getattr__(self, name: str):
        return getattr(self.stream, name)


def data_stream(stream):
    """`stream` (stdout) for CSV data: escaped through TerminalText when it is a terminal, else as it is."""
    isatty = getattr(stream, "isatty", None)
    return TerminalText(stream) if isatty is not None and isatty() else stream

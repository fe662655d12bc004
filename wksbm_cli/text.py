"""Normalising names so that "Besuk Agung", "besuk-agung" and "BESUKAGUNG" compare equal."""

import difflib
import unicodedata


_ASCII_NOT_ALNUM = bytes(i for i in range(128) if not chr(i).isalnum())


def name_key(text: str) -> str:
    """Lower-case `text` and drop everything but letters and digits (accents folded)."""
    if text.isascii():  # NFKD and casefold change nothing in ASCII but case: the fast path
        key = text.lower().replace(" ", "")
        if key.isalnum():  # most names: words of letters and digits (import computes this per row)
            return key
        # bytes.translate deletes in C, about 3x faster than str.translate's per-character mapping
        return key.encode("ascii").translate(None, _ASCII_NOT_ALNUM).decode("ascii")
    # filter() keeps the loop in C: import computes this for every row.
    return "".join(filter(str.isalnum, unicodedata.normalize("NFKD", text).casefold()))


def closest(word: str, candidates: dict[str, str], limit: int = 3) -> list[str]:
    """The display names among `candidates` (key -> name) whose keys are closest to `word`."""
    keys = difflib.get_close_matches(name_key(word), list(candidates), n=limit, cutoff=0.6)
    return [candidates[key] for key in keys]


def clean(value: object) -> str | None:
    """Strip a free-text value; empty text becomes None."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None

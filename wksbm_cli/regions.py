"""The bundled Kemendagri region list: provinces, kabupaten/kota, kecamatan and villages by code.

The list ships as a prebuilt read-only SQLite file (data/regions.sqlite, rebuilt by
tools/build_regions.py), opened on first use only: commands that never look a region up
(`village list`, …) neither import this module nor open the file.
"""

import contextlib
import difflib
import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

from wksbm_cli.text import name_key

DATA_FILE = "regions.sqlite"
CODE_PREFIX = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")
_CODE_LENGTH_LEVEL = {2: "province", 5: "kabupaten", 8: "kecamatan", 13: "village"}
_FUZZY_CUTOFF = 0.8
# Upper-case abbreviations kept as they are when title-casing official names.
_ACRONYMS = {"DKI"}

_conn: sqlite3.Connection | None = None
_files = contextlib.ExitStack()


@dataclass(frozen=True)
class Region:
    """One region of the list, with the names of the regions above it."""

    code: str
    name: str
    kecamatan: str | None = None
    kabupaten: str | None = None
    province: str | None = None

    @property
    def level(self) -> str:
        """province, kabupaten, kota, kecamatan, desa or kelurahan."""
        level = _CODE_LENGTH_LEVEL[len(self.code)]
        if level == "kabupaten" and self.name.startswith("Kota "):
            return "kota"
        if level == "village":
            return "kelurahan" if self.code[9] == "1" else "desa"
        return level

    @property
    def path(self) -> str:
        """`village · kecamatan · kabupaten · province`, from this region up."""
        return " · ".join(part for part in (self.name, self.kecamatan, self.kabupaten, self.province) if part)

    def as_dict(self) -> dict[str, str | None]:
        """Plain values for listings (JSON keys)."""
        return {"code": self.code, "level": self.level, "name": self.name, "kecamatan": self.kecamatan,
                "kabupaten": self.kabupaten, "province": self.province, "path": self.path}


def display_name(official: str, code: str) -> str:
    """A name as officers write it: "KAB. PROBOLINGGO" -> "Probolinggo", "KOTA ADM. JAKARTA PUSAT" -> "Kota Jakarta Pusat"."""
    level = _CODE_LENGTH_LEVEL[len(code)]
    if level == "kabupaten":
        words = official.replace(".", ". ").split()
        words = [word for word in words if word.upper() not in ("KAB.", "KAB", "ADM.")]
        words = ["KEPULAUAN" if word.upper() == "KEP." else word for word in words]
        return _title(" ".join(words))
    if level == "province":
        return _title(official)
    return official  # kecamatan and village names already come in mixed case


def is_code_prefix(text: str) -> bool:
    """Whether `text` is a whole province, kabupaten, kecamatan or village code (35, 35.13, …)."""
    return bool(CODE_PREFIX.fullmatch(text.strip()))


def lookup(code: str) -> Region | None:
    """The region with exactly this code, with its path; None when the list does not have it."""
    regions = _with_paths(_query("SELECT code, name FROM regions WHERE code = ?", [code]))
    return regions[0] if regions else None


def villages_under(code: str) -> list[Region]:
    """Every village under a province, kabupaten or kecamatan code (or that village), in code order."""
    low, high = _code_range(code)
    rows = _query(
        "SELECT code, name FROM regions WHERE (code = ? OR code BETWEEN ? AND ?) AND length(code) = 13 ORDER BY code",
        [code, low, high],
    )
    return _with_paths(rows)


def children(code: str) -> list[Region]:
    """The regions one level below `code`, in code order."""
    low, high = _code_range(code)
    child_length = {2: 5, 5: 8, 8: 13}.get(len(code))
    if child_length is None:
        return []
    rows = _query(
        "SELECT code, name FROM regions WHERE code BETWEEN ? AND ? AND length(code) = ? ORDER BY code",
        [low, high, child_length],
    )
    return _with_paths(rows)


def search(text: str, within: str | None = None, limit: int = 20) -> list[Region]:
    """Regions matching `text`: a code (itself and its children), else a name, typo-tolerant.

    Names match exactly after normalising, then by prefix, then anywhere in the name; only when
    none of these match are close spellings tried ("Randujalk" finds Randujalak).
    """
    text = text.strip()
    if is_code_prefix(text) or re.fullmatch(r"[\d.]+", text):
        return _search_code(text, limit)
    key = name_key(text)
    if not key:
        return []
    scope, params = _scope(within)
    rows = _query(
        f"""SELECT code, name, CASE WHEN name_key = ? THEN 0 WHEN substr(name_key, 1, ?) = ? THEN 1 ELSE 2 END AS tier
            FROM regions WHERE instr(name_key, ?) > 0 {scope}
            ORDER BY tier, length(code), code LIMIT ?""",
        [key, len(key), key, key, *params, limit],
    )
    if not rows:
        rows = _fuzzy(key, scope, params, limit)
    return _with_paths(rows)


def villages_named(name: str, near: set[str] = frozenset(), limit: int | None = 3) -> tuple[list[Region], int]:
    """Reference villages whose name equals `name` after normalising; the closest to `near` codes first.

    Returns at most `limit` of them (None: all) and how many there are in all. A code in `near`
    is a kecamatan or kabupaten prefix: villages under it sort before the rest of the country.
    """
    rows = _query("SELECT code, name FROM regions WHERE name_key = ? AND length(code) = 13", [name_key(name)])
    rows.sort(key=lambda row: (-_nearness(row[0], near), row[0]))
    return _with_paths(rows[:limit]), len(rows)


def close_villages(name: str, under: set[str], limit: int = 3) -> list[Region]:
    """Reference villages under the given kabupaten/kecamatan codes whose names are close to `name`."""
    found: list[tuple[str, str]] = []
    for prefix in sorted(under):
        low, high = _code_range(prefix)
        found += _query(
            "SELECT code, name FROM regions WHERE code BETWEEN ? AND ? AND length(code) = 13", [low, high]
        )
    by_key: dict[str, list[tuple[str, str]]] = {}
    for row in found:
        by_key.setdefault(name_key(row[1]), []).append(row)
    keys = difflib.get_close_matches(name_key(name), list(by_key), n=limit, cutoff=_FUZZY_CUTOFF)
    return _with_paths([row for key in keys for row in by_key[key]][:limit])


def _search_code(text: str, limit: int) -> list[Region]:
    code = text
    if re.fullmatch(r"\d+", text) and len(text) in (2, 4, 6, 10):  # typed without dots
        code = ".".join(filter(None, [text[:2], text[2:4], text[4:6], text[6:]]))
    if is_code_prefix(code):
        region = lookup(code)
        return ([region] + children(code)[: max(limit - 1, 0)]) if region else []
    # A partial code ("35.13.1"): the regions of that length whose code starts with it.
    length = {1: 2, 2: 2, 4: 5, 5: 5, 7: 8, 8: 8}.get(len(code), 13)
    rows = _query(
        "SELECT code, name FROM regions WHERE code BETWEEN ? AND ? AND length(code) = ? ORDER BY code LIMIT ?",
        [code, code + "\x7f", length, limit],
    )
    return _with_paths(rows)


def _fuzzy(key: str, scope: str, params: list, limit: int) -> list[tuple[str, str]]:
    # A cheap filter in SQL first: only names of about the same length can be within the cutoff,
    # and a typo seldom hits both the first two and the last two letters of a name.
    keys = [row[0] for row in _query(
        f"""SELECT DISTINCT name_key FROM regions
            WHERE length(name_key) BETWEEN ? AND ? AND (substr(name_key, 1, 2) = ? OR substr(name_key, -2) = ?) {scope}""",
        [len(key) - 3, len(key) + 3, key[:2], key[-2:], *params],
    )]
    close = difflib.get_close_matches(key, keys, n=limit, cutoff=_FUZZY_CUTOFF)
    if not close:
        return []
    marks = ", ".join("?" for _ in close)
    rows = _query(f"SELECT code, name, name_key FROM regions WHERE name_key IN ({marks}) {scope}", [*close, *params])
    rows.sort(key=lambda row: (close.index(row[2]), len(row[0]), row[0]))
    return rows[:limit]


def _scope(within: str | None) -> tuple[str, list]:
    if not within:
        return "", []
    low, high = _code_range(within)
    return "AND code BETWEEN ? AND ?", [low, high]


def _code_range(code: str) -> tuple[str, str]:
    """The BETWEEN bounds of every code strictly under `code`."""
    return code + ".", code + ".\x7f"


def _nearness(code: str, near: set[str]) -> int:
    return max((len(prefix) for prefix in near if code.startswith(prefix + ".")), default=0)


def _with_paths(rows: list) -> list[Region]:
    """Regions for `(code, name, …)` rows, with their ancestors' names fetched in one query."""
    ancestors = {code[:length] for code, *_ in rows for length in (2, 5, 8) if len(code) > length}
    names: dict[str, str] = {}
    if ancestors:
        marks = ", ".join("?" for _ in ancestors)
        names = dict(_query(f"SELECT code, name FROM regions WHERE code IN ({marks})", sorted(ancestors)))
    regions = []
    for code, name, *_ in rows:
        parts = [names.get(code[:length]) if len(code) > length else None for length in (8, 5, 2)]
        regions.append(Region(code, name, *parts))
    return regions


def _query(sql: str, params: list) -> list:
    return connection().execute(sql, params).fetchall()


def connection() -> sqlite3.Connection:
    """The read-only connection to the bundled list, opened on first use and kept for the process."""
    global _conn
    if _conn is None:
        path = _files.enter_context(resources.as_file(resources.files("wksbm_cli.data").joinpath(DATA_FILE)))
        # immutable=1: no locks, no journal, no -wal file beside an installed package.
        _conn = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    return _conn


def _title(text: str) -> str:
    words = []
    for word in text.split():
        words.append(word if word in _ACRONYMS else word.title())
    return " ".join(words)

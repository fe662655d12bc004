"""The Kemendagri region list in use: searching it, loading its villages, filling a village from it."""

import sqlite3
from typing import Any

from wksbm_cli import records, regions
from wksbm_cli.db import transaction
from wksbm_cli.errors import Invalid, NotFound, checked
from wksbm_cli.fields import parse_village_code
from wksbm_cli.i18n import _
from wksbm_cli.text import clean, name_key

SEARCH_COLUMNS = ["code", "level", "name", "kecamatan", "kabupaten", "province", "path"]
TABLE_COLUMNS = ["code", "level", "path"]
# Words officers put before a name that the reference leaves out ("Kabupaten Probolinggo", "Kec. Besuk").
_KABUPATEN_WORDS = ("kabupaten", "kab")
_KECAMATAN_WORDS = ("kecamatan", "kec")


def search_regions(text: str, within: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Regions matching a name (typo-tolerant) or a code, each with its full path."""
    if within is not None:
        within = region_code(within)
        if regions.lookup(within) is None:
            raise NotFound(_("no region {code} in the Kemendagri list").format(code=within))
    return [region.as_dict() for region in regions.search(text, within, limit)]


def load_villages(conn: sqlite3.Connection, code: str) -> dict[str, Any]:
    """Add every reference village under `code` that the database lacks; returns the counts.

    A village already stored under its code is left as it is; one stored without a code whose
    name and kecamatan match a reference village gets that code rather than a twin.
    """
    code = region_code(code)
    region = regions.lookup(code)
    if region is None:
        raise NotFound(_("no region {code} in the Kemendagri list; find codes with `wksbm region search NAME`").format(code=code))
    reference = regions.villages_under(code)
    with transaction(conn):
        present = {
            row[0]
            for row in conn.execute(
                "SELECT code FROM villages WHERE code = ? OR code BETWEEN ? AND ?", [code, code + ".", code + ".\x7f"]
            )
        }
        missing = [village for village in reference if village.code not in present]
        coded = _code_uncoded_twins(conn, missing)
        new_rows = [
            {"code": v.code, "name": v.name, "name_key": name_key(v.name), "kecamatan": v.kecamatan, "kabupaten": v.kabupaten}
            for v in missing
            if v.code not in coded
        ]
        added = records.insert_many(conn, "villages", new_rows)
    return {
        "code": code, "level": region.level, "name": region.name, "path": region.path,
        "villages": len(reference), "added": added, "already_present": len(reference) - added - len(coded),
        "given_code": len(coded),
    }


def fill_from_reference(values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A new village's values with name, kecamatan and kabupaten taken from the list for its code.

    What the user typed must agree with the list after normalising. A well-formed code the list lacks (a village newer than the snapshot) is kept with
    a warning, as long as a name is given.
    """
    code = checked("code", parse_village_code, values["code"])
    filled = {**values, "code": code}
    region = regions.lookup(code)
    if region is None:
        if not clean(values.get("name")):
            raise Invalid(
                _("not in the bundled Kemendagri list (a snapshot from before 2022); give the village's name to add it anyway"),
                field="code", value=code,
            )
        district = regions.lookup(code[:8])
        if district is not None:
            filled.setdefault("kecamatan", district.name)
            filled.setdefault("kabupaten", district.kabupaten)
        return filled, [_("village code {code} is not in the bundled Kemendagri list (a snapshot from before 2022); "
                          "kept as given").format(code=code)]
    _agree(values.get("name"), region.name, "name",
           _("the Kemendagri name of {code} is '{name}'").format(code=code, name=region.name))
    _agree(values.get("kecamatan"), region.kecamatan, "kecamatan",
           _("{code} is in Kecamatan {kecamatan}").format(code=code, kecamatan=region.kecamatan), _KECAMATAN_WORDS)
    _agree(values.get("kabupaten"), region.kabupaten, "kabupaten",
           _("{code} is in {kabupaten}").format(code=code, kabupaten=_kabupaten_label(region)), _KABUPATEN_WORDS, kota=True)
    # The village's own spelling is kept when given ("Besuk Agung" for Besukagung: same key, so it is
    # found either way); kecamatan and kabupaten are always the list's, so areas group as one.
    filled.update(name=clean(values.get("name")) or region.name, kecamatan=region.kecamatan, kabupaten=region.kabupaten)
    return filled, []


def region_code(text: str) -> str:
    """A province, kabupaten, kecamatan or village code, dotted (35.13), also accepted without dots (3513)."""
    code = str(text).strip()
    if code.isdigit() and len(code) in (2, 4, 6, 10):
        code = ".".join(part for part in (code[:2], code[2:4], code[4:6], code[6:]) if part)
    if not regions.is_code_prefix(code):
        raise Invalid(_("not a region code: write 35, 35.13, 35.13.13 or 35.13.13.2013"), value=text)
    return code


def _code_uncoded_twins(conn: sqlite3.Connection, missing: list[regions.Region]) -> set[str]:
    """Give stored villages without a code the code of the one reference village they match."""
    uncoded: dict[tuple[str, str], list[sqlite3.Row]] = {}
    for row in conn.execute("SELECT id, name_key, kecamatan, kabupaten FROM villages WHERE code IS NULL"):
        uncoded.setdefault((row["name_key"], name_key(row["kecamatan"] or "")), []).append(row)
    if not uncoded:
        return set()
    by_pair: dict[tuple[str, str], list[regions.Region]] = {}
    for village in missing:
        by_pair.setdefault((name_key(village.name), name_key(village.kecamatan or "")), []).append(village)
    coded = set()
    for pair, rows in uncoded.items():
        matches = by_pair.get(pair, [])
        if len(rows) == 1 and len(matches) == 1:  # anything less certain is left for the user
            village = matches[0]
            changes = {"code": village.code, "kabupaten": rows[0]["kabupaten"] or village.kabupaten}
            records.update(conn, "villages", rows[0]["id"], changes)
            coded.add(village.code)
    return coded


def _agree(
    given: Any, official: str | None, field: str, reason: str, words: tuple[str, ...] = (), kota: bool = False
) -> None:
    """Refuse a value the user gave that is not the reference's after normalising."""
    text = clean(given)
    if not text or official is None:
        return
    key, wanted = name_key(text), name_key(official)
    accepted = {wanted}
    if kota and wanted.startswith("kota"):
        accepted.add(wanted[4:])  # "Probolinggo" is how many write Kota Probolinggo too
    stripped = next((key[len(word):] for word in words if key.startswith(word) and key[len(word):]), key)
    if key not in accepted and stripped not in accepted:
        raise Invalid(reason, field=field, value=text)


def _kabupaten_label(region: regions.Region) -> str:
    name = region.kabupaten or ""
    return name if name.startswith("Kota ") else f"Kabupaten {name}"

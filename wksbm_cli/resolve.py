"""Turning what a user typed into a stored record: villages, institutions, categories, types.

Every command and the importer resolve references here, so "randu jalak", "RANDUJALAK" and
"35.13.13.2013" find Randujalak everywhere, and every miss gets the same helpful message.
"""

import sqlite3

from wksbm_cli.errors import Ambiguous, Invalid, NotFound
from wksbm_cli.fields import VILLAGE_CODE
from wksbm_cli.i18n import _, either, ngettext
from wksbm_cli.text import closest, name_key


def resolve_village(conn: sqlite3.Connection, ref: str) -> sqlite3.Row:
    """The village whose code is `ref`, or whose normalised name equals it."""
    ref = str(ref).strip()
    if VILLAGE_CODE.fullmatch(ref):
        row = conn.execute("SELECT * FROM villages WHERE code = ?", [ref]).fetchone()
        if row is None:
            raise NotFound(_clauses(_("no village with code {code}").format(code=ref), _in_reference(conn, code=ref)))
        return row
    rows = conn.execute("SELECT * FROM villages WHERE name_key = ?", [name_key(ref)]).fetchall()
    if len(rows) == 1:
        return rows[0]
    if rows:
        options = ", ".join(_village_label(row) for row in rows)
        raise Ambiguous(ngettext("'{ref}' matches {count} village: {villages}; give the code instead",
                                 "'{ref}' matches {count} villages: {villages}; give the code instead", len(rows))
                        .format(ref=ref, count=len(rows), villages=options))
    names = {row["name_key"]: row["name"] for row in conn.execute("SELECT name, name_key FROM villages")}
    raise NotFound(_clauses(_("no village named '{ref}'").format(ref=ref), _did_you_mean(closest(ref, names)),
                            _in_reference(conn, name=ref)))


def resolve_institution(conn: sqlite3.Connection, village: sqlite3.Row, name: str) -> sqlite3.Row:
    """The institution called `name` (normalised) in `village`."""
    name = str(name).strip()  # a JSON number or true/false is looked up as the text it would show
    row = conn.execute(
        "SELECT * FROM institutions WHERE village_id = ? AND name_key = ?",
        [village["id"], name_key(name)],
    ).fetchone()
    if row is not None:
        return row
    names = {
        r["name_key"]: r["name"]
        for r in conn.execute("SELECT name, name_key FROM institutions WHERE village_id = ?", [village["id"]])
    }
    raise NotFound(_clauses(_("no institution '{name}' in {village}").format(name=name, village=village["name"]),
                            _did_you_mean(closest(name, names))))


def resolve_category(conn: sqlite3.Connection, value: object) -> str:
    """A PMKS category code, given its code, its number (1-26) or its Indonesian name."""
    return _resolve_code(conn, "pmks_categories", value, _("not a known PMKS category"), "wksbm categories")


def resolve_type(conn: sqlite3.Connection, value: object) -> str:
    """An institution type code, given its code or its Indonesian name."""
    return _resolve_code(conn, "institution_types", value, _("not a known institution type"), "wksbm types")


def _resolve_code(conn: sqlite3.Connection, table: str, value: object, unknown: str, listing: str) -> str:
    text = str(value).strip()
    key = name_key(text)
    by_key: dict[str, str] = {}
    for row in conn.execute(f"SELECT * FROM {table}"):  # small reference tables
        by_key[name_key(row["code"])] = row["code"]
        by_key.setdefault(name_key(row["name_id"]), row["code"])
        if "number" in row.keys():
            by_key.setdefault(str(row["number"]), row["code"])
    if key in by_key:
        return by_key[key]
    hint = _did_you_mean(closest(text, {k: v for k, v in by_key.items() if not k.isdigit()}))
    raise Invalid(_clauses(unknown, hint, _("see `{command}`").format(command=listing)), value=text)


def _village_label(row: sqlite3.Row) -> str:
    where = ", ".join(part for part in (row["kecamatan"], row["kabupaten"]) if part)
    code = row["code"] or _("no code")
    return f"{row['name']} ({code}; {where})" if where else f"{row['name']} ({code})"


def _in_reference(conn: sqlite3.Connection, code: str | None = None, name: str | None = None) -> str:
    """After a miss: the Kemendagri villages meant that this database lacks, and how to add one."""
    from wksbm_cli import regions  # only on a miss: the region list stays out of the fast path

    present = {row[0] for row in conn.execute("SELECT code FROM villages WHERE code IS NOT NULL")}
    if code is not None:
        region = regions.lookup(code)
        found = [region] if region else []
    else:
        # Nearest first: the kecamatan and kabupaten this database already covers.
        near = {c[:8] for c in present} | {c[:5] for c in present}
        found = [v for v in regions.villages_named(name, near, limit=None)[0] if v.code not in present]
        if not found and near:
            found = [v for v in regions.close_villages(name, {c[:5] for c in present}) if v.code not in present]
    if not found:
        return ""
    shown = ", ".join(f"{v.name} ({v.code}, {v.kecamatan}, {v.kabupaten})" for v in found[:3])
    if len(found) > 3:
        shown = ngettext("{villages} and {count} more", "{villages} and {count} more", len(found) - 3).format(
            villages=shown, count=len(found) - 3)
    return _("in the Kemendagri list but not in this database: {villages}: add it with `{command}`").format(
        villages=shown, command=f"wksbm village add --code {found[0].code}")


def _did_you_mean(names: list[str]) -> str:
    if not names:
        return ""
    return _("did you mean {names}?").format(names=either([f"'{name}'" for name in dict.fromkeys(names)]))


def _clauses(*clauses: str) -> str:
    """An error's sentence and the hints after it, each a whole message: `no village named 'X'; did you mean 'Y'?`."""
    return "; ".join(clause for clause in clauses if clause)

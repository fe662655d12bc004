"""Reference tables: the 26 PMKS categories and the institution types (users may add types)."""

import re
import sqlite3
from typing import Any

from wksbm_cli.errors import Conflict, Invalid
from wksbm_cli.i18n import _
from wksbm_cli.text import clean

CATEGORY_COLUMNS = ["number", "code", "name_id", "name_en"]
TYPE_COLUMNS = ["code", "name_id", "name_en", "builtin"]


def list_categories(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The PMKS categories in their official order."""
    return [dict(row) for row in conn.execute("SELECT * FROM pmks_categories ORDER BY number")]


def list_types(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Institution types: the built-in ones first, then those users added."""
    sql = "SELECT code, name_id, name_en, builtin FROM institution_types ORDER BY builtin DESC, rowid"
    return [{**dict(row), "builtin": bool(row["builtin"])} for row in conn.execute(sql)]


def add_type(conn: sqlite3.Connection, code: str, name_id: str, name_en: str | None = None) -> dict[str, Any]:
    """Add an institution type with a short lower-case code such as `bank-sampah`."""
    code = code.strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", code):
        raise Invalid(_("a type code is lower-case letters, digits and '-'"), field="code", value=code)
    if not clean(name_id):
        raise Invalid(_("a type needs its Indonesian name"), field="name")
    if conn.execute("SELECT 1 FROM institution_types WHERE code = ?", [code]).fetchone():
        raise Conflict(_("institution type {code} already exists").format(code=code))
    conn.execute(
        "INSERT INTO institution_types (code, name_id, name_en, builtin) VALUES (?, ?, ?, 0)",
        [code, clean(name_id), clean(name_en)],
    )
    return {"code": code, "name_id": clean(name_id), "name_en": clean(name_en), "builtin": False}

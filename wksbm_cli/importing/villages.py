"""Importing villages: matched by code, else by normalised name; new ones via complete_village."""

from typing import Any

from wksbm_cli.errors import Invalid
from wksbm_cli.i18n import _
from wksbm_cli.i18n import _
from wksbm_cli.importing.batch import Item, Kind
from wksbm_cli.importing.failures import village_keys
from wksbm_cli.importing.rules import FieldRules
from wksbm_cli.services.villages import complete_village, prepare_village

_BLANK = (None, "")
_FIELDS = ("code", "name", "kecamatan", "kabupaten", "formed_on", "decree", "notes")


class VillageKind(Kind):
    """Villages: few rows, so each is matched with a query of its own."""

    table = "villages"
    columns = ("code", "name", "name_key", "kecamatan", "kabupaten", "formed_on", "decree", "notes")

    def __init__(self, conn, warn):
        super().__init__(conn, warn)
        self.rules = FieldRules(lambda _owner, values: prepare_village(values), remembered={"kecamatan", "kabupaten"})

    def prepare(self, record: dict[str, Any]) -> Item:
        given = {name: value for name in _FIELDS if (value := record.get(name)) not in _BLANK}
        row = self.rules(None, given)
        key = ("code", row["code"]) if row.get("code") else ("name", row.get("name_key"))
        if key[1] is None:
            raise Invalid(_("a village row needs a name or a code"), field="name")
        return Item(0, row, key, given)

    def find(self, items: list[Item]) -> dict[tuple, Any]:
        """Set-based: by code where the row has one; else (or a code not stored) by name among villages."""
        import json

        codes = sorted({item.key[1] for item in items if item.key[0] == "code"})
        found = {("code", row["code"]): row for row in self.conn.execute(
            "SELECT * FROM villages WHERE code IN (SELECT value FROM json_each(?))", [json.dumps(codes)])}
        wanted = sorted({item.row["name_key"] for item in items if item.key not in found and item.row.get("name_key")})
        by_name: dict[str, list] = {}
        for row in self.conn.execute("SELECT * FROM villages WHERE name_key IN (SELECT value FROM json_each(?))",
                                     [json.dumps(wanted)]):
            by_name.setdefault(row["name_key"], []).append(row)
        for item in items:
            if item.key in found or not item.row.get("name_key"):
                continue
            rows = by_name.get(item.row["name_key"], [])
            if item.key[0] == "code":
                rows = [row for row in rows if not row["code"]]  # a row with a code matches no other code
            if len(rows) == 1:
                found[item.key] = rows[0]
            elif rows:
                options = ", ".join(f"{row['name']} ({row['code'] or '-'})" for row in rows)
                found[item.key] = Invalid(_("'{name}' matches {count} villages: {options}; give the code instead")
                                          .format(name=item.row["name"], count=len(rows), options=options),
                                          field="name", value=item.row["name"])
        return found

    def new_row(self, item: Item, label: str) -> dict[str, Any]:
        row, warnings = complete_village(item.given)
        for warning in warnings:
            self.warn(f"{label}:{item.line}: {warning}")
        return row

    def describe(self, item: Item) -> tuple[str, Any]:
        return ("code", item.row["code"]) if item.row.get("code") else ("name", item.row.get("name"))

    def failed_keys(self, row: dict[str, Any]) -> list[tuple]:
        return village_keys(row.get("code"), row.get("name"))

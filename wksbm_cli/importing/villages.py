"""Importing villages: matched by code, else by normalised name; new ones via complete_village."""

from typing import Any

from wksbm_cli.errors import Ambiguous, Invalid, WksbmError
from wksbm_cli.i18n import _
from wksbm_cli.importing.batch import Item, Kind
from wksbm_cli.importing.rules import FieldRules
from wksbm_cli.resolve import resolve_village
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
        found = {}
        for item in items:
            row = None
            if item.key[0] == "code":
                row = self.conn.execute("SELECT * FROM villages WHERE code = ?", [item.key[1]]).fetchone()
            if row is None and item.row.get("name"):
                row = self._by_name(item)
            if row is not None:
                found[item.key] = row
        return found

    def _by_name(self, item: Item):
        """A village of that name, unless both it and the row have codes (then they differ)."""
        try:
            row = resolve_village(self.conn, item.row["name"])
        except Ambiguous as error:
            return Invalid(str(error), field="name", value=item.row["name"])
        except WksbmError:
            return None
        if row["code"] and item.row.get("code"):
            return None
        return row

    def new_row(self, item: Item, label: str) -> dict[str, Any]:
        row, warnings = complete_village(item.given)
        for warning in warnings:
            self.warn(f"{label}:{item.line}: {warning}")
        return row

    def describe(self, item: Item) -> tuple[str, Any]:
        return ("code", item.row["code"]) if item.row.get("code") else ("name", item.row.get("name"))

"""Importing institutions: matched by (village, normalised name)."""

from typing import Any

from wksbm_cli.errors import Invalid
from wksbm_cli.i18n import _
from wksbm_cli.importing.batch import Item, Kind
from wksbm_cli.importing.rules import FieldRules, Villages
from wksbm_cli.services.institutions import prepare_institution
from wksbm_cli.text import clean, name_key

_BLANK = (None, "")
_FIELDS = ("name", "type", "leader", "members", "joined_on", "notes")


class InstitutionKind(Kind):
    """Institutions of villages already stored (or imported in the same call)."""

    table = "institutions"
    columns = ("village_id", "name", "name_key", "type", "leader", "members", "joined_on", "notes")

    def __init__(self, conn, warn, villages: Villages):
        super().__init__(conn, warn)
        self.villages = villages
        self.rules = FieldRules(lambda _owner, values: prepare_institution(conn, values),
                                remembered={"type", "members", "joined_on"})

    def prepare(self, record: dict[str, Any]) -> Item:
        village = self.villages.find(record)
        given = {name: value for name in _FIELDS if (value := record.get(name)) not in _BLANK}
        row = self.rules(village, given)
        if not row.get("name"):
            raise Invalid(_("an institution needs a name"), field="name")
        row["village_id"] = village["id"]
        return Item(0, row, (village["id"], row["name_key"]), given)

    def find(self, items: list[Item]) -> dict[tuple, Any]:
        found = {}
        for item in items:
            row = self.conn.execute(
                "SELECT * FROM institutions WHERE village_id = ? AND name_key = ?", list(item.key)
            ).fetchone()
            if row is not None:
                found[item.key] = row
        return found

    def failed_keys(self, row: dict[str, Any]) -> list[tuple]:
        name = clean(row.get("name"))
        if name is None:
            return []
        village_id = row.get("village_id")
        if village_id is None:
            try:
                village_id = self.villages.find(row)["id"]
            except Invalid:  # its village is not found either: that is what a reference to it will say
                return []
        return [("institutions", village_id, name_key(name))]

    def new_row(self, item: Item, label: str) -> dict[str, Any]:
        if not item.row.get("type"):
            raise Invalid(_("a new institution needs its type (see `wksbm types`)"), field="type")
        return item.row

"""Importing activities: matched by (village, date, kind, normalised title)."""

import json
from typing import Any

from wksbm_cli.errors import Invalid
from wksbm_cli.i18n import _, each
from wksbm_cli.importing.batch import Item, Kind
from wksbm_cli.importing.rules import FieldRules, Villages
from wksbm_cli.services.activities import prepare_activity
from wksbm_cli.text import name_key

_BLANK = (None, "")
_FIELDS = ("held_on", "kind", "institution", "title", "attendees", "notes")


class ActivityKind(Kind):
    """Activities, matched a chunk at a time through the (village_id, held_on) index."""

    table = "activities"
    institution_field = "institution"
    columns = ("village_id", "institution_id", "kind", "held_on", "title", "attendees", "notes")

    def __init__(self, conn, warn, villages: Villages):
        super().__init__(conn, warn)
        self.villages = villages
        self.rules = FieldRules(lambda village, values: prepare_activity(conn, village, values),
                                remembered={"held_on", "kind", "institution", "attendees"},
                                per_owner={"institution"})

    def prepare(self, record: dict[str, Any]) -> Item:
        village = self.villages.find(record)
        given = {name: value for name in _FIELDS if (value := record.get(name)) not in _BLANK}
        row = self.rules(village, given)
        row["village_id"] = village["id"]
        missing = [name for name in ("held_on", "kind") if not row.get(name)]
        if missing:
            raise Invalid(_("an activity needs its {fields}").format(fields=each(missing)), field=missing[0])
        key = (village["id"], row["held_on"], row["kind"], name_key(row.get("title") or ""))
        return Item(0, row, key, given)

    def find(self, items: list[Item]) -> dict[tuple, Any]:
        keys = json.dumps(sorted({item.key[:3] for item in items}))
        rows = self.conn.execute(
            """SELECT a.* FROM json_each(?) AS k
               JOIN activities AS a ON a.village_id = k.value ->> 0 AND a.held_on = k.value ->> 1
                                   AND a.kind = k.value ->> 2""",
            [keys],
        )
        return {(row["village_id"], row["held_on"], row["kind"], name_key(row["title"] or "")): row for row in rows}

    def describe(self, item: Item) -> tuple[str, Any]:
        return "held_on", item.row["held_on"]

"""What is merged of each kind of record: its fields, what they refer to, how people name it."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Kind:
    """One merged table: `fields` are merged field by field; `refs` are integer ids remapped by uid."""

    table: str
    fields: tuple[str, ...]
    refs: dict[str, str] = field(default_factory=dict)  # column -> the table it refers to
    keys: dict[str, str] = field(default_factory=dict)  # a field -> its stored normalised key column
    derived: tuple[str, ...] = ()  # stored, but computed by the merge (a case's status from its events)
    required: tuple[str, ...] = ()  # refs a record cannot be without
    label: str = "t.uid"  # SQL naming record `t` of this table for people


VILLAGES = Kind(
    "villages", ("code", "name", "kecamatan", "kabupaten", "formed_on", "decree", "notes"),
    keys={"name": "name_key"},
    label="t.name || coalesce(' (' || t.code || ')', '')",
)
INSTITUTIONS = Kind(
    "institutions", ("village_id", "name", "type", "leader", "members", "joined_on", "notes"),
    refs={"village_id": "villages"}, keys={"name": "name_key"}, required=("village_id",),
    label="t.name || ', ' || (SELECT v.name FROM {schema}.villages v WHERE v.id = t.village_id)",
)
ACTIVITIES = Kind(
    "activities", ("village_id", "institution_id", "kind", "held_on", "title", "attendees", "notes"),
    refs={"village_id": "villages", "institution_id": "institutions"}, required=("village_id",),
    label="t.held_on || ' ' || t.kind || coalesce(' ' || t.title, '') || ', ' || "
          "(SELECT v.name FROM {schema}.villages v WHERE v.id = t.village_id)",
)
CASES = Kind(
    "cases", ("ref", "village_id", "category", "person_name", "nik", "gender", "birth_year", "reported_on",
              "handled_by", "notes"),
    refs={"village_id": "villages", "handled_by": "institutions"}, keys={"person_name": "person_key"},
    derived=("status", "resolved_on"), required=("village_id",), label="t.ref",
)
EVENTS = Kind(
    "case_events", ("case_id", "on_date", "old_status", "new_status", "note"),
    refs={"case_id": "cases"}, required=("case_id",),
    label="(SELECT c.ref FROM {schema}.cases c WHERE c.id = t.case_id) || ' ' || t.on_date",
)

# In the order they are merged (a record after what it refers to).
MERGED = (VILLAGES, INSTITUTIONS, ACTIVITIES, CASES)
BY_TABLE = {kind.table: kind for kind in (*MERGED, EVENTS)}
# The report's kinds, in its order.
REPORTED = ("villages", "institutions", "activities", "cases", "case_events")


def label_sql(kind: Kind, schema: str = "main") -> str:
    """SQL naming record `t` of `kind` in `schema`."""
    return kind.label.replace("{schema}", schema)

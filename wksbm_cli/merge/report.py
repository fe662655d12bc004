"""What a merge did: counts per kind, then the conflicts, possible duplicates and renamed refs."""

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from wksbm_cli.merge.kinds import REPORTED

COUNTS = ("inserted", "updated", "unchanged", "linked", "conflicts")


@dataclass
class Report:
    """Filled in by the engine as it merges each file; `as_dict` is the SPEC's JSON shape."""

    files: list[str]
    kinds: dict[str, dict[str, int]] = field(default_factory=lambda: {k: dict.fromkeys(COUNTS, 0) for k in REPORTED})
    conflict_ids: list[int] = field(default_factory=list)
    renamed_refs: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    new_cases: list[int] = field(default_factory=list)  # ids here of the cases the current file brought
    changed: dict[str, set[int]] = field(default_factory=dict)  # ids here that took a change, by table

    def kind(self, table: str) -> dict[str, int]:
        return self.kinds[table]

    def as_dict(self, conn: sqlite3.Connection) -> dict[str, Any]:
        from wksbm_cli.merge.conflicts import conflict_rows

        conflicts = [
            {key: row[key] for key in ("id", "kind", "record", "field", "here", "incoming", "source")}
            for row in conflict_rows(conn, self.conflict_ids)
        ]
        return {"files": self.files, "kinds": self.kinds, "conflicts": conflicts,
                "duplicates": self.duplicates, "renamed_refs": self.renamed_refs}


def find_duplicates(conn: sqlite3.Connection, case_ids: list[int], source_file: str) -> list[dict[str, Any]]:
    """Cases just brought in that may be the same person as another case: same NIK, or same village,
    category and person. Reported for a person to review, never merged; NIK masked."""
    import json

    from wksbm_cli.fields import mask_nik

    if not case_ids:
        return []
    rows = conn.execute(
        """SELECT n.ref AS record, o.ref AS other, n.uid AS record_uid, o.uid AS other_uid,
                  CASE WHEN n.nik IS NOT NULL AND n.nik = o.nik THEN 'nik' ELSE 'village, category, person' END AS match,
                  n.nik AS nik, n.person_name AS person_name, v.name AS village
           FROM main.cases n JOIN main.cases o ON o.id != n.id
                AND ((n.nik IS NOT NULL AND o.nik = n.nik)
                     OR (o.village_id = n.village_id AND o.category = n.category AND o.person_key = n.person_key))
           JOIN main.villages v ON v.id = n.village_id
           WHERE n.id IN (SELECT value FROM json_each(?)) ORDER BY n.ref, o.ref""",
        [json.dumps(case_ids)],
    ).fetchall()
    new = set(case_ids)
    found = []
    for row in rows:
        other_new = conn.execute("SELECT id FROM main.cases WHERE uid = ?", [row["other_uid"]]).fetchone()[0] in new
        if other_new and row["record_uid"] < row["other_uid"]:
            continue  # both just came in: name the pair once
        found.append({"kind": "cases", "record": row["record"], "other": row["other"], "match": row["match"],
                      "nik": mask_nik(row["nik"]), "person_name": row["person_name"], "village": row["village"],
                      "source": source_file})
    return found

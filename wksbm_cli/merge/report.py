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
    # The file's new cases in an indexed temp table, and the database's cases read once against it
    # (by NIK, then by village, category and person): one pass per file, not one scan per case.
    conn.execute("DROP TABLE IF EXISTS temp.merge_new_cases")
    conn.execute("""CREATE TABLE temp.merge_new_cases AS
                    SELECT id, uid, ref, nik, person_name, village_id, category, person_key FROM main.cases
                    WHERE id IN (SELECT value FROM json_each(?))""", [json.dumps(case_ids)])
    conn.execute("CREATE INDEX temp.merge_new_cases_nik ON merge_new_cases(nik)")
    conn.execute("CREATE INDEX temp.merge_new_cases_person ON merge_new_cases(village_id, person_key, category)")
    select = """SELECT n.ref AS record, o.ref AS other, n.uid AS record_uid, o.uid AS other_uid, '{match}' AS match,
                       n.nik AS nik, n.person_name AS person_name,
                       (SELECT v.name FROM main.villages v WHERE v.id = n.village_id) AS village
                FROM main.cases o CROSS JOIN temp.merge_new_cases n ON o.id != n.id AND {on}"""
    by_nik = select.format(match="nik", on="o.nik IS NOT NULL AND n.nik = o.nik")
    by_person = select.format(match="village, category, person", on="n.village_id = o.village_id "
                              "AND n.person_key = o.person_key AND n.category = o.category AND o.nik IS NOT n.nik")
    rows = conn.execute(f"{by_nik} UNION ALL {by_person} ORDER BY record, other").fetchall()
    conn.execute("DROP TABLE temp.merge_new_cases")
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

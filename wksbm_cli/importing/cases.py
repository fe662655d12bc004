"""Importing PMKS cases: matched by ref, else by (village, category, person, NIK).

New cases get generated refs (KS-YEAR-NNNN) without a query per row; a case whose status is not
`reported` gets the one event `wksbm case add` gives it, and a status changed by a re-import
gets an event too.
"""

import json
import re
from bisect import bisect_right
from functools import partial
from itertools import count, repeat
from typing import Any

from wksbm_cli import records
from wksbm_cli.dates import today
from wksbm_cli.errors import Invalid
from wksbm_cli.fields import nik_gender, niks_ok, refuse_number
from wksbm_cli.i18n import _
from wksbm_cli.importing.batch import Item, Kind
from wksbm_cli.importing.columns import ColumnWatch
from wksbm_cli.importing.rules import FieldRules, Villages
from wksbm_cli.services.cases import (
    QUICK_CASE_FIELDS, add_event, case_ref_prefix, check_person, check_resolution, next_case_ref, parse_ref,
    prepare_case_field,
)
from wksbm_cli.text import clean, name_key

_FIELDS = ("category", "person_name", "nik", "gender", "birth_year", "reported_on", "status",
           "handled_by", "resolved_on", "notes")
_GENERATED = re.compile(r"KS-(\d{4})-(?:[0-9A-Z]{4}-)?(\d+)")


class CaseKind(Kind):
    """Cases: the bulk of most imports, so everything here is done a chunk at a time."""

    table = "cases"
    institution_field = "handled_by"
    columns = ("ref", "village_id", "category", "person_name", "person_key", "nik", "gender", "birth_year",
               "reported_on", "status", "handled_by", "resolved_on", "notes")

    def __init__(self, conn, warn, villages: Villages):
        super().__init__(conn, warn)
        self.villages = villages
        self.rules = FieldRules(
            rule=partial(prepare_case_field, conn),
            remembered={"category", "gender", "birth_year", "reported_on", "status", "handled_by", "resolved_on"},
            per_owner={"handled_by"},
            quick=QUICK_CASE_FIELDS,
        )
        self.last_number: dict[str, int] = {}  # year -> the last KS-YEAR-NNNN number in use
        self.prefixes: dict[str, str] = {}  # year -> its generated refs' prefix (with the database's code)
        self.generated = GeneratedRefs()  # refs this import made up (a later row may claim one)
        self.masked_warned = False
        self.indexed: set[int] | None = None  # villages whose cases are in temp.import_case_keys
        self.had_cases: dict[int, bool] = {}  # village id -> whether it had cases before this import
        self.seen_keys = SeenKeys()  # the person keys this import gave: a later row may repeat one

    def prepare(self, record: dict[str, Any]) -> Item:
        village = self.villages.find(record)
        nik = record.get("nik")
        if nik and "*" in str(nik):
            record = {**record, "nik": None}  # a masked NIK from an export: keep what is stored
            if not self.masked_warned:
                self.masked_warned = True
                self.warn(_("masked NIKs (from an export without --show-pii) are ignored: stored NIKs stay as they are"))
        row = self.rules(village, record, _FIELDS)
        row["village_id"] = village_id = village["id"]
        ref = record.get("ref")
        if ref is not None and ref != "":
            try:
                refuse_number(ref, "ref")
            except Invalid as error:
                raise error.at("ref") from None
        if ref and (ref := clean(ref)) is not None:
            row["ref"] = _checked_ref(ref)
            return Item(0, row, ("ref", row["ref"]))
        if not row.get("person_name"):
            raise Invalid(_("a case without a ref needs the person's name"), field="person_name")
        if not row.get("category"):
            raise Invalid(_("a case without a ref needs its PMKS category"), field="category")
        return Item(0, row, ("person", village_id, row["category"], row["person_key"], row.get("nik")))

    def find(self, items: list[Item]) -> dict[tuple, Any]:
        found = {}
        refs = [item.key[1] for item in items if item.key[0] == "ref"]
        if refs:
            for ref in refs:  # first: a case renumbered below must not take a ref given in this chunk
                self._note_ref(ref)
            sql = "SELECT * FROM cases WHERE ref IN (SELECT value FROM json_each(?))"
            for row in self.conn.execute(sql, [json.dumps(refs)]).fetchall():
                if row["ref"] in self.generated:
                    self._give_new_ref(row)  # a row claims a ref this import made up: renumber ours
                else:
                    found[("ref", row["ref"])] = row
        people = [item.key for item in items if item.key[0] == "person"]
        if people:
            found.update(self._find_people(people))
        return found

    def _find_people(self, people: list[tuple], note: bool = True) -> dict[tuple, Any]:
        """The stored cases matching these person keys (("person", village id, category, person key, NIK)).

        `note`: remember the keys as given by this import (else the caller does, once it has stored them).
        """
        found = {}
        # A case can match one stored before this import (only in villages that had cases then)
        # or one this import added (only if its key's hash was seen): most rows need no query.
        had_cases = {village_id for village_id in {key[1] for key in people} if self._had_cases(village_id)}
        before = sorted({key[1:4] for key in people if key[1] in had_cases}) if had_cases else []
        if before:
            self._index_villages({village_id for village_id, _, _ in before})
            sql = """SELECT c.* FROM json_each(?) AS k
                     JOIN temp.import_case_keys AS x ON x.village_id = k.value ->> 0
                          AND x.person_key = k.value ->> 2 AND x.category = k.value ->> 1
                     JOIN cases AS c ON c.id = x.case_id"""
            for row in self.conn.execute(sql, [json.dumps(before)]):
                found.setdefault(_person_key(row), row)
        maybe = self.seen_keys.add_and_report(people) if note else self.seen_keys.report(people)
        again = sorted({key[1:4] for key in maybe})
        if again:
            sql = """SELECT c.* FROM json_each(?) AS k JOIN cases AS c ON c.village_id = k.value ->> 0
                     AND c.person_key = k.value ->> 2 AND c.category = k.value ->> 1 AND c.id >= ?"""
            for row in self.conn.execute(sql, [json.dumps(again), self.first_new_id]):
                found.setdefault(_person_key(row), row)
        return found

    def store_chunk(self, rows: list, fields: list[str] | None, watch: ColumnWatch) -> bool:
        """Store rows column by column if every one is a new case in the common shape, else store nothing.

        The common shape: text cells, no ref, every field passing its rule (judged as prepare() does,
        a remembered field once per value), a report date, a resolution date only for a resolved
        case, a NIK agreeing with the gender and birth year, and no row matching a stored case or
        another row. Such rows are stored as prepare(), find(), new_row() and insert() would store
        them, without a dict or an Item per row. Any other chunk goes row by row, which says what
        is wrong where.
        """
        if watch.dates or set(map(type, rows)) != ({dict} if fields is None else {list}):
            return False
        chunk = _Records(rows, fields)
        column = chunk.column
        refs = column("ref")
        if refs.count(None) + refs.count("") < len(refs):  # a ref (even a JSON 0, which prepare() refuses)
            return False
        village_ids, villages = self._chunk_villages(chunk)
        if village_ids is None:
            return False
        rules, owner = self.rules, villages[village_ids[0]]
        categories = rules.column("category", column("category"), owner)
        if categories is None or None in categories:
            return False
        names, keys = _names(column("person_name"))
        niks = _niks(column("nik"))
        reported = rules.column("reported_on", column("reported_on"), owner)
        if names is None or niks is None or reported is None or None in reported:
            return False
        genders = rules.column("gender", column("gender"), owner)
        years = rules.column("birth_year", column("birth_year"), owner)
        statuses = rules.column("status", column("status"), owner)
        handled = rules.column("handled_by", column("handled_by"), owner, village_ids, villages)
        resolved = rules.column("resolved_on", column("resolved_on"), owner)
        notes = _notes(column("notes"))
        if any(values is None for values in (genders, years, statuses, handled, resolved, notes)):
            return False
        if None in statuses:
            statuses = ["reported" if status is None else status for status in statuses]
        if not _resolutions_ok(statuses, resolved, reported) or not _people_ok(niks, genders, years):
            return False
        people = list(zip(repeat("person"), village_ids, categories, keys, niks))
        if len(set(people)) < len(people) or self._find_people(people, note=False):
            return False
        self._store({"ref": self._new_refs(reported), "village_id": village_ids, "category": categories,
                     "person_name": names, "person_key": keys, "nik": niks, "gender": genders, "birth_year": years,
                     "reported_on": reported, "status": statuses, "handled_by": handled, "resolved_on": resolved,
                     "notes": notes})
        watch.niks_passed([nik for nik in niks if nik is not None])
        self.seen_keys.update(people)
        return True

    def _chunk_villages(self, chunk: "_Records") -> tuple[list | None, dict]:
        """Each row's village id, and the village of each id; (None, {}) if a row names no village found."""
        named = [code or name for code, name in zip(chunk.column("village_code"), chunk.column("village"))]
        ids, villages = {}, {}
        try:
            distinct = dict.fromkeys(named)  # in the order of the rows: a miss is remembered as its first row names it
        except TypeError:  # an unhashable cell (JSON)
            return None, {}
        for value in distinct:
            if value.__class__ is not str or not value.strip():  # a blank code: the name decides, row by row
                return None, {}
            try:
                village = self.villages.find(chunk[named.index(value)])
            except Invalid:
                return None, {}
            ids[value], villages[village["id"]] = village["id"], village
        return list(map(ids.__getitem__, named)), villages

    def _new_refs(self, reported: list[str]) -> list[str]:
        """_next_ref() for each new case, reported on these dates, in order."""
        years = [on[:4] for on in reported]
        numbers, prefixes, firsts = self.last_number, {}, {}
        for year in set(years):
            self._start_year(year)
            prefixes[year] = self._prefix(year)
            firsts[year] = numbers[year] + 1
        made = {year: map(f"{prefixes[year]}%04d".__mod__, count(first)) for year, first in firsts.items()}
        refs = [next(made[year]) for year in years]
        for year, first in firsts.items():
            numbers[year] = first + years.count(year) - 1
            self.generated.add_run(prefixes[year][:-1], first, numbers[year])
        return refs

    def _had_cases(self, village_id: int) -> bool:
        had = self.had_cases.get(village_id)
        if had is None:
            sql = "SELECT EXISTS (SELECT 1 FROM cases WHERE village_id = ? AND id < ?)"
            had = self.had_cases[village_id] = bool(self.conn.execute(sql, [village_id, self.first_new_id]).fetchone()[0])
        return had

    def _index_villages(self, village_ids: set[int]) -> None:
        """Copy the people keys of these villages' stored cases into a temporary index, once per village.

        Matching a case without a ref looks it up by village and person; the stored indexes
        cannot answer that without scanning the village's cases, for every row.
        """
        if self.indexed is None:
            self.conn.execute("DROP TABLE IF EXISTS temp.import_case_keys")
            self.conn.execute("""CREATE TEMP TABLE import_case_keys (
                village_id INTEGER, person_key TEXT, category TEXT, case_id INTEGER)""")
            self.conn.execute("CREATE INDEX temp.import_case_keys_person ON import_case_keys (village_id, person_key)")
            self.indexed = set()
        for village_id in village_ids - self.indexed:
            self.conn.execute(
                """INSERT INTO temp.import_case_keys
                   SELECT village_id, person_key, category, id FROM cases WHERE village_id = ? AND id < ?""",
                [village_id, self.first_new_id],
            )
            self.indexed.add(village_id)

    def new_row(self, item: Item, label: str) -> dict[str, Any]:
        row = item.row
        if not row.get("reported_on"):
            raise Invalid(_("a new case needs the date it was reported"), field="reported_on")
        for name in ("category", "person_name"):
            if not row.get(name):
                raise Invalid(_("a new case needs its PMKS category") if name == "category" else _("a new case needs the person's name"),
                              field=name)
        status = row.get("status")
        if not status:
            row["status"] = status = "reported"
        if status == "resolved" or row.get("resolved_on"):  # else check_resolution has nothing to refuse
            check_resolution(row)
        if row.get("nik"):
            check_person(row)
        if "ref" not in row:
            row["ref"] = self._next_ref(row["reported_on"][:4])
        return row

    def changes(self, stored, item: Item) -> dict[str, Any]:
        changes = super().changes(stored, item)
        changes.pop("ref", None)
        if "status" in changes and changes["status"] != "resolved":
            changes["resolved_on"] = None
        merged = {**dict(stored), **changes}
        check_resolution(merged)
        if {"nik", "gender", "birth_year"} & changes.keys():
            check_person(merged)
        return changes

    def update(self, stored, changes: dict[str, Any]) -> None:
        super().update(stored, changes)
        if "status" in changes:
            on = changes.get("resolved_on") or today()
            add_event(self.conn, stored["id"], on, stored["status"], changes["status"], "changed by import")

    def insert(self, rows: list[dict[str, Any]]) -> None:
        self._store({name: [row.get(name) for row in rows] for name in self.columns})

    def _store(self, columns: dict[str, list]) -> None:
        """Insert new cases given column by column (every stored column but the id), and their first events."""
        # Ids given explicitly (the next free ones: this transaction is the only writer), so the
        # events below need no query to find their cases.
        first = (self.conn.execute("SELECT max(id) FROM cases").fetchone()[0] or 0) + 1
        statuses, reported, resolved = columns["status"], columns["reported_on"], columns["resolved_on"]
        ids = range(first, first + len(statuses))
        records.insert_columns(self.conn, "cases", {"id": ids, **columns}, import_id=self.import_id)
        # As `case add` does: a case given in another status was reported first, then moved on.
        started = [at for at, status in enumerate(statuses) if status != "reported"]
        records.insert_columns(self.conn, "case_events", {
            "case_id": [first + at for at in started],
            "on_date": [resolved[at] or reported[at] for at in started],
            "old_status": ["reported"] * len(started),
            "new_status": [statuses[at] for at in started],
        }, import_id=self.import_id)

    def aliases(self, item: Item) -> list[tuple]:
        """A new case given with a ref is also its person's: a later row without a ref for that person repeats it."""
        if item.key[0] != "ref":
            return []
        row = item.row
        person = ("person", row["village_id"], row["category"], row["person_key"], row.get("nik"))
        self.seen_keys.update([person])  # for the rows of later chunks (find() confirms with a query)
        return [person]

    def describe(self, item: Item) -> tuple[str, Any]:
        if item.key[0] == "ref":
            return "ref", item.key[1]
        return "person_name", item.row.get("person_name")

    def _next_ref(self, year: str) -> str:
        number = self.last_number.get(year)
        if number is None:
            self._start_year(year)
            number = self.last_number[year]
        self.last_number[year] = number = number + 1
        prefix = self.prefixes.get(year) or self._prefix(year)  # KS-2021- (or KS-2021-7QF3-)
        self.generated.add_number(prefix[:-1], number)
        return f"{prefix}{number:04d}"

    def _prefix(self, year: str) -> str:
        if year not in self.prefixes:
            self.prefixes[year] = case_ref_prefix(self.conn, year)
        return self.prefixes[year]

    def _note_ref(self, ref: str) -> None:
        """Refs given in the file in the generated form: numbering of new cases continues after them."""
        match = _GENERATED.fullmatch(ref)
        if match and ref.startswith(self._prefix(match[1])):
            self._start_year(match[1])
            self.last_number[match[1]] = max(self.last_number[match[1]], int(match[2]))

    def _start_year(self, year: str) -> None:
        """Numbering of a year's new cases starts after the refs stored (one query per year)."""
        if year not in self.last_number:
            self.last_number[year] = int(next_case_ref(self.conn, year).rsplit("-", 1)[1]) - 1

    def _give_new_ref(self, row) -> None:
        self.generated.discard(row["ref"])
        self.conn.execute("UPDATE cases SET ref = ? WHERE id = ?", [self._next_ref(row["ref"][3:7]), row["id"]])


class GeneratedRefs:
    """The refs an import made up, as runs of numbers per prefix: flat memory however many cases it adds.

    Made-up numbers count up from the last one in use, so they form a few runs (a new one only
    where a row's own ref in the same form jumped the count ahead); a set of a million refs would
    hold about 80 MiB.
    """

    def __init__(self):
        self.runs: dict[str, list[list[int]]] = {}  # prefix (KS-YEAR[-CODE]) -> [first, last] runs, ascending

    def add(self, ref: str) -> None:
        """Note a made-up ref (always above every number made up before it with its prefix)."""
        self.add_number(*_split(ref))

    def add_number(self, prefix: str, number: int) -> None:
        """add() of a ref given as its parts: `KS-2021-0042` as ("KS-2021", 42)."""
        self.add_run(prefix, number, number)

    def add_run(self, prefix: str, first: int, last: int) -> None:
        """add_number() of every number from `first` to `last`."""
        runs = self.runs.get(prefix)
        if runs is None:
            runs = self.runs[prefix] = []
        if runs and runs[-1][1] == first - 1:
            runs[-1][1] = last
        else:
            runs.append([first, last])

    def __contains__(self, ref: str) -> bool:
        return self._run(ref) is not None

    def discard(self, ref: str) -> None:
        """Forget a made-up ref (a row claimed it; its case was renumbered)."""
        at = self._run(ref)
        if at is None:
            return
        prefix, number = _split(ref)
        runs = self.runs[prefix]
        first, last = runs[at]
        runs[at:at + 1] = [run for run in ([first, number - 1], [number + 1, last]) if run[0] <= run[1]]

    def _run(self, ref: str) -> int | None:
        prefix, number = _split(ref)
        runs = self.runs.get(prefix)
        if not runs or number < 0:
            return None
        at = bisect_right(runs, [number, float("inf")]) - 1
        return at if at >= 0 and runs[at][0] <= number <= runs[at][1] else None


def _split(ref: str) -> tuple[str, int]:
    """`KS-2021-0042` -> ("KS-2021", 42); a ref not ending in a number gives -1."""
    prefix, _, number = ref.rpartition("-")
    return prefix, int(number) if number.isdigit() else -1


class SeenKeys:
    """A set of keys in flat memory (a Bloom filter: 16 MiB, 2 bits per key): "maybe seen" or "not seen".

    A "maybe" is confirmed by a query, which reads the new cases of the key's village (no index
    has the person's key): at a million keys about 1 in 4,500 unseen keys is a false maybe. With
    2 bits in 4 MiB it was 1 in 300, and at a million rows those queries took half the import.
    """

    _BITS = 1 << 27

    def __init__(self):
        self.bits = bytearray(self._BITS // 8)

    def add_and_report(self, keys: list) -> list:
        """Add keys; return those that may have been added before (by an earlier call)."""
        maybe = self.report(keys)
        self.update(keys)
        return maybe

    def report(self, keys: list) -> list:
        """The keys that may have been added (none is added)."""
        bits, mask = self.bits, self._BITS - 1
        # The two bits of a key, written out (this runs for every row): the low 27 bits of its hash and the 27 above.
        return [key for key in keys
                if bits[((h := hash(key)) & mask) >> 3] >> (h & 7) & 1 and bits[((h >> 27) & mask) >> 3] >> ((h >> 27) & 7) & 1]

    def update(self, keys: list) -> None:
        """Add keys."""
        bits, mask = self.bits, self._BITS - 1
        for key in keys:
            h = hash(key)
            a = h & mask
            b = (h >> 27) & mask
            bits[a >> 3] |= 1 << (a & 7)
            bits[b >> 3] |= 1 << (b & 7)


def _person_key(row) -> tuple:
    return ("person", row["village_id"], row["category"], row["person_key"], row["nik"])


def _checked_ref(value: str) -> str:
    try:
        return parse_ref(value)
    except Invalid as error:
        raise error.at("ref") from None


def _names(values: list) -> tuple[list | None, list | None]:
    """(names, person keys) as the quick rule makes them of every value, or (None, None) if one is not in its shape."""
    try:
        joined = "\n".join(values)  # a blank (None) or a cell that is not text: TypeError
    except TypeError:
        return None, None
    if _guarded(joined) or "" in values:  # a blank name
        return None, None
    names = list(map(str.strip, values))
    keys = None
    if joined.isascii():  # name_key's fast path, for the whole column at once
        keys = "\n".join(names).lower().replace(" ", "").split("\n")
        if len(keys) != len(names):  # a name with a line break in it
            keys = None
        elif not "".join(keys).isalnum():
            keys = [key if key.isalnum() else name_key(name) for key, name in zip(keys, names)]
    if keys is None:
        keys = list(map(name_key, names))
    return (names, keys) if all(keys) else (None, None)


def _guarded(joined: str) -> bool:
    """Whether a value of a column (its values joined by line breaks) starts with ', a formula guard for the rule
    to take off (a value with a line break before a ' is one too many, and only costs the row-by-row path)."""
    return "\n'" in "\n" + joined


def _given(values: list) -> list:
    """The values that are not blank (None or "")."""
    return [value for value in values if value is not None and value != ""]


def _niks(values: list) -> list | None:
    """The NIK of each row (blank: None) if each is 16 digits that are a NIK, as typed; else None."""
    given = _given(values)
    if not given:
        return [None] * len(values)
    try:
        joined = "".join(given)
    except TypeError:
        return None
    if not (joined.isascii() and joined.isdigit() and set(map(len, given)) == {16} and niks_ok(given)):
        return None
    return [value or None for value in values]


def _notes(values: list) -> list | None:
    """The stored notes of each row, as the quick rule makes them; None if one is not text or starts with '."""
    given = _given(values)
    try:
        joined = "\n".join(given)
    except TypeError:
        return None
    if _guarded(joined):
        return None
    return [value.strip() or None if value else None for value in values]


def _resolutions_ok(statuses: list, resolved: list, reported: list) -> bool:
    """check_resolution() passes for every row: a resolution date exactly for a resolved case, not before its report."""
    if "resolved" not in statuses and not any(resolved):
        return True
    for status, resolved_on, reported_on in zip(statuses, resolved, reported):
        if resolved_on is None:
            if status == "resolved":
                return False
        elif status != "resolved" or resolved_on < reported_on:
            return False
    return True


def _people_ok(niks: list, genders: list, years: list) -> bool:
    """check_person() passes for every row: each NIK agrees with the gender and birth year given with it."""
    for nik, gender, year in zip(niks, genders, years):
        if nik is None:
            continue
        if gender is not None and nik_gender(nik) != gender:
            return False
        if year is not None and int(nik[10:12]) != year % 100:
            return False
    return True


class _Records:
    """A chunk's rows as store_chunk reads them: a column at a time, or one row as a dict."""

    def __init__(self, rows: list, fields: list[str] | None):
        self.rows, self.fields = rows, fields
        # Lists of cells: every column in one go (C loops), no dict per row.
        self.columns = None if fields is None else dict(zip(fields, zip(*rows)))

    def column(self, name: str):
        if self.columns is None:
            return [row.get(name) for row in self.rows]
        return self.columns.get(name) or (None,) * len(self.rows)

    def __getitem__(self, at: int) -> dict:
        row = self.rows[at]
        return row if self.fields is None else dict(zip(self.fields, row))

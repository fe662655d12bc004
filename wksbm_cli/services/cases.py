"""PMKS cases: opening them, following their status, and keeping every change as an event."""

import re
import sqlite3
from collections.abc import Iterator
from typing import Any

from wksbm_cli import records
from wksbm_cli.dates import parse_past_date, today
from wksbm_cli.errors import Conflict, Invalid, NotFound, checked
from wksbm_cli.fields import (
    mask_nik, nik_gender, nik_ok, parse_birth_year, parse_gender, parse_name, parse_nik, parse_status,
)
from wksbm_cli.i18n import N_, _, ngettext, shown_cell, shown_date
from wksbm_cli.printable import holds_nik
from wksbm_cli.resolve import resolve_category, resolve_institution, resolve_village
from wksbm_cli.text import clean, name_key

LIST_COLUMNS = [
    "ref", "village", "category", "person_name", "nik", "gender", "birth_year",
    "reported_on", "status", "handled_by", "resolved_on",
]
# On screen: who, what and where it stands (JSON/CSV carry every column).
TABLE_COLUMNS = ["ref", "village", "category", "person_name", "nik", "status", "reported_on"]
_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,39}")


def parse_ref(value: object) -> str:
    """A case reference: letters, digits and . _ / - (at most 40)."""
    text = str(value).strip()
    if not _REF.fullmatch(text):
        raise Invalid(_("a case ref is 1-40 letters, digits, '.', '_', '/' or '-'"), value=text)
    if holds_nik(text):  # a NIK typed in the wrong field: masked wherever the ref would be shown
        raise Invalid(_("16 digits in a row look like a NIK, which is masked wherever it is shown: give a NIK with "
                        "--nik (in a file, the nik column)"), value=text)
    return text


# One rule per user-given case field, each taking (conn, village, value) with value not blank.
_CASE_RULES = {
    "category": lambda conn, village, value: resolve_category(conn, value),
    "nik": lambda conn, village, value: parse_nik(value),
    "gender": lambda conn, village, value: parse_gender(value),
    "birth_year": lambda conn, village, value: parse_birth_year(value),
    "reported_on": lambda conn, village, value: parse_past_date(value),
    "resolved_on": lambda conn, village, value: parse_past_date(value),
    "status": lambda conn, village, value: parse_status(value),
    "handled_by": lambda conn, village, value: resolve_institution(conn, village, value)["id"],
}


def prepare_case_field(conn: sqlite3.Connection, village: sqlite3.Row, field: str, value: Any) -> dict[str, Any]:
    """The stored column(s) of one user-given case field of `village`; raises Invalid naming the field."""
    if field == "person_name":
        name, key = parse_name(value, "person_name", N_("a case needs the person's name"))
        return {"person_name": name, "person_key": key}
    rule = _CASE_RULES.get(field)
    if rule is None:
        return {field: clean(value)}
    if not clean(value):
        return {field: None}
    try:
        return {field: rule(conn, village, value)}
    except Invalid as error:
        raise error.at(field) from None


def _quick_name(value: str) -> dict[str, Any] | None:
    """What parse_name makes of a name with letters or digits in it."""
    name = value.strip()
    key = name_key(name)
    if key:
        return {"person_name": name, "person_key": key}
    return None


def _quick_nik(value: str) -> dict[str, Any] | None:
    """Sixteen ASCII digits that are a NIK, as typed (parse_nik's first test)."""
    if len(value) == 16 and value.isascii() and value.isdigit() and nik_ok(value):
        return {"nik": value}
    return None


def _quick_notes(value: str) -> dict[str, Any]:
    return {"notes": value.strip() or None}


# For import, which judges the fields that differ on every row once per row: the outcome
# prepare_case_field gives for the common shape of a text value, in one call; None leaves the
# value to prepare_case_field (and its messages for what is wrong). Text starting with ' (a
# formula guard to take off) never comes here.
QUICK_CASE_FIELDS = {"person_name": _quick_name, "nik": _quick_nik, "notes": _quick_notes}


def prepare_case(conn: sqlite3.Connection, village: sqlite3.Row, values: dict[str, Any]) -> dict[str, Any]:
    """Validate user-given case fields of `village` into stored values (no ref, no events)."""
    row: dict[str, Any] = {"village_id": village["id"]}
    for field, value in values.items():
        row.update(prepare_case_field(conn, village, field, value))
    return row


def check_resolution(row: dict[str, Any]) -> None:
    """A resolved case has a resolution date, not before its report; others have none."""
    if row.get("status") == "resolved" and not row.get("resolved_on"):
        raise Invalid(_("a resolved case needs its resolution date"), field="resolved_on")
    if row.get("resolved_on") and row.get("status") != "resolved":
        raise Invalid(_("only a resolved case has a resolution date (status is {status})").format(
            status=shown_cell("status", row.get("status"))), field="resolved_on")
    if row.get("resolved_on") and row["resolved_on"] < row["reported_on"]:
        raise Invalid(_("resolved before it was reported ({date})").format(date=shown_date(row["reported_on"])), field="resolved_on", value=row["resolved_on"])


def check_person(row: dict[str, Any]) -> None:
    """A NIK agrees with the gender and birth year given with it (day + 40 for women, YY of the birth year)."""
    nik, gender, year = row.get("nik"), row.get("gender"), row.get("birth_year")
    if not nik:
        return
    if gender and nik_gender(nik) != gender:
        reason = (_("the NIK is a woman's (40 added to its birth day): check the NIK or the gender") if gender == "L"
                  else _("the NIK is a man's (no 40 added to its birth day): check the NIK or the gender"))
        raise Invalid(reason, field="gender", value=gender)
    if year is not None and int(nik[10:12]) != year % 100:
        raise Invalid(_("the NIK's birth date is in a year ending in {yy}: check the NIK or the birth year").format(
            yy=nik[10:12]), field="birth_year", value=year)


def add_case(conn: sqlite3.Connection, village: str, ref: str | None = None, **values: Any) -> dict[str, Any]:
    """Open a case in `village`; a ref is generated when none is given."""
    row = prepare_case(conn, resolve_village(conn, village), values)
    row["reported_on"] = row.get("reported_on") or today()
    row["status"] = row.get("status") or "reported"
    check_resolution(row)
    check_person(row)
    if ref:
        row["ref"] = checked("ref", parse_ref, ref)
        if conn.execute("SELECT 1 FROM cases WHERE ref = ?", [row["ref"]]).fetchone():
            raise Conflict(_("a case with ref {ref} already exists").format(ref=row["ref"]))
    else:
        row["ref"] = next_case_ref(conn, row["reported_on"][:4])
    case_id = records.insert(conn, "cases", row)
    if row["status"] != "reported":
        # The case was reported first; record how it came to its given status.
        on = row.get("resolved_on") or row["reported_on"]
        add_event(conn, case_id, on, "reported", row["status"], None)
    return case_row(conn, row["ref"])


# The fields `case update` corrects besides the status (the user's names, as `case add` takes them).
CASE_FIELDS = ("village", "category", "person_name", "nik", "gender", "birth_year", "reported_on", "handled_by", "notes")
# What a case cannot be without: a blank value is refused with its reason (translated when shown).
_REQUIRED = {"village": N_("a case needs its village"), "category": N_("a case needs its PMKS category"),
             "person_name": N_("a case needs the person's name"), "reported_on": N_("a case needs its report date")}


def update_case(
    conn: sqlite3.Connection,
    ref: str,
    status: str | None = None,
    on: str | None = None,
    note: str | None = None,
    **fields: Any,
) -> tuple[dict[str, Any], bool]:
    """Change a case's status (kept as an event dated `on`) and/or correct its fields (CASE_FIELDS).

    A blank value clears an optional field. The history's rules hold: a report date after the first
    status change, or a handling institution of another village, is refused. Returns the case and
    whether anything changed.
    """
    case = _case(conn, ref)
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise Invalid(_("a case has no field {field}").format(field=sorted(unknown)[0]))
    if status is None and note:
        raise Invalid(_("a --note goes with a status change"))  # the reason names the option
    if status is None and on:
        raise Invalid(_("--on dates a status change: give --status too (or --reported-on to correct the report date)"))
    if status is None and not fields:
        raise Invalid(_("say what changes: --status, or a field such as --name, --nik, --village, --reported-on"))
    for field, reason in _REQUIRED.items():
        if field in fields and not clean(fields[field]):
            raise Invalid(_(reason), field=field)
    changes: dict[str, Any] = {}
    village = conn.execute("SELECT * FROM villages WHERE id = ?", [case["village_id"]]).fetchone()
    if "village" in fields:
        village = checked("village", lambda v: resolve_village(conn, v), fields.pop("village"))
        changes["village_id"] = village["id"]
    for field, value in fields.items():
        changes.update(prepare_case_field(conn, village, field, value))
    merged = {**dict(case), **changes}
    if merged["village_id"] != case["village_id"] and "handled_by" not in fields and case["handled_by"]:
        handler = conn.execute("SELECT name FROM institutions WHERE id = ?", [case["handled_by"]]).fetchone()
        raise Invalid(_("the case is handled by {institution} of another village: give --handled-by of {village} "
                        "(or --handled-by \"\" for none)").format(institution=handler["name"], village=village["name"]),
                      field="handled_by")
    if {"nik", "gender", "birth_year"} & set(changes):
        check_person(merged)
    if "reported_on" in changes:
        _check_report_date(conn, case, merged, typed=fields["reported_on"])
    if status is not None:
        new_status = checked("status", parse_status, status)
        on_date = checked("on", parse_past_date, on) if on else today()
        if new_status == case["status"]:
            raise Invalid(_("case {ref} is already {status}").format(ref=case["ref"], status=shown_cell("status", new_status)), field="status")
        _check_event_date(conn, merged, on_date, typed=on or on_date)
        changes["status"] = new_status
        changes["resolved_on"] = on_date if new_status == "resolved" else None
        add_event(conn, case["id"], on_date, case["status"], new_status, clean(note))
    changed = records.update(conn, "cases", case["id"], changes)
    return case_row(conn, case["ref"]), changed


def delete_case(conn: sqlite3.Connection, ref: str, with_history: bool = False) -> dict[str, Any]:
    """Delete a case entered by mistake; the audit log keeps it and its events.

    A case with status changes is part of the record reports are made from (a resolution counts
    toward a village's stage): refused unless `with_history`, which deletes its events too.
    """
    case = _case(conn, ref)
    changes = conn.execute("SELECT count(*) FROM case_events WHERE case_id = ?", [case["id"]]).fetchone()[0]
    if changes and not with_history:
        raise Conflict(ngettext(
            "case {ref} has {n} status change in its history, which past reports count: add --with-history to delete "
            "it too, or give the case --status closed if it no longer applies",
            "case {ref} has {n} status changes in its history, which past reports count: add --with-history to delete "
            "them too, or give the case --status closed if it no longer applies", changes).format(ref=case["ref"], n=changes))
    shown = case_row(conn, case["ref"])
    conn.execute("DELETE FROM case_events WHERE case_id = ?", [case["id"]])
    records.delete(conn, "cases", case["id"], _("case {ref}").format(ref=case["ref"]))
    return {**shown, "events_deleted": changes}


def add_event(conn: sqlite3.Connection, case_id: int, on: str, old: str | None, new: str, note: str | None) -> None:
    """Keep one status change of a case."""
    records.insert(
        conn, "case_events",
        {"case_id": case_id, "on_date": on, "old_status": old, "new_status": new, "note": note},
    )


def case_ref_prefix(conn: sqlite3.Connection, year: str) -> str:
    """What a year's generated refs start with: KS-2021-, or KS-2021-7QF3- in a database with a ref code.

    A database gets its code when `backup` makes it (a copy) or when it first merges another:
    refs made from then on never collide with another database's (SPEC section 10).
    """
    from wksbm_cli.merge.identity import ref_code

    code = ref_code(conn)
    return f"KS-{year}-{code}-" if code else f"KS-{year}-"


def next_case_ref(conn: sqlite3.Connection, year: str) -> str:
    """The next free generated ref for a year: KS-2021-0001, KS-2021-0002, … (KS-2021-7QF3-0001 with a code)"""
    prefix = case_ref_prefix(conn, year)
    row = conn.execute(
        "SELECT max(CAST(substr(ref, ?) AS INTEGER)) FROM cases WHERE ref GLOB ?",
        [len(prefix) + 1, prefix + "[0-9]*"],
    ).fetchone()
    return f"{prefix}{(row[0] or 0) + 1:04d}"


def list_cases(
    conn: sqlite3.Connection,
    village: str | None = None,
    category: str | None = None,
    status: str | None = None,
    show_pii: bool = False,
    ref: str | None = None,
) -> list[dict[str, Any]]:
    """Cases, newest report first; NIK masked unless `show_pii`."""
    return list(case_rows(conn, village, category, status, show_pii, ref))


def case_rows(
    conn: sqlite3.Connection,
    village: str | None = None,
    category: str | None = None,
    status: str | None = None,
    show_pii: bool = False,
    ref: str | None = None,
    limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Cases, newest report first, streamed (at most `limit`); NIK masked unless `show_pii`."""
    condition, params = _case_filter(conn, village, category, status, ref)
    sql = f"""SELECT c.id, c.uid, c.ref, v.name AS village, v.code AS village_code, c.village_id,
                     c.category, c.person_name, c.person_key, c.nik, c.gender, c.birth_year,
                     c.reported_on, c.status, i.name AS handled_by, c.resolved_on, c.notes,
                     c.created_at, c.updated_at
              FROM cases c JOIN villages v ON v.id = c.village_id
              LEFT JOIN institutions i ON i.id = c.handled_by
              {condition}
              ORDER BY c.reported_on DESC, c.ref {"LIMIT ?" if limit is not None else ""}"""
    for row in conn.execute(sql, [*params, limit] if limit is not None else params):
        row = dict(row)
        if not show_pii:
            row["nik"] = mask_nik(row["nik"])
        yield row


def count_cases(conn: sqlite3.Connection, village: str | None = None, category: str | None = None, status: str | None = None) -> int:
    """How many cases `case_rows` would give without a limit."""
    condition, params = _case_filter(conn, village, category, status, None)
    return conn.execute(f"SELECT count(*) FROM cases c {condition}", params).fetchone()[0]


def _case_filter(conn, village, category, status, ref) -> tuple[str, list[Any]]:
    where, params = [], []
    if village:
        where.append("c.village_id = ?")
        params.append(resolve_village(conn, village)["id"])
    if category:
        where.append("c.category = ?")
        params.append(checked("category", lambda v: resolve_category(conn, v), category))
    if status:
        where.append("c.status = ?")
        params.append(checked("status", parse_status, status))
    if ref is not None:
        where.append("c.ref = ?")
        params.append(ref)
    return ("WHERE " + " AND ".join(where) if where else ""), params


def case_row(conn: sqlite3.Connection, ref: str, show_pii: bool = False) -> dict[str, Any]:
    """One case as listed."""
    rows = list_cases(conn, ref=_case(conn, ref)["ref"], show_pii=show_pii)
    return rows[0]


def case_detail(conn: sqlite3.Connection, ref: str, show_pii: bool = False) -> dict[str, Any]:
    """One case and its history of status changes, oldest first."""
    case = case_row(conn, ref, show_pii)
    case["history"] = [
        dict(row)
        for row in conn.execute(
            """SELECT on_date, old_status, new_status, note FROM case_events
               WHERE case_id = ? ORDER BY on_date, id""",
            [case["id"]],
        )
    ]
    return case


def _case(conn: sqlite3.Connection, ref: str) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM cases WHERE ref = ? COLLATE NOCASE", [str(ref).strip()]).fetchone()
    if row is None:
        raise NotFound(_("no case with ref {ref}").format(ref=ref))
    return row


def _check_report_date(conn: sqlite3.Connection, case: sqlite3.Row, merged: dict[str, Any], typed: str) -> None:
    """A corrected report date still comes before the case's history and its resolution (an error shows it as typed)."""
    first = conn.execute("SELECT min(on_date) FROM case_events WHERE case_id = ?", [case["id"]]).fetchone()[0]
    if first and merged["reported_on"] > first:
        raise Invalid(_("the case's history starts on {date}: it cannot have been reported later").format(date=shown_date(first)),
                      field="reported_on", value=typed)
    if merged.get("resolved_on") and merged["reported_on"] > merged["resolved_on"]:
        raise Invalid(_("the case was resolved on {date}: it cannot have been reported later").format(date=shown_date(merged["resolved_on"])),
                      field="reported_on", value=typed)


def _check_event_date(conn: sqlite3.Connection, case, on: str, typed: str) -> None:
    if on < case["reported_on"]:
        raise Invalid(_("the case was only reported on {date}").format(date=shown_date(case["reported_on"])), field="on", value=shown_date(typed))
    last = conn.execute("SELECT max(on_date) FROM case_events WHERE case_id = ?", [case["id"]]).fetchone()[0]
    if last and on < last:
        raise Invalid(_("the case's last change was on {date}; history cannot go back").format(date=shown_date(last)), field="on", value=shown_date(typed))

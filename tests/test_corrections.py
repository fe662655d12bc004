"""Corrections (SPEC section 8): activities updated and deleted, any field of a case corrected, cases and
institutions deleted; each audited (seen through `wksbm log`), and refused where it would break references
or history."""

import json

import pytest

from helpers import query

WOMAN, MASKED = "3513134107450001", "351313********01"


def last_log(cli, count=1):
    """The newest `count` audit entries as `wksbm log --format json` gives them, oldest first."""
    result = cli("log", "--format", "json")
    assert result.exit_code == 0, result.output
    entries = sorted(json.loads(result.stdout), key=lambda entry: entry["at"])
    return entries[-count:]


@pytest.fixture
def meeting(besuk):
    result = besuk("activity", "add", "--village", "Randujalak", "--on", "12/01/2021", "--kind", "meeting",
                   "--title", "Rapat rutin", "--institution", "KUBE Sejahtera", "--attendees", "23")
    assert result.exit_code == 0, result.output
    [row] = besuk.json("activity", "list")
    return row["id"]


def test_an_activity_is_corrected_and_the_log_keeps_the_old_values(besuk, meeting):
    result = besuk("activity", "update", str(meeting), "--on", "13/01/2021", "--attendees", "25", "--title", "")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Updated activity {meeting}: meeting on 2021-01-13 in Randujalak.\n"
    [row] = besuk.json("activity", "list")
    assert (row["held_on"], row["attendees"], row["title"], row["institution"]) == ("2021-01-13", 25, None, "KUBE Sejahtera")
    [entry] = last_log(besuk)
    assert (entry["action"], entry["table"]) == ("update", "activities")
    assert (entry["before"]["held_on"], entry["before"]["attendees"], entry["before"]["title"]) == ("2021-01-12", 23, "Rapat rutin")
    assert (entry["after"]["held_on"], entry["after"]["attendees"], entry["after"]["title"]) == ("2021-01-13", 25, None)
    result = besuk("activity", "update", str(meeting), "--attendees", "25")
    assert (result.exit_code, result.stderr) == (0, f"Activity {meeting} already had these values.\n")


def test_an_activity_moved_to_another_village_needs_that_villages_institution(besuk, meeting):
    result = besuk("activity", "update", str(meeting), "--village", "Alasnyiur")
    assert result.exit_code == 1
    assert result.stderr == ("Error: --institution: the activity was run by KUBE Sejahtera of Randujalak: give --institution "
                             "of Alasnyiur (or --institution \"\" for none)\n")
    result = besuk("activity", "update", str(meeting), "--village", "Alasnyiur", "--institution", "")
    assert result.exit_code == 0, result.output
    [row] = besuk.json("activity", "list")
    assert (row["village"], row["institution"]) == ("Alasnyiur", None)


def test_activity_corrections_refuse_what_makes_no_sense(besuk, meeting):
    for args, error in [
        (["999"], "Error: no activity 999; `wksbm activity list` shows each activity's id\n"),
        (["rapat"], "Error: ID: 'rapat': an activity is named by its number, the id `wksbm activity list` shows\n"),
        ([str(meeting)], "Error: say what changes, e.g. --on, --kind, --title, --attendees, --institution or --village\n"),
        ([str(meeting), "--kind", ""], "Error: --kind: an activity needs its kind\n"),
        ([str(meeting), "--on", "31/02/2021"], "Error: --on: '31/02/2021': not a real date: 2021-02 has no day 31\n"),
    ]:
        result = besuk("activity", "update", *args)
        assert (result.exit_code, result.stderr) == (1, error), args
    assert besuk.json("activity", "list")[0]["held_on"] == "2021-01-12"


def test_an_activity_recorded_twice_is_deleted_and_the_log_keeps_it(besuk, meeting):
    result = besuk("activity", "delete", str(meeting))
    assert (result.exit_code, result.stderr) == (0, f"Deleted activity {meeting}: meeting on 2021-01-12 in Randujalak.\n")
    assert besuk.json("activity", "list") == []
    [entry] = last_log(besuk)
    assert (entry["action"], entry["table"], entry["after"]) == ("delete", "activities", None)
    assert (entry["before"]["title"], entry["before"]["held_on"]) == ("Rapat rutin", "2021-01-12")
    result = besuk("activity", "delete", str(meeting))
    assert (result.exit_code, result.stderr) == (1, f"Error: no activity {meeting}; `wksbm activity list` shows each activity's id\n")


@pytest.fixture
def case(besuk):
    result = besuk("case", "add", "--village", "Randujalak", "--category", "lansia-terlantar", "--name", "Mbok",
                   "--reported-on", "03/02/2021", "--handled-by", "KUBE Sejahtera")
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def test_every_field_of_a_case_can_be_corrected(besuk, case):
    result = besuk("case", "update", case, "--name", "Mbok Sarmi", "--nik", WOMAN, "--gender", "P", "--birth-year", "1945",
                   "--category", "fakir-miskin", "--reported-on", "01/02/2021", "--notes", "salah ketik", "--handled-by", "PKK Randujalak")
    assert (result.exit_code, result.stderr) == (0, f"Updated case {case}.\n")
    shown = besuk.json("case", "show", case, "--show-pii")
    assert {key: shown[key] for key in ("person_name", "nik", "gender", "birth_year", "category", "reported_on", "notes", "handled_by", "status")} == {
        "person_name": "Mbok Sarmi", "nik": WOMAN, "gender": "P", "birth_year": 1945, "category": "fakir-miskin",
        "reported_on": "2021-02-01", "notes": "salah ketik", "handled_by": "PKK Randujalak", "status": "reported"}
    assert shown["history"] == []
    [entry] = last_log(besuk)
    assert (entry["action"], entry["table"]) == ("update", "cases")
    assert (entry["before"]["person_name"], entry["after"]["person_name"]) == ("Mbok", "Mbok Sarmi")
    assert entry["after"]["nik"] == MASKED  # the log never shows a full NIK
    result = besuk("case", "update", case, "--nik", "", "--village", "Alasnyiur", "--handled-by", "")
    assert result.exit_code == 0, result.output
    row = besuk.json("case", "list")[0]
    assert (row["village"], row["nik"], row["handled_by"]) == ("Alasnyiur", None, None)


def test_case_corrections_keep_references_and_history_sound(besuk, case):
    assert besuk("case", "update", case, "--status", "in_handling", "--on", "10/02/2021").exit_code == 0
    for args, error in [
        (["--village", "Alasnyiur"], "Error: --handled-by: the case is handled by KUBE Sejahtera of another village: "
                                     "give --handled-by of Alasnyiur (or --handled-by \"\" for none)\n"),
        (["--reported-on", "11/02/2021"], "Error: --reported-on: '11/02/2021': the case's history starts on 2021-02-10: "
                                          "it cannot have been reported later\n"),
        (["--name", ""], "Error: --name: a case needs the person's name\n"),
        (["--category", ""], "Error: --category: a case needs its PMKS category\n"),
        (["--nik", "123"], None),
        (["--on", "12/02/2021"], "Error: --on dates a status change: give --status too (or --reported-on to correct the report date)\n"),
        ([], "Error: say what changes: --status, or a field such as --name, --nik, --village, --reported-on\n"),
    ]:
        result = besuk("case", "update", case, *args)
        assert result.exit_code == 1, args
        if error:
            assert result.stderr == error, args
    shown = besuk.json("case", "show", case)
    assert (shown["village"], shown["reported_on"], shown["person_name"], shown["status"]) == ("Randujalak", "2021-02-03", "Mbok", "in_handling")


def test_a_case_without_history_is_deleted_and_the_log_keeps_it(besuk, case):
    result = besuk("case", "delete", case)
    assert (result.exit_code, result.stderr) == (0, f"Deleted case {case}.\n")
    assert besuk.json("case", "list") == []
    [entry] = last_log(besuk)
    assert (entry["action"], entry["table"], entry["before"]["person_name"], entry["after"]) == ("delete", "cases", "Mbok", None)
    result = besuk("case", "delete", case)
    assert (result.exit_code, result.stderr) == (1, f"Error: no case with ref {case}\n")


def test_a_case_with_history_is_deleted_only_with_its_history(besuk, case, db_path):
    assert besuk("case", "update", case, "--status", "resolved", "--on", "10/03/2021").exit_code == 0
    result = besuk("case", "delete", case)
    assert result.exit_code == 1
    assert result.stderr == (f"Error: case {case} has 1 status change in its history, which past reports count: add "
                             "--with-history to delete it too, or give the case --status closed if it no longer applies\n")
    assert len(besuk.json("case", "list")) == 1
    result = besuk("case", "delete", case, "--with-history")
    assert (result.exit_code, result.stderr) == (0, f"Deleted case {case} and 1 status change.\n")
    assert query(db_path, "SELECT count(*) FROM cases") == [(0,)]
    assert query(db_path, "SELECT count(*) FROM case_events") == [(0,)]
    entries = last_log(besuk, 2)
    assert [(entry["action"], entry["table"]) for entry in entries] == [("delete", "case_events"), ("delete", "cases")]
    assert entries[0]["before"]["new_status"] == "resolved"


def test_an_institution_still_named_by_records_is_not_deleted(besuk, case, meeting):
    result = besuk("institution", "delete", "KUBE Sejahtera", "--village", "Randujalak")
    assert result.exit_code == 1
    assert result.stderr == ("Error: institution KUBE Sejahtera is named by 1 activity and 1 case: give those another "
                             "institution first (`activity update ID --institution`, `case update REF --handled-by`)\n")
    assert besuk("activity", "update", str(meeting), "--institution", "").exit_code == 0
    assert besuk("case", "update", case, "--handled-by", "PKK Randujalak").exit_code == 0
    result = besuk("institution", "delete", "KUBE Sejahtera", "--village", "Randujalak")
    assert (result.exit_code, result.stderr) == (0, "Deleted institution KUBE Sejahtera.\n")
    [entry] = last_log(besuk)
    assert (entry["action"], entry["table"], entry["before"]["name"]) == ("delete", "institutions", "KUBE Sejahtera")


def test_a_village_with_records_is_not_deleted_and_the_refusal_counts_them(besuk):
    assert besuk("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "X",
                 "--reported-on", "2021-02-03").exit_code == 0
    result = besuk("village", "delete", "Randujalak")
    assert result.exit_code == 1
    assert result.stderr == ("Error: village Randujalak still has 2 institutions and 1 case: delete those first "
                             "(a village's records are never deleted with it)\n")
    assert besuk("village", "delete", "Alasnyiur").exit_code == 0

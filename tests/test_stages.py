"""The seven criteria at their edges, the stages, and the case status as of a date (SPEC section 4)."""

import pytest

from wksbm_cli import stages
from wksbm_cli.services import activities, cases, institutions, villages

AS_OF = "2022-12-31"


def add_village(conn, name="Randujalak", code="35.13.13.2013", formed_on="2021-01-01", kecamatan="Besuk"):
    villages.add_village(conn, name=name, code=code, kecamatan=kecamatan, kabupaten="Probolinggo", formed_on=formed_on)
    return name


def add_members(conn, village, count=3, joined_on="2021-02-01"):
    for number in range(count):
        institutions.add_institution(conn, village, name=f"Lembaga {number}", type="kube", joined_on=joined_on)


def add_activities(conn, village, *dates):
    for date in dates:
        activities.add_activity(conn, village, held_on=date, kind="meeting", title=f"Rapat {date}")


def active_village(conn, **village):
    """A village meeting all seven criteria as of AS_OF."""
    name = add_village(conn, **village)
    add_members(conn, name)
    add_activities(conn, name, "2022-12-01", "2022-09-15", "2022-07-01")
    cases.add_case(conn, name, category="lanjut-usia-terlantar", person_name="Sutini",
                   reported_on="2022-03-01", status="resolved", resolved_on="2022-04-10", handled_by="Lembaga 0")
    return name


def state(conn, as_of=AS_OF):
    (only,) = stages.evaluate(conn, as_of)
    return only


def test_a_village_meeting_every_criterion_is_active(conn):
    active_village(conn)
    village = state(conn)
    assert village["criteria"] == dict.fromkeys(stages.CRITERIA_KEYS, True)
    assert (village["stage"], village["progress"], village["next_step"]) == ("active", 7, None)
    assert (village["institutions"], village["activities_in_window"], village["cases_resolved"]) == (3, 1, 1)
    assert village["median_days"] == 40


@pytest.mark.parametrize(("held_on", "met"), [("2022-10-02", False), ("2022-10-03", True), ("2022-12-31", True), ("2023-01-01", False)])
def test_r1_window_is_half_open(conn, held_on, met):
    name = add_village(conn)
    add_activities(conn, name, held_on)
    village = state(conn)
    assert village["criteria"]["R1"] is met
    assert village["activities_in_window"] == int(met)


@pytest.mark.parametrize(("formed_on", "met"), [("2021-12-31", True), ("2022-01-01", False)])
def test_a1_needs_min_age_days(conn, formed_on, met):
    add_village(conn, formed_on=formed_on)
    assert state(conn)["criteria"]["A1"] is met


@pytest.mark.parametrize(("formed_on", "met"), [(None, False), ("2022-12-31", True), ("2023-01-01", False)])
def test_f1_formed_on_set_and_not_after_as_of(conn, formed_on, met):
    add_village(conn, formed_on=formed_on)
    assert state(conn)["criteria"]["F1"] is met


def test_f2_counts_only_members_as_of(conn):
    name = add_village(conn)
    add_members(conn, name, count=2, joined_on="2022-12-31")
    institutions.add_institution(conn, name, name="Later", type="pkk", joined_on="2023-01-01")
    institutions.add_institution(conn, name, name="Not yet", type="pkk")
    assert (state(conn)["institutions"], state(conn)["criteria"]["F2"]) == (2, False)
    institutions.add_institution(conn, name, name="Third", type="pkk", joined_on="2022-06-01")
    assert (state(conn)["institutions"], state(conn)["criteria"]["F2"]) == (3, True)


@pytest.mark.parametrize(
    ("dates", "met"),
    [
        (["2022-12-31", "2022-10-02", "2022-07-04"], True),  # one in each of (…-10-02, -12-31], (-07-04, -10-02], (-04-05, -07-04]
        (["2022-12-31", "2022-10-02", "2022-04-05"], False),  # the third window's lower bound is outside it
        (["2022-12-31", "2022-12-30", "2022-07-04"], False),  # nothing in the middle window
    ],
)
def test_a2_each_window_needs_an_activity(conn, dates, met):
    name = add_village(conn)
    add_activities(conn, name, *dates)
    assert state(conn)["criteria"]["A2"] is met


@pytest.mark.parametrize(("resolved_on", "met"), [("2021-12-31", False), ("2022-01-01", True), ("2023-01-02", False)])
def test_a3_resolution_date_in_window(conn, resolved_on, met):
    name = add_village(conn)
    cases.add_case(conn, name, category="fakir-miskin", person_name="Sukardi", reported_on="2021-06-01",
                   status="resolved", resolved_on=resolved_on)
    assert state(conn)["criteria"]["A3"] is met


def test_r2_needs_a_case_reported_by_as_of_handled_by_a_member(conn):
    name = add_village(conn)
    institutions.add_institution(conn, name, name="Member", type="pkk", joined_on="2022-01-01")
    institutions.add_institution(conn, name, name="Newcomer", type="pkk", joined_on="2023-02-01")
    cases.add_case(conn, name, category="fakir-miskin", person_name="A", reported_on="2022-05-01", handled_by="Newcomer")
    cases.add_case(conn, name, category="fakir-miskin", person_name="B", reported_on="2023-01-05", handled_by="Member")
    assert state(conn)["criteria"]["R2"] is False
    cases.add_case(conn, name, category="fakir-miskin", person_name="C", reported_on="2022-12-31", handled_by="Member")
    assert state(conn)["criteria"]["R2"] is True


def test_case_counts_use_the_status_as_of_the_date(conn):
    name = add_village(conn)
    category = "fakir-miskin"
    cases.add_case(conn, name, ref="A", category=category, person_name="A", reported_on="2022-01-10")
    cases.update_case(conn, "A", status="in_handling", on="2022-02-01")
    cases.update_case(conn, "A", status="resolved", on="2023-03-01")  # resolved only after the as-of date
    cases.add_case(conn, name, ref="B", category=category, person_name="B", reported_on="2022-01-10",
                   status="resolved", resolved_on="2022-03-11")
    cases.update_case(conn, "B", status="in_handling", on="2023-01-15")  # reopened after the as-of date
    cases.add_case(conn, name, ref="C", category=category, person_name="C", reported_on="2022-06-01", status="closed")
    cases.add_case(conn, name, ref="D", category=category, person_name="D", reported_on="2023-01-01")  # too late
    cases.add_case(conn, name, ref="E", category=category, person_name="E", reported_on="2022-06-01", status="referred")
    village = state(conn)
    assert (village["cases_open"], village["cases_resolved"], village["cases_closed"]) == (2, 1, 1)
    assert (village["median_days"], village["last_resolved"]) == (60, "2022-03-11")
    earlier = state(conn, "2022-01-31")
    assert (earlier["cases_open"], earlier["cases_resolved"]) == (2, 0)
    later = state(conn, "2023-03-01")
    assert (later["cases_open"], later["cases_resolved"], later["median_days"]) == (3, 1, 415)


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(conn):
    name = add_village(conn)
    for person, resolved_on in [("A", "2022-02-01"), ("B", "2022-02-04")]:
        cases.add_case(conn, name, category="fakir-miskin", person_name=person, reported_on="2022-01-01",
                       status="resolved", resolved_on=resolved_on)
    assert state(conn)["median_days"] == 32.5


@pytest.mark.parametrize(
    ("setup", "stage", "next_step"),
    [
        ("bare", "none", "set the date the WKSBM was formed: not set"),
        ("formed", "formed", "record a meeting: none in the last 90 days"),
        ("running", "running", "keep going: 180 days old of the 365 days needed"),
    ],
)
def test_stages_and_next_steps(conn, setup, stage, next_step):
    name = add_village(conn, formed_on=None if setup == "bare" else "2022-07-04")
    if setup != "bare":
        add_members(conn, name)
    if setup == "running":
        add_activities(conn, name, "2022-12-01")
        cases.add_case(conn, name, category="fakir-miskin", person_name="A", reported_on="2022-08-01", handled_by="Lembaga 1")
    village = state(conn)
    assert (village["stage"], village["next_step"]) == (stage, next_step)


def test_a_village_missing_f2_is_not_formed_even_if_everything_else_holds(conn):
    name = active_village(conn)
    institutions.update_institution(conn, name, "Lembaga 2", joined_on="")
    village = state(conn)
    assert (village["stage"], village["progress"]) == ("none", 6)
    assert village["next_step"] == "bring in member institutions: 2 of 3"


def test_changed_thresholds_change_the_stage(conn):
    active_village(conn)
    stages.set_setting(conn, "formed.min_institutions", "4")
    assert state(conn)["stage"] == "none"
    stages.set_setting(conn, "formed.min_institutions", "3")
    stages.set_setting(conn, "running.activity_window_days", "20")
    village = state(conn)
    assert (village["criteria"]["R1"], village["stage"]) == (False, "formed")
    assert village["next_step"] == "record a meeting: none in the last 20 days"
    stages.set_setting(conn, "running.activity_window_days", "31")
    stages.set_setting(conn, "active.sustained_windows", "1")
    assert state(conn)["stage"] == "active"


def test_evaluation_is_per_village(conn):
    active_village(conn)
    add_village(conn, name="Alasnyiur", code="35.13.13.2003")
    result = {row["name"]: row["stage"] for row in stages.evaluate(conn, AS_OF)}
    assert result == {"Alasnyiur": "none", "Randujalak": "active"}

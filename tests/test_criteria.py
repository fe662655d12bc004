"""`wksbm criteria`: the thresholds with their meaning, and changing one."""

import pytest


@pytest.mark.usefixtures("new_db")
def test_criteria_show_json(cli):
    shown = cli.json("criteria")
    assert [row["key"] for row in shown["criteria"]] == ["F1", "F2", "R1", "R2", "A1", "A2", "A3"]
    assert shown["criteria"][5] == {"key": "A2", "stage": "active", "rule": "an activity in each of the last 3 windows of 90 days"}
    assert [(row["key"], row["value"]) for row in shown["settings"]] == [
        ("formed.min_institutions", 3), ("running.activity_window_days", 90), ("active.min_age_days", 365),
        ("active.sustained_windows", 3), ("active.resolved_window_days", 365),
    ]


@pytest.mark.usefixtures("new_db")
def test_criteria_set_changes_the_rule(cli):
    result = cli("criteria", "set", "running.activity_window_days", "60")
    assert (result.exit_code, result.stderr) == (0, "running.activity_window_days: 90 -> 60.\n")
    shown = cli.json("criteria", "show")
    assert shown["criteria"][2]["rule"] == "an activity in the last 60 days"
    assert shown["settings"][1] == {"key": "running.activity_window_days", "value": 60, "default": 90,
                                    "meaning": "R1, A2: length in days of an activity window"}
    result = cli("criteria", "set", "running.activity_window_days", "60")
    assert (result.exit_code, result.stderr) == (0, "running.activity_window_days was already 60.\n")


@pytest.mark.usefixtures("new_db")
def test_criteria_set_refuses_unknown_keys_and_bad_values(cli):
    result = cli("criteria", "set", "running.window", "60")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no setting running.window: the settings are formed.min_institutions, ")
    result = cli("criteria", "set", "active.sustained_windows", "0")
    assert (result.exit_code, result.stderr) == (1, "Error: active.sustained_windows: '0': must be between 1 and 100\n")
    result = cli("criteria", "set", "active.min_age_days", "a year")
    assert (result.exit_code, result.stderr) == (1, "Error: active.min_age_days: 'a year': not a whole number\n")


@pytest.mark.usefixtures("new_db")
def test_criteria_table(cli):
    result = cli("criteria")
    assert result.exit_code == 0, result.output
    assert "formed.min_institutions" in result.stdout and "at least 3 member institutions" in result.stdout

"""`summary --trend`: villages per stage at each quarter end from the earliest record to the as-of date."""

import csv
import io

from tests.test_summary import small_world

QUARTERS = ["2021-03-31", "2021-06-30", "2021-09-30", "2021-12-31", "2022-03-31", "2022-06-30", "2022-09-30",
            "2022-12-31", "2023-02-15"]


def test_trend_json_counts_each_quarter_as_the_summary_of_that_day_does(conn, cli):
    small_world(conn)  # the earliest record: Randujalak formed on 2021-01-01
    trend = cli.json("summary", "--trend", "--as-of", "15/02/2023")
    assert (trend["as_of"], trend["from"]) == ("2023-02-15", "2021-01-01")
    assert [point["date"] for point in trend["quarters"]] == QUARTERS
    for point in trend["quarters"]:
        totals = cli.json("summary", "--as-of", point["date"])["totals"]
        assert point == {"date": point["date"], **{key: totals[key] for key in ("villages", "none", "formed", "running", "active")}}
    assert [(p["none"], p["formed"], p["running"], p["active"]) for p in trend["quarters"]][::4] == [
        (3, 1, 0, 0), (3, 1, 0, 0), (2, 1, 0, 1)]


def test_trend_csv_and_kecamatan(conn, cli):
    small_world(conn)
    result = cli("summary", "--trend", "--as-of", "2022-12-31", "--kecamatan", "Kraksaan", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    # Kregenan's first record is its case of 2022-02-01
    assert rows == [["date", "villages", "none", "formed", "running", "active"],
                    ["2022-03-31", "1", "1", "0", "0", "0"], ["2022-06-30", "1", "1", "0", "0", "0"],
                    ["2022-09-30", "1", "1", "0", "0", "0"], ["2022-12-31", "1", "1", "0", "0", "0"]]


def test_trend_table_at_80_columns(conn, cli, monkeypatch):
    small_world(conn)
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("summary", "--trend", "--as-of", "2022-12-31")
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[0] == "Villages per stage at each quarter end, up to 2022-12-31"
    assert lines[1].split() == ["quarter", "end", "active", "running", "formed", "none", "villages"]
    assert lines[3].split() == ["2021-03-31", "0", "0", "1", "3", "4"]
    assert lines[-1].split() == ["2022-12-31", "1", "0", "1", "2", "4"]
    assert max(map(len, lines)) <= 80


def test_trend_with_no_dated_record_is_the_as_of_date_alone(conn, cli):
    assert cli.json("summary", "--trend", "--as-of", "2022-12-31") == {
        "as_of": "2022-12-31", "from": "2022-12-31",
        "quarters": [{"date": "2022-12-31", "villages": 0, "none": 0, "formed": 0, "running": 0, "active": 0}]}


def test_trend_takes_no_by_on_the_terminal(conn, cli):
    small_world(conn)
    result = cli("summary", "--trend", "--by", "kecamatan")
    assert (result.exit_code, result.stderr) == (
        2, "Error: --trend counts all villages in view at each quarter end; --by applies only with -o FILE\n")


def test_the_page_charts_the_trend(conn, cli, tmp_path):
    small_world(conn)
    for name in ("laporan.html", "laporan.svg", "laporan.xlsx"):
        result = cli("summary", "--trend", "--as-of", "2022-12-31", "-o", tmp_path / name)
        assert result.exit_code == 0, result.output
    html = (tmp_path / "laporan.html").read_text(encoding="utf-8")
    assert 'aria-label="Villages per stage at each quarter end"' in html and "<h2>Stages over time</h2>" in html
    assert '<tr><td class="nowrap">2021-03-31</td><td class="num">3</td><td class="num">1</td>' in html
    assert 'aria-label="Villages per stage at each quarter end"' in (tmp_path / "laporan.svg").read_text(encoding="utf-8")
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "laporan.xlsx")["Stages over time"]
    rows = [row for row in sheet.iter_rows(values_only=True)]
    assert rows[5] == ("quarter end", "none", "formed", "running", "active", "villages")
    assert rows[6] == ("2021-03-31", 3, 1, 0, 0, 4)

"""The path over time (`summary --trend`): villages per stage at each quarter end up to the as-of date.

Each date is evaluated by the one stage rule (stages.states_sql), so a quarter's counts are what
`summary --as-of` that day reports. Dinsos sets yearly targets; this shows the way toward them.
"""

import datetime as dt
import sqlite3
from typing import Any

from wksbm_cli import stages

_FIRST_RECORD = """SELECT min(day) FROM (
    SELECT min(v.formed_on) AS day FROM villages v WHERE {where}
    UNION ALL SELECT min(i.joined_on) FROM institutions i JOIN villages v ON v.id = i.village_id WHERE {where}
    UNION ALL SELECT min(a.held_on) FROM activities a JOIN villages v ON v.id = a.village_id WHERE {where}
    UNION ALL SELECT min(c.reported_on) FROM cases c JOIN villages v ON v.id = c.village_id WHERE {where})"""


def quarter_ends(first: str, last: str) -> list[str]:
    """Every quarter end (31 March, 30 June, 30 September, 31 December) from `first`'s quarter to `last`,
    then `last` itself when it is not a quarter end."""
    day, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    dates = []
    year, quarter = day.year, (day.month - 1) // 3
    while True:
        month = 3 * quarter + 3
        close = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        if close > end:
            break
        dates.append(close.isoformat())
        year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)
    if not dates or dates[-1] != last:
        dates.append(last)
    return dates


def trend(conn: sqlite3.Connection, as_of: str, where: str = "1", params: dict | None = None) -> dict[str, Any]:
    """`{"as_of", "from", "quarters": [{"date", "villages", "none", "formed", "running", "active"}, …]}`.

    `from` is the earliest date any record of these villages carries; with no dated record the
    trend has the as-of date alone.
    """
    first = conn.execute(_FIRST_RECORD.format(where=where), params or {}).fetchone()[0]
    first = min(first, as_of) if first else as_of
    settings = stages.read_settings(conn)
    quarters = []
    for day in quarter_ends(first, as_of):
        sql, bound = stages.states_sql(conn, day, where, params, settings)
        counts = dict(conn.execute(f"SELECT stage, count(*) FROM ({sql}) GROUP BY stage", bound).fetchall())
        quarters.append({"date": day, "villages": sum(counts.values()),
                         **{stage: counts.get(stage, 0) for stage in stages.STAGES}})
    return {"as_of": as_of, "from": first, "quarters": quarters}


TREND_CSV = ["date", "villages", *stages.STAGES]


def print_trend(trend: dict[str, Any]) -> None:
    """The trend as a Rich table on stdout: one row per quarter end, a column per stage."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from wksbm_cli.i18n import _, shown_date

    table = Table(title=_("Villages per stage at each quarter end, up to {as_of}").format(as_of=shown_date(trend["as_of"])),
                  title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column(_("quarter end"), no_wrap=True)
    for stage in reversed(stages.STAGES):
        table.add_column(stages.stage_word(stage), justify="right")
    table.add_column(_("villages"), justify="right")
    for point in trend["quarters"]:
        table.add_row(shown_date(point["date"]), *(str(point[stage]) for stage in reversed(stages.STAGES)), str(point["villages"]))
    Console(highlight=False).print(table)

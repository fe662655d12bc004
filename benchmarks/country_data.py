"""A country-sized test database for the summary benchmark: every village, 250k institutions,
500k activities, 1M cases with their status events. Test data only: written with executemany."""

import datetime as dt
import random
import sqlite3
from pathlib import Path

from wksbm_cli.db import open_db, transaction

INSTITUTIONS, ACTIVITIES, CASES = 250_000, 500_000, 1_000_000
VILLAGES, KABUPATEN, KECAMATAN = 83_441, 514, 7_230
FIRST_DAY, LAST_DAY = dt.date(2016, 1, 1), dt.date(2024, 12, 31)
_STAMP = "2025-01-01T00:00:00Z"


def village_codes() -> tuple[list[tuple[str, str, str, str]], str]:
    """(code, name, kecamatan, kabupaten) for every village, and where they came from."""
    try:  # the bundled Kemendagri list, when the package has one
        from wksbm_cli import regions  # noqa: F401

        rows = _bundled_villages(regions)
        if rows:
            return rows, "the bundled Kemendagri list (wksbm_cli.regions)"
    except ImportError:
        pass
    return _synthetic_villages(), (
        f"synthetic codes of the same shape ({VILLAGES:,} villages in {KECAMATAN:,} kecamatan "
        f"of {KABUPATEN} kabupaten)"
    )


def _bundled_villages(regions) -> list[tuple[str, str, str, str]]:
    provinces = [row[0] for row in regions.connection().execute("SELECT code FROM regions WHERE length(code) = 2")]
    return [(r.code, r.name, r.kecamatan, r.kabupaten) for code in provinces for r in regions.villages_under(code)]


def _synthetic_villages() -> list[tuple[str, str, str, str]]:
    rows = []
    for number in range(VILLAGES):
        kec = number * KECAMATAN // VILLAGES
        kab = kec * KABUPATEN // KECAMATAN
        province, regency = 11 + kab // 20, 1 + kab % 20
        code = f"{province:02d}.{regency:02d}.{1 + kec % 60:02d}.{2001 + number % 9000:04d}"
        rows.append((code, f"Desa {number}", f"Kecamatan {kec}", f"Kabupaten {kab}"))
    return rows


def build(path: Path, seed: int = 20240101) -> str:
    """Create the database at `path` (if absent); returns a note on where the village codes came from."""
    note_path = path.with_suffix(".source")
    if path.exists() and note_path.exists():
        return note_path.read_text()
    path.unlink(missing_ok=True)
    rng = random.Random(seed)
    villages, source = village_codes()
    conn = open_db(path, create=True)
    # Test data: the audit triggers would copy every generated row into the audit log, which the
    # summary never reads; without them the database builds in a fraction of the time.
    for (trigger,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit%'").fetchall():
        if not trigger.startswith("audit_log_"):
            conn.execute(f"DROP TRIGGER {trigger}")
    days = (LAST_DAY - FIRST_DAY).days

    def day(low: int = 0, high: int = days) -> str:
        return (FIRST_DAY + dt.timedelta(days=rng.randint(low, high))).isoformat()

    types = [r[0] for r in conn.execute("SELECT code FROM institution_types")]
    categories = [r[0] for r in conn.execute("SELECT code FROM pmks_categories")]
    with transaction(conn):
        conn.executemany(
            "INSERT INTO villages (id, code, name, name_key, kecamatan, kabupaten, formed_on, uid, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (n + 1, code, name, name.lower().replace(" ", ""), kec, kab,
                 day() if rng.random() < 0.75 else None, f"v{n:09d}", _STAMP, _STAMP)
                for n, (code, name, kec, kab) in enumerate(villages)
            ),
        )
        by_village: dict[int, list[int]] = {}
        institution_rows = []
        for n in range(INSTITUTIONS):
            village = rng.randint(1, len(villages))
            by_village.setdefault(village, []).append(n + 1)
            institution_rows.append(
                (n + 1, village, f"Lembaga {n}", f"lembaga{n}", rng.choice(types),
                 day() if rng.random() < 0.85 else None, f"i{n:09d}", _STAMP, _STAMP)
            )
        conn.executemany(
            "INSERT INTO institutions (id, village_id, name, name_key, type, joined_on, uid, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            institution_rows,
        )
        del institution_rows
        kinds = ["meeting", "program", "outreach", "advocacy", "training", "other"]
        conn.executemany(
            "INSERT INTO activities (village_id, kind, held_on, title, uid, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (rng.randint(1, len(villages)), rng.choice(kinds), day(1096), f"Kegiatan {n}",
                 f"a{n:09d}", _STAMP, _STAMP)
                for n in range(ACTIVITIES)
            ),
        )
        conn.executemany(
            "INSERT INTO cases (id, ref, village_id, category, person_name, person_key, reported_on, status,"
            " handled_by, resolved_on, uid, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _cases(rng, len(villages), by_village, categories, day),
        )
        conn.executemany(
            "INSERT INTO case_events (case_id, on_date, old_status, new_status, uid, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            _events(conn),
        )
    conn.execute("ANALYZE")
    conn.close()
    note_path.write_text(source)
    return source


def _cases(rng, village_count, by_village, categories, day):
    statuses = ["reported"] * 2 + ["in_handling"] * 2 + ["resolved"] * 4 + ["referred", "closed"]
    for n in range(CASES):
        village = rng.randint(1, village_count)
        status = rng.choice(statuses)
        reported = day(1096, (LAST_DAY - FIRST_DAY).days - 200)
        resolved = None
        if status == "resolved":
            resolved = (dt.date.fromisoformat(reported) + dt.timedelta(days=rng.randint(1, 180))).isoformat()
        members = by_village.get(village)
        handled = rng.choice(members) if members and rng.random() < 0.5 else None
        yield (n + 1, f"KS-{n:07d}", village, rng.choice(categories), f"Orang {n}", f"orang{n}",
               reported, status, handled, resolved, f"c{n:09d}", _STAMP, _STAMP)


def _events(conn: sqlite3.Connection):
    """The status history a case's current state implies: reported -> … -> status."""
    rows = conn.execute("SELECT id, reported_on, status, resolved_on FROM cases WHERE status != 'reported'")
    for n, (case_id, reported, status, resolved) in enumerate(rows):
        start = dt.date.fromisoformat(reported)
        if status == "resolved":
            middle = start + (dt.date.fromisoformat(resolved) - start) // 2
            yield (case_id, middle.isoformat(), "reported", "in_handling", f"e{n:09d}a", _STAMP, _STAMP)
            yield (case_id, resolved, "in_handling", "resolved", f"e{n:09d}b", _STAMP, _STAMP)
        else:
            on = (start + dt.timedelta(days=7 + case_id % 60)).isoformat()
            yield (case_id, on, "reported", status, f"e{n:09d}", _STAMP, _STAMP)

"""Several processes on one database file: writers wait for each other, a killed writer loses only
its own unfinished work, a backup is consistent while others write. Real processes, real files."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="kill -9 and fork semantics")


def python(script: str, db_path, **env) -> subprocess.Popen:
    """Start `script` in a new Python process on the test's database; stdout is a pipe."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        env={**os.environ, "WKSBM_DB": str(db_path), **env},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish(process: subprocess.Popen, timeout: float = 120) -> str:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    return out


# Runs `wksbm case add` N times in one process (in-process, so the test stays quick); each
# call is a full command: open the database, BEGIN IMMEDIATE, pick the next ref, insert, commit.
CASE_ADDER = """
    import sys
    from wksbm_cli.app import app
    for number in range({count}):
        try:
            app(["case", "add", "--village", "{village}", "--category", "fakir-miskin",
                 "--name", f"{prefix} {{number}}", "--reported-on", "2021-06-01"], prog_name="wksbm")
        except SystemExit as exit:
            if exit.code:
                sys.exit(f"case add {{number}} failed with {{exit.code}}")
"""


def test_two_processes_adding_cases_at_once_both_succeed_and_lose_nothing(besuk, db_path):
    count = 60
    first = python(CASE_ADDER.format(count=count, village="Randujalak", prefix="Satu"), db_path, WKSBM_OFFICER="satu")
    second = python(CASE_ADDER.format(count=count, village="Alasnyiur", prefix="Dua"), db_path, WKSBM_OFFICER="dua")
    refs = finish(first).split() + finish(second).split()
    assert len(refs) == len(set(refs)) == 2 * count  # every generated ref unique, none reused
    rows = besuk.json("case", "list")
    assert sorted(row["ref"] for row in rows) == [f"KS-2021-{number:04d}" for number in range(1, 2 * count + 1)]
    names = {row["person_name"] for row in rows}
    assert names == {f"Satu {n}" for n in range(count)} | {f"Dua {n}" for n in range(count)}
    log = besuk.json("log", "--table", "cases")
    assert sorted(entry["officer"] for entry in log) == ["dua"] * count + ["satu"] * count
    assert besuk("check").exit_code == 0


def test_a_writer_waits_for_another_instead_of_failing(besuk, db_path):
    holder = python(
        """
        import os, time
        from wksbm_cli.db import open_db, transaction
        conn = open_db(os.environ["WKSBM_DB"])
        with transaction(conn):
            conn.execute("UPDATE villages SET decree = 'SK dari proses lain' WHERE code = '35.13.13.2013'")
            print("holding the write lock", flush=True)
            time.sleep(2)
        """,
        db_path,
    )
    assert holder.stdout.readline() == "holding the write lock\n"
    result = besuk("village", "update", "Alasnyiur", "--decree", "SK 1/2021")  # waits for the lock
    assert result.exit_code == 0, result.output
    finish(holder)
    assert besuk.json("village", "show", "Randujalak")["decree"] == "SK dari proses lain"
    assert besuk.json("village", "show", "Alasnyiur")["decree"] == "SK 1/2021"


def test_readers_are_not_blocked_by_a_writer(besuk, db_path):
    holder = python(
        """
        import os, time
        from wksbm_cli.db import open_db, transaction
        conn = open_db(os.environ["WKSBM_DB"])
        with transaction(conn):
            conn.execute("UPDATE villages SET decree = 'not yet committed' WHERE code = '35.13.13.2013'")
            print("writing", flush=True)
            time.sleep(1)
        """,
        db_path,
    )
    assert holder.stdout.readline() == "writing\n"
    result = besuk("village", "list", "--format", "json")  # WAL: reads the last committed state
    assert result.exit_code == 0
    assert "not yet committed" not in result.stdout
    finish(holder)


# Writes many cases in ONE transaction, announcing when it is well under way, then keeps going.
BIG_WRITER = """
    import os, sys
    from wksbm_cli.db import open_db, transaction
    from wksbm_cli.services.cases import add_case
    conn = open_db(os.environ["WKSBM_DB"])
    with transaction(conn):
        for number in range(1_000_000):
            add_case(conn, "Randujalak", ref=f"BIG-{number}", category="fakir-miskin",
                     person_name=f"Orang {number}", reported_on="2021-06-01")
            if number == 500:
                print("half a thousand written", flush=True)
"""


@posix_only
def test_a_writer_killed_mid_transaction_leaves_the_database_sound_and_without_its_rows(besuk, db_path):
    before = besuk.json("log")
    writer = python(BIG_WRITER, db_path)
    assert writer.stdout.readline() == "half a thousand written\n"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    assert writer.returncode == -signal.SIGKILL
    conn = sqlite3.connect(db_path)  # plain SQLite, no wksbm: what is really in the file
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
    conn.close()
    assert besuk.json("log") == before
    assert besuk("check").exit_code == 0
    # …and the database takes writes again at once (no stale lock).
    result = besuk("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "Sesudah")
    assert result.exit_code == 0, result.output


def test_a_backup_taken_while_another_process_writes_is_consistent(besuk, db_path, tmp_path):
    writer = python(CASE_ADDER.format(count=150, village="Randujalak", prefix="W"), db_path)
    assert writer.stdout.readline() == "KS-2021-0001\n"  # it is writing now
    backups = []
    while writer.poll() is None and len(backups) < 6:
        target = tmp_path / f"copy{len(backups)}.db"
        result = besuk("backup", target)
        assert result.exit_code == 0, result.output
        backups.append(target)
    finish(writer)
    assert backups
    for target in backups:
        copy = sqlite3.connect(target)
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
        # Each case and its audit row commit together: a consistent copy has as many of one as the other.
        cases, audited = copy.execute(
            "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM audit_log WHERE table_name = 'cases')"
        ).fetchone()
        assert cases == audited
        copy.close()
        assert not list(tmp_path.glob(f".{target.name}.*"))  # no partial file left behind


def test_backup_refuses_to_overwrite_unless_forced(besuk, tmp_path, db_path):
    target = tmp_path / "copy.db"
    target.write_text("precious")
    result = besuk("backup", target)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {target} already exists: choose another name, or --force to replace it\n"
    assert target.read_text() == "precious"
    result = besuk("backup", target, "--force")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Backed up {db_path} to {target} (")
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT count(*) FROM villages").fetchone()[0] == 3
    copy.close()
    result = besuk("backup", db_path, "--force")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {db_path} is the database itself: choose another file\n"
    result = besuk("backup", tmp_path / "no" / "such" / "folder.db")
    assert result.exit_code == 1
    assert result.stderr == f"Error: there is no folder {tmp_path / 'no' / 'such'}: create it first, or write the file elsewhere\n"


def test_a_backup_opens_as_a_wksbm_database(besuk, tmp_path, cli):
    assert besuk("backup", tmp_path / "copy.db").exit_code == 0
    assert [row["name"] for row in cli.json("--db", tmp_path / "copy.db", "village", "list")] == [
        row["name"] for row in besuk.json("village", "list")
    ]
    assert cli("--db", tmp_path / "copy.db", "check").exit_code == 0
    assert json.loads(cli("--db", tmp_path / "copy.db", "log", "--format", "json").stdout) == besuk.json("log")


def test_two_first_runs_on_a_new_database_both_succeed(cli, tmp_path):
    for attempt in range(3):
        fresh = tmp_path / f"new{attempt}.db"
        runs = [
            subprocess.Popen([sys.executable, "-m", "wksbm_cli", "--db", str(fresh), "village", "add", name],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for name in ("Satu", "Dua")
        ]
        for run in runs:
            finish(run)
        assert sorted(row["name"] for row in cli.json("--db", fresh, "village", "list")) == ["Dua", "Satu"]
        assert cli("--db", fresh, "check").exit_code == 0


def test_a_writer_kept_waiting_past_the_busy_timeout_says_so_and_still_succeeds(besuk, db_path, monkeypatch):
    from wksbm_cli import db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 100)  # stands for the 30 s a long import may exceed
    holder = python(
        """
        import os, time
        from wksbm_cli.db import open_db, transaction
        conn = open_db(os.environ["WKSBM_DB"])
        with transaction(conn):
            conn.execute("UPDATE villages SET decree = 'SK impor' WHERE code = '35.13.13.2013'")
            print("importing", flush=True)
            time.sleep(1.5)
        """,
        db_path,
    )
    assert holder.stdout.readline() == "importing\n"
    result = besuk("village", "update", "Alasnyiur", "--decree", "SK 1/2021")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Waiting: another program is writing to this database (an import?); this command goes on when it has finished.\n"
        "Updated village Alasnyiur.\n"
    )
    finish(holder)
    assert besuk.json("village", "show", "Alasnyiur")["decree"] == "SK 1/2021"


def test_a_writer_gives_up_with_a_clear_error_when_the_wait_is_over(besuk, db_path, monkeypatch):
    from wksbm_cli import db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setattr(db, "WRITE_WAIT_MS", 200)
    holder = python(
        """
        import os, time
        from wksbm_cli.db import open_db, transaction
        conn = open_db(os.environ["WKSBM_DB"])
        with transaction(conn):
            print("holding", flush=True)
            time.sleep(3)
        """,
        db_path,
    )
    assert holder.stdout.readline() == "holding\n"
    result = besuk("village", "update", "Alasnyiur", "--decree", "SK 1/2021")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Error: the database stayed busy for 0.3 s: another program is still writing to it; try again later"
    )
    finish(holder)
    assert besuk.json("village", "show", "Alasnyiur")["decree"] is None

"""Small helpers several test files share (fixtures live in conftest.py)."""

import json
import re
import resource
import sqlite3
import subprocess
import sys


def import_counts(result):
    """`wksbm import … --format json`'s result as {kind: [inserted, updated, unchanged]}; asserts success."""
    assert result.exit_code == 0, result.output
    return {row["kind"]: [row["inserted"], row["updated"], row["unchanged"]] for row in json.loads(result.stdout)}


def query(db, sql):
    """All rows of `sql` on the database file `db`, read with a plain connection."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def table_cells(text):
    """The body cells of a Rich table, stripped."""
    return [[cell.strip() for cell in line.split("│")[1:-1]] for line in text.splitlines() if line.startswith("│")]


def compact_rows(text):
    """The rows of a table in the compact layout of a narrow terminal: (first-line cells, second line joined).

    Cells on a first line are two or more spaces apart; a second line is indented and may wrap (its lines
    are joined with a space, so a wrapped name or sentence reads whole again).
    """
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("─")) + 1
    rows = []
    for line in lines[start:]:
        if line.startswith("─"):
            break
        if line.startswith(" "):
            rows[-1][1].append(line.strip())
        else:
            rows.append((re.split(r"\s{2,}", line.strip()), []))
    return [(cells, " ".join(second)) for cells, second in rows]


def peak_import(db_path, path, *options):
    """Run `wksbm import` in a child process (address space capped at 1 GiB); its exit code, stderr, peak MiB."""
    code = ("import resource, subprocess, sys\n"
            "cap = lambda: resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
            "run = subprocess.run(sys.argv[1:], capture_output=True, text=True, preexec_fn=cap)\n"
            "sys.stderr.write(run.stderr)\n"
            "print(run.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    child = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "wksbm_cli", "--db", str(db_path),
                            "import", str(path), *options], capture_output=True, text=True, timeout=300)
    returncode, peak_kib = child.stdout.split()
    return int(returncode), child.stderr, int(peak_kib) / 1024


def new_raw_database(path, officer=None):
    """A connection to a new, empty file at `path` with wksbm's SQL functions, for building a database as an
    older wksbm made it (db.connect opens only existing wksbm databases)."""
    from wksbm_cli.db import register
    from wksbm_cli.files import create_private_file

    create_private_file(path)  # as wksbm makes its files
    conn = sqlite3.connect(path, isolation_level=None)
    register(conn, officer)
    return conn


def workbook(path, sheets):
    """An XLSX at `path` with one sheet per `sheets` item (title: rows), made with openpyxl."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path

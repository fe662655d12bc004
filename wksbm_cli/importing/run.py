"""`wksbm import`: every file of one call, in dependency order, in one transaction."""

import contextlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from wksbm_cli.db import transaction
from wksbm_cli.errors import WksbmError
from wksbm_cli.i18n import ngettext
from wksbm_cli.importing.activities import ActivityKind
from wksbm_cli.importing.batch import Counts, Problems, import_table
from wksbm_cli.importing.cases import CaseKind
from wksbm_cli.importing.failures import Failures
from wksbm_cli.importing.headers import KINDS
from wksbm_cli.importing.institutions import InstitutionKind
from wksbm_cli.importing.readers import open_table
from wksbm_cli.importing.rules import Villages
from wksbm_cli.importing.sources import discover
from wksbm_cli.importing.table import FileProblem, Options
from wksbm_cli.importing.villages import VillageKind
from wksbm_cli.services import imports


class ImportRejected(WksbmError):
    """Some rows are invalid, so nothing was imported; the message lists every problem."""

    def __init__(self, problems: Problems, dry_run: bool):
        rows = ngettext("{count} row", "{count} rows", problems.rows).format(count=problems.rows)
        if dry_run:
            head = ngettext("the import would fail: {count} problem in {rows}:",
                            "the import would fail: {count} problems in {rows}:", problems.count)
        else:
            head = ngettext("nothing was imported: {count} problem in {rows}:",
                            "nothing was imported: {count} problems in {rows}:", problems.count)
        listed, more = problems.report()
        lines = [head.format(count=problems.count, rows=rows), *listed]
        if more:
            lines.append(ngettext("… and {count} more", "… and {count} more", more).format(count=more))
        super().__init__("\n".join(lines))
        self.problems = problems


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


@dataclass
class ImportResult:
    """What an import did (or would do), per kind, and the files it read."""

    counts: dict[str, Counts] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    dry_run: bool = False
    import_id: int | None = None  # its `imports` row (`wksbm import undo ID`); None for a dry run

    def rows(self) -> list[dict]:
        """One row per kind imported: kind, files, rows, inserted, updated, unchanged."""
        return [{"kind": kind, **vars(counts)} for kind, counts in self.counts.items()]


def import_files(
    conn: sqlite3.Connection,
    paths: list[str],
    kind: str | None = None,
    options: Options | None = None,
    dry_run: bool = False,
    warn: Callable[[str], None] = lambda text: None,
    progress: Callable[[str, int | None, int | None], None] = lambda label, done, total: None,
) -> ImportResult:
    """Import PATH… (files, folders, `-`) in one transaction; raises ImportRejected if any row is invalid."""
    options = options or Options()
    sources = discover(paths, kind, options.sheet, warn)
    result = ImportResult(dry_run=dry_run)
    problems = Problems()
    try:
        with _statement_journal_in_memory(conn), transaction(conn):
            mark = imports.begin_import(conn)
            _import_sources(conn, sources, options, result, problems, warn, progress, mark.id)
            if problems.count:
                raise ImportRejected(problems, dry_run)
            if dry_run:
                raise _DryRun()
            imports.record_import(conn, mark, sources, {kind: vars(counts) for kind, counts in result.counts.items()})
            result.import_id = mark.id
    except _DryRun:
        pass
    return result


@contextlib.contextmanager
def _statement_journal_in_memory(conn: sqlite3.Connection):
    """temp_store=MEMORY while importing (only settable outside a transaction).

    Every insert into an audited table fires a trigger, so SQLite keeps a statement journal for
    each row; in a temporary file that costs more per row the bigger the transaction grows
    (100,000 cases: 4.1 s of CPU instead of 2.9 s). In memory it holds one row's pages at a time.
    """
    if conn.in_transaction:
        yield
        return
    before = conn.execute("PRAGMA temp_store").fetchone()[0]
    conn.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        if not conn.in_transaction:
            conn.execute(f"PRAGMA temp_store = {int(before)}")


def _import_sources(conn, sources, options, result, problems, warn, progress, import_id) -> None:
    failures = Failures()  # rows that failed: a later kind's reference to their records says so
    villages = Villages(conn, failures)
    kinds = {}
    for source in sources:
        if source.kind not in kinds:
            villages.forget()  # the villages a previous kind added are found from now on
            kinds[source.kind] = _make_kind(source.kind, conn, warn, villages)
            kinds[source.kind].import_id = import_id
            kinds[source.kind].failures = failures
        counts = result.counts.setdefault(source.kind, Counts())
        counts.files += 1
        result.files.append(source.label)
        try:
            table = open_table(source, options, warn)
            tick = lambda: progress(source.label, table.position(), table.size)
            _run_table(kinds[source.kind], table, counts, problems, tick, warn)
        except FileProblem as problem:
            problems.add(source.label, problem.line, "", None, problem.reason)
            failures.add_file(source.kind, source.label)
    result.counts = {kind: result.counts[kind] for kind in KINDS if kind in result.counts}


def _run_table(kind, table, counts, problems, tick, warn) -> None:
    records = table.records
    warned = False

    def with_warning():
        nonlocal warned
        for record in records:
            if not warned and table.unknown:
                warned = True
                warn(ngettext("{file}: ignored column wksbm does not know: {columns}",
                              "{file}: ignored columns wksbm does not know: {columns}", len(table.unknown))
                     .format(file=table.source.label, columns=", ".join(table.unknown)))
            yield record

    table.records = with_warning()
    import_table(kind, table, counts, problems, tick)


def _make_kind(kind: str, conn, warn, villages: Villages):
    if kind == "villages":
        return VillageKind(conn, warn)
    cls = {"institutions": InstitutionKind, "activities": ActivityKind, "cases": CaseKind}[kind]
    return cls(conn, warn, villages)

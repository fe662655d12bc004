"""`wksbm merge` and `wksbm conflicts`: bring officers' databases together, settle what clashed."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from wksbm_cli.context import connection, session, writing
from wksbm_cli.i18n import _, ngettext
from wksbm_cli.output import message, print_json, print_table


class ReportFormat(str, Enum):
    table = "table"
    json = "json"


ReportFormatOption = Annotated[
    ReportFormat, typer.Option("--format", "-f", help=_("Output as a table or JSON."), case_sensitive=False)
]


def merge(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help=_("Other wksbm databases (an officer's file or a backup of it)."),
                                                show_default=False, dir_okay=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("Report what the merge would do; write nothing."))] = False,
    format_: ReportFormatOption = ReportFormat.table,
) -> None:
    """Merge other officers' databases into this one, with their history; clashes become conflicts.

    Records match by uid; villages and institutions made apart are linked; changes made on one side
    since the two last agreed are taken; different changes to one field are stored as conflicts for
    `wksbm conflicts`. All files or none. Example: wksbm merge /media/usb/tksk-besuk.db --dry-run
    """
    from wksbm_cli.merge.run import dry_run_connection, merge_files

    state = session(ctx)
    if dry_run:
        conn = dry_run_connection(state.db_path, state.officer)
        try:
            report = merge_files(conn, files, state.db_path)
        finally:
            conn.close()
    else:
        report = merge_files(connection(ctx, create=True), files, state.db_path)
    if format_ is ReportFormat.json:
        print_json(report)
    else:
        _print_report(report)
    conflicts = len(report["conflicts"])
    if dry_run:
        message(_("Dry run: nothing was written."))
    elif conflicts:
        message(ngettext("{n} conflict kept this database's value: `wksbm conflicts` lists it.",
                         "{n} conflicts kept this database's values: `wksbm conflicts` lists them.",
                         conflicts).format(n=conflicts))


def _print_report(report: dict) -> None:
    from wksbm_cli.merge.report import COUNTS

    rows = [{"kind": kind, **counts} for kind, counts in report["kinds"].items()]
    print_table(rows, ["kind", *COUNTS], title=_("Merged: {files}").format(files=", ".join(report["files"])))
    if report["conflicts"]:
        print_table(report["conflicts"], ["id", "kind", "record", "field", "here", "incoming", "source"],
                    title=_("Conflicts (this database kept its value)"))
    if report["duplicates"]:
        print_table(report["duplicates"], ["record", "other", "match", "nik", "person_name", "village"],
                    title=_("Possible duplicates (kept separate: review them)"))
    if report["renamed_refs"]:
        print_table(report["renamed_refs"], ["ref", "renamed_to", "database", "source"],
                    title=_("Renamed refs (two different cases had one ref)"))


conflicts_app = typer.Typer(help=_("Conflicts a merge found: list them, settle each."), invoke_without_command=True)


@conflicts_app.callback()
def conflicts_default(ctx: typer.Context, format_: ReportFormatOption = ReportFormat.table) -> None:
    """Conflicts merges found: with no command, list the open ones (as `wksbm conflicts list`).

    Example: wksbm conflicts resolve 1 --take incoming
    """
    if ctx.invoked_subcommand is None:
        _list(ctx, False, format_)


@conflicts_app.command("list")
def list_(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help=_("Settled ones too."))] = False,
    format_: ReportFormatOption = ReportFormat.table,
) -> None:
    """List the conflicts merges stored: record, field, this database's value and the incoming one.

    Example: wksbm conflicts list --format json
    """
    _list(ctx, all_, format_)


def _list(ctx: typer.Context, everything: bool, format_: ReportFormat) -> None:
    from wksbm_cli.merge.conflicts import LIST_COLUMNS, TABLE_COLUMNS, conflict_rows

    rows = conflict_rows(connection(ctx), everything=everything)
    if format_ is ReportFormat.json:
        print_json([{key: row[key] for key in LIST_COLUMNS} for row in rows])
    elif rows:
        print_table(rows, TABLE_COLUMNS)
    else:
        message(_("No open conflicts."))


@conflicts_app.command("resolve")
def resolve(
    ctx: typer.Context,
    conflict_id: Annotated[int, typer.Argument(metavar="ID", help=_("The conflict's id (from `wksbm conflicts`)."), show_default=False)],
    take: Annotated[str, typer.Option("--take", help=_("here (keep this database's value) or incoming."), show_default=False)],
) -> None:
    """Settle a conflict: keep this database's value or take the incoming one (audited).

    Example: wksbm conflicts resolve 1 --take incoming
    """
    from wksbm_cli.errors import UsageError
    from wksbm_cli.merge.conflicts import resolve_conflict

    take = take.strip().lower()
    if take not in ("here", "incoming"):
        raise UsageError(_("--take is 'here' or 'incoming', not '{value}'").format(value=take))
    with writing(ctx) as conn:
        row = resolve_conflict(conn, conflict_id, take)
    message(_("Conflict {id} settled: {record} {field} is {value}.").format(
        id=row["id"], record=row["record"], field=row["field"], value=row["here"] if take == "here" else row["incoming"]))

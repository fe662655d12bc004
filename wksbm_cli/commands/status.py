"""`wksbm info`, `check` and `backup`: where the database is, whether it is sound, a safe copy."""

from pathlib import Path
from typing import Annotated

import typer

from wksbm_cli.context import connection, session
from wksbm_cli.errors import WksbmError
from wksbm_cli.i18n import _, ngettext
from wksbm_cli.output import Format, FormatOption, message, print_fields, print_json, render
from wksbm_cli.services.status import database_info


def init(
    ctx: typer.Context,
    path: Annotated[Path | None, typer.Argument(help=_("The new database file (default: --db, else $WKSBM_DB, else the per-user file)."), show_default=False)] = None,
) -> None:
    """Create an empty wksbm database (read commands never create one; add and import do).

    Example: wksbm init ~/dinsos/besuk.db
    """
    from wksbm_cli.services.status import init_database

    target = path.expanduser() if path is not None else session(ctx).db_path
    result = init_database(target, session(ctx).officer)
    if result["created"]:
        message(_("Created a new database at {path}.").format(path=target))
    else:
        message(_("{path} is already a wksbm database (schema version {version}); nothing changed.")
                .format(path=target, version=result["schema_version"]))


def info(ctx: typer.Context, format_: FormatOption = Format.table) -> None:
    """Show where the database is, its schema version and how many records it holds.

    Example: wksbm info
    """
    details = database_info(connection(ctx), session(ctx).db_path)
    if format_ is Format.table:
        print_fields(details)
    elif format_ is Format.csv:
        render([details], format_)
    else:
        print_json(details)


def check(ctx: typer.Context, format_: FormatOption = Format.table) -> None:
    """Check the database: integrity, foreign keys, schema, reference tables, audit triggers, file mode.

    Exits 1 naming each problem if anything is wrong. Example: wksbm check
    """
    from wksbm_cli.services.status import check_database

    results = check_database(connection(ctx), session(ctx).db_path)
    if format_ is Format.json:
        print_json({"ok": all(result["ok"] for result in results), "checks": results})
    else:
        # A table, for people, names each check in the interface language, one problem per line; CSV as stored.
        table = format_ is Format.table
        passed, failed = (_("ok"), _("FAILED")) if table else ("ok", "FAILED")
        rows = [{"check": _(result["check"]) if table else result["check"], "ok": passed if result["ok"] else failed,
                 "problems": ("\n" if table else "; ").join(result["problems"])} for result in results]
        render(rows, format_, ["check", "ok", "problems"])
    problems = [problem for result in results for problem in result["problems"]]
    if problems:
        shown = "; ".join(problems[:3])
        if len(problems) > 3:
            shown = ngettext("{problems} (and {count} more)", "{problems} (and {count} more)", len(problems) - 3).format(
                problems=shown, count=len(problems) - 3)
        raise WksbmError(_("the database check failed: {problems}").format(problems=shown))


def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help=_("Where to write the copy."), show_default=False)],
    force: Annotated[bool, typer.Option("--force", help=_("Replace FILE if it exists."))] = False,
) -> None:
    """Copy the database to FILE (readable by you only), consistent even while others write.

    Example: wksbm backup /media/usb/wksbm-2021-12-31.db
    """
    from wksbm_cli.services.status import backup_database

    result = backup_database(connection(ctx), session(ctx).db_path, file, force=force)
    message(_("Backed up {database} to {backup} ({size:,} bytes).").format(
        database=session(ctx).db_path, backup=result["backup"], size=result["size_bytes"]))

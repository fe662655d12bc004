"""The `wksbm` command: global options, sub-command groups, and the one place errors are printed."""

import sqlite3
import sys
from typing import Annotated

import typer
from typer.core import TyperGroup

from wksbm_cli import __version__
from wksbm_cli.commands import activity, case, institution, log, reference, region, status, summary, transfer, village
from wksbm_cli.context import Session, officer_name
from wksbm_cli.db import database_path
from wksbm_cli.errors import WksbmError


class WksbmGroup(TyperGroup):
    """Turns the project's exceptions into one stderr line and an exit code."""

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except WksbmError as error:
            _fail(ctx, str(error), error.exit_code)
        except sqlite3.OperationalError as error:
            _fail(ctx, f"database problem: {error}", 1)
        except sqlite3.DatabaseError as error:
            _fail(ctx, f"the database file is damaged or not a wksbm database: {error}", 1)
        except OSError as error:
            _fail(ctx, f"{error.strerror or error}: {error.filename or ''}".rstrip(": "), 1)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as error:
            if hasattr(error, "format_message"):  # Typer's own usage errors: it prints them, exit 2
                raise
            # A bug: say so in one line; --debug shows the traceback.
            _fail(ctx, f"unexpected {type(error).__name__}: {error} (run with --debug for details)", 1)
        finally:
            if isinstance(ctx.obj, Session):
                ctx.obj.close()


def _fail(ctx: typer.Context, text: str, code: int) -> None:
    if isinstance(ctx.obj, Session) and ctx.obj.debug:
        raise
    sys.stderr.write(f"Error: {text}\n")
    raise typer.Exit(code)


app = typer.Typer(
    cls=WksbmGroup,
    name="wksbm",
    help="Track each village's WKSBM network and its PMKS cases in a local database.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"wksbm {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database file (default: $WKSBM_DB, else the per-user file `wksbm info` shows).", show_default=False),
    ] = None,
    officer: Annotated[
        str | None,
        typer.Option("--officer", help="Your name for the audit log (default: $WKSBM_OFFICER, else your login)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback when something fails.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """wksbm: villages' WKSBM networks, their institutions, activities and PMKS cases."""
    ctx.obj = Session(db_path=database_path(db), officer=officer_name(officer), debug=debug)


app.add_typer(village.app, name="village")
app.add_typer(institution.app, name="institution")
app.add_typer(activity.app, name="activity")
app.add_typer(case.app, name="case")
app.add_typer(region.app, name="region")
reference.register(app)
status.register(app)
log.register(app)
transfer.register(app)
summary.register(app)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="wksbm")

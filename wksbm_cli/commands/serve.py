"""`wksbm serve`: the read-only web view for supervisors (Datasette over a copy without personal data)."""

from typing import Annotated

import typer

from wksbm_cli.context import connection, session
from wksbm_cli.i18n import _


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help=_("Address to listen on; anything but loopback needs --password-env."))] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help=_("Port to listen on."), min=1, max=65535)] = 8001,
    password_env: Annotated[str | None, typer.Option(
        "--password-env", metavar="VAR", help=_("Name of the environment variable holding the password visitors must give."),
        show_default=False)] = None,
) -> None:
    """Open a read-only web view of the summary, villages and institutions, without any personal data.

    Example: wksbm serve --host 0.0.0.0 --password-env WKSBM_WEB_PASSWORD
    """
    # Datasette is imported here only: no other command pays for it (start-up budget).
    from wksbm_cli.web.server import password_for, serve as run

    password_for(host, password_env)  # refuse before the database is even opened
    connection(ctx)  # a wksbm database, up to date, or a clear refusal
    run(session(ctx).db_path, host, port, password_env)

"""Start the web view: check where it may listen, make the publishing copy, run Datasette on it."""

import ipaddress
import os
import signal
import socket
import sys
from pathlib import Path

from wksbm_cli.errors import WksbmError
from wksbm_cli.i18n import _, language


def is_loopback(host: str) -> bool:
    """Does `host` reach only this computer (127.0.0.0/8, ::1, localhost)?"""
    text = host.strip().strip("[]").lower()
    if text == "localhost":
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False  # any other name may resolve to an outside address


def password_for(host: str, password_env: str | None) -> str | None:
    """The password from $`password_env`, or None on loopback without one; refuses an outside host without one."""
    if password_env is None:
        if not is_loopback(host):
            raise WksbmError(_("refusing to listen on {host} without a password: beyond this computer the view "
                               "needs one; put it in an environment variable and pass --password-env VAR")
                             .format(host=host))
        return None
    password = os.environ.get(password_env, "")
    if not password:
        raise WksbmError(_("--password-env {var}: the environment variable {var} is not set or empty")
                         .format(var=password_env))
    return password


def load_datasette():
    """Datasette and uvicorn, or a clear sentence when the `web` extra is not installed."""
    try:
        import uvicorn
        from datasette.app import Datasette
        from datasette.plugins import pm
    except ImportError:
        raise WksbmError(_("the web view needs Datasette: install wksbm with its web extra "
                           "(pip install 'wksbm[web]')")) from None
    return Datasette, pm, uvicorn


def serve(database: Path, host: str, port: int, password_env: str | None) -> None:
    """Serve the read-only web view of `database` at host:port until interrupted."""
    password = password_for(host, password_env)
    Datasette, pm, uvicorn = load_datasette()
    _check_port(host, port)
    from wksbm_cli.web.pages import DATABASE
    from wksbm_cli.web.plugin import WksbmPlugin
    from wksbm_cli.web.publish import PRIVATE_TABLES, Publisher

    publisher = Publisher(database)
    plugin = WksbmPlugin(publisher, password)
    indonesian = language() == "id"
    pm.register(plugin, name="wksbm-web")
    try:
        datasette = Datasette(
            files=[str(publisher.path)],
            # Datasette's own pages (tables, rows, the table list) with their words in Indonesian;
            # in English, Datasette's templates as they are.
            template_dir=str(TEMPLATES_ID) if indonesian else None,
            settings={
                "allow_download": False, "default_allow_sql": False, "allow_csv_stream": True,
                "suggest_facets": False, "sql_time_limit_ms": 5000,
            },
            metadata={
                "title": _("WKSBM progress (no personal data)"),
                "allow_sql": False,
                "databases": {DATABASE: {
                    "allow_sql": False,
                    "tables": {**(tables_metadata() if indonesian else {}),
                               **{table: {"hidden": True} for table in PRIVATE_TABLES}},
                }},
            },
        )
        shown = f"[{host}]" if ":" in host else host
        sys.stderr.write(_("Serving the web view of {db} at http://{host}:{port}/ (no personal data; "
                           "Ctrl+C stops it).").format(db=database, host=shown, port=port) + "\n")
        sys.stderr.flush()
        # uvicorn stops gracefully on SIGTERM, then raises the signal again: let that end us through
        # `finally`, so the copy is removed, as it is on Ctrl+C.
        signal.signal(signal.SIGTERM, _exit_quietly)
        uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1)
    finally:
        pm.unregister(plugin)
        publisher.close()


TEMPLATES_ID = Path(__file__).resolve().parent / "templates" / "id"


def tables_metadata() -> dict[str, dict]:
    """Each published table's title, description and column descriptions, in the interface language."""
    record, village, institution = (_("record number in this view"), _("the village's record number (villages)"),
                                    _("the institution's record number (institutions)"))
    in_indonesian, in_english = _("name in Indonesian"), _("name in English")
    tables = {
        "villages": (_("Villages"), _("Each village: its code, kecamatan, kabupaten and the decree (SK) that "
                                      "formed its WKSBM."),
                     {"id": record, "code": _("Code"), "name": _("Name"), "kecamatan": _("Kecamatan"),
                      "kabupaten": _("Kabupaten"), "formed_on": _("WKSBM formed on"), "decree": _("Decree (SK)")}),
        "institutions": (_("Institutions"), _("Each institution of a village and when it joined the WKSBM "
                                              "(no leaders' names)."),
                         {"id": record, "village_id": village, "name": _("Name"), "type": _("Type"),
                          "members": _("Members"), "joined_on": _("Joined the WKSBM on")}),
        "activities": (_("activities"), _("Each activity held: when, in which village, by which institution, "
                                          "how many attended (no titles)."),
                       {"id": record, "village_id": village, "institution_id": institution, "kind": _("Kind"),
                        "held_on": _("Date"), "attendees": _("Attendees")}),
        "case_counts": (_("Case counts"), _("Cases per kecamatan and PMKS category, never per person nor per "
                                            "village."),
                        {"kabupaten": _("Kabupaten"), "kecamatan": _("Kecamatan"), "category": _("category"),
                         "reported": _("cases reported"), "open": _("Cases open"), "resolved": _("Cases resolved"),
                         "closed": _("Cases closed")}),
        "institution_types": (_("institution types"), None,
                              {"code": _("Code"), "name_id": in_indonesian, "name_en": in_english}),
        "pmks_categories": (_("PMKS categories"), None,
                            {"code": _("Code"), "number": _("number in the PMKS list"), "name_id": in_indonesian,
                             "name_en": in_english}),
    }
    return {table: {"title": title[:1].upper() + title[1:], "columns": columns,
                    **({"description": description} if description else {})}
            for table, (title, description, columns) in tables.items()}


def _exit_quietly(signum, frame) -> None:
    raise SystemExit(0)


def _check_port(host: str, port: int) -> None:
    """Refuse at once, in a sentence, when the address cannot be listened on (in use, not ours)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host.strip("[]"), port))
    except OSError as error:
        raise WksbmError(_("cannot listen on {host}:{port}: {reason}").format(
            host=host, port=port, reason=error.strerror or error)) from None

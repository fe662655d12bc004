"""wksbm's Datasette plugin: its pages, its SQL functions, who may see anything, and what nobody may.

Registered on Datasette's plugin manager as an object (pluggy takes any namespace with hookimpls),
so each `serve` carries its own publishing copy and password, and nothing is read from metadata
(which Datasette publishes at /-/metadata).
"""

import asyncio
import base64
import binascii
import hmac
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response

from wksbm_cli import db, stages
from wksbm_cli.dates import parse_date, today
from wksbm_cli.errors import NotFound, WksbmError
from wksbm_cli.i18n import _
from wksbm_cli.reports.summary import BY
from wksbm_cli.web import data, pages
from wksbm_cli.web.publish import PRIVATE_TABLES, Publisher

DATABASE = pages.DATABASE
REALM = "wksbm"
# Nobody, whatever they send, may run SQL of their own, download a database, or see another database.
_NEVER = {"execute-sql", "view-database-download", "permissions-debug", "debug-menu"}


class WksbmPlugin:
    """The hooks of one running web view: `publisher` keeps the copy, `password` (or None) guards it."""

    def __init__(self, publisher: Publisher, password: str | None):
        self.publisher, self.password = publisher, password
        self.__name__ = __name__  # Datasette lists plugins by module name (/-/plugins)
        # The stages over time evaluate every quarter end: kept per copy, as-of date and kecamatan.
        self._trends: dict[tuple, dict] = {}

    # --- SQL and the copy -------------------------------------------------------------------------

    @hookimpl
    def prepare_connection(self, conn, database):
        """The stage SQL needs wksbm's functions on every connection Datasette opens to the copy."""
        if database == DATABASE:
            db.register(conn, "wksbm-web")
            stages.register_median(conn)

    @hookimpl
    def asgi_wrapper(self, datasette):
        """Before any request: refuse it without the password; remake the copy if the database changed."""

        def wrap(app):
            async def guarded(scope, receive, send):
                if scope["type"] == "http":
                    if self.password is not None and not self._authorized(scope):
                        await _send_unauthorized(send)
                        return
                    await asyncio.to_thread(self.publisher.refresh)
                await app(scope, receive, send)

            return guarded

        return wrap

    # --- who may see what -------------------------------------------------------------------------

    @hookimpl
    def actor_from_request(self, datasette, request):
        """Whoever gave the password is the supervisor; with no password set, loopback visitors are."""
        if self.password is None or self._authorized(request.scope):
            return {"id": "supervisor", "display": _("supervisor")}  # shown in the page header
        return None

    @hookimpl
    def permission_allowed(self, datasette, actor, action, resource):
        """No SQL, no downloads, no private table, no other database; nothing at all without the actor."""
        if action in _NEVER:
            return False
        if self.password is not None and actor is None:
            return False
        if action == "view-database" and resource != DATABASE:
            return False
        if action == "view-table" and (resource[0] != DATABASE or resource[1] in PRIVATE_TABLES):
            return False
        if action == "view-query":  # wksbm publishes no canned queries
            return False
        return None

    def _authorized(self, scope: dict[str, Any]) -> bool:
        """Does the request carry HTTP basic credentials with the password (any user name)?"""
        header = dict(scope.get("headers") or []).get(b"authorization", b"")
        scheme, _space, encoded = header.partition(b" ")
        if scheme.lower() != b"basic":
            return False
        try:
            _user, _colon, given = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return hmac.compare_digest(given.encode("utf-8"), self.password.encode("utf-8"))

    # --- pages ------------------------------------------------------------------------------------

    @hookimpl
    def register_routes(self, datasette):
        """The summary is the home page; per area, per village, and the summary's JSON beside it."""
        return [
            (r"^/$", self.summary_view),
            (r"^/summary\.json$", self.summary_json),
            (r"^/trend\.json$", self.trend_json),
            (r"^/(?P<by>kecamatan|kabupaten)$", self.areas_view),
            (r"^/village/(?P<village_id>[0-9]{1,18})$", self.village_view),
        ]

    async def summary_view(self, datasette, request):
        async def page(conn_run, as_of):
            kecamatan = request.args.get("kecamatan") or None
            report = await conn_run(lambda conn: data.summary(conn, as_of, "village", kecamatan))
            links = await conn_run(data.village_ids)
            trend = await self._trend(conn_run, as_of, kecamatan)
            return Response.html(pages.summary_page(report, links, self.publisher.built_at, kecamatan, trend))

        return await self._answer(datasette, request, page)

    async def summary_json(self, datasette, request):
        async def answer(conn_run, as_of):
            by = request.args.get("by") or "village"
            if by not in BY:
                raise WksbmError(_("by is one of {choices}").format(choices=", ".join(BY)))
            kecamatan = request.args.get("kecamatan") or None
            report = await conn_run(lambda conn: data.summary(conn, as_of, by, kecamatan))
            return Response.json(report)

        return await self._answer(datasette, request, answer, json=True)

    async def trend_json(self, datasette, request):
        async def answer(conn_run, as_of):
            return Response.json(await self._trend(conn_run, as_of, request.args.get("kecamatan") or None))

        return await self._answer(datasette, request, answer, json=True)

    async def areas_view(self, datasette, request):
        async def page(conn_run, as_of):
            by = request.url_vars["by"]
            report = await conn_run(lambda conn: data.summary(conn, as_of, by))
            trend = await self._trend(conn_run, as_of, None)
            return Response.html(pages.areas_page(report, self.publisher.built_at, trend))

        return await self._answer(datasette, request, page)

    async def village_view(self, datasette, request):
        async def page(conn_run, as_of):
            village_id = int(request.url_vars["village_id"])
            village = await conn_run(lambda conn: data.village(conn, village_id, as_of))
            return Response.html(pages.village_page(village, self.publisher.built_at))

        return await self._answer(datasette, request, page)

    async def _trend(self, conn_run, as_of: str, kecamatan: str | None) -> dict:
        """`summary --trend`'s JSON for these villages, computed once per copy of the database."""
        key = (self.publisher.builds, as_of, kecamatan)
        if key not in self._trends:
            if len(self._trends) >= 64:
                self._trends.clear()
            self._trends[key] = await conn_run(lambda conn: data.trend(conn, as_of, kecamatan))
        return self._trends[key]

    async def _answer(self, datasette, request, respond, json: bool = False):
        """Run `respond(run_on_copy, as_of)`; a wksbm error (bad date, unknown village) is a 400/404 page."""
        database = datasette.get_database(DATABASE)
        try:
            as_of = parse_date(request.args["as_of"]) if request.args.get("as_of") else today()
            return await respond(database.execute_fn, as_of)
        except WksbmError as error:
            status = 404 if isinstance(error, NotFound) else 400
            if json:
                return Response.json({"ok": False, "error": str(error)}, status=status)
            return Response.html(pages.error_page(str(error), self.publisher.built_at), status=status)


async def _send_unauthorized(send) -> None:
    body = _("A password is needed to see this page.").encode("utf-8")
    await send({"type": "http.response.start", "status": 401, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"www-authenticate", f'Basic realm="{REALM}", charset="UTF-8"'.encode("ascii")),
        (b"content-length", str(len(body)).encode("ascii")),
    ]})
    await send({"type": "http.response.body", "body": body})

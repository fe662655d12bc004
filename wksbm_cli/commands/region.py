"""`wksbm region …`: look up the bundled Kemendagri list and load its villages."""

from typing import Annotated

import typer

from wksbm_cli.context import writing
from wksbm_cli.i18n import _, ngettext
from wksbm_cli.output import Format, FormatOption, message, render

app = typer.Typer(help=_("The bundled Kemendagri region list (provinces to villages)."), no_args_is_help=True)

# The service (and the region list behind it) is imported inside each command: commands that
# never need the list must not pay for loading it at start-up.


@app.command("search")
def search(
    text: Annotated[str, typer.Argument(help=_("A name (\"besuk agung\", typos forgiven) or a code (35.13)."), show_default=False)],
    within: Annotated[str | None, typer.Option("--in", help=_("Only under this province/kabupaten/kecamatan code."))] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help=_("Show at most this many regions."))] = 20,
    format_: FormatOption = Format.table,
) -> None:
    """Find provinces, kabupaten, kecamatan and villages by name or code, with their full path.

    Example: wksbm region search "besuk agung" --in 35.13
    """
    from wksbm_cli.services import regions

    rows = regions.search_regions(text, within, limit + 1)  # one more than shown: are there others?
    if not rows:
        message(_("No region matches '{text}'.").format(text=text))
        return
    render(rows[:limit], format_, regions.TABLE_COLUMNS if format_ is Format.table else regions.SEARCH_COLUMNS)
    if len(rows) > limit:
        message(ngettext("The best {limit} match is shown, and more regions match; --limit N or --in CODE",
                         "The best {limit} matches are shown, and more regions match; --limit N or --in CODE",
                         limit).format(limit=limit))


@app.command("load")
def load(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=_("Province (35), kabupaten (35.13) or kecamatan (35.13.13) code."), show_default=False)],
) -> None:
    """Add every village under a region code, with its kecamatan and kabupaten (safe to repeat).

    Example: wksbm region load 35.13
    """
    from wksbm_cli.services import regions

    with writing(ctx) as conn:
        result = regions.load_villages(conn, code)
    if result["given_code"]:
        text = ngettext(
            "{path} ({code}): {villages} village; added {added}, {present} already present, "
            "{coded} stored without a code given theirs.",
            "{path} ({code}): {villages} villages; added {added}, {present} already present, "
            "{coded} stored without a code given theirs.", result["villages"])
    else:
        text = ngettext("{path} ({code}): {villages} village; added {added}, {present} already present.",
                        "{path} ({code}): {villages} villages; added {added}, {present} already present.", result["villages"])
    message(text.format(path=result["path"], code=result["code"], villages=result["villages"], added=result["added"],
                        present=result["already_present"], coded=result["given_code"]))

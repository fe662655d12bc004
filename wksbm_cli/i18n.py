"""The interface language: Bahasa Indonesia or English, from gettext catalogs shipped in the package.

The language is known before any command module is imported (Typer reads help texts when it loads a
command), so it comes from the environment: $WKSBM_LANG (`id` or `en`), else the locale
($LC_ALL, $LC_MESSAGES, $LANG: `id_*` is Indonesian), else English.

Mark every user-facing string: `_("Added village {name}.").format(name=...)` — whole sentences with
named placeholders — and `ngettext("{n} case", "{n} cases", n).format(n=n)` for plurals. JSON keys,
CSV headers of listings and exports, codes and refs are never translated.
"""

import gettext
import os
from functools import cache
from pathlib import Path

DOMAIN = "wksbm"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "id")


def language() -> str:
    """`id` or `en`: $WKSBM_LANG, else the first locale variable that is set, else English."""
    chosen = os.environ.get("WKSBM_LANG", "").strip().lower()
    if chosen:
        return "id" if chosen.startswith("id") else "en"
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "").strip()
        if value:
            return "id" if value.lower().startswith("id") else "en"
    return "en"


@cache
def _catalog(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


def translations() -> gettext.NullTranslations:
    """The catalog of the current language (English falls back to the source strings)."""
    return _catalog(language())


def _(message: str) -> str:
    """`message` in the interface language."""
    return translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for count `n`, in the interface language."""
    return translations().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks `message` for translation where it is defined; translate it with _() where it is shown."""
    return message

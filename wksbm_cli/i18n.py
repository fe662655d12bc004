"""The interface language: Bahasa Indonesia or English, from gettext catalogs shipped in the package.

The language is known before any command module is imported (Typer reads help texts when it loads a
command), so it comes from the environment: $WKSBM_LANG (`id` or `en`), else the locale
($LC_ALL, $LC_MESSAGES, $LANG: `id_*` is Indonesian), else English.

Mark every user-facing string: `_("Added village {name}.").format(name=...)` — whole sentences with
named placeholders — and `ngettext("{n} case", "{n} cases", n).format(n=n)` for plurals. JSON keys,
CSV headers of listings and exports, codes and refs are never translated.
"""

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


class _Source:
    """English: the source strings themselves (no catalog to read, and no gettext import at start-up)."""

    @staticmethod
    def gettext(message: str) -> str:
        return message

    @staticmethod
    def ngettext(singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural


@cache
def _catalog(lang: str):
    if lang == "en":
        return _Source
    import gettext

    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


def translations():
    """The catalog of the current language (English is the source strings)."""
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


class Wording(str):
    """Text worded in English — what JSON and CSV carry, whatever the language — that a person's view shows translated.

    Made from a template marked with N_() and its fields: `Wording(N_("formed on {date}"), date=d)`;
    `Wording.counted(singular, plural, n, …)` picks the plural form. The string itself is the English
    text; `localized()` translates the template and shows each field as the interface does (a nested
    Wording translated, a date DD/MM/YYYY in Indonesian). Only the fields the template uses are kept.
    """

    template: str
    plural: str | None
    count: int | None
    fields: dict

    def __new__(cls, template: str, /, **fields):
        self = super().__new__(cls, template.format(**fields))
        self.template, self.plural, self.count, self.fields = template, None, None, fields
        return self

    @classmethod
    def counted(cls, singular: str, plural: str, count: int, /, **fields) -> "Wording":
        """The singular or plural wording for `count` (which `fields` also give the templates by name)."""
        self = super().__new__(cls, (singular if count == 1 else plural).format(**fields))
        self.template, self.plural, self.count, self.fields = singular, plural, count, fields
        return self

    def localized(self) -> str:
        """The text in the interface language."""
        template = ngettext(self.template, self.plural, self.count) if self.plural else _(self.template)
        return template.format(**{name: shown(value) for name, value in self.fields.items()})


def shown(value):
    """A value as a person's view shows it: a Wording translated, an ISO date (or timestamp) DD/MM/YYYY in Indonesian."""
    if isinstance(value, Wording):
        return value.localized()
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" == value[7:8] and language() == "id":
        return shown_date(value)
    return value


def shown_number(value) -> str:
    """A number as a person's view shows it: a decimal comma in Indonesian (73,5), a point in English (73.5)."""
    text = str(value)
    return text.replace(".", ",") if isinstance(value, float) and language() == "id" else text


def shown_date(text: str) -> str:
    """`2021-03-14` as `14/03/2021` (a timestamp keeps its time) in Indonesian; anything else unchanged."""
    head, rest = text[:10], text[10:]
    if language() != "id" or not (head[:4] + head[5:7] + head[8:10]).isdigit() or rest[:1] not in ("", "T", " "):
        return text
    return f"{head[8:10]}/{head[5:7]}/{head[:4]}" + (" " + rest[1:] if rest else "")


# Table headers and `show` field names, by column: in English the key with spaces (JSON keys and CSV
# headers stay the keys themselves).
_HEADERS = {
    "code": N_("code"), "name": N_("name"), "village": N_("village"), "kecamatan": N_("kecamatan"),
    "kabupaten": N_("kabupaten"), "province": N_("province"), "level": N_("level"), "path": N_("path"),
    "formed_on": N_("formed on"), "decree": N_("decree"), "notes": N_("notes"), "institutions": N_("institutions"),
    "stage": N_("stage"), "stage_id": N_("stage id"), "progress": N_("progress"), "next_step": N_("next step"),
    "as_of": N_("as of"), "type": N_("type"), "leader": N_("leader"), "members": N_("members"),
    "joined_on": N_("joined on"), "held_on": N_("held on"), "kind": N_("kind"), "title": N_("title"),
    "institution": N_("institution"), "attendees": N_("attendees"), "ref": N_("ref"), "category": N_("category"),
    "person_name": N_("person name"), "nik": N_("nik"), "gender": N_("gender"), "birth_year": N_("birth year"),
    "reported_on": N_("reported on"), "status": N_("status"), "handled_by": N_("handled by"),
    "resolved_on": N_("resolved on"), "on_date": N_("on date"), "old_status": N_("old status"),
    "new_status": N_("new status"), "note": N_("note"), "cases": N_("cases"), "key": N_("key"), "met": N_("met"),
    "rule": N_("rule"), "evidence": N_("evidence"), "value": N_("value"), "default": N_("default"),
    "meaning": N_("meaning"), "number": N_("number"), "name_id": N_("name id"), "name_en": N_("name en"),
    "builtin": N_("builtin"), "at": N_("at"), "officer": N_("officer"), "action": N_("action"), "table": N_("table"),
    "record": N_("record"), "changes": N_("changes"), "before": N_("before"), "after": N_("after"),
    "files": N_("files"), "rows": N_("rows"), "inserted": N_("inserted"), "updated": N_("updated"),
    "unchanged": N_("unchanged"), "check": N_("check"), "ok": N_("result"), "problems": N_("problems"),
    "created_at": N_("created at"), "updated_at": N_("updated at"), "uid": N_("uid"),
    "cases_open": N_("cases open"), "cases_resolved": N_("cases resolved"), "cases_closed": N_("cases closed"),
    "case": N_("case"), "activity": N_("activity"), "undone": N_("undone"),
    # `wksbm info`: where the database is and how many records of each kind
    "database": N_("database"), "schema_version": N_("schema version"), "size_bytes": N_("size bytes"),
    "villages": N_("villages"), "activities": N_("activities"), "case_events": N_("case events"),
    "institution_types": N_("institution types"), "pmks_categories": N_("PMKS categories"),
    "created_by": N_("created by"), "import_id": N_("import id"), "village_code": N_("village code"),
    "linked": N_("linked"), "conflicts": N_("conflicts"), "field": N_("field"), "here": N_("here"),
    "incoming": N_("incoming"), "source": N_("source"), "resolved": N_("resolved"), "found_at": N_("found at"),
}

# Stored codes a person's table shows in the Indonesian words officers use (also accepted as input).
_STATUS_WORDS = {"reported": "dilaporkan", "in_handling": "ditangani", "resolved": "selesai",
                 "referred": "dirujuk", "closed": "ditutup"}
_KIND_WORDS = {"meeting": "rapat", "program": "program", "outreach": "sosialisasi", "advocacy": "advokasi",
               "training": "pelatihan", "other": "lainnya"}
_VALUE_WORDS = {"status": _STATUS_WORDS, "old_status": _STATUS_WORDS, "new_status": _STATUS_WORDS, "kind": _KIND_WORDS}


# What people call a record of each table, one and many (JSON and CSV keep the table's name: `villages`).
_RECORD_KINDS = {
    "villages": (N_("village"), N_("villages")), "institutions": (N_("institution"), N_("institutions")),
    "activities": (N_("activity"), N_("activities")), "cases": (N_("case"), N_("cases")),
    "case_events": (N_("case status"), N_("case statuses")), "settings": (N_("setting"), N_("settings")),
    "institution_types": (N_("institution type"), N_("institution types")), "imports": (N_("import"), N_("imports")),
}


def record_kind(table: str, many: bool = False) -> str:
    """What people call a record of `table` (`villages` -> village / desa), or several with `many`."""
    words = _RECORD_KINDS.get(table)
    return _(words[many]) if words else table


def table_named(text: str) -> str | None:
    """The table a kind of record names, in either language (`desa`, `village`, `villages`, `status kasus`…); else None."""
    wanted = " ".join(text.replace("_", " ").lower().split())
    indonesian = _catalog("id")
    for table, words in _RECORD_KINDS.items():
        names = {table.replace("_", " "), *words, *(indonesian.gettext(word) for word in words)}
        if wanted in {name.lower() for name in names}:
            return table
    return None


def column_header(column: str) -> str:
    """The header a table shows for `column` in the interface language."""
    header = _HEADERS.get(column)
    return _(header) if header else column.replace("_", " ")


def has_header(column: str) -> bool:
    """Whether `column` is a column of wksbm's tables (so column_header() has words for it)."""
    return column in _HEADERS


def shown_cell(column: str, value):
    """A table cell: like shown(), and in Indonesian a stage, status or activity kind in Indonesian words."""
    if language() == "id":
        if column == "stage" and isinstance(value, str):
            from wksbm_cli.stages import STAGE_WORDS

            return STAGE_WORDS.get(value, value)
        if column == "field" and isinstance(value, str) and value in _HEADERS:  # a conflict's field: its column
            return column_header(value)
        if column == "kind" and isinstance(value, str) and value in _RECORD_KINDS:  # import and merge reports' kinds
            return record_kind(value, many=True)
        words = _VALUE_WORDS.get(column)
        if words and isinstance(value, str):
            return words.get(value, value)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
    return shown(value)


def either(items: list[str]) -> str:
    """`'a' or 'b'` / `'a', 'b' or 'c'` in the interface language (the items as given)."""
    if len(items) < 2:
        return "".join(items)
    return _("{items} or {last}").format(items=", ".join(items[:-1]), last=items[-1])


def each(items: list[str]) -> str:
    """`a and b` / `a, b and c` in the interface language (the items as given)."""
    if len(items) < 2:
        return "".join(items)
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def records_held(institutions: int = 0, activities: int = 0, cases: int = 0) -> str:
    """`2 institutions and 1 case`: the records that still name something, the zero counts left out."""
    words = [ngettext("{n} institution", "{n} institutions", institutions).format(n=institutions) if institutions else "",
             ngettext("{n} activity", "{n} activities", activities).format(n=activities) if activities else "",
             ngettext("{n} case", "{n} cases", cases).format(n=cases) if cases else ""]
    return each([word for word in words if word])


class _TyperWords:
    """Import hook: when Typer loads its help renderer, its panel titles and notes take the interface language.

    Typer marks them with the standard library's gettext (domain `messages`, which wksbm does not
    ship); they are module constants read when help is drawn, so they are set right after the
    module is loaded. Only installed for Indonesian, and the renderer stays unloaded until help
    or a usage error is shown (cold start).
    """

    WORDS = {
        "ARGUMENTS_PANEL_TITLE": N_("Arguments"), "OPTIONS_PANEL_TITLE": N_("Options"),
        "COMMANDS_PANEL_TITLE": N_("Commands"), "ERRORS_PANEL_TITLE": N_("Error"),
        "REQUIRED_LONG_STRING": N_("[required]"), "DEFAULT_STRING": N_("[default: {}]"), "ABORTED_TEXT": N_("Aborted."),
    }

    def find_spec(self, name, path=None, target=None):
        if name != "typer.rich_utils":
            return None
        import importlib.util
        import sys

        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            for attribute, words in self.WORDS.items():
                if isinstance(getattr(module, attribute, None), str):
                    setattr(module, attribute, _(words))

        spec.loader.exec_module = exec_module
        return spec


def translate_typer() -> None:
    """Typer's own help words (Options, Commands, [required] …) in Indonesian when that is the language."""
    import sys

    if language() == "id" and "typer.rich_utils" not in sys.modules:
        sys.meta_path.insert(0, _TyperWords())

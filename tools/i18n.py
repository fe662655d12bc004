"""The message catalogs: extract the interface's strings, merge them into the Indonesian catalog, compile it.

    .venv/bin/python tools/i18n.py extract   # wksbm_cli/locale/wksbm.pot from the sources (babel.cfg)
    .venv/bin/python tools/i18n.py update    # merge the .pot into wksbm_cli/locale/id/LC_MESSAGES/wksbm.po
    .venv/bin/python tools/i18n.py compile   # the .po into the .mo that ships in the package
    .venv/bin/python tools/i18n.py check     # exit 1 if a string lacks a translation or the .mo is stale

`make messages` runs extract, update and compile. Babel is a developer's tool (the `i18n` and `test`
extras): wksbm itself reads the compiled .mo with the standard library's gettext.

Besides what `_()`, `ngettext()` and `N_()` mark, the extractor takes the docstring of every
command (in the files babel.cfg gives `docstrings = true`: a function decorated `@app.command()`
or `@app.callback()`, or whose first parameter is a `typer.Context`): Typer shows it as the
command's help, and the entry point (app.py) translates it when it builds the command.
"""

import ast
from collections.abc import Iterator
import inspect
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "wksbm_cli"
POT = PACKAGE / "locale" / "wksbm.pot"
LANGUAGES = ("id",)
# `Wording.counted(singular, plural, n, …)` (i18n.py) is marked like ngettext.
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None, "counted": (1, 2)}
# Translators' notes: a comment starting with this word just above a marked string.
COMMENT_TAGS = ("TRANSLATORS:",)


def po_path(lang: str) -> Path:
    return PACKAGE / "locale" / lang / "LC_MESSAGES" / "wksbm.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def extract_wksbm(fileobj, keywords, comment_tags, options):
    """Babel extractor: the marked strings of a Python file, then its command docstrings (cleaned as Typer shows them)."""
    from babel.messages.extract import extract_python

    yield from extract_python(fileobj, keywords, comment_tags, options)
    fileobj.seek(0)
    tree = ast.parse(fileobj.read())
    yield from _in_f_strings(tree, keywords)
    if options.get("docstrings") != "true":
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and _is_command(node):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield node.body[0].lineno, "", inspect.cleandoc(doc), ["TRANSLATORS: a command's help (docstring)"]


def _in_f_strings(tree: ast.AST, keywords) -> Iterator[tuple]:
    """The marked strings inside f-strings (`f'<p>{_("Show")}</p>'`): on Python < 3.12 an f-string is one
    token, so Babel's tokenizing extractor never sees them."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        for call in ast.walk(node):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in keywords):
                continue
            strings = tuple(arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
                            for arg in call.args)
            if strings and strings[0] is not None:
                yield call.lineno, call.func.id, strings if len(strings) > 1 else strings[0], []


def _is_command(node: ast.FunctionDef) -> bool:
    """A command or a group's callback: decorated `@….command(…)`/`@….callback(…)`, or public and taking a `typer.Context` first."""
    for decorator in node.decorator_list:
        called = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(called, ast.Attribute) and called.attr in ("command", "callback"):
            return True
    arguments = node.args.posonlyargs + node.args.args
    # A private helper taking the context is not a command: its docstring is for developers.
    return (not node.name.startswith("_") and bool(arguments)
            and ast.unparse(arguments[0].annotation or ast.Constant(None)) == "typer.Context")


def extract_catalog():
    """A babel Catalog of every message in the sources, as babel.cfg maps them."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config, "babel.cfg")
    # The extractor is this module's function, whichever name it was loaded under.
    method_map = [(pattern, extract_wksbm if method.endswith(":extract_wksbm") else method) for pattern, method in method_map]
    catalog = Catalog(project="wksbm", copyright_holder="the wksbm authors", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS, comment_tags=COMMENT_TAGS, strip_comment_tags=True,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _write_po(catalog, path: Path) -> None:
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    # No line numbers: a catalog should not change each time someone adds a line above a message.
    write_po(buffer, catalog, width=100, include_lineno=False, sort_by_file=True, omit_header=False)
    text = buffer.getvalue().decode("utf-8")
    # The creation and revision dates change on every run and say nothing git does not.
    text = "\n".join(line for line in text.splitlines() if not line.startswith(('"POT-Creation-Date', '"PO-Revision-Date')))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")


def read_po(path: Path, lang: str):
    from babel.messages.pofile import read_po as babel_read_po

    with open(path, "rb") as file:
        return babel_read_po(file, locale=lang)


def compiled(lang: str) -> bytes:
    """The .mo the .po of `lang` compiles to (fuzzy and untranslated messages left out)."""
    from babel.messages.mofile import write_mo

    import datetime as dt

    catalog = read_po(po_path(lang), lang)
    # The .po keeps no dates (git has them); a fixed one keeps the .mo the same bytes on every build.
    catalog.creation_date = catalog.revision_date = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def problems(lang: str) -> list[str]:
    """Messages of the sources that `lang`'s catalog lacks, leaves fuzzy, or translates with other placeholders."""
    from string import Formatter

    def fields(text: str) -> set[str]:
        try:
            return {name for _, name, _, _ in Formatter().parse(text) if name is not None}
        except ValueError:
            return {"<not a format string>"}

    catalog = read_po(po_path(lang), lang)
    found = []
    for message in extract_catalog():
        if not message.id:
            continue
        entry = catalog.get(message.id)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = entry.string if entry is not None and isinstance(entry.string, tuple) else ((entry.string,) if entry else ())
        if entry is None or not all(strings):
            found.append(f"untranslated: {ids[0]!r}")
        elif entry.fuzzy:
            found.append(f"fuzzy: {ids[0]!r}")
        elif any(fields(string) - set().union(*map(fields, ids)) for string in strings):
            found.append(f"placeholders differ: {ids[0]!r} -> {strings!r}")
    return found


def extract() -> None:
    _write_po(extract_catalog(), POT)
    print(f"wrote {POT.relative_to(ROOT)}")


def update() -> None:
    from babel.messages.pofile import read_po as babel_read_po

    with open(POT, "rb") as file:
        template = babel_read_po(file)
    for lang in LANGUAGES:
        path = po_path(lang)
        if path.exists():
            catalog = read_po(path, lang)
        else:
            from babel.messages.catalog import Catalog

            catalog = Catalog(locale=lang, project="wksbm", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)  # a guessed translation is worse than none
        catalog.copyright_holder, catalog.language_team = "the wksbm authors", "Bahasa Indonesia"
        catalog.last_translator, catalog.msgid_bugs_address = "the wksbm authors", ""
        catalog.obsolete.clear()  # git keeps what was dropped
        _write_po(catalog, path)
        print(f"updated {path.relative_to(ROOT)}")


def compile_() -> None:
    for lang in LANGUAGES:
        mo_path(lang).write_bytes(compiled(lang))
        print(f"compiled {mo_path(lang).relative_to(ROOT)}")


def check() -> int:
    failures = []
    for lang in LANGUAGES:
        failures += [f"{lang}: {problem}" for problem in problems(lang)]
        if not mo_path(lang).exists() or mo_path(lang).read_bytes() != compiled(lang):
            failures.append(f"{lang}: {mo_path(lang).relative_to(ROOT)} is not compiled from the .po (tools/i18n.py compile)")
    print("\n".join(failures) or "catalogs complete")
    return 1 if failures else 0


def main() -> int:
    commands = {"extract": extract, "update": update, "compile": compile_, "check": check}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]]() or 0


if __name__ == "__main__":
    sys.exit(main())

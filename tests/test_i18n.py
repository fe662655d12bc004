"""The interface language: chosen from the environment, complete in Indonesian, never changing what scripts read.

Help texts are read when a command's module is imported, so tests of the language of help run
wksbm in a fresh process; messages, tables and errors are worded when shown and can be tested
in-process by setting $WKSBM_LANG.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tools():
    spec = importlib.util.spec_from_file_location("wksbm_i18n_tools", ROOT / "tools" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(*args, env=None, input=None):
    """`wksbm ARGS…` in a fresh process with exactly the given language variables (nothing else of the locale)."""
    base = {key: value for key, value in os.environ.items() if key not in ("WKSBM_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    return subprocess.run(
        [sys.executable, "-m", "wksbm_cli", *map(str, args)], capture_output=True, text=True,
        env={**base, **(env or {})}, input=input, cwd=ROOT,
    )


# The help of every command and of each of its parameters, as the interface shows them.
HELP_DUMP = """
import json, typer.main
from wksbm_cli.app import app, COMMANDS
root = typer.main.get_command(app)
ctx = typer.Context(root)
found = {"wksbm": root.help, **{"wksbm " + p.opts[-1]: p.help for p in root.get_params(ctx) if p.help}}
def walk(path, command):
    found[path] = command.help
    for param in command.params:
        if param.help:
            found[path + " " + (param.opts[0] if param.opts else param.name)] = param.help
    for name, sub in getattr(command, "commands", {}).items():
        walk(path + " " + name, sub)
for name in COMMANDS:
    walk("wksbm " + name, root.get_command(ctx, name))
print(json.dumps(found))
"""


def help_texts(lang: str) -> dict[str, str]:
    base = {key: value for key, value in os.environ.items() if key not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    result = subprocess.run([sys.executable, "-c", HELP_DUMP], capture_output=True, text=True,
                            env={**base, "WKSBM_LANG": lang}, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- the language chosen ---

@pytest.mark.parametrize(("env", "lang"), [
    ({"WKSBM_LANG": "id"}, "id"),
    ({"WKSBM_LANG": "en", "LANG": "id_ID.UTF-8"}, "en"),  # WKSBM_LANG wins over the locale
    ({"LANG": "id_ID.UTF-8"}, "id"),
    ({"LC_ALL": "id_ID.UTF-8", "LANG": "en_US.UTF-8"}, "id"),  # LC_ALL before LANG
    ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "id_ID.UTF-8"}, "en"),
    ({}, "en"),  # nothing set: English
    ({"LANG": "C.UTF-8"}, "en"),
])
def test_language_comes_from_wksbm_lang_else_the_locale_else_english(env, lang):
    result = run("--help", env=env)
    assert result.returncode == 0, result.stderr
    indonesian = "Pantau jaringan WKSBM" in result.stdout
    english = "Track each village's WKSBM network" in result.stdout
    assert (indonesian, english) == ((True, False) if lang == "id" else (False, True)), result.stdout


def test_a_help_page_in_indonesian():
    result = run("village", "add", "--help", env={"WKSBM_LANG": "id", "COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    assert "Tambahkan desa." in result.stdout
    assert "Nama desa." in result.stdout
    assert "Kode Kemendagri PP.KK.CC.DDDD." in result.stdout
    assert "Add a village" not in result.stdout
    assert "─ Opsi ─" in result.stdout and "─ Argumen ─" in result.stdout  # Typer's own panel titles


# --- the catalog is complete ---

def test_every_marked_string_has_an_indonesian_translation():
    """Every message extracted from the sources is translated (not empty, not fuzzy, same placeholders)."""
    pytest.importorskip("babel")
    problems = _tools().problems("id")
    assert problems == [], "\n".join(problems[:40]) + "\nrun: make messages, then translate wksbm_cli/locale/id/LC_MESSAGES/wksbm.po"


def test_strings_marked_inside_f_strings_are_extracted_too():
    # On Python < 3.12 an f-string is one token to Babel: f'<b>{_("Show")}</b>' went untranslated.
    import io

    pytest.importorskip("babel")
    source = b"""page = f'<a>{_h(_("Summary"))}</a>{ngettext("one {n}", "many {n}", n)}'\n"""
    found = list(_tools().extract_wksbm(io.BytesIO(source), {"_": None, "ngettext": (1, 2)}, [], {}))
    assert sorted((name, message) for _line, name, message, _comments in found) == [
        ("_", "Summary"), ("ngettext", ("one {n}", "many {n}", None))]


def test_the_shipped_catalog_is_compiled_from_the_po_file():
    pytest.importorskip("babel")
    tools = _tools()
    assert tools.mo_path("id").read_bytes() == tools.compiled("id"), "run: make messages"


def test_every_help_text_is_translated():
    """Catches strings nobody marked: every command's and option's help differs between English and Indonesian."""
    english, indonesian = help_texts("en"), help_texts("id")
    assert english.keys() == indonesian.keys()
    # Texts that read the same in both languages.
    same_in_both = {"wksbm --version"} & english.keys()
    untranslated = [path for path in english if english[path] == indonesian[path] and path not in same_in_both]
    assert untranslated == []


def test_babel_is_not_imported_at_run_time(tmp_path):
    """Babel is a developer's tool: wksbm reads the compiled catalog with the standard library (cold start)."""
    code = (
        "import sys\nfrom wksbm_cli.app import main\nsys.argv = ['wksbm', 'village', 'list']\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'babel'))\n"
    )
    env = {**os.environ, "WKSBM_LANG": "id", "WKSBM_DB": str(tmp_path / "w.db")}
    assert run("init", tmp_path / "w.db", env={"WKSBM_LANG": "id"}).returncode in (0, 2)  # `init` may not exist yet
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


def test_the_package_data_takes_in_the_compiled_catalog():
    """`pip install .` (and `pip install -e .`, which reads the checkout) ships every language's .mo."""
    import fnmatch
    import tomllib

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["wksbm_cli"]
    catalogs = [str(path.relative_to(ROOT / "wksbm_cli")) for path in (ROOT / "wksbm_cli" / "locale").glob("*/LC_MESSAGES/wksbm.mo")]
    assert catalogs == ["locale/id/LC_MESSAGES/wksbm.mo"]
    assert all(any(fnmatch.fnmatch(path, pattern) for pattern in patterns) for path in catalogs)


# --- what people read changes with the language; what scripts read does not ---

@pytest.fixture
def sample(cli):
    result = cli("import", ROOT / "sample_data")
    assert result.exit_code == 0, result.output
    return cli


READ_BY_SCRIPTS = [
    ("summary", "--as-of", "2022-12-31", "--format", "json"),
    ("summary", "--as-of", "2022-12-31", "--format", "csv"),
    ("summary", "--as-of", "2022-12-31", "--by", "kecamatan", "--format", "json"),
    ("village", "list", "--as-of", "2022-12-31", "--format", "json"),
    ("village", "list", "--as-of", "2022-12-31", "--format", "csv"),
    ("village", "show", "Alasnyiur", "--as-of", "2022-12-31", "--format", "json"),
    ("village", "show", "Sumberan", "--as-of", "2022-12-31", "--format", "csv"),
    ("criteria", "--format", "json"),
    ("institution", "list", "--format", "csv"),
    ("activity", "list", "--format", "json"),
    ("case", "list", "--format", "json"),
    ("case", "show", "KS-2021-0001", "--format", "json"),
    ("categories", "--format", "json"),
    ("types", "--format", "csv"),
]


@pytest.mark.parametrize("args", READ_BY_SCRIPTS, ids=" ".join)
def test_json_and_csv_are_the_same_bytes_in_both_languages(sample, monkeypatch, args):
    english = sample(*args)
    monkeypatch.setenv("WKSBM_LANG", "id")
    indonesian = sample(*args)
    assert (english.exit_code, indonesian.exit_code) == (0, 0), english.output + indonesian.output
    assert indonesian.stdout == english.stdout


def test_village_show_in_indonesian(sample, monkeypatch):
    monkeypatch.setenv("WKSBM_LANG", "id")
    result = sample("village", "show", "Alasnyiur", "--as-of", "31/12/2022")
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert "Tahap per 31/12/2022: berjalan" in lines
    assert "dibentuk            14/07/2020" in lines
    assert "tahap               berjalan" in lines
    assert any(line.startswith("langkah berikutnya  adakan kegiatan rutin: hanya 2 dari 3 periode 90 hari") for line in lines)
    assert "│ F2    │ ya        │ sedikitnya 3 lembaga anggota" in result.stdout
    assert "3 kegiatan dalam 90 hari terakhir (terakhir: 19/12/2022)" in result.stdout
    assert "│ 13/10/2022 │ rapat       │ Rapat evaluasi triwulan WKSBM" in result.stdout
    for english in ("active", "running", "member institution", "yes", "2022-"):
        assert english not in result.stdout


def test_village_show_in_english_names_the_stage_once(sample):
    result = sample("village", "show", "Alasnyiur", "--as-of", "31/12/2022")
    assert result.exit_code == 0, result.output
    assert "Stage as of 2022-12-31: running" in [line.rstrip() for line in result.stdout.splitlines()]
    assert "berjalan" not in result.stdout and "stage id" not in result.stdout


@pytest.mark.usefixtures("new_db")
def test_an_error_in_indonesian(cli, monkeypatch):
    monkeypatch.setenv("WKSBM_LANG", "id")
    result = cli("criteria", "set", "running.activity_window_days", "sembilan puluh")
    assert result.exit_code == 1
    assert result.stderr == "Kesalahan: running.activity_window_days: 'sembilan puluh': bukan bilangan bulat\n"


def test_the_summary_in_indonesian(sample, monkeypatch):
    monkeypatch.setenv("WKSBM_LANG", "id")
    monkeypatch.setenv("COLUMNS", "120")
    result = sample("summary", "--as-of", "31/12/2022")
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[0] == "Perkembangan WKSBM per 31/12/2022"
    assert lines[2].split()[:4] == ["desa", "kecamatan", "tahap", "kemajuan"]
    assert lines[-1] == "Desa per tahap: eksis 2 · berjalan 3 · terbentuk 2 · belum terbentuk 2"
    # 120 columns: each village's next step on the line below it
    row = next(n for n, line in enumerate(lines) if line.startswith("Besukagung"))
    assert "terbentuk" in lines[row] and lines[row + 1].startswith("  catat rapat: tidak ada kegiatan")
    for english in ("active", "running", "formed", "record a meeting", "Villages per stage", "2022-12-31"):
        assert english not in result.stdout


def test_the_english_summary_uses_the_english_stage_words(sample):
    result = sample("summary", "--as-of", "31/12/2022")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].rstrip() == "Villages per stage: active 2 · running 3 · formed 2 · none 2"
    assert "eksis" not in result.stdout and "berjalan" not in result.stdout


# --- Indonesian input values, whatever the interface language ---

@pytest.mark.parametrize("lang", ["en", "id"])
def test_indonesian_values_are_understood_in_either_language(besuk, monkeypatch, lang):
    monkeypatch.setenv("WKSBM_LANG", lang)
    cli = besuk
    result = cli("activity", "add", "--village", "Randujalak", "--on", "12/01/21", "--kind", "rapat", "--title", "Rapat rutin")
    assert result.exit_code == 0, result.output
    result = cli("case", "add", "--village", "Randujalak", "--category", "lansia-terlantar", "--name", "Mbok Sarmi",
                 "--gender", "perempuan", "--reported-on", "03/02/21", "--status", "dilaporkan", "--ref", "KS-1")
    assert result.exit_code == 0, result.output
    result = cli("case", "update", "KS-1", "--status", "ditangani", "--on", "10/02/2021", "--handled-by", "KUBE Sejahtera")
    assert result.exit_code == 0, result.output
    result = cli("case", "update", "KS-1", "--status", "selesai", "--on", "20/03/2021")
    assert result.exit_code == 0, result.output
    [activity] = cli.json("activity", "list")
    assert (activity["held_on"], activity["kind"]) == ("2021-01-12", "meeting")
    case = cli.json("case", "show", "KS-1")
    assert (case["gender"], case["reported_on"], case["status"], case["resolved_on"]) == ("P", "2021-02-03", "resolved", "2021-03-20")
    assert [(event["old_status"], event["new_status"]) for event in case["history"]] == [
        ("reported", "in_handling"), ("in_handling", "resolved")]


def test_stage_filters_take_either_languages_word(sample):
    for english, indonesian in [("active", "eksis"), ("running", "berjalan"), ("formed", "terbentuk"), ("none", "belum terbentuk")]:
        by_english = sample.json("village", "list", "--as-of", "2022-12-31", "--stage", english)
        by_indonesian = sample.json("village", "list", "--as-of", "2022-12-31", "--stage", indonesian)
        assert by_english == by_indonesian and by_english and {row["stage"] for row in by_english} == {english}


# --- text nobody marked: never extracted, so no catalog test can see it ---

# Calls whose message is shown to a person: the project's errors (their first argument) and
# parse_name's `missing` reason (its third).
_MESSAGE_ARGUMENTS = {name: (0,) for name in ("WksbmError", "NotFound", "Ambiguous", "Conflict", "UsageError", "Invalid",
                                               "NotWksbm", "NoDatabase", "FileProblem", "ImportRejected", "UnknownKind")}
_MESSAGE_ARGUMENTS["parse_name"] = (2,)


def _words(node) -> bool:
    """A literal (or f-string, or a sum of them) with letters in it: English text nobody marked (a command
    line such as `wksbm village add --code …` is not words)."""
    import ast

    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        if node.values[0].value.startswith(("wksbm ", "--")):
            return False
    if isinstance(node, ast.Constant) and str(node.value).startswith(("wksbm ", "--")):
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(char.isalpha() for char in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(part, ast.Constant) and any(char.isalpha() for char in part.value) for part in node.values)
    if isinstance(node, ast.BinOp):
        return _words(node.left) or _words(node.right)
    return False


def unmarked_messages(source: str) -> list[int]:
    """Lines of `source` where a message is a bare literal, and where a marked message is filled in with one
    (`_("a case needs its {what}").format(what="report date")`)."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        arguments = []
        if called in _MESSAGE_ARGUMENTS:
            arguments = [node.args[n] for n in _MESSAGE_ARGUMENTS[called] if n < len(node.args)]
            arguments += [keyword.value for keyword in node.keywords if keyword.arg in ("reason", "missing", "general")]
        elif (called == "format" and isinstance(node.func.value, ast.Call)
              and getattr(node.func.value.func, "id", None) in ("_", "ngettext")):
            arguments = [argument for argument in [*node.args, *(k.value for k in node.keywords)]
                         if not (isinstance(argument, ast.Constant) and " " not in str(argument.value).strip())]
        found += [node.lineno for argument in arguments if _words(argument)]
    return found


def test_unmarked_messages_are_found():
    assert unmarked_messages('parse_name(value, "name", "a village needs a name")\n') == [1]
    assert unmarked_messages('raise Invalid(f"no day {day}", field="x")\n') == [1]
    assert unmarked_messages('_("a case needs its {what}").format(what="report date")\n') == [1]
    assert unmarked_messages('parse_name(value, "name", N_("a village needs a name"))\nraise Invalid(_(REASON))\n'
                             '_("{a} at {b}").format(a=x, b="2021")\n') == []


def test_every_message_shown_is_marked_for_translation():
    """A message given as a plain literal never reaches the catalog, so it stays English in Indonesian."""
    found = [f"{path.relative_to(ROOT)}:{line}" for path in sorted((ROOT / "wksbm_cli").rglob("*.py"))
             for line in unmarked_messages(path.read_text(encoding="utf-8"))]
    assert found == [], "mark these with _() (or N_() where defined, _() where shown)"

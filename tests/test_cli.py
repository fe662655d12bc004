import os
import subprocess
import sys

import pytest

import typer

from wksbm_cli.app import COMMANDS, command_target
from wksbm_cli.db import create_database
from wksbm_cli.services import villages


def all_commands():
    """(path, callback) for every command of the app, groups' own callbacks included."""
    def walk(typer_app, prefix):
        if typer_app.registered_callback and typer_app.info.invoke_without_command:
            yield prefix, typer_app.registered_callback.callback
        for info in typer_app.registered_commands:
            yield [*prefix, info.name], info.callback
        for group in typer_app.registered_groups:
            yield from walk(group.typer_instance, [*prefix, group.name])

    for name in COMMANDS:
        target = command_target(name)
        if isinstance(target, typer.Typer):
            yield from walk(target, [name])
        else:
            yield [name], target


@pytest.mark.parametrize("path, callback", list(all_commands()), ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_every_command_has_help_with_an_example(cli, path, callback):
    result = cli(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Example: wksbm " in callback.__doc__, f"{' '.join(path)} has no example in its docstring"
    assert "Usage: wksbm " + " ".join(path) in " ".join(result.stdout.split())


def test_only_the_command_that_runs_is_imported(tmp_path):
    env = {**os.environ, "WKSBM_DB": str(tmp_path / "m.db")}
    code = ("import sys; from wksbm_cli.app import main; sys.argv = ['wksbm', 'village', 'list']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('wksbm_cli.commands.')), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.stderr.strip().splitlines()[-1] == "['wksbm_cli.commands.village']"


def test_no_arguments_shows_help(cli):
    result = cli()
    assert result.exit_code == 2
    assert "Usage: wksbm" in result.output


def test_bad_option_value_is_a_usage_error(cli):
    result = cli("village", "list", "--format", "yaml")
    assert result.exit_code == 2
    assert "'yaml' is not one of 'table', 'json', 'csv'" in " ".join(result.stderr.split())


@pytest.mark.usefixtures("new_db")
def test_a_bug_is_one_line_without_traceback_unless_debug(cli, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(villages, "list_villages", broken)
    result = cli("village", "list")
    assert result.exit_code == 1
    assert result.stderr == "Error: unexpected KeyError: 'boom' (run with --debug for details)\n"
    result = cli("--debug", "village", "list")
    assert isinstance(result.exception, KeyError)


def test_a_file_that_is_not_a_database_is_one_line(cli, tmp_path):
    bad = tmp_path / "not.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    result = cli("--db", bad, "village", "list")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {bad} is not a database file (damaged, or another kind of file): it was left untouched\n"


def test_info_shows_where_the_database_is_and_what_it_holds(besuk, db_path):
    info = besuk.json("info")
    assert info["database"] == str(db_path)
    assert (info["villages"], info["institutions"], info["cases"], info["pmks_categories"]) == (3, 2, 0, 26)


def test_info_in_indonesian_names_each_kind_of_record(besuk, monkeypatch):
    english = besuk("info", "--format", "json").stdout
    monkeypatch.setenv("WKSBM_LANG", "id")
    result = besuk("info")
    assert result.exit_code == 0
    assert [line.split("  ")[0] for line in result.stdout.splitlines()] == [
        "basis data", "versi skema", "ukuran (bita)", "desa", "lembaga", "kegiatan", "kasus", "riwayat kasus",
        "jenis lembaga", "kategori PMKS"]
    assert besuk("info", "--format", "json").stdout == english


def test_database_location_option_env_and_default(cli, tmp_path, monkeypatch):
    chosen = tmp_path / "chosen.db"
    assert cli("init", chosen).exit_code == 0
    assert cli.json("--db", chosen, "info")["database"] == str(chosen)
    monkeypatch.delenv("WKSBM_DB")
    assert cli("init").stderr == f"Created a new database at {tmp_path / 'data' / 'wksbm' / 'wksbm.db'}.\n"
    assert cli.json("info")["database"] == str(tmp_path / "data" / "wksbm" / "wksbm.db")


def test_runs_as_a_module_and_as_a_console_script(tmp_path):
    env = {**os.environ, "WKSBM_DB": str(tmp_path / "m.db")}
    create_database(tmp_path / "m.db")
    result = subprocess.run([sys.executable, "-m", "wksbm_cli", "village", "list", "--format", "json"],
                            capture_output=True, text=True, env=env)
    assert (result.returncode, result.stdout, result.stderr) == (0, "[]\n", "")
    script = os.path.join(os.path.dirname(sys.executable), "wksbm")
    result = subprocess.run([script, "--version"], capture_output=True, text=True, env=env)
    assert (result.returncode, result.stdout) == (0, "wksbm 0.1.0\n")

"""The command line itself: typo suggestions, plain one-or-two-line usage errors, flags without value
placeholders, and shell completion of commands, options, village names and case refs."""

import os
import subprocess
import sys

import pytest

WKSBM = os.path.join(os.path.dirname(sys.executable), "wksbm")


def test_a_mistyped_command_gets_a_suggestion(cli):
    result = cli("vilage")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "Error: no command 'vilage'; did you mean 'village'?\nTry 'wksbm --help' for help.\n"
    result = cli("frobnicate")
    assert result.stderr == "Error: no command 'frobnicate'; `wksbm --help` lists the commands\nTry 'wksbm --help' for help.\n"


def test_a_value_after_a_flag_is_explained(cli):
    result = cli("--debug", "true", "info")
    assert result.exit_code == 2
    assert result.stderr == ("Error: 'true' is not a command: a flag such as --debug takes no value (write --debug alone)\n"
                             "Try 'wksbm --help' for help.\n")


@pytest.mark.parametrize("args, first_line, command", [
    (["case", "list", "--limit", "abc"], "Error: Invalid value for '--limit': Input should be a valid integer, unable to parse string as an integer", "wksbm case list"),
    (["case", "list", "--colour"], "Error: No such option: --colour", "wksbm case list"),
    (["case", "list", "--format", "yaml"], "Error: Invalid value for '--format' / '-f': 'yaml' is not one of 'table', 'json', 'csv'.", "wksbm case list"),
    (["case", "lst"], "Error: No such command 'lst'. Did you mean 'list'?", "wksbm case"),
    (["case", "list", "--village"], "Error: Option '--village' requires an argument.", "wksbm case list"),
    (["import", "--kind"], "Error: Option '--kind' requires an argument.", "wksbm import"),
    (["--bogus"], "Error: No such option: --bogus", "wksbm"),
])
def test_usage_errors_are_two_plain_lines(cli, args, first_line, command):
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr == f"{first_line}\nTry '{command} --help' for help.\n"
    assert "╭" not in result.stderr and "Value error" not in result.stderr


@pytest.mark.parametrize("args, first_line, command", [
    (["case", "list", "--limit", "abc"], "Kesalahan: nilai '--limit' tidak sah: harus bilangan bulat; teks ini tidak dapat "
     "dibaca sebagai bilangan bulat", "wksbm case list"),
    (["case", "list", "--stat"], "Kesalahan: tidak ada opsi --stat (opsi yang ada: --status)", "wksbm case list"),
    (["case", "list", "--format", "yaml"], "Kesalahan: nilai '--format' / '-f' tidak sah: 'yaml' bukan salah satu dari "
     "'table', 'json', 'csv'.", "wksbm case list"),
    (["case", "list", "--village"], "Kesalahan: opsi '--village' memerlukan nilai.", "wksbm case list"),
    (["case", "lst"], "Kesalahan: tidak ada perintah 'lst'. Maksud Anda 'list'?", "wksbm case"),
    (["village", "show"], "Kesalahan: argumen 'desa' belum diberikan.", "wksbm village show"),
    (["case", "list", "x"], "Kesalahan: ada argumen lebih yang tidak diharapkan (x)", "wksbm case list"),
    (["--debug=yes", "info"], "Kesalahan: opsi '--debug' tidak menerima nilai.", "wksbm"),
])
def test_usage_errors_in_indonesian(cli, monkeypatch, args, first_line, command):
    monkeypatch.setenv("WKSBM_LANG", "id")
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr == f"{first_line}\nCoba '{command} --help' untuk bantuan.\n"


def test_flags_show_no_value_placeholder(cli):
    for args in (["--help"], ["case", "add", "--help"], ["backup", "--help"], ["export", "--help"]):
        result = cli(*args)
        assert result.exit_code == 0, args
        assert "<bool>" not in result.stdout, args
    assert "--show-pii" in cli("export", "--help").stdout


def complete(words, cword, **env):
    """What the bash completion asks wksbm for, as a real shell would (env vars, fresh process)."""
    result = subprocess.run([WKSBM], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "_WKSBM_COMPLETE": "complete_bash", "COMP_WORDS": words,
                                 "COMP_CWORD": str(cword), **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_completion_script_and_commands_and_options():
    # As a user types it in bash (bash stays its parent: Typer detects the shell it runs under, the runner may be sh).
    result = subprocess.run(["bash", "-c", f"'{WKSBM}' --show-completion; exit $?"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "_WKSBM_COMPLETE=complete_bash" in result.stdout and "complete -o default -F _wksbm_completion wksbm" in result.stdout
    assert complete("wksbm vil", 1) == ["village"]
    assert complete("wksbm case up", 2) == ["update"]
    assert complete("wksbm case list --sta", 3) == ["--status"]


def test_completion_of_village_names_and_case_refs(besuk, db_path):
    assert besuk("case", "add", "--village", "Randujalak", "--category", "lansia-terlantar", "--name", "X",
                 "--reported-on", "2021-02-03").exit_code == 0
    assert complete("wksbm case list --village Ra", 4) == ["Randujalak"]
    assert complete("wksbm activity add --village 35.13.13.20", 4) == ["35.13.13.2003", "35.13.13.2009", "35.13.13.2013"]
    assert complete("wksbm case show KS-20", 3) == ["KS-2021-0001"]
    assert complete(f"wksbm --db {db_path} case update K", 5) == ["KS-2021-0001"]


def test_completion_never_creates_or_touches_a_database(tmp_path):
    missing = tmp_path / "none.db"
    assert complete(f"wksbm --db {missing} case show KS", 5) == []
    assert not missing.exists()

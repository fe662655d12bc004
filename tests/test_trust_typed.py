"""Values typed on the command line that cannot be true: refused with the reason, nothing stored."""

import os
import subprocess
import sys

import pytest

from helpers import query


def wksbm_bytes(*args: str | bytes, lang="en"):
    """Run `wksbm ARGS…` as a shell passes them: bytes, whatever they are (a cp1252 paste, a non-UTF-8 terminal)."""
    env = {**os.environ, "WKSBM_LANG": lang, "LC_ALL": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "wksbm_cli", *args], capture_output=True, env=env, timeout=60)


@pytest.mark.parametrize("args, message", [
    ([b"--name", b"Na\xe9ma"], "--name is not valid text (byte \\xe9 is not UTF-8): type it again"),
    ([b"--name=Na\xe9ma"], "--name is not valid text (byte \\xe9 is not UTF-8): type it again"),
    ([b"--name", b"Siti", b"--notes", b"x\x9by"], "--notes is not valid text (byte \\x9b is not UTF-8): type it again"),
])
def test_a_byte_that_is_not_utf8_is_refused_naming_the_option(besuk, db_path, args, message):
    result = wksbm_bytes("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", *args)
    assert result.returncode == 2
    assert result.stderr.decode() == f"Error: {message}\n"
    assert query(db_path, "SELECT count(*) FROM cases") == [(0,)]


def test_a_byte_that_is_not_utf8_in_an_argument_in_indonesian(besuk, db_path):
    result = wksbm_bytes("institution", "add", b"KUBE \xe9", "--village", "Randujalak", "--type", "kube", lang="id")
    assert result.returncode == 2
    assert result.stderr.decode() == ("Kesalahan: sebuah argumen bukan teks yang sah (bita \\xe9 bukan UTF-8): "
                                      "ketik ulang\n")
    result = wksbm_bytes("--officer", b"Bu\xe9Ani", "village", "list", lang="id")
    assert result.returncode == 2
    assert result.stderr.decode() == "Kesalahan: --officer bukan teks yang sah (bita \\xe9 bukan UTF-8): ketik ulang\n"

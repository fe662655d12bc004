"""Messages and errors on a terminal break at spaces to fit its width; piped, each stays one line."""

import os
import pty
import subprocess
import sys
from pathlib import Path

WKSBM = str(Path(sys.executable).with_name("wksbm"))
NAME = "Lembaga Kelompok Usaha Bersama Sejahtera Makmur Sentosa Abadi Jaya Tanjung Sari Kidul"


def run_on_terminal(*args, columns=80):
    """`wksbm ARGS` with stderr on a real pseudo-terminal of `columns` columns; (exit code, its lines)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns), "WKSBM_LANG": "en"}
    process = subprocess.Popen([WKSBM, *args], stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the other end closed: everything was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return process.wait(), b"".join(chunks).decode().replace("\r\n", "\n").splitlines()


def test_an_error_on_an_80_column_terminal_breaks_at_spaces(tmp_path):
    db = tmp_path / "w.db"
    added = subprocess.run([WKSBM, "--db", db, "village", "add", "Randujalak", "--code", "35.13.13.2013"],
                           capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    code, lines = run_on_terminal("--db", db, "institution", "show", NAME, "--village", "Randujalak")
    assert code == 1
    assert all(len(line) <= 80 for line in lines), lines
    assert lines[0].startswith("Error: ") and all(line.startswith("  ") for line in lines[1:])
    assert len(lines) >= 2
    assert " ".join(line.strip() for line in lines) == f"Error: no institution '{NAME}' in Randujalak"


def test_piped_the_same_error_is_one_line(tmp_path):
    db = tmp_path / "w.db"
    subprocess.run([WKSBM, "--db", db, "village", "add", "Randujalak", "--code", "35.13.13.2013"], capture_output=True)
    result = subprocess.run([WKSBM, "--db", db, "institution", "show", NAME, "--village", "Randujalak"],
                            capture_output=True, text=True, env={**os.environ, "COLUMNS": "80", "WKSBM_LANG": "en"})
    assert result.returncode == 1
    assert result.stderr == f"Error: no institution '{NAME}' in Randujalak\n"

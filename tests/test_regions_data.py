"""The region list as shipped: its contents, its packaging, its rebuild, and start-up without it."""

import fnmatch
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from wksbm_cli import regions
from wksbm_cli.regions import display_name

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "official, code, shown",
    [
        ("KAB. PROBOLINGGO", "35.13", "Probolinggo"),
        ("KOTA PROBOLINGGO", "35.74", "Kota Probolinggo"),
        ("KAB TIMOR TENGAH SELATAN", "53.02", "Timor Tengah Selatan"),
        ("KAB. ADM. KEP. SERIBU", "31.01", "Kepulauan Seribu"),
        ("KOTA ADM. JAKARTA PUSAT", "31.71", "Kota Jakarta Pusat"),
        ("DKI JAKARTA", "31", "DKI Jakarta"),
        ("DAERAH ISTIMEWA YOGYAKARTA", "34", "Daerah Istimewa Yogyakarta"),
        ("Besuk", "35.13.13", "Besuk"),
        ("Lubuk Pakam I,II", "12.07.28.1007", "Lubuk Pakam I,II"),
    ],
)
def test_names_are_shown_the_way_officers_write_them(official, code, shown):
    assert display_name(official, code) == shown


def test_the_package_carries_the_whole_list():
    data = resources.files("wksbm_cli.data")
    assert data.joinpath("regions.sqlite").is_file()
    assert "MIT" in data.joinpath("REGIONS_SOURCE.md").read_text(encoding="utf-8")
    counts = dict(regions.connection().execute("SELECT length(code), count(*) FROM regions GROUP BY length(code)"))
    assert counts == {2: 34, 5: 514, 8: 7230, 13: 83441}


def test_a_non_editable_install_would_include_the_list():
    """pyproject's package-data covers the files, and no .gitignore rule hides them from a checkout."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["wksbm_cli"]
    for name in ("data/regions.sqlite", "data/REGIONS_SOURCE.md"):
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name
    if shutil.which("git") and (ROOT / ".git").exists():
        ignored = subprocess.run(
            ["git", "check-ignore", "-q", "wksbm_cli/data/regions.sqlite"], cwd=ROOT, capture_output=True
        )
        assert ignored.returncode == 1, "a .gitignore rule hides regions.sqlite"


def test_the_shipped_file_is_what_the_build_script_makes_from_the_csv_kept_in_the_repo(tmp_path):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_regions
    finally:
        sys.path.remove(str(ROOT / "tools"))
    target = tmp_path / "regions.sqlite"
    assert build_regions.build(target=target) == 91219
    rebuilt = sqlite3.connect(target).execute("SELECT * FROM regions ORDER BY code").fetchall()
    shipped = regions.connection().execute("SELECT * FROM regions ORDER BY code").fetchall()
    assert rebuilt == shipped


def test_village_list_neither_imports_nor_opens_the_list(tmp_path):
    """Start-up budget: commands that do not need the list must not pay for it."""
    probe = (
        "import sys\n"
        "from wksbm_cli.app import main\n"
        "sys.argv = ['wksbm', '--db', sys.argv[1], 'village', 'list']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(name for name in sys.modules if 'regions' in name), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "probe.db")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]"

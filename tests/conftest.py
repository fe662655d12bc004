"""Shared fixtures: every test gets its own database file and never touches a real home."""

import json

import pytest
from typer.testing import CliRunner

from wksbm_cli.app import app
from wksbm_cli.db import create_database, open_db


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """Point $WKSBM_DB and the per-user data folder at a temp dir; fix the table width."""
    monkeypatch.setenv("WKSBM_DB", str(tmp_path / "wksbm.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("WKSBM_OFFICER", "test-officer")
    monkeypatch.setenv("COLUMNS", "200")
    # English-text tests are pinned to English; language tests set WKSBM_LANG themselves.
    monkeypatch.setenv("WKSBM_LANG", "en")
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def db_path(tmp_path):
    """The database file the CLI uses in this test (via $WKSBM_DB)."""
    return tmp_path / "wksbm.db"


@pytest.fixture
def new_db(db_path):
    """The test's database, created empty (read commands refuse a path with no database)."""
    create_database(db_path)
    return db_path


@pytest.fixture
def conn(db_path):
    """A connection to the test's database, created and migrated."""
    connection = open_db(db_path, create=True)
    yield connection
    connection.close()


class Cli:
    """Runs `wksbm ARGS…` in-process and returns typer's Result."""

    def __init__(self):
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        return self.runner.invoke(app, [str(arg) for arg in args], input=input)

    def json(self, *args: str):
        """Run a command with --format json; assert it succeeded; return the parsed output."""
        result = self(*args, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture
def cli():
    return Cli()


@pytest.fixture
def besuk(cli):
    """Three villages of Kecamatan Besuk, two institutions in Randujalak."""
    for name, code in [("Randujalak", "2013"), ("Alasnyiur", "2003"), ("Besuk Agung", "2009")]:
        result = cli("village", "add", name, "--code", f"35.13.13.{code}", "--kecamatan", "Besuk", "--kabupaten", "Probolinggo")
        assert result.exit_code == 0, result.output
    for name, type_, joined in [("KUBE Sejahtera", "kube", "01/04/2020"), ("PKK Randujalak", "pkk", "2020-05-01")]:
        result = cli("institution", "add", name, "--village", "Randujalak", "--type", type_, "--joined-on", joined)
        assert result.exit_code == 0, result.output
    return cli

"""Personal data: the NIK rule, NIK masking wherever cases are shown, and private file modes."""

import datetime as dt
import json
import os
import stat
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wksbm_cli.db import open_db
from wksbm_cli.errors import Invalid
from wksbm_cli.fields import mask_nik, nik_gender, parse_nik

WOMAN = "3513134107450001"  # Kec. Besuk, born 01-07-(19)45, day + 40: a woman
MAN = "3513132010460046"  # born 20-10-(19)46
MASKED_WOMAN = "351313********01"


# --- the NIK rule -------------------------------------------------------------------------------

@pytest.mark.parametrize("value, stored", [
    (WOMAN, WOMAN),
    (MAN, MAN),
    ("3513 1341 0745 0001", WOMAN),  # as printed on a KTP
    ("35.13.13.410745.0001", WOMAN),
    ("3513-1341-0745-0001", WOMAN),
    ("1101012902000001", "1101012902000001"),  # 29 Feb 2000 is real
    ("9201017112990001", "9201017112990001"),  # 31 Dec, a woman (71 = 31 + 40)
])
def test_valid_niks_are_stored_as_16_digits(value, stored):
    assert parse_nik(value) == stored


@pytest.mark.parametrize("value, reason", [
    ("12345", "a NIK has exactly 16 digits"),
    ("35131341074500011", "a NIK has exactly 16 digits"),
    ("351313410745000X", "a NIK has exactly 16 digits"),
    ("3.51313E+15", "the NIK column holds numbers, which lose digits: format it as Text and type the NIKs again"),
    (3513134107450001, "the NIK column holds numbers, which lose digits: format it as Text and type the NIKs again"),
    (3513134107450001.0, "the NIK column holds numbers, which lose digits: format it as Text and type the NIKs again"),
    ("0513134107450001", "a NIK starts with its region code (province 11-99, regency and district 01-99)"),
    ("1013134107450001", "a NIK starts with its region code (province 11-99, regency and district 01-99)"),
    ("3500134107450001", "a NIK starts with its region code (province 11-99, regency and district 01-99)"),
    ("3513004107450001", "a NIK starts with its region code (province 11-99, regency and district 01-99)"),
    ("3513131234560001", "a NIK's digits 7-12 are the birth date DDMMYY (day + 40 for women)"),  # month 34
    ("3513130007450001", "a NIK's digits 7-12 are the birth date DDMMYY (day + 40 for women)"),  # day 0
    ("3513133207450001", "a NIK's digits 7-12 are the birth date DDMMYY (day + 40 for women)"),  # day 32
    ("3513134007450001", "a NIK's digits 7-12 are the birth date DDMMYY (day + 40 for women)"),  # day 40 = 0
    ("3513137207450001", "a NIK's digits 7-12 are the birth date DDMMYY (day + 40 for women)"),  # 72 - 40 = 32
    ("3513132902010001", "a NIK's digits 7-12 are the birth date DDMMYY (day + 40 for women)"),  # 29 Feb 2001
    ("3513133104450001", "a NIK's digits 7-12 are the birth date DDMMYY (day + 40 for women)"),  # 31 April
    ("3513134107450000", "a NIK's serial number (its last 4 digits) cannot be 0000"),
])
def test_invalid_niks_are_refused_with_the_reason(value, reason):
    with pytest.raises(Invalid) as error:
        parse_nik(value)
    assert error.value.reason == reason


def test_a_refused_nik_is_never_echoed_in_full():
    with pytest.raises(Invalid) as error:
        parse_nik("3513131234560001")
    assert str(error.value) == "'351313********01': a NIK's digits 7-12 are the birth date DDMMYY (day + 40 for women)"
    with pytest.raises(Invalid) as error:
        parse_nik("7" * 10_000_000)  # a 10 MB cell: the message stays one short line
    assert str(error.value) == "'(10000000 characters)': a NIK has exactly 16 digits"


def test_gender_comes_from_the_birth_day():
    assert (nik_gender(WOMAN), nik_gender(MAN)) == ("P", "L")


niks = st.builds(
    lambda province, regency, district, born, woman, serial: (
        f"{province:02d}{regency:02d}{district:02d}"
        f"{born.day + 40 * woman:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"
    ),
    st.integers(11, 99).filter(lambda p: p % 10), st.integers(1, 99), st.integers(1, 99),
    st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)), st.booleans(), st.integers(1, 9999),
)


@given(niks)
def test_every_well_formed_nik_is_accepted_and_masked_to_its_ends(nik):
    assert parse_nik(nik) == nik
    assert mask_nik(nik) == nik[:6] + "********" + nik[-2:]
    assert nik_gender(nik) == ("P" if int(nik[6:8]) > 40 else "L")


@settings(max_examples=300)
@given(st.one_of(st.text(), st.binary().map(lambda b: b.decode("latin-1")), st.integers(), st.floats()))
def test_any_value_gives_a_nik_or_a_clean_refusal_that_hides_it(value):
    try:
        nik = parse_nik(value)
    except Invalid as error:
        digits = "".join(ch for ch in str(value) if ch.isdigit())
        assert len(digits) < 9 or digits not in str(error)  # never the whole number back
        assert len(str(error)) < 200
    else:
        assert len(nik) == 16 and nik.isdigit()


# --- masking wherever a case is shown -----------------------------------------------------------

@pytest.fixture
def with_nik(besuk):
    result = besuk("case", "add", "--village", "Randujalak", "--category", "lansia-terlantar", "--name", "Mbok Sarmi",
                   "--nik", WOMAN, "--reported-on", "2021-02-03")
    assert result.exit_code == 0, result.output
    return besuk


@pytest.mark.parametrize("format_", ["table", "json", "csv"])
def test_case_list_masks_the_nik_in_every_format(with_nik, format_):
    result = with_nik("case", "list", "--format", format_)
    assert result.exit_code == 0
    assert MASKED_WOMAN in result.stdout
    assert WOMAN not in result.stdout + result.stderr


@pytest.mark.parametrize("format_", ["table", "json"])
def test_case_show_masks_the_nik(with_nik, format_):
    result = with_nik("case", "show", "KS-2021-0001", "--format", format_)
    assert result.exit_code == 0
    assert MASKED_WOMAN in result.stdout
    assert WOMAN not in result.stdout


def test_show_pii_shows_the_nik_in_full(with_nik):
    assert with_nik.json("case", "list", "--show-pii")[0]["nik"] == WOMAN
    assert with_nik.json("case", "show", "KS-2021-0001", "--show-pii")["nik"] == WOMAN


def test_the_audit_log_never_holds_a_full_nik(with_nik, db_path):
    assert with_nik("case", "update", "KS-2021-0001", "--status", "in_handling", "--on", "2021-02-04").exit_code == 0
    result = with_nik("log", "--format", "json")
    assert result.exit_code == 0
    assert WOMAN not in result.stdout
    assert json.loads(result.stdout)[-1]["after"]["nik"] == MASKED_WOMAN
    conn = open_db(db_path)
    stored = "".join(str(tuple(row)) for row in conn.execute("SELECT before, after FROM audit_log").fetchall())
    assert WOMAN not in stored and MASKED_WOMAN in stored
    conn.close()


def test_a_bad_nik_on_the_command_line_is_not_echoed(besuk):
    result = besuk("case", "add", "--village", "Randujalak", "--category", "lansia-terlantar", "--name", "X",
                   "--nik", "3513131234560001")
    assert result.exit_code == 1
    assert result.stderr == "Error: --nik: '351313********01': a NIK's digits 7-12 are the birth date DDMMYY (day + 40 for women)\n"


# --- files readable by their owner only ---------------------------------------------------------

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask(request):
    """Run the test under the given umask, restoring the old one after."""
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


@posix_only
@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077, 0o277], indirect=True)
def test_database_and_its_wal_and_shm_files_are_private_whatever_the_umask(umask, besuk, db_path):
    # `besuk` wrote through the CLI, so the -wal and -shm files exist while this connection is open.
    conn = open_db(db_path)
    conn.execute("SELECT count(*) FROM villages").fetchone()
    files = [db_path, db_path.with_name("wksbm.db-wal"), db_path.with_name("wksbm.db-shm")]
    assert [(path.name, mode(path)) for path in files] == [(path.name, 0o600) for path in files]
    conn.close()


@posix_only
@pytest.mark.parametrize("umask", [0o000, 0o022, 0o277], indirect=True)
def test_a_backup_is_private(umask, besuk, tmp_path):
    result = besuk("backup", tmp_path / "copy.db")
    assert result.exit_code == 0, result.output
    assert mode(tmp_path / "copy.db") == 0o600


@posix_only
@pytest.mark.parametrize("umask", [0o000, 0o277], indirect=True)
def test_an_export_is_private_whatever_the_umask(umask, besuk, tmp_path):
    result = besuk("export", "villages", "-o", tmp_path / "desa.csv")
    assert result.exit_code == 0, result.output
    assert mode(tmp_path / "desa.csv") == 0o600


@posix_only
def test_the_database_folder_is_created_on_first_use(cli, tmp_path):
    deep = tmp_path / "a" / "b" / "wksbm.db"
    assert cli("--db", deep, "village", "add", "Satu").exit_code == 0
    assert mode(deep) == 0o600

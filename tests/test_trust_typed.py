"""Values typed on the command line that cannot be true: refused with the reason, nothing stored."""

import datetime as dt
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


FUTURE = "the date is after today ({today}): give the day it happened"


@pytest.mark.parametrize("args, field", [
    (["case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "Siti", "--reported-on",
      "01/01/2030"], "--reported-on"),
    (["case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "Siti", "--status", "resolved",
      "--resolved-on", "01/01/2030"], "--resolved-on"),
    (["activity", "add", "--village", "Randujalak", "--kind", "rapat", "--on", "01/01/2030"], "--on"),
    (["village", "update", "Randujalak", "--formed-on", "01/01/2030"], "--formed-on"),
    (["institution", "add", "KUBE Maju", "--village", "Randujalak", "--type", "kube", "--joined-on", "01/01/2030"],
     "--joined-on"),
])
def test_a_date_after_today_is_refused(besuk, db_path, args, field):
    before = query(db_path, "SELECT count(*) FROM audit_log")
    result = besuk(*args)
    assert result.exit_code == 1
    today = dt.date.today().isoformat()  # in English, as English shows every date
    assert result.stderr == f"Error: {field}: '01/01/2030': {FUTURE.format(today=today)}\n"
    assert query(db_path, "SELECT count(*) FROM audit_log") == before


def test_a_status_change_after_today_is_refused(besuk):
    assert besuk("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "Siti",
                 "--reported-on", "01/02/2022").exit_code == 0
    result = besuk("case", "update", "KS-2022-0001", "--status", "resolved", "--on", "01/01/2030")
    assert result.exit_code == 1
    assert result.stderr == f"Error: --on: '01/01/2030': {FUTURE.format(today=dt.date.today().isoformat())}\n"


def test_an_import_with_dates_after_today_is_refused_in_one_line(besuk, tmp_path, db_path, monkeypatch):
    monkeypatch.setenv("WKSBM_LANG", "id")
    path = tmp_path / "kegiatan.csv"
    path.write_text("desa;tanggal;jenis\n" + "".join(f"Randujalak;0{n}/01/2030;rapat\n" for n in range(1, 6)))
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr == ("Kesalahan: tidak ada yang diimpor: 5 masalah dalam 5 baris:\n"
                             f"{path}: tanggal: 5 baris: tanggalnya sesudah hari ini ({dt.date.today():%d/%m/%Y}): berikan tanggal "
                             "kejadiannya "
                             "(baris 2: 01/01/2030, 3: 02/01/2030, 4: 03/01/2030, dan 2 lainnya)\n")
    assert query(db_path, "SELECT count(*) FROM activities") == [(0,)]


WOMAN, MAN = "3513136405600057", "3513131305600051"  # born 24 and 13 May 1960


@pytest.mark.parametrize("args, message", [
    (["--nik", MAN, "--gender", "P"], "--gender: 'P': the NIK is a man's (no 40 added to its birth day): check the NIK or "
                                      "the gender"),
    (["--nik", WOMAN, "--gender", "L"], "--gender: 'L': the NIK is a woman's (40 added to its birth day): check the NIK "
                                        "or the gender"),
    (["--nik", WOMAN, "--birth-year", "1900"], "--birth-year: '1900': the NIK's birth date is in a year ending in 60: "
                                               "check the NIK or the birth year"),
])
def test_a_nik_that_disagrees_with_the_gender_or_birth_year_is_refused(besuk, db_path, args, message):
    result = besuk("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "Siti", *args)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n"
    assert "0057" not in result.stderr and "0051" not in result.stderr  # no NIK in full
    assert query(db_path, "SELECT count(*) FROM cases") == [(0,)]


def test_a_corrected_nik_or_gender_must_agree_with_the_rest_of_the_case(besuk, db_path):
    assert besuk("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "Siti",
                 "--nik", WOMAN, "--gender", "P", "--birth-year", "1960").exit_code == 0
    result = besuk("case", "update", "KS-" + dt.date.today().strftime("%Y") + "-0001", "--nik", MAN)
    assert result.exit_code == 1
    assert result.stderr == "Error: --gender: 'P': the NIK is a man's (no 40 added to its birth day): check the NIK or the gender\n"
    result = besuk("case", "update", "KS-" + dt.date.today().strftime("%Y") + "-0001", "--nik", MAN, "--gender", "L")
    assert result.exit_code == 0, result.output
    assert query(db_path, "SELECT nik, gender FROM cases") == [(MAN, "L")]


def test_an_import_refuses_a_nik_that_disagrees_with_the_gender(besuk, tmp_path, db_path):
    path = tmp_path / "kasus.csv"
    path.write_text(f"desa,kategori,nama,nik,jenis_kelamin,tahun_lahir,tanggal_lapor\n"
                    f"Randujalak,fakir-miskin,Siti,{WOMAN},P,1960,01/02/2022\n"
                    f"Randujalak,fakir-miskin,Joko,{MAN},P,1960,01/02/2022\n"
                    f"Randujalak,fakir-miskin,Ani,{WOMAN},P,1961,01/02/2022\n")
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: nothing was imported: 2 problems in 2 rows:\n"
        f"{path}:3: jenis_kelamin: P: the NIK is a man's (no 40 added to its birth day): check the NIK or the gender\n"
        f"{path}:4: tahun_lahir: 1961: the NIK's birth date is in a year ending in 60: check the NIK or the birth year\n")
    assert query(db_path, "SELECT count(*) FROM cases") == [(0,)]


def test_a_ref_of_16_digits_is_refused_as_a_nik_in_the_wrong_field(besuk, tmp_path, db_path):
    result = besuk("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "X",
                   "--ref", WOMAN)
    assert result.exit_code == 1
    assert result.stderr == ("Error: --ref: '351313********57': 16 digits in a row look like a NIK, which is masked "
                             "wherever it is shown: give a NIK with --nik (in a file, the nik column)\n")
    path = tmp_path / "kasus.csv"
    path.write_text(f"ref,desa,kategori,nama,tanggal_lapor\nKS-{WOMAN},Randujalak,fakir-miskin,X,01/02/2022\n")
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr == ("Error: nothing was imported: 1 problem in 1 row:\n"
                             f"{path}:2: ref: KS-351313********57: 16 digits in a row look like a NIK, which is masked "
                             "wherever it is shown: give a NIK with --nik (in a file, the nik column)\n")
    assert query(db_path, "SELECT count(*) FROM cases") == [(0,)]


def stdout_on_a_terminal(*args: str) -> str:
    """What `wksbm ARGS…` prints when its stdout is a terminal (a pseudo-terminal), as the terminal receives it."""
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "200"}
    with subprocess.Popen([sys.executable, "-m", "wksbm_cli", *args], stdout=follower, stderr=subprocess.PIPE,
                          env=env) as child:
        os.close(follower)
        out = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
        child.wait(timeout=60)
    os.close(leader)
    return out.decode().replace("\r\n", "\n")


def test_csv_to_a_terminal_shows_control_characters_escaped_and_piped_keeps_them(besuk):
    assert besuk("case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "Es\x1b[31mRED",
                 "--reported-on", "01/02/2022").exit_code == 0
    shown = stdout_on_a_terminal("case", "list", "--format", "csv")
    assert "\x1b" not in shown
    assert "KS-2022-0001,Randujalak,fakir-miskin,Es\\x1b[31mRED," in shown
    piped = wksbm_bytes("case", "list", "--format", "csv")
    assert piped.returncode == 0
    assert "KS-2022-0001,Randujalak,fakir-miskin,Es\x1b[31mRED," in piped.stdout.decode()
    assert "Es\\x1b[31mRED" in stdout_on_a_terminal("export", "cases", "--format", "csv")


def test_the_name_of_a_file_in_another_encoding_is_still_its_name(besuk, tmp_path, db_path):
    path = os.path.join(os.fsencode(tmp_path), b"kas\xe9s.csv")
    with open(path, "w", encoding="utf-8") as file:
        file.write("desa,kategori,nama,tanggal_lapor\nRandujalak,fakir-miskin,Siti,01/02/2022\n")
    result = wksbm_bytes("import", "--kind", "cases", path)
    assert result.returncode == 0, result.stderr
    assert query(db_path, "SELECT person_name FROM cases") == [("Siti",)]

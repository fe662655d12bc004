"""Matching cases without a ref across chunks: repeats far apart, villages with and without stored cases."""

from wksbm_cli.importing.batch import CHUNK

from helpers import import_counts, query

HEADER = "village,category,person_name,nik,gender,birth_year,reported_on,status,handled_by,resolved_on\n"


def case_line(n: int, village: str = "Alasnyiur", status: str = "reported") -> str:
    resolved = "15/09/2021" if status == "resolved" else ""
    return f"{village},fakir-miskin,Warga {n},,L,1960,03/02/2021,{status},,{resolved}\n"


def test_a_repeat_in_a_later_chunk_is_reported_and_nothing_is_written(besuk, tmp_path, db_path):
    lines = [case_line(n) for n in range(CHUNK + 50)] + [case_line(7)]
    path = tmp_path / "kasus.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    result = besuk("import", path)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: nothing was imported: 1 problem in 1 row:\n"
        f"{path}:{CHUNK + 52}: person_name: Warga 7: repeats a row given earlier in this import\n"
    )
    assert query(db_path, "SELECT count(*) FROM cases") == [(0,)]


def test_reimport_over_stored_and_new_villages_matches_every_case(besuk, tmp_path, db_path):
    first = tmp_path / "kasus_1.csv"
    first.write_text(HEADER + "".join(case_line(n, "Randujalak") for n in range(30)), encoding="utf-8")
    assert import_counts(besuk("import", first, "--format", "json")) == {"cases": [30, 0, 0]}
    # Randujalak has stored cases, Besuk Agung none: the same people again, new ones, more than a chunk.
    lines = ([case_line(n, "Randujalak", "resolved" if n == 3 else "reported") for n in range(30)]
             + [case_line(n, "Besuk Agung", "in_handling") for n in range(CHUNK + 10)])
    second = tmp_path / "kasus_2.csv"
    second.write_text(HEADER + "".join(lines), encoding="utf-8")
    assert import_counts(besuk("import", second, "--format", "json")) == {"cases": [CHUNK + 10, 1, 29]}
    assert import_counts(besuk("import", second, "--format", "json")) == {"cases": [0, 0, CHUNK + 40]}
    assert query(db_path, """SELECT v.name, count(*), sum(c.status != 'reported') FROM cases c
                            JOIN villages v ON v.id = c.village_id GROUP BY v.name ORDER BY v.name""") == [
        ("Besuk Agung", CHUNK + 10, CHUNK + 10), ("Randujalak", 30, 1)]
    # Every case given in another status has the one event `case add` gives it.
    assert query(db_path, """SELECT count(*) FROM cases c WHERE c.status != 'reported' AND NOT EXISTS
                            (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.new_status = c.status)""") == [(0,)]


def test_villages_sharing_a_name_under_distinct_codes_import_completely(cli, tmp_path, db_path):
    path = tmp_path / "desa.csv"
    path.write_text("kode,nama\n35.13.17.2013,Wonorejo\n35.13.22.2004,Wonorejo\n")
    assert import_counts(cli("import", path, "--format", "json")) == {"villages": [2, 0, 0]}
    assert import_counts(cli("import", path, "--format", "json")) == {"villages": [0, 0, 2]}
    assert query(db_path, "SELECT code, name FROM villages ORDER BY code") == [
        ("35.13.17.2013", "Wonorejo"), ("35.13.22.2004", "Wonorejo")]
    # A row without a code whose name is shared is still refused, naming the candidates.
    again = tmp_path / "desa_lagi.csv"
    again.write_text("nama,catatan\nWonorejo,x\n")
    result = cli("import", again, "--kind", "villages")
    assert result.exit_code == 1
    assert ("desa_lagi.csv:2: nama: Wonorejo: 'Wonorejo' matches 2 villages: Wonorejo (35.13.17.2013), "
            "Wonorejo (35.13.22.2004); give the code instead") in result.stderr

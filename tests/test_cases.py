import json

from helpers import table_cells


def add_case(cli, *extra):
    result = cli("case", "add", "--village", "Randujalak", "--category", "lansia-terlantar", "--name", "Mbok Sarmi",
                 "--reported-on", "03/02/2021", *extra)
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def test_add_prints_a_generated_ref_and_lists_with_masked_nik(besuk):
    ref = add_case(besuk, "--nik", "3513134107450001", "--gender", "P", "--birth-year", "1945", "--handled-by", "kube sejahtera")
    assert ref == "KS-2021-0001"
    assert add_case(besuk) == "KS-2021-0002"
    result = besuk("case", "list", "--village", "Randujalak", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == [
        "ref,village,category,person_name,nik,gender,birth_year,reported_on,status,handled_by,resolved_on",
        "KS-2021-0001,Randujalak,lansia-terlantar,Mbok Sarmi,351313********01,P,1945,2021-02-03,reported,KUBE Sejahtera,",
    ]
    assert besuk.json("case", "list", "--show-pii")[0]["nik"] == "3513134107450001"


def test_category_by_number_or_name(besuk):
    add_case(besuk)
    besuk("case", "add", "--village", "Alasnyiur", "--category", "24", "--name", "Pak Bejo", "--reported-on", "2021-05-01")
    besuk("case", "add", "--village", "Alasnyiur", "--category", "Penyandang Disabilitas", "--name", "Mas Udin", "--reported-on", "2021-05-02")
    assert [r["category"] for r in besuk.json("case", "list")] == ["penyandang-disabilitas", "fakir-miskin", "lansia-terlantar"]
    assert [r["person_name"] for r in besuk.json("case", "list", "--category", "fakir miskin")] == ["Pak Bejo"]


def test_status_changes_are_kept_as_history(besuk):
    ref = add_case(besuk)
    assert besuk("case", "update", ref, "--status", "in_handling", "--on", "05/02/2021", "--handled-by", "PKK Randujalak").exit_code == 0
    result = besuk("case", "update", ref, "--status", "resolved", "--on", "20/03/2021", "--note", "Dapat bantuan PKH")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Case {ref} is now resolved.\n"
    shown = json.loads(besuk("case", "show", ref, "--format", "json").stdout)
    assert (shown["status"], shown["resolved_on"], shown["handled_by"]) == ("resolved", "2021-03-20", "PKK Randujalak")
    assert shown["history"] == [
        {"on_date": "2021-02-05", "old_status": "reported", "new_status": "in_handling", "note": None},
        {"on_date": "2021-03-20", "old_status": "in_handling", "new_status": "resolved", "note": "Dapat bantuan PKH"},
    ]
    table = besuk("case", "show", ref).stdout
    assert table_cells(table.split("History")[1]) == [
        ["2021-02-03", "", "reported", "case opened"],
        ["2021-02-05", "reported", "in_handling", ""],
        ["2021-03-20", "in_handling", "resolved", "Dapat bantuan PKH"],
    ]


def test_a_case_added_as_resolved_keeps_how_it_got_there(besuk):
    ref = add_case(besuk, "--status", "resolved", "--resolved-on", "2021-04-01", "--ref", "RJ/2021/7")
    shown = json.loads(besuk("case", "show", "rj/2021/7", "--format", "json").stdout)
    assert ref == "RJ/2021/7"
    assert shown["history"] == [{"on_date": "2021-04-01", "old_status": "reported", "new_status": "resolved", "note": None}]


def test_history_cannot_go_back_in_time(besuk):
    ref = add_case(besuk)
    result = besuk("case", "update", ref, "--status", "in_handling", "--on", "01/02/2021")
    assert result.exit_code == 1
    assert result.stderr == "Error: --on: '2021-02-01': the case was only reported on 2021-02-03\n"
    besuk("case", "update", ref, "--status", "in_handling", "--on", "10/02/2021")
    result = besuk("case", "update", ref, "--status", "resolved", "--on", "09/02/2021")
    assert result.stderr == "Error: --on: '2021-02-09': the case's last change was on 2021-02-10; history cannot go back\n"
    assert besuk("case", "update", ref, "--status", "in_handling").stderr == f"Error: --status: case {ref} is already in_handling\n"


def test_invalid_values_are_refused_and_nothing_is_written(besuk):
    cases = [
        (["--nik", "12345"], "Error: --nik: '*****': a NIK has exactly 16 digits\n"),
        (["--status", "done"], "Error: --status: 'done': not a case status; use one of reported, in_handling, resolved, referred, closed "
                                 "(or dilaporkan, ditangani, selesai, dirujuk, ditutup)\n"),
        (["--status", "resolved"], "Error: --resolved-on: a resolved case needs its resolution date\n"),
        (["--gender", "x"], "Error: --gender: 'x': not a gender: use L (laki-laki) or P (perempuan)\n"),
        (["--handled-by", "Karang Taruna"], "Error: no institution 'Karang Taruna' in Randujalak\n"),
    ]
    for extra, message in cases:
        result = besuk("case", "add", "--village", "Randujalak", "--category", "8", "--name", "A", "--reported-on", "2021-01-01", *extra)
        assert (result.exit_code, result.stderr) == (1, message)
    assert besuk.json("case", "list") == []


def test_unknown_ref(besuk):
    result = besuk("case", "show", "KS-1999-0001")
    assert (result.exit_code, result.stderr) == (1, "Error: no case with ref KS-1999-0001\n")

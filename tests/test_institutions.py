import json

import pytest


def test_add_and_list_institutions(besuk):
    result = besuk("institution", "add", "Arisan Ibu-Ibu", "--village", "35.13.13.2013", "--type", "Kelompok Arisan",
                   "--leader", "Bu Siti", "--members", "25")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Added institution Arisan Ibu-Ibu to Randujalak.\n"
    rows = besuk.json("institution", "list", "--village", "randujalak")
    assert [{k: r[k] for k in ("village", "name", "type", "leader", "members", "joined_on")} for r in rows] == [
        {"village": "Randujalak", "name": "Arisan Ibu-Ibu", "type": "arisan", "leader": "Bu Siti", "members": 25, "joined_on": None},
        {"village": "Randujalak", "name": "KUBE Sejahtera", "type": "kube", "leader": None, "members": None, "joined_on": "2020-04-01"},
        {"village": "Randujalak", "name": "PKK Randujalak", "type": "pkk", "leader": None, "members": None, "joined_on": "2020-05-01"},
    ]
    assert [r["name"] for r in besuk.json("institution", "list", "--type", "kube")] == ["KUBE Sejahtera"]


def test_the_same_name_is_allowed_in_another_village_but_not_twice_in_one(besuk):
    assert besuk("institution", "add", "PKK Randujalak", "--village", "Alasnyiur", "--type", "pkk").exit_code == 0
    result = besuk("institution", "add", "pkk  randujalak", "--village", "Randujalak", "--type", "pkk")
    assert result.exit_code == 1
    assert result.stderr == "Error: Randujalak already has an institution 'PKK Randujalak'\n"


def test_unknown_type_suggests_and_points_at_the_type_list(besuk):
    result = besuk("institution", "add", "X", "--village", "Randujalak", "--type", "kub")
    assert result.exit_code == 1
    assert result.stderr == "Error: --type: 'kub': not a known institution type; did you mean 'kube'?; see `wksbm types`\n"


def test_members_must_be_a_whole_number(besuk):
    result = besuk("institution", "add", "X", "--village", "Randujalak", "--type", "kube", "--members", "-3")
    assert result.exit_code == 1
    assert result.stderr == "Error: --members: '-3': not a whole number of 0 or more\n"


def test_show_and_update(besuk):
    result = besuk("institution", "update", "kube sejahtera", "--village", "Randujalak", "--members", "12", "--name", "KUBE Sejahtera Makmur")
    assert result.exit_code == 0, result.output
    shown = json.loads(besuk("institution", "show", "KUBE Sejahtera Makmur", "--village", "Randujalak", "--format", "json").stdout)
    assert (shown["name"], shown["members"], shown["activities"], shown["cases_handled"]) == ("KUBE Sejahtera Makmur", 12, 0, 0)


def test_unknown_institution_suggests_names_in_that_village(besuk):
    result = besuk("institution", "show", "KUBE Sejahtra", "--village", "Randujalak")
    assert result.exit_code == 1
    assert result.stderr == "Error: no institution 'KUBE Sejahtra' in Randujalak; did you mean 'KUBE Sejahtera'?\n"


def test_users_can_add_institution_types(besuk):
    result = besuk("types", "add", "bank-sampah", "--name", "Bank Sampah", "--name-en", "Waste bank")
    assert result.exit_code == 0, result.output
    types = besuk.json("types")
    assert types[-1] == {"code": "bank-sampah", "name_id": "Bank Sampah", "name_en": "Waste bank", "builtin": False}
    assert len(types) == 13
    assert besuk("institution", "add", "Bank Sampah Berseri", "--village", "Randujalak", "--type", "bank sampah").exit_code == 0
    assert besuk("types", "add", "bank-sampah", "--name", "Lagi").stderr == "Error: institution type bank-sampah already exists\n"


@pytest.mark.usefixtures("new_db")
def test_categories_are_the_26_pmks(cli):
    rows = cli.json("categories")
    assert len(rows) == 26
    assert rows[7] == {"number": 8, "code": "lansia-terlantar", "name_id": "Lanjut Usia Terlantar", "name_en": "Neglected elderly person"}

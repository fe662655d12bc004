"""Merging officers' databases (SPEC section 10), as a regency would: a hub copied to three officers
with `backup`, each working offline under their own name, then merged back, through the real CLI."""

import json
import shutil
import sqlite3

import pytest

from tests.helpers import query

NIK = "3513134107450001"


def run(cli, db, officer, *args):
    result = cli("--db", db, "--officer", officer, *args)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def regency(cli, tmp_path):
    """The hub (Dinsos) with two villages, an institution and a case; three officers' copies, each worked on."""
    hub = tmp_path / "hub.db"
    run(cli, hub, "Dinsos", "village", "add", "Randujalak", "--code", "35.13.13.2013", "--kecamatan", "Besuk")
    run(cli, hub, "Dinsos", "village", "add", "Alasnyiur", "--code", "35.13.13.2003", "--kecamatan", "Besuk")
    run(cli, hub, "Dinsos", "institution", "add", "KUBE Sejahtera", "--village", "Randujalak", "--type", "kube", "--members", "10")
    run(cli, hub, "Dinsos", "case", "add", "--village", "Randujalak", "--category", "lansia-terlantar",
        "--name", "Mbok Sarmi", "--reported-on", "2021-02-03")
    officers = {}
    for name in ("ani", "bayu", "citra"):
        officers[name] = tmp_path / f"{name}.db"
        run(cli, hub, "Dinsos", "backup", officers[name])
    ani, bayu, citra = officers["ani"], officers["bayu"], officers["citra"]
    # Ani and Bayu both move the hub's case on, on different dates.
    run(cli, ani, "Ani", "case", "update", "KS-2021-0001", "--status", "in_handling", "--on", "2021-03-01")
    run(cli, bayu, "Bayu", "case", "update", "KS-2021-0001", "--status", "referred", "--on", "2021-03-05")
    # Both change the same institution's members, differently.
    run(cli, ani, "Ani", "institution", "update", "KUBE Sejahtera", "--village", "Randujalak", "--members", "12")
    run(cli, bayu, "Bayu", "institution", "update", "KUBE Sejahtera", "--village", "Randujalak", "--members", "15")
    # Both add the same new institution, one with its members.
    run(cli, ani, "Ani", "institution", "add", "Karang Taruna Tunas", "--village", "Alasnyiur", "--type", "karang-taruna")
    run(cli, bayu, "Bayu", "institution", "add", "karang taruna TUNAS", "--village", "Alasnyiur", "--type", "karang-taruna",
        "--members", "25")
    # New cases; Bayu's shares Ani's NIK (another person's record? a person to review).
    run(cli, ani, "Ani", "case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", "Budi",
        "--nik", NIK, "--reported-on", "2021-03-02")
    run(cli, bayu, "Bayu", "case", "add", "--village", "Alasnyiur", "--category", "fakir-miskin", "--name", "Sarmini",
        "--nik", NIK, "--reported-on", "2021-03-03")
    # Citra forms Alasnyiur's WKSBM and records its first meeting.
    run(cli, citra, "Citra", "village", "update", "Alasnyiur", "--formed-on", "2021-03-10", "--decree", "SK 7/2021")
    run(cli, citra, "Citra", "activity", "add", "--village", "Alasnyiur", "--kind", "meeting", "--on", "2021-03-11",
        "--title", "Rapat pembentukan")
    return hub, ani, bayu, citra


def merge(cli, db, *files, officer="Dinsos", dry_run=False):
    result = cli("--db", db, "--officer", officer, "merge", *files, *(["--dry-run"] if dry_run else []), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def counts(report):
    return {kind: [c["inserted"], c["updated"], c["unchanged"], c["linked"], c["conflicts"]]
            for kind, c in report["kinds"].items()}


def records(db):
    """Everything merged, by what people and uids know it as (never local integer ids)."""
    return {
        "villages": query(db, "SELECT code, name, kecamatan, formed_on, decree FROM villages ORDER BY code"),
        "institutions": query(db, """SELECT v.code, i.name_key, i.type, i.members FROM institutions i
                                     JOIN villages v ON v.id = i.village_id ORDER BY 1, 2"""),
        "activities": query(db, """SELECT a.uid, v.code, a.kind, a.held_on, a.title FROM activities a
                                   JOIN villages v ON v.id = a.village_id ORDER BY 1"""),
        "cases": query(db, """SELECT c.uid, c.ref, v.code, c.person_name, c.nik, c.status, c.resolved_on
                              FROM cases c JOIN villages v ON v.id = c.village_id ORDER BY 1"""),
        "events": query(db, """SELECT e.uid, c.uid, e.on_date, e.new_status FROM case_events e
                               JOIN cases c ON c.id = e.case_id ORDER BY 1"""),
    }


def test_the_hub_merges_three_officers_with_exact_counts(cli, regency):
    hub, ani, bayu, citra = regency
    report = merge(cli, hub, ani, bayu, citra)
    assert report["files"] == [str(ani), str(bayu), str(citra)]
    assert counts(report) == {
        "villages": [0, 1, 5, 0, 0],
        "institutions": [1, 1, 2, 1, 1],
        "activities": [1, 0, 0, 0, 0],
        "cases": [2, 2, 1, 0, 0],
        "case_events": [2, 0, 0, 0, 0],
    }
    assert report["conflicts"] == [{"id": 1, "kind": "institutions", "record": "KUBE Sejahtera, Randujalak",
                                    "field": "members", "here": 12, "incoming": 15, "source": str(bayu)}]
    assert [(d["record"], d["other"], d["match"], d["nik"]) for d in report["duplicates"]] == [
        (d["record"], d["other"], "nik", "351313********01") for d in report["duplicates"]]
    assert len(report["duplicates"]) == 1 and NIK not in json.dumps(report)
    assert report["renamed_refs"] == []
    # Both status changes survive; the case is at the later one's status.
    case = json.loads(cli("--db", hub, "case", "show", "KS-2021-0001", "--format", "json").stdout)
    assert [(h["on_date"], h["new_status"]) for h in case["history"]] == [("2021-03-01", "in_handling"), ("2021-03-05", "referred")]
    assert case["status"] == "referred"
    # The institution both added is there once, with the members one of them gave.
    assert query(hub, "SELECT name, members FROM institutions ORDER BY id") == [
        ("KUBE Sejahtera", 12), ("Karang Taruna Tunas", 25)]
    assert query(hub, "SELECT formed_on, decree FROM villages WHERE code = '35.13.13.2003'") == [("2021-03-10", "SK 7/2021")]
    refs = [row[0] for row in query(hub, "SELECT ref FROM cases")]
    assert len(refs) == len(set(refs)) == 3


def test_merged_changes_keep_their_officers_and_sources_in_the_audit(cli, regency):
    hub, ani, bayu, citra = regency
    merge(cli, hub, ani, bayu, citra)
    entries = query(hub, """SELECT a.officer, a.action, a.table_name, s.source_file FROM audit_log a
                            JOIN audit_sources s ON s.audit_id = a.id WHERE a.action = 'update' ORDER BY a.id""")
    assert ("Bayu", "update", "institutions", str(bayu)) in entries
    assert ("Citra", "update", "villages", str(citra)) in entries
    assert not [row for row in entries if row[0] == "Dinsos"]


def test_merging_again_changes_nothing(cli, regency):
    hub, ani, bayu, citra = regency
    merge(cli, hub, ani, bayu, citra)
    before = records(hub), query(hub, "SELECT count(*) FROM audit_log"), query(hub, "SELECT count(*) FROM merge_conflicts")
    again = merge(cli, hub, ani, bayu, citra)
    assert (records(hub), query(hub, "SELECT count(*) FROM audit_log"), query(hub, "SELECT count(*) FROM merge_conflicts")) == before
    assert all(c["inserted"] == c["updated"] == c["linked"] == c["conflicts"] == 0 for c in again["kinds"].values())
    assert again["conflicts"] == again["duplicates"] == again["renamed_refs"] == []
    # The audit chain holds the appended entries, and the triggers lifted while merging are back as they were.
    result = cli("--db", hub, "check")
    assert result.exit_code == 0, result.output


def test_a_dry_run_writes_nothing_and_reports_the_same(cli, regency, tmp_path):
    hub, ani, bayu, citra = regency
    twin = tmp_path / "twin.db"
    shutil.copy(hub, twin)
    image = hub.read_bytes()
    dry = merge(cli, hub, ani, bayu, citra, dry_run=True)
    assert hub.read_bytes() == image
    assert merge(cli, twin, ani, bayu, citra) == {**dry, "files": dry["files"]}


def test_the_order_of_merging_gives_the_same_records(cli, regency, tmp_path):
    hub, ani, bayu, citra = regency
    other = tmp_path / "hub2.db"
    shutil.copy(hub, other)
    first = merge(cli, hub, ani, bayu, citra)
    second = merge(cli, other, citra, bayu, ani)
    # The one field both changed differently is a conflict either way, here keeping what came first.
    assert [(c["here"], c["incoming"]) for c in first["conflicts"]] == [(12, 15)]
    assert [(c["here"], c["incoming"]) for c in second["conflicts"]] == [(15, 12)]
    run(cli, hub, "Dinsos", "conflicts", "resolve", "1", "--take", "incoming")
    run(cli, other, "Dinsos", "conflicts", "resolve", "1", "--take", "here")
    assert records(hub) == records(other)


def test_the_hub_merged_back_brings_the_others_work_without_the_settled_conflict(cli, regency):
    hub, ani, bayu, citra = regency
    merge(cli, hub, ani, bayu, citra)
    result = run(cli, hub, "Dinsos", "conflicts", "resolve", "1", "--take", "incoming")
    assert "Conflict 1 settled: KUBE Sejahtera, Randujalak members is 15." in result.stderr
    assert json.loads(cli("--db", hub, "conflicts", "--format", "json").stdout) == []
    back = merge(cli, ani, hub, officer="Ani")
    assert back["conflicts"] == []
    assert records(ani) == records(hub)
    # …and Bayu's, whose own value won, takes the hub's without a conflict either.
    assert merge(cli, bayu, hub, officer="Bayu")["conflicts"] == []
    assert records(bayu) == records(hub)
    settled = query(hub, "SELECT officer, before, after FROM audit_log WHERE table_name = 'merge_conflicts'")
    assert [(o, json.loads(b)["taken"], json.loads(a)["taken"]) for o, b, a in settled] == [("Dinsos", None, "incoming")]


def test_a_foreign_or_newer_file_writes_nothing_and_is_named(cli, regency, tmp_path):
    hub, ani, _bayu, _citra = regency
    foreign = tmp_path / "other.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (x)")
    conn.close()
    newer = tmp_path / "newer.db"
    shutil.copy(ani, newer)
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    image = hub.read_bytes()
    for bad, says in [(foreign, "is not a wksbm database"), (newer, "has schema version 99"),
                      (garbage, "not a database")]:
        result = cli("--db", hub, "merge", ani, bad)
        assert result.exit_code == 1, result.output
        assert str(bad) in result.stderr and says in result.stderr
        assert hub.read_bytes() == image
    assert cli("--db", hub, "merge", hub).exit_code == 1


def test_an_officers_file_not_yet_opened_by_this_version_merges_unchanged(cli, regency, tmp_path):
    """Schemas 6 and 7 only changed indexes and how CHECKs are written: a file still at 5 holds the same data and is not written."""
    hub, ani, bayu, _citra = regency
    older = tmp_path / "ani-older.db"
    shutil.copy(ani, older)
    conn = sqlite3.connect(older)
    conn.execute("DROP INDEX activities_held_on")  # m006's other index went again in m007
    conn.execute("PRAGMA user_version = 5")
    conn.close()
    image = older.read_bytes()
    twin = tmp_path / "twin.db"
    shutil.copy(hub, twin)
    assert counts(merge(cli, hub, older)) == counts(merge(cli, twin, ani))
    assert records(hub) == records(twin)
    assert older.read_bytes() == image
    conn = sqlite3.connect(older)
    conn.execute("PRAGMA user_version = 4")
    conn.close()
    result = cli("--db", hub, "merge", older)
    assert result.exit_code == 1, result.output
    assert f"{older} has schema version 4, this database has 7" in result.stderr


def test_refs_never_collide(cli, tmp_path):
    """Two databases made apart both numbered a case KS-2021-0001: one is renamed, in the report."""
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    for db, name in [(first, "Sarmi"), (second, "Tini")]:
        run(cli, db, "X", "village", "add", "Randujalak", "--code", "35.13.13.2013")
        run(cli, db, "X", "case", "add", "--village", "Randujalak", "--category", "fakir-miskin", "--name", name,
            "--reported-on", "2021-02-03")
    report = merge(cli, first, second)
    assert counts(report)["villages"] == [0, 0, 0, 1, 0]
    [renamed] = report["renamed_refs"]
    assert renamed["ref"] == "KS-2021-0001" and renamed["renamed_to"].startswith("KS-2021-0001-")
    refs = query(first, "SELECT ref FROM cases ORDER BY ref")
    assert len({ref for (ref,) in refs}) == 2
    # The first database now holds others' cases: the refs it makes carry its code.
    code = query(first, "SELECT code FROM db_identity")[0][0]
    result = run(cli, first, "X", "case", "add", "--village", "Randujalak", "--category", "fakir-miskin",
                 "--name", "Budi", "--reported-on", "2021-04-01")
    assert result.stdout.strip() == f"KS-2021-{code}-0001"
    # Merged the other way, the rename arrives as the change it was: both hold the same refs.
    back = merge(cli, second, first)
    assert back["renamed_refs"] == [] and back["conflicts"] == []
    assert query(second, "SELECT uid, ref FROM cases ORDER BY uid") == query(first, "SELECT uid, ref FROM cases ORDER BY uid")


def test_a_backup_is_a_database_of_its_own(cli, regency):
    hub, ani, bayu, _citra = regency
    ids = {db: query(db, "SELECT uid, code, copied_from FROM db_identity")[0] for db in (hub, ani, bayu)}
    assert len({uid for uid, _code, _from in ids.values()}) == 3
    assert ids[ani][2] == ids[bayu][2] == ids[hub][0] and ids[hub][2] is None
    assert query(ani, "SELECT ref FROM cases WHERE person_name = 'Budi'") == [(f"KS-2021-{ids[ani][1]}-0001",)]


def test_a_deletion_travels_unless_the_other_side_changed_the_record(cli, regency):
    hub, ani, bayu, _citra = regency
    run(cli, hub, "Dinsos", "institution", "add", "Arisan Lama", "--village", "Alasnyiur", "--type", "arisan")
    run(cli, hub, "Dinsos", "institution", "add", "Arisan Baru", "--village", "Alasnyiur", "--type", "arisan")
    merge(cli, ani, hub, officer="Ani")
    run(cli, ani, "Ani", "institution", "delete", "Arisan Lama", "--village", "Alasnyiur")
    run(cli, ani, "Ani", "institution", "delete", "Arisan Baru", "--village", "Alasnyiur")
    run(cli, hub, "Dinsos", "institution", "update", "Arisan Baru", "--village", "Alasnyiur", "--members", "8")
    report = merge(cli, hub, ani)
    assert query(hub, "SELECT name FROM institutions WHERE village_id = 2 ORDER BY name") == [
        ("Arisan Baru",), ("Karang Taruna Tunas",)]
    assert [(c["record"], c["field"], c["here"], c["incoming"]) for c in report["conflicts"]] == [
        ("Arisan Baru, Alasnyiur", "(record)", "changed here", "deleted there")]


def test_conflicts_are_listed_and_settled_once(cli, regency):
    hub, ani, bayu, citra = regency
    merge(cli, hub, ani, bayu, citra)
    result = cli("--db", hub, "conflicts", "list")
    assert result.exit_code == 0, result.output
    from tests.helpers import table_cells
    assert table_cells(result.stdout) == [["1", "institutions", "KUBE Sejahtera, Randujalak", "members", "12", "15",
                                           str(bayu), ""]]
    assert cli("--db", hub, "conflicts", "resolve", "1", "--take", "theirs").exit_code == 2
    assert cli("--db", hub, "conflicts", "resolve", "9", "--take", "here").exit_code == 1
    run(cli, hub, "Dinsos", "conflicts", "resolve", "1", "--take", "here")
    again = cli("--db", hub, "conflicts", "resolve", "1", "--take", "incoming")
    assert again.exit_code == 1 and "already settled" in again.stderr
    assert query(hub, "SELECT members FROM institutions WHERE name = 'KUBE Sejahtera'") == [(12,)]
    listed = json.loads(cli("--db", hub, "conflicts", "list", "--all", "--format", "json").stdout)
    assert [(c["id"], c["resolved"].split(" ")[0]) for c in listed] == [(1, "here")]

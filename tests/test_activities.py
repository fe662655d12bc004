def test_record_and_list_activities(besuk):
    result = besuk("activity", "add", "--village", "randu jalak", "--on", "12/01/2021", "--kind", "Meeting",
                   "--title", "Rapat rutin", "--institution", "pkk randujalak", "--attendees", "23")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Recorded meeting on 2021-01-12 in Randujalak.\n"
    besuk("activity", "add", "--village", "Alasnyiur", "--on", "2021-03-01", "--kind", "outreach")
    rows = besuk.json("activity", "list")
    assert [{k: r[k] for k in ("held_on", "village", "kind", "title", "institution", "attendees")} for r in rows] == [
        {"held_on": "2021-03-01", "village": "Alasnyiur", "kind": "outreach", "title": None, "institution": None, "attendees": None},
        {"held_on": "2021-01-12", "village": "Randujalak", "kind": "meeting", "title": "Rapat rutin", "institution": "PKK Randujalak", "attendees": 23},
    ]
    assert [r["village"] for r in besuk.json("activity", "list", "--since", "01/02/2021")] == ["Alasnyiur"]
    assert [r["village"] for r in besuk.json("activity", "list", "--village", "Randujalak")] == ["Randujalak"]


def test_csv_listing(besuk):
    besuk("activity", "add", "--village", "Randujalak", "--on", "12/01/2021", "--kind", "training", "--title", "Pelatihan, KUBE")
    result = besuk("activity", "list", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout == 'id,held_on,village,kind,title,institution,attendees\n1,2021-01-12,Randujalak,training,"Pelatihan, KUBE",,\n'


def test_bad_kind_and_institution_of_another_village_are_refused(besuk):
    result = besuk("activity", "add", "--village", "Randujalak", "--on", "12/01/2021", "--kind", "party")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --kind: 'party': not an activity kind; use one of meeting, program, outreach, advocacy, training, other "
        "(or rapat, pelatihan, sosialisasi, advokasi, program/kegiatan, lainnya)\n"
    )
    result = besuk("activity", "add", "--village", "Alasnyiur", "--on", "12/01/2021", "--kind", "meeting", "--institution", "PKK Randujalak")
    assert result.exit_code == 1
    assert result.stderr == "Error: no institution 'PKK Randujalak' in Alasnyiur\n"
    assert besuk.json("activity", "list") == []

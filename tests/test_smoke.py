def test_village_list_after_add(besuk):
    rows = besuk.json("village", "list")
    assert [row["name"] for row in rows] == ["Alasnyiur", "Besuk Agung", "Randujalak"]

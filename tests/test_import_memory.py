"""What an import remembers while it runs stays flat however long the file (SPEC section 7)."""

from wksbm_cli.importing.cases import GeneratedRefs, SeenKeys


def test_the_refs_an_import_makes_up_are_kept_as_runs_not_one_by_one():
    refs = GeneratedRefs()
    for number in range(1, 200_001):
        refs.add(f"KS-2021-{number:04d}")
    refs.add("KS-2021-300000")  # after a row's own ref jumped the count ahead
    assert refs.runs == {"KS-2021": [[1, 200_000], [300_000, 300_000]]}
    assert "KS-2021-0007" in refs and "KS-2021-250000" not in refs and "KS-2022-0001" not in refs
    refs.discard("KS-2021-0007")  # a later row claimed it: its case was renumbered
    assert refs.runs["KS-2021"][:2] == [[1, 6], [8, 200_000]]
    assert "KS-2021-0007" not in refs and "KS-2021-0008" in refs


def test_the_filter_of_people_keys_seen_rarely_calls_an_unseen_key_maybe():
    # Each false "maybe" costs a query reading the new cases of a village: at 300,000 rows the
    # earlier filter (2 bits per key in 4 MiB) gave about 35 of them, this one well under 5.
    seen = SeenKeys()
    keys = [("person", number % 100, "fakir-miskin", f"orang{number}", None) for number in range(300_000)]
    assert len(seen.add_and_report(keys)) < 5
    assert seen.add_and_report([("person", 7, "fakir-miskin", "orang7", None)]) != []  # a key seen is always a maybe

"""The uids of a bulk insert: time-ordered UUIDv7s counting up from a random start (RFC 9562, method 1)."""

import uuid

import pytest

from wksbm_cli import ids


@pytest.mark.parametrize("start", [0, 4094, 4095, 4096, (1 << 48) - 3, (1 << 62) - 5, 0x2F3C_0000_0FFF])
@pytest.mark.parametrize("count", [1, 2, 4097, 9000])
def test_bulk_uids_count_up_by_one_across_every_boundary(monkeypatch, start, count):
    monkeypatch.setattr(ids.os, "urandom", lambda n: (start << 2).to_bytes(8, "big"))
    monkeypatch.setattr(ids.time, "time_ns", lambda: 1_764_633_600_000_000_000)
    made = ids.new_uids(count)
    values = [uuid.UUID(text) for text in made]
    assert [str(value) for value in values] == made and len(made) == count
    assert {(value.version, value.variant) for value in values} == {(7, uuid.RFC_4122)}
    assert {value.int >> 80 for value in values} == {1_764_633_600_000}  # the milliseconds
    counters = [value.int & ((1 << 62) - 1) for value in values]
    assert counters == [(start + n) & ((1 << 62) - 1) for n in range(count)]
    if start + count <= 1 << 62:
        assert made == sorted(made)

"""Identifiers and timestamps every record carries."""

import datetime as dt
import os
import time
import uuid


def new_uid() -> str:
    """A time-ordered UUID (version 7): unique across laptops, and kind to the uid index."""
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (millis & (2**48 - 1)) << 80
    value |= 0x7 << 76  # version
    value |= (rand >> 68) << 64  # 12 random bits
    value |= 0b10 << 62  # variant
    value |= rand & (2**62 - 1)
    return str(uuid.UUID(int=value))


def new_uids(count: int) -> list[str]:
    """`count` time-ordered UUIDv7s for a bulk insert, ascending (RFC 9562 counter method)."""
    millis = time.time_ns() // 1_000_000
    start = int.from_bytes(os.urandom(8), "big") >> 2  # room to count up without wrapping
    high = f"{millis & (2**48 - 1):012x}"
    high = f"{high[:8]}-{high[8:]}-7{(start >> 50) & 0xFFF:03x}-"
    low = start & (2**48 - 1)  # the last 12 hex digits; the 4 before them change only when these wrap
    if low + count <= 2**48:  # nearly always: the last 3 digits joined to the 9 before them
        head = f"{high}{((0b10 << 62) | start) >> 48 & 0xFFFF:04x}-%09x"
        uids = []
        for block in range(low >> 12, ((low + count - 1) >> 12) + 1):
            base = block << 12
            tails = _TAILS[max(low - base, 0):min(low + count - base, 4096)]
            uids += map((head % block).__add__, tails)
        return uids
    uids = []
    for n in range(start, start + count):
        low_part = f"{(0b10 << 62) | (n & (2**62 - 1)):016x}"
        uids.append(f"{high}{low_part[:4]}-{low_part[4:]}")
    return uids


_TAILS = [f"{n:03x}" for n in range(4096)]


def now() -> str:
    """The current UTC time as an ISO timestamp with seconds."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# Crockford's base32 without 0/1 look-alikes' twins (I, L, O, U): easy to read aloud and copy.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_db_code() -> str:
    """A short random code for a database (4 characters, about a million choices): it goes in its refs."""
    return "".join(_CODE_ALPHABET[byte % 32] for byte in os.urandom(4))

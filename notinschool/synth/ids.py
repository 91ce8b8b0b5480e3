"""Identifiers in valid formats that cannot be anyone's real number.

NHS numbers come from the 999 range the NHS keeps for testing; unique pupil numbers use a
local authority number no English authority has (990) and a correct check letter.
"""

from __future__ import annotations

from functools import lru_cache

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
UPN_LA = "990"


def upn_check_letter(body: str) -> str:
    """DfE check letter for the twelve characters after it."""
    total = sum(int(ch) * weight for ch, weight in zip(body, range(2, 14), strict=True))
    return UPN_LETTERS[total % 23]


def make_upn(serial: int, school_urn: str, entry_year: int) -> str:
    """UPN for the serial-th pupil a school enrolled in a year (over 999 borrows a number)."""
    establishment = (int(school_urn[-4:]) + 1000 * (serial // 1000)) % 10000
    head = _upn_head(establishment, entry_year % 100)
    tail = f"{serial % 1000:03d}"
    total = head[1] + _UPN_TAIL[serial % 1000]
    return UPN_LETTERS[total % 23] + head[0] + tail


@lru_cache(maxsize=4096)
def _upn_head(establishment: int, year: int) -> tuple[str, int]:
    """The first nine characters after the check letter, and their weighted sum."""
    head = f"{UPN_LA}{establishment:04d}{year:02d}"
    return head, sum(int(ch) * w for ch, w in zip(head, range(2, 11), strict=True))


_UPN_TAIL = [sum(int(ch) * w for ch, w in zip(f"{n:03d}", (11, 12, 13), strict=True))
             for n in range(1000)]  # fmt: skip


def nhs_test_number(n: int) -> str | None:
    """The test-range NHS number 999nnnnnn plus check digit, or None where none is valid."""
    total = _NHS_HEAD + _NHS_MID[n // 1000] + _NHS_LOW[n % 1000]
    check = 11 - total % 11
    if check == 10:
        return None
    return f"999{n:06d}{0 if check == 11 else check}"


_NHS_HEAD = 9 * 10 + 9 * 9 + 9 * 8
_NHS_MID = [sum(int(d) * w for d, w in zip(f"{n:03d}", (7, 6, 5), strict=True)) for n in range(1000)]
_NHS_LOW = [sum(int(d) * w for d, w in zip(f"{n:03d}", (4, 3, 2), strict=True)) for n in range(1000)]


def nhs_check_digit(nine: str) -> int | None:
    total = sum(int(d) * (10 - i) for i, d in enumerate(nine))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def is_valid_nhs_number(value: str) -> bool:
    return len(value) == 10 and value.isdigit() and nhs_check_digit(value[:9]) == int(value[9])


def is_valid_upn(value: str) -> bool:
    if len(value) != 13 or not value[1:].isdigit():
        return False
    return upn_check_letter(value[1:]) == value[0]


RECORD_PREFIX = {
    "social_care": "MOS",
    "health": "RIO",
    "police": "NICHE",
    "domestic_abuse": "OE",
    "exploitation": "VEMT",
    "housing": "HSG",
}


class RecordIds:
    """Each agency's own person ids: one per (person, source), sometimes a duplicate."""

    def __init__(self) -> None:
        self.counters = dict.fromkeys(RECORD_PREFIX, 100_000)

    def new(self, source: str) -> str:
        self.counters[source] += 1
        return f"{RECORD_PREFIX[source]}{self.counters[source] * 7 % 10_000_000:07d}"

"""Normalising names, postcodes and addresses so the same thing written two ways compares equal."""

import functools
import re
import unicodedata

_NON_ALPHA = re.compile(r"[^a-z]")
_ADDRESS_NOISE = re.compile(r"[^a-z0-9]")


@functools.lru_cache(maxsize=1 << 18)  # names repeat: an import folds each one many times
def fold(text: str | None) -> str:
    """Lower case, accents removed, only letters: "O'Brien-Smith" -> "obriensmith"."""
    if not text:
        return ""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_ALPHA.sub("", plain.lower())


@functools.lru_cache(maxsize=1 << 18)
def surname_parts(surname: str | None) -> frozenset[str]:
    """Each part of a hyphenated or double-barrelled surname, and the whole."""
    if not surname:
        return frozenset()
    parts = {fold(p) for p in re.split(r"[-\s]+", surname) if fold(p)}
    return frozenset(parts | {fold(surname)})


@functools.lru_cache(maxsize=1 << 18)
def postcode_key(postcode: str | None) -> str:
    return re.sub(r"\s+", "", (postcode or "").upper())


def address_key(line_1: str | None, postcode: str | None) -> str:
    """The contract's household address: same postcode and the same first address line,
    compared after normalising case, spaces and punctuation."""
    return f"{postcode_key(postcode)}|{_ADDRESS_NOISE.sub('', (line_1 or '').lower())}"


def edit_distance_at_most_one(a: str, b: str) -> bool:
    """One letter changed, added or removed, or two neighbours swapped. Finds the first
    difference and compares what follows it (most pairs differ in the first letter or two:
    the matcher asks this millions of times in an import)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i, n = 0, min(la, lb)
    while i < n and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1:] == b[i + 1:] or (
            i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:])
    if la > lb:
        return a[i + 1:] == b[i:]
    return b[i + 1:] == a[i:]

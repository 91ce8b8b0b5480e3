"""Normalising names, postcodes and addresses so the same thing written two ways compares equal."""

import re
import unicodedata

_NON_ALPHA = re.compile(r"[^a-z]")
_ADDRESS_NOISE = re.compile(r"[^a-z0-9]")


def fold(text: str | None) -> str:
    """Lower case, accents removed, only letters: "O'Brien-Smith" -> "obriensmith"."""
    if not text:
        return ""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_ALPHA.sub("", plain.lower())


def surname_parts(surname: str | None) -> set[str]:
    """Each part of a hyphenated or double-barrelled surname, and the whole."""
    if not surname:
        return set()
    parts = {fold(p) for p in re.split(r"[-\s]+", surname) if fold(p)}
    return parts | {fold(surname)}


def postcode_key(postcode: str | None) -> str:
    return re.sub(r"\s+", "", (postcode or "").upper())


def address_key(line_1: str | None, postcode: str | None) -> str:
    """The contract's household address: same postcode and the same first address line,
    compared after normalising case, spaces and punctuation."""
    return f"{postcode_key(postcode)}|{_ADDRESS_NOISE.sub('', (line_1 or '').lower())}"


def edit_distance_at_most_one(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        i = diffs[0] if diffs else 0
        return len(diffs) == 2 and diffs[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))

"""Faster stand-ins for random.choice and random.randint (same seed, same answers)."""

from __future__ import annotations

import random
from collections.abc import Sequence


def pick[T](rng: random.Random, seq: Sequence[T]) -> T:
    return seq[int(rng.random() * len(seq))]


def between(rng: random.Random, lo: int, hi: int) -> int:
    """An integer from lo to hi inclusive."""
    return lo + int(rng.random() * (hi - lo + 1))

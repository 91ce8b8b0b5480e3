"""A match's evidence in plain words.

The engine keeps, for each compared field, the level that applied ("exact", "year off by one",
"not known"...) and its match weight: the log2 of a Bayes factor, how many times more (or less)
likely that agreement is between records of the same person than between two different people.
A reviewer reads it as a strength and a "times more likely"; the weights add up, with the
prior (how rare a true match is among all the pairs compared), to the match's score.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

FIELD_LABELS = {
    "forename": "First name",
    "middle_names": "Middle names",
    "surname": "Last name",
    "date_of_birth": "Date of birth",
    "address": "Address",
    "sex": "Sex",
    "parents": "Parents' names",
    "identifiers": "NHS number or UPN",
    "same_surname": "Same last name",
    "parent_in_common": "Parent in common",
}

HOUSEHOLD_BASIS = {
    "same_surname": "they live at the same address and have the same last name",
    "parent_in_common": "they live at the same address and have a parent's name in common",
}


@dataclass(frozen=True)
class EvidenceLine:
    field: str  # the field in words, "Date of birth"
    level: str  # the level that applied, "year off by one"
    weight: float  # log2 Bayes factor
    strength: str  # "Strong evidence for", "Did not count"...
    words: str  # "about 67 times more likely to be the same person"

    @property
    def direction(self) -> str:
        if abs(self.weight) < 0.05:
            return "none"
        return "for" if self.weight > 0 else "against"


def times(weight: float) -> str:
    """2**|weight| in words: 'about 67 times', 'about 5,800 times', 'about 2.3 million times'."""
    factor = 2 ** abs(weight)
    if factor < 10:
        return f"about {factor:.1f} times"
    if factor < 1_000_000:
        return f"about {_two_figures(factor):,.0f} times"
    if factor < 1_000_000_000:
        return f"about {factor / 1_000_000:.1f} million times"
    return "over a billion times"


def strength(weight: float) -> str:
    size = abs(weight)
    if size < 0.05:
        return "Did not count"
    side = "for" if weight > 0 else "against"
    if size < 2:
        word = "Weak"
    elif size < 5:
        word = "Moderate"
    elif size < 10:
        word = "Strong"
    else:
        word = "Very strong"
    return f"{word} evidence {side}"


def weight_words(weight: float) -> str:
    if abs(weight) < 0.05:
        return "made no difference either way"
    more = "more" if weight > 0 else "less"
    return f"{times(weight)} {more} likely to be the same person"


def explain(evidence: Iterable[dict[str, Any]]) -> list[EvidenceLine]:
    """The stored evidence of a same-person match, field by field, strongest first."""
    lines = []
    for item in evidence:
        weight = float(item.get("weight") or 0.0)
        field = str(item.get("field", ""))
        lines.append(EvidenceLine(
            field=FIELD_LABELS.get(field, field.replace("_", " ").capitalize()),
            level=str(item.get("label") or "not known"),
            weight=weight, strength=strength(weight), words=weight_words(weight)))
    return sorted(lines, key=lambda line: -abs(line.weight))


def prior_weight(total_weight: float, evidence: Iterable[dict[str, Any]]) -> float:
    """The part of the score that no field gave: how rare a true match is to start with."""
    return total_weight - sum(float(e.get("weight") or 0.0) for e in evidence)


def prior_words(weight: float) -> str:
    odds = 2 ** weight
    if odds >= 1:
        return "Before any field is compared, a pair is as likely as not to be the same person."
    return (f"Before any field is compared, two records picked at random are the same person "
            f"about 1 time in {_two_figures(1 / odds):,.0f}; the fields above move it from there.")


def _two_figures(value: float) -> float:
    return round(value, 1 - math.floor(math.log10(value))) if value >= 10 else round(value, 1)


def score_words(probability: float) -> str:
    """The match's probability as a percentage a reviewer can read: '99.8%', 'over 99.9%'."""
    if probability >= 0.9995:
        return "over 99.9%"
    return f"{probability * 100:.1f}%"

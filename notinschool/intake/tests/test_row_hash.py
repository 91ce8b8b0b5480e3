"""A row's hash (how a row imported before is recognised) is the same text as ever: the JSON
of the kind and the sorted (name, value) pairs, hashed, whatever characters the values hold."""

import datetime as dt
import hashlib
import json
import random
from decimal import Decimal
from typing import Any

from notinschool.intake.workspace import row_hash


def _as_ever(kind, values):
    payload = json.dumps([kind, sorted((k, str(v)) for k, v in values.items() if v is not None)])
    return hashlib.sha256(payload.encode()).hexdigest()


def test_row_hash_is_the_json_of_the_sorted_values_whatever_they_hold():
    rng = random.Random(7)
    characters = ['a', 'Z', '"', '\\', '\x00', '\x1f', ' ', '~', '\x7f', 'é', '€', '\U0001f600',
                  '\n', '\t', '\r', '/', "'", '\u2028', ',', '[', ']']
    rows: list[dict[str, Any]] = [
        {}, {"a": None},
        {"forename": "Amy", "date_of_birth": dt.date(2015, 3, 1), "hours": 12, "educates": True,
         "fee": Decimal("1.50"), "x": None}]
    for _ in range(3000):
        rows.append({f"k{j}": "".join(rng.choice(characters) for _ in range(rng.randrange(4)))
                     for j in range(rng.randrange(5))})
    for kind in ("parent-registrations", 'odd"kind', "é"):
        for values in rows:
            assert row_hash(kind, values) == _as_ever(kind, values), (kind, values)

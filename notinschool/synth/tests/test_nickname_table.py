"""The generator only shortens names in ways the project's UK nickname table knows: otherwise
the synthetic truth would ask the matcher for something no table could give it."""

import csv

from notinschool.people.nicknames import NICKNAME_TABLE, same_forename
from notinschool.synth.names import NICKNAMES


def test_every_short_form_the_generator_uses_is_in_the_nickname_table():
    with NICKNAME_TABLE.open(encoding="utf-8") as handle:
        table = {(r["formal"], r["name"]) for r in csv.DictReader(handle)}
    missing = [(formal, short) for formal, shorts in NICKNAMES.items() for short in shorts
               if (formal.lower(), short.lower()) not in table]
    assert missing == []


def test_intake_matching_knows_the_short_forms():
    assert same_forename("abdul", "abdullah")
    assert not same_forename("abdul", "omar")

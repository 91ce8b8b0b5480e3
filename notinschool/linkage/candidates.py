"""The agency people who could pair with a few register children, found by index.

An import touches a few register children, and each must be linked against every agency
record (a million of them, say) in under a second. Every blocking rule of the engine is an
equality of prepared keys (NHS number, UPN, postcode, date of birth, forename family,
phonetic codes of the names), and each agency person keeps its keys in indexed columns. So the
people that any rule could pair with a child are the union of a few indexed lookups; the engine
then scores only those, and finds exactly the pairs it would find against everyone.
"""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
from django.db.models import Q

from notinschool.core.bulk import update_many
from notinschool.linkage.models import AgencyPerson

KEY_FIELDS = {"fn_key": "key_fn", "fn_sx": "key_fn_sx", "sn_sx": "key_sn_sx", "pc": "key_pc",
              "nhs": "key_nhs", "upn": "key_upn"}
"""Engine key column -> AgencyPerson field."""

_CHILDREN_PER_QUERY = 50
_REFRESH_CHUNK = 20_000


def keys_usable() -> bool:
    """False when the engine's blocking rules are not the ones these lookups were written for
    (then callers link against everyone)."""
    from notinschool.linkage import engine

    return engine.keys_cover_blocking()


def person_keys_set(people: list[AgencyPerson]) -> None:
    """Set the blocking keys of these agency people (not saved here), as the engine makes them."""
    from notinschool.linkage import engine
    from notinschool.linkage.linking import people_table

    if not people:
        return
    keys = engine.blocking_keys(people_table(people)).to_pydict()
    by_id = {str(p.pk): p for p in people}
    version = engine.keys_version()
    for i, pk in enumerate(keys["id"]):
        person = by_id[pk]
        for column, field in KEY_FIELDS.items():
            setattr(person, field, keys[column][i] or "")
        person.keys_version = version


def agency_keys_refresh() -> int:
    """Key the agency people whose keys are missing or stale (made before a change to the
    engine's preparation or nickname table, or written without the agency load). Returns how
    many."""
    from notinschool.linkage import engine

    version = engine.keys_version()
    stale = AgencyPerson.objects.filter(Q(keys_version__lt=version) | Q(keys_version__gt=version))
    done = 0
    while chunk := list(stale.order_by("pk")[:_REFRESH_CHUNK]):
        person_keys_set(chunk)
        update_many(AgencyPerson, chunk, [*KEY_FIELDS.values(), "keys_version"])
        done += len(chunk)
    return done


def candidate_filters(register: pa.Table) -> Iterator[Q]:
    """Filters (one per group of children) that together select every agency person that a
    blocking rule could pair with a person of ``register`` (an input table of the engine)."""
    from notinschool.linkage import engine

    keys = engine.blocking_keys(register).to_pydict()
    dobs = dict(zip((str(i) for i in register["id"].to_pylist()),
                    register["date_of_birth"].to_pylist(), strict=True))  # fmt: skip
    probes: list[Q] = []
    for i, pk in enumerate(keys["id"]):
        child = {column: keys[column][i] for column in KEY_FIELDS}
        probes.extend(_probes(child, dobs.get(pk)))
        if len(probes) >= _CHILDREN_PER_QUERY * 6:
            yield _any(probes)
            probes = []
    if probes:
        yield _any(probes)


def _probes(child: dict[str, Any], dob: dt.date | None) -> list[Q]:
    """One indexed lookup per group of blocking rules (model.BLOCKING_RULES, in order)."""
    fn_key, fn_sx, sn_sx, pc = child["fn_key"], child["fn_sx"], child["sn_sx"], child["pc"]
    probes = [Q(key_nhs=child["nhs"]) if child["nhs"] else None,
              Q(key_upn=child["upn"]) if child["upn"] else None,
              Q(key_pc=pc) if pc else None]  # every rule with the postcode, and households
    if dob is not None:
        dates = [dob, *([_swapped(dob)] if dob.day <= 12 and dob.day != dob.month else [])]
        names = [*([Q(key_sn_sx=sn_sx)] if sn_sx else []), *([Q(key_fn=fn_key)] if fn_key else []),
                 *([Q(key_sn_sx=fn_sx)] if fn_sx else []),  # one name moved to the other field
                 *([Q(key_fn_sx=sn_sx)] if sn_sx else [])]
        probes.append(Q(date_of_birth__in=dates) & _any(names) if names else None)
        if fn_sx and sn_sx:  # names swapped, the same year
            probes.append(Q(key_fn_sx=sn_sx, key_sn_sx=fn_sx,
                            date_of_birth__range=(dt.date(dob.year, 1, 1),
                                                  dt.date(dob.year, 12, 31))))
    if fn_key and sn_sx:  # same names, two of year, month and day the same
        probes.append(Q(key_fn=fn_key, key_sn_sx=sn_sx))
    return [p for p in probes if p is not None]


def _swapped(dob: dt.date) -> dt.date:
    return dt.date(dob.year, dob.day, dob.month)


def _any(probes: list[Q]) -> Q:
    out = probes[0]
    for probe in probes[1:]:
        out |= probe
    return out

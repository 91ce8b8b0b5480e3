"""Running the linkage engine over the database and keeping its results as PersonMatch rows.

Matches above the automatic threshold apply without a person; the band below waits for review.
A pair a person rejected never comes back, and an accepted one is not undone by a re-run."""

from collections import defaultdict
from collections.abc import Callable, Collection
from typing import Any
from uuid import UUID

import pyarrow as pa
from django.db import transaction
from django.db.models import Q

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.core.bulk import any_of, arrow_values, build, insert_many, values_where_in
from notinschool.core.collector import collector_paused
from notinschool.core.errors import NotPermitted
from notinschool.linkage.households import households_checked, lookalikes_store
from notinschool.linkage.models import AgencyPerson, PersonMatch
from notinschool.people.models import OPEN_STATUSES, Address, Child, ChildParent

COLUMNS = ("id", "forename", "middle_names", "surname", "sex", "date_of_birth", "postcode",
           "address_line_1", "upn", "nhs_number", "parent1_name", "parent2_name")


def linking_check(actor: Actor) -> None:
    """Cross-referencing follows a change to what the register holds: an import
    (`IMPORT_FILES`), or a notification recorded by hand, a merge or a split (`EDIT_REGISTER`);
    the command line and the schedules may run it whole."""
    if not (actor.can(Cap.IMPORT_FILES) or actor.can(Cap.EDIT_REGISTER)):
        raise NotPermitted("your role cannot change what the register holds")


def register_table(child_ids: set[UUID] | None) -> pa.Table:
    """The open register children (all, or ``child_ids``) as the engine's input table."""
    if child_ids is None:
        return _whole_register_table()
    children = Child.objects.filter(status__in=OPEN_STATUSES)
    if child_ids is not None:
        children = children.filter(pk__in=child_ids)
    rows = list(children.values_list("pk", "forename", "middle_names", "surname", "sex",
                                     "date_of_birth", "postcode", "upn", "nhs_number"))
    ids = [r[0] for r in rows]
    line_1 = dict(Address.objects.filter(child_id__in=ids, is_current=True)
                  .values_list("child_id", "line_1")) if child_ids is not None else dict(
        Address.objects.filter(is_current=True, child__status__in=OPEN_STATUSES)
        .values_list("child_id", "line_1"))
    parents: dict[Any, list[str]] = defaultdict(list)
    links = ChildParent.objects.filter(child__status__in=OPEN_STATUSES)
    if child_ids is not None:
        links = links.filter(child_id__in=ids)
    for child_id, name in links.values_list("child_id", "parent__name"):
        parents[child_id].append(name)
    columns: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    for pk, forename, middle, surname, sex, dob, postcode, upn, nhs in rows:
        p = parents.get(pk, [])
        values = {"id": str(pk), "forename": forename, "middle_names": middle, "surname": surname,
                  "sex": sex, "date_of_birth": dob, "postcode": postcode,
                  "address_line_1": line_1.get(pk, ""), "upn": upn, "nhs_number": nhs,
                  "parent1_name": p[0] if p else "", "parent2_name": p[1] if len(p) > 1 else ""}
        for c in COLUMNS:
            columns[c].append(values[c] or None)
    return _table(columns)


def _whole_register_table() -> pa.Table:
    """`register_table(None)`, its children's and addresses' rows read as Arrow columns
    (core.bulk.arrow_values). For 87,989 children it costs what Django's rows did (1.3 s of
    CPU): `link` gains by reading it once, for linking and possible duplicates."""
    fields = ("forename", "middle_names", "surname", "sex", "date_of_birth", "postcode", "upn",
              "nhs_number")
    children = arrow_values(Child.objects.filter(status__in=OPEN_STATUSES).values_list(
        "pk", *fields), ("id", *fields), dates=("date_of_birth",))
    addresses = arrow_values(Address.objects.filter(
        is_current=True, child__status__in=OPEN_STATUSES).values_list("child_id", "line_1"),
        ("child_id", "line_1"))
    line_1 = dict(zip(addresses["child_id"].to_pylist(), addresses["line_1"].to_pylist(),
                      strict=True))  # the last of a child's current addresses, as before
    parents: dict[str, list[str]] = defaultdict(list)
    for child_id, name in ChildParent.objects.filter(
            child__status__in=OPEN_STATUSES).values_list("child_id", "parent__name"):
        parents[str(child_id)].append(name)
    ids = children["id"].to_pylist()
    first = [p[0] if (p := parents.get(pk)) else None for pk in ids]
    second = [p[1] if (p := parents.get(pk)) and len(p) > 1 else None for pk in ids]
    extra = {"address_line_1": [line_1.get(pk) for pk in ids], "parent1_name": first,
             "parent2_name": second}
    return pa.table({c: children[c] if c in children.column_names else pa.array(
        [v or None for v in extra[c]], pa.string()) for c in COLUMNS})


def agency_table(person_ids: Collection[UUID | str] | None, where: list[Q] | None = None) -> pa.Table:
    """Agency people (all, or ``person_ids``, or those any of the filters ``where`` selects,
    each once) as the engine's input table."""
    people = AgencyPerson.objects.all()
    fields = ["pk", *[c for c in COLUMNS if c != "id"]]
    if where is None and (person_ids is None or len(person_ids) > _IDS_IN_LIST):
        # everyone, or an agency file's people (560,405 from a million rows: as one array, not
        # an IN list of half a million ids), read as Arrow columns (core.bulk.arrow_values:
        # Django's rows took 15 s of the 100k x 1M import's follow-up, under its profiler)
        if person_ids is not None:
            people = people.filter(any_of("id", person_ids))
        return arrow_values(people.values_list(*fields), COLUMNS, dates=("date_of_birth",))
    if person_ids is not None:
        people = people.filter(pk__in=person_ids)
    groups = [people.filter(w).values_list(*fields).iterator(chunk_size=20000)
              for w in where] if where is not None else [
        people.values_list(*fields).iterator(chunk_size=20000)]
    columns: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    seen: set[UUID] = set()
    for group in groups:
        for row in group:
            if where is not None:
                if row[0] in seen:
                    continue
                seen.add(row[0])
            columns["id"].append(str(row[0]))
            for name, value in zip(fields[1:], row[1:], strict=True):
                columns[name].append(value or None)
    return _table(columns)


_IDS_IN_LIST = 10_000  # more ids than this are sent as one array (core.bulk.values_where_in)


def people_table(people: list[AgencyPerson]) -> pa.Table:
    """The engine's input table of these agency people (objects, saved or not)."""
    columns: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    for person in people:
        columns["id"].append(str(person.pk))
        for name in COLUMNS[1:]:
            columns[name].append(getattr(person, name) or None)
    return _table(columns)


def agency_candidates(register: pa.Table) -> pa.Table:
    """The agency people a blocking rule could pair with someone in ``register`` (see
    :mod:`notinschool.linkage.candidates`), after keying any that have no current keys."""
    from notinschool.linkage.candidates import agency_keys_refresh, candidate_filters

    agency_keys_refresh()
    return agency_table(None, list(candidate_filters(register)))


def _table(columns: dict[str, list[Any]]) -> pa.Table:
    arrays = {c: pa.array(v, type=pa.date32() if c == "date_of_birth" else pa.string())
              for c, v in columns.items()}
    return pa.table(arrays)


# What scores the people: engine.link_people_and_households's signature and result (matches,
# households). `notinschool link --engine spark` passes the engine's Spark one.
LinkPeople = Callable[..., tuple[list[Any], list[tuple[str, str, str]]]]


def run_linkage(*, actor: Actor, child_ids: set[UUID] | None,
                person_ids: Collection[UUID | str] | None,
                link_people: LinkPeople | None = None,
                register: pa.Table | None = None) -> set[UUID]:
    """Link register children (all open ones, or ``child_ids``) with agency people (all, or
    ``person_ids``). A few children against every agency person are linked against only the
    people a blocking rule could pair them with (found by index): the same matches, in a
    fraction of the time. Who may run it: `linking_check`. ``link_people`` scores the people
    (by default the engine on DuckDB); what it returns is stored the same way whoever ran it.
    ``register``: `register_table(child_ids)` when the caller has read it already. Python's
    cyclic garbage collector is paused meanwhile (core.collector: for an agency file's 560,405
    people, about 3 s of the import's follow-up went to its full collections)."""
    from notinschool.linkage import engine

    linking_check(actor)
    if not hasattr(engine, "link_people"):  # the engine is still being built
        return set()
    with collector_paused():
        return _linked(actor, child_ids, person_ids, link_people, register)


def _linked(actor: Actor, child_ids: set[UUID] | None, person_ids: Collection[UUID | str] | None,
            link_people: LinkPeople | None, register: pa.Table | None) -> set[UUID]:
    from notinschool.linkage import engine
    from notinschool.linkage.candidates import keys_usable

    register = register_table(child_ids) if register is None else register
    if register.num_rows == 0:
        return set()
    if child_ids is not None and person_ids is None and keys_usable():
        agency = agency_candidates(register)
        population = max(register.num_rows, AgencyPerson.objects.count())
    else:
        agency = agency_table(person_ids)
        population = max(register.num_rows, agency.num_rows)
    if agency.num_rows == 0:
        return set()
    link_people = link_people or engine.link_people_and_households
    matches, households = link_people(register, agency, population=population,
                                      model=register_model())
    households, lookalikes = households_checked(register, agency, matches, households)
    with transaction.atomic():
        changed = _store(matches, households) | lookalikes_store(lookalikes)
        if changed:
            audit_record(actor=actor, action="update", object_type="person_match",
                         child_ids=changed, detail={"matches": len(matches),
                                                    "household": len(households)})
    return changed


def register_model() -> Any:
    """The engine's model with its replaced-field levels weighed by the whole stored register
    (engine.model.model_for_population): how many open register children share surname,
    date of birth and postcode with one of another forename (twins), or forename, surname
    and postcode with one of another date of birth. Counted over everyone, not the children
    being linked, so a run over five children scores as a run over all. The base is the latest
    model trained on the records in hand (`notinschool link --train`: linkage.training), else
    the shipped default."""
    from django.db.models import Count, F, Sum, Value
    from django.db.models.functions import Lower, Replace, Trim, Upper

    from notinschool.linkage.engine.model import PopulationCounts, model_for_population
    from notinschool.linkage.training import trained_model

    children = (Child.objects.filter(status__in=OPEN_STATUSES, date_of_birth__isnull=False)
                .exclude(forename="").exclude(surname="").exclude(postcode="")
                .annotate(fn=Lower(Trim("forename")), sn=Lower(Trim("surname")),
                          dob=F("date_of_birth"),
                          pc=Upper(Replace("postcode", Value(" "), Value("")))))

    def in_groups(keys: tuple[str, ...], other: str) -> int:
        groups = (children.values(*keys).annotate(n=Count("pk"), k=Count(other, distinct=True))
                  .filter(k__gt=1))
        return int(groups.aggregate(total=Sum("n"))["total"] or 0)

    return model_for_population(PopulationCounts(
        records=children.count(), same_but_forename=in_groups(("sn", "dob", "pc"), "fn"),
        same_but_birthday=in_groups(("fn", "sn", "pc"), "dob")), base=trained_model())


def _store(matches: list[Any], households: list[tuple[str, str, str]]) -> set[UUID]:
    from notinschool.linkage import engine

    children = {UUID(m.left_id) for m in matches} | {UUID(h[0]) for h in households}
    existing = {(str(c), str(p), kind) for c, p, kind in values_where_in(
        PersonMatch, "child_id", children, ("child_id", "person_id", "kind"))}
    new: list[PersonMatch] = []
    for m in matches:
        key = (m.left_id, m.right_id, PersonMatch.Kind.SAME_PERSON)
        if key in existing:
            continue
        state = (PersonMatch.State.AUTOMATIC if m.probability >= engine.AUTO_THRESHOLD
                 else PersonMatch.State.PENDING)
        new.append(build(PersonMatch, child_id=m.left_id, person_id=m.right_id, kind=key[2],
                         state=state, probability=m.probability, weight=m.weight,
                         evidence=[{"field": e.field, "label": e.label, "weight": e.weight}
                                   for e in m.evidence]))
    same = {(m.left_id, m.right_id) for m in matches}
    for child_id, person_id, basis in households:
        key = (child_id, person_id, PersonMatch.Kind.HOUSEHOLD)
        if key in existing or (child_id, person_id) in same:
            continue
        new.append(build(PersonMatch, child_id=child_id, person_id=person_id, kind=key[2],
                         state=PersonMatch.State.AUTOMATIC, basis=basis,
                         evidence=[{"field": "address", "label": "same home address",
                                    "weight": 0}, {"field": basis, "label": basis.replace(
                                        "_", " "), "weight": 0}]))
    insert_many(PersonMatch, new)  # COPY on PostgreSQL: 63,518 links took 44 s as bulk_create
    return {UUID(str(m.child_id)) for m in new}

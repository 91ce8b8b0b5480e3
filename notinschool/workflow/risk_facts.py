"""Building the risk engine's input for many children in a few set-based queries.

A run reads the register in key order, so each chunk of children is a key range: every query
here selects by that range (`Scope`), or by a short list of ids for a few children, never by a
list of thousands of ids (which costs more to send and plan than to answer). Children are read
as plain rows (`ChildRow`), not model instances.

Household facts come from two places: agency people linked to the child's household (same
home, and a surname or a parent in common), and the agency facts of the child's siblings on the
register."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple
from uuid import UUID

from django.db import connection
from django.db.models import Q

from notinschool.casework.models import Contact, SuitabilityJudgement
from notinschool.core import clock
from notinschool.core.bulk import any_of
from notinschool.intake.models import Notification
from notinschool.linkage.models import AgencyFact, PersonMatch
from notinschool.people.models import Address, Child, ChildParent, Provider, Status
from notinschool.plans.selectors import child_health_facts
from notinschool.risk.engine import facts as f
from notinschool.risk.scope import Scope

_EFFECTIVE = (PersonMatch.State.AUTOMATIC, PersonMatch.State.ACCEPTED)


class ChildRow(NamedTuple):
    """The register fields the rules read, as `CHILD_FIELDS` selects them."""

    pk: UUID
    child_ref: str
    status: str
    joined_register_date: dt.date | None
    status_date: dt.date | None
    created_at: dt.datetime
    last_school_urn: str
    upn: str
    ehe_reason: str
    sen_provision: str
    missing_since: dt.date | None
    household_id: UUID | None


CHILD_FIELDS = ChildRow._fields


def child_rows(children: Iterable[Child]) -> list[ChildRow]:
    return [ChildRow(*(getattr(c, name) for name in CHILD_FIELDS)) for c in children]


def child_facts_for(children: list[Child]) -> dict[UUID, f.ChildFacts]:
    """The engine's facts for a few children (model instances)."""
    facts = child_facts_for_rows(child_rows(children), Scope(ids=tuple(c.pk for c in children)))
    return {c.pk: x for c, x in zip(children, facts, strict=True)}


def child_facts_for_rows(children: list[ChildRow], scope: Scope) -> list[f.ChildFacts]:
    """The engine's facts for `children` (all inside `scope`), in the same order. Children are
    keyed by their id's number inside (`UUID.int`): hashing a UUID object runs Python code."""
    ids = {c.pk.int for c in children}
    own, household = _agency_facts(children, ids, scope)
    for key, recorded in _health_records(scope, ids).items():
        own[key] = own.get(key, ()) + recorded
    contacts, refused_visits = _contacts(scope, ids)
    findings = _suitability(scope, ids)
    deletions, admissions = _school_events(scope, ids)
    missing = _missing_required_info(scope, children)
    result = []
    no_facts: tuple[Any, ...] = ()
    for child in children:
        key = child.pk.int
        joined = child.joined_register_date or child.status_date or child.created_at.date()
        result.append(f.ChildFacts(
            child_ref=child.child_ref, status=child.status, joined_date=joined,
            data_arrived_date=joined,
            agency_facts=own.get(key, no_facts) + household.get(key, no_facts) if own or household
            else no_facts,
            contacts=tuple(contacts.get(key, no_facts)) if contacts else no_facts,
            deletions=tuple(deletions.get(key, no_facts)) if deletions else no_facts,
            admission_dates=tuple(admissions.get(key, no_facts)) if admissions else no_facts,
            last_school_urn_known=bool(child.last_school_urn), upn_known=bool(child.upn),
            ehe_reason=child.ehe_reason or None, sen_provision=child.sen_provision or None,
            cme_since=child.missing_since, eligible_date=joined,
            missing_required_info=missing.get(key, ()),
            **(_findings(findings.get(key), refused_visits.get(key))
               if findings or refused_visits else {}),
        ))
    return result


def _agency_facts(children: list[ChildRow], ids: set[int], scope: Scope) -> tuple[
        dict[int, tuple[f.AgencyFact, ...]], dict[int, tuple[f.AgencyFact, ...]]]:
    siblings = _siblings(children, scope)
    in_scope_households = Child.objects.filter(scope.q("pk"), household_id__isnull=False) \
        .values("household_id")
    sibling_ids = Child.objects.filter(household_id__in=in_scope_households).values("pk")
    matches = PersonMatch.objects.filter(scope.q("child_id") | Q(child_id__in=sibling_ids),
                                         state__in=_EFFECTIVE)
    links = list(matches.values_list("child_id", "person_id", "kind"))
    if not links:
        return {}, {}
    facts_by_person: dict[UUID, list[f.AgencyFact]] = defaultdict(list)
    # on PostgreSQL the people just read go back as one array: the subquery of links again
    # was planned as a join whose order of a person's facts was not the table's (the order
    # of the evidence a rule shows); read by the person's index, each person's facts come in
    # the table's order, as a scan of the table gives them
    people = Q(person_id__in=matches.values("person_id")) if connection.vendor != "postgresql" \
        else any_of("person_id", {person for _, person, _ in links})
    rows = AgencyFact.objects.filter(people).values_list(
        "pk", "person_id", "source", "indicator", "start_date", "end_date", "batch__as_of")
    for pk, person, source, indicator, start, end, received in rows:
        facts_by_person[person].append(f.AgencyFact(source, indicator, start, end, False,
                                                    received, str(pk)))
    own_people: dict[int, set[UUID]] = defaultdict(set)
    home_people: dict[int, set[UUID]] = defaultdict(set)
    for child, person, kind in links:
        (own_people if kind == PersonMatch.Kind.SAME_PERSON else home_people)[child.int].add(person)
    # a record waiting for a person to say whether it is the child's own is not a household
    # member's meanwhile (linkage.households): household signals come from other people only
    maybe_own: dict[int, set[UUID]] = defaultdict(set)
    for child, person in PersonMatch.objects.filter(
            scope.q("child_id"), kind=PersonMatch.Kind.SAME_PERSON,
            state=PersonMatch.State.PENDING).values_list("child_id", "person_id"):
        maybe_own[child.int].add(person)
    own: dict[int, tuple[f.AgencyFact, ...]] = {}
    household: dict[int, tuple[f.AgencyFact, ...]] = {}
    no_people: set[UUID] = set()
    for key in ids:
        mine = own_people.get(key, no_people)
        others = set(home_people.get(key, no_people))
        for sibling in siblings.get(key, ()):
            others |= own_people.get(sibling, no_people)
        if mine:
            own[key] = tuple(x for p in mine for x in facts_by_person.get(p, ()))
        others -= mine | maybe_own.get(key, no_people)
        if others:
            household[key] = tuple(_as_household(x) for p in others
                                     for x in facts_by_person.get(p, ()))
    return own, household


def _health_records(scope: Scope, ids: set[int]) -> dict[int, tuple[f.AgencyFact, ...]]:
    """What a health practitioner recorded on screen (plans.HealthRecord), read as the health
    agency's facts would be: a concern is `health_concern`; the latest GP registration recorded
    as "not registered" is `not_registered_with_gp`."""
    result: dict[int, tuple[f.AgencyFact, ...]] = defaultdict(tuple)
    for child, pk, indicator, on in child_health_facts(scope.q("child_id")):
        if child.int in ids:
            result[child.int] += (f.AgencyFact("health", indicator, on, None, False, on, str(pk)),)
    return result


def _as_household(fact: f.AgencyFact) -> f.AgencyFact:
    return f.AgencyFact(fact.source, fact.indicator, fact.start_date, fact.end_date, True,
                        fact.received_date, fact.ref)


def _siblings(children: list[ChildRow], scope: Scope) -> dict[int, list[int]]:
    households = {c.household_id for c in children if c.household_id}
    if not households:
        return {}
    in_scope = Child.objects.filter(scope.q("pk"), household_id__isnull=False).values("household_id")
    members: dict[Any, list[int]] = defaultdict(list)
    for pk, home in Child.objects.filter(household_id__in=in_scope).values_list("pk", "household_id"):
        if home in households:
            members[home].append(pk.int)
    return {c.pk.int: [m for m in members[c.household_id] if m != c.pk.int]
            for c in children if c.household_id}


def _contacts(scope: Scope, ids: set[int]) -> tuple[dict[int, list[f.ContactFact]],
                                                    dict[int, dt.date]]:
    """The contacts with an outcome, and the day of each child's latest visit with an outcome
    when it was missed because the parent refused it (a missed visit recorded as declined)."""
    result: dict[int, list[f.ContactFact]] = defaultdict(list)
    latest_visit: dict[int, tuple[dt.date, bool]] = {}
    # a contact feeds the model once it has an outcome: not a planned visit, a letter still
    # awaiting a reply, or a visit the authority cancelled (casework.contacts)
    for child, day, outcome, seen, alone, method, state in Contact.objects.filter(
            scope.q("child_id")).exclude(outcome="").values_list(
                "child_id", "contact_date", "outcome", "child_seen", "seen_alone", "method", "state"):
        key = child.int
        if key in ids:
            result[key].append(f.ContactFact(day, outcome, bool(seen), bool(alone), method))
            if method in _VISITS and (key not in latest_visit or latest_visit[key][0] <= day):
                latest_visit[key] = (day, state == Contact.State.MISSED
                                     and outcome == Contact.Outcome.DECLINED)
    return result, {key: day for key, (day, refused) in latest_visit.items() if refused}


_VISITS = (Contact.Method.HOME_VISIT, Contact.Method.OTHER_VISIT)
_FORCE = (SuitabilityJudgement.State.IN_FORCE, SuitabilityJudgement.State.APPROVED)


def _findings(judged: tuple[dt.date, dict[str, bool]] | None,
              refused_on: dt.date | None) -> dict[str, bool]:
    """The judgement in force decides, unless a visit was refused after it was made."""
    flags = dict(judged[1]) if judged is not None else {}
    if refused_on is not None and (judged is None or refused_on > judged[0]):
        flags["home_visit_refused"] = True
    return flags


def _suitability(scope: Scope, ids: set[int]) -> dict[int, tuple[dt.date, dict[str, bool]]]:
    """The findings of each child's suitability judgement in force (casework.suitability):
    "not suitable" or "unable to determine" is suitability not shown; unable for want of any
    information is no information; unable because a visit was refused is a refused visit."""
    j = SuitabilityJudgement
    findings: dict[int, tuple[dt.date, dict[str, bool]]] = {}
    for child, judgement, why, on in j.objects.filter(
            scope.q("child_id"), state__in=_FORCE, superseded_by__isnull=True).order_by(
                "decided_at").values_list("child_id", "judgement", "unable_why", "decided_on"):
        key = child.int
        if key not in ids:
            continue
        findings[key] = (on, {
            "suitability_not_shown": judgement != j.Judgement.SUITABLE,
            "no_education_information": judgement == j.Judgement.UNABLE
            and why == j.Why.NO_INFORMATION,
            "home_visit_refused": judgement == j.Judgement.UNABLE and why == j.Why.VISIT_REFUSED,
        })
    return findings


def _school_events(scope: Scope, ids: set[int]) -> tuple[dict[int, list[f.DeletionFact]],
                                                         dict[int, list[dt.date]]]:
    deletions: dict[int, list[f.DeletionFact]] = defaultdict(list)
    admissions: dict[int, list[dt.date]] = defaultdict(list)
    rows = Notification.objects.filter(
        scope.q("child_id"), kind__in=("roll-deletions", "school-admissions")).values_list(
        "pk", "child_id", "kind", "event_date", "received_date", "ground", "data")
    for pk, child_id, kind, day, received, ground, data in rows:
        child = child_id.int
        if child not in ids:
            continue
        if kind == "school-admissions":
            admissions[child].append(day)
        else:
            special = bool(data.get("la_arranged_special_placement"))
            deletions[child].append(f.DeletionFact(day, ground, received, special, False, str(pk)))
    return deletions, admissions


def _missing_required_info(scope: Scope, children: list[ChildRow]) -> dict[int, tuple[str, ...]]:
    """Register content the law requires (s.436C) that the authority still lacks, by the words
    the rule shows ("_" read as a space): the previous address of a child who moved in under 12
    months ago and any parent at all; and, for a child educated at home, what the parents' own
    notification (s.436D) gives: each parent's address, who educates the child (a parent who
    educates, or a provider) and the hours. A school's deletion
    gives parents' names, never who educates or the hours: only the parents can. A parent with
    no address of their own has the child's when the parents' registration says they live with
    the child; a parent a school named is only assumed to, so their address is asked for."""
    previous = _moved_in_without_previous(scope)
    no_parent_address = _parents_without_address(scope)
    with_parent = _ids(ChildParent.objects.filter(scope.q("child_id")), "child_id")
    educated_by = _ids(ChildParent.objects.filter(scope.q("child_id"), educates=True), "child_id") \
        | _ids(Provider.objects.filter(scope.q("child_id")), "child_id")
    no_hours = _ids(Child.objects.filter(scope.q("pk"), hours_parent_per_week__isnull=True,
                                         hours_other_per_week__isnull=True), "pk")
    missing: dict[int, tuple[str, ...]] = {}
    for child in children:
        key = child.pk.int
        items: tuple[str, ...] = ("previous_address",) if key in previous else ()
        if key not in with_parent:
            items += ("parent_details",)
        if child.status == Status.EHE:
            items += tuple(item for item, lacking in (
                ("address_of_each_parent", key in no_parent_address),
                ("who_educates_the_child", key not in educated_by),
                ("hours_of_education", key in no_hours)) if lacking)
        if items:
            missing[key] = items
    return missing


def _ids(rows: Any, field: str) -> set[int]:
    return {pk.int for pk in rows.values_list(field, flat=True)}


def _moved_in_without_previous(scope: Scope) -> set[int]:
    year_ago = clock.add_months(clock.today(), -12)
    moved_in = Address.objects.filter(scope.q("child_id"), is_current=True, moved_in_date__gt=year_ago)
    recent = _ids(moved_in, "child_id")
    if not recent:
        return set()
    return recent - _ids(Address.objects.filter(
        scope.q("child_id"), is_current=False, child_id__in=moved_in.values("child_id")), "child_id")


def _parents_without_address(scope: Scope) -> set[int]:
    no_address = ChildParent.objects.filter(
        scope.q("child_id"), Q(parent__address_line_1="") | Q(parent__postcode=""))
    return _ids(no_address.exclude(lives_with_child=True,
                                   child__registration_received_date__isnull=False), "child_id")

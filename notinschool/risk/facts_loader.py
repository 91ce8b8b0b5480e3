"""Building the risk engine's input for many children in a few set-based queries.

Household facts come from two places: agency people linked to the child's household (same
home, and a surname or a parent in common), and the agency facts of the child's siblings on the
register."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from notinschool.casework.models import Contact
from notinschool.core import clock
from notinschool.intake.models import Notification
from notinschool.linkage.models import AgencyFact, PersonMatch
from notinschool.people.models import Address, Child, ChildParent
from notinschool.risk.engine import facts as f

_EFFECTIVE = (PersonMatch.State.AUTOMATIC, PersonMatch.State.ACCEPTED)


def child_facts_for(children: list[Child]) -> dict[UUID, f.ChildFacts]:
    ids = [c.pk for c in children]
    own, household = _agency_facts(children)
    contacts = _contacts(ids)
    deletions, admissions = _school_events(ids)
    missing = _missing_required_info(ids)
    result = {}
    for child in children:
        joined = child.joined_register_date or child.status_date or child.created_at.date()
        result[child.pk] = f.ChildFacts(
            child_ref=child.child_ref, status=child.status, joined_date=joined,
            data_arrived_date=joined,
            agency_facts=tuple(own[child.pk]) + tuple(household[child.pk]),
            contacts=tuple(contacts[child.pk]), deletions=tuple(deletions[child.pk]),
            admission_dates=tuple(admissions[child.pk]),
            last_school_urn_known=bool(child.last_school_urn), upn_known=bool(child.upn),
            ehe_reason=child.ehe_reason or None, sen_provision=child.sen_provision or None,
            cme_since=child.missing_since, eligible_date=joined,
            missing_required_info=missing.get(child.pk, ()),
        )
    return result


def _agency_facts(children: list[Child]) -> tuple[dict[UUID, list[f.AgencyFact]],
                                                   dict[UUID, list[f.AgencyFact]]]:
    ids = [c.pk for c in children]
    siblings = _siblings(children)
    all_ids = set(ids) | {s for group in siblings.values() for s in group}
    links = list(PersonMatch.objects.filter(child_id__in=all_ids, state__in=_EFFECTIVE)
                 .values_list("child_id", "person_id", "kind"))
    facts_by_person: dict[UUID, list[f.AgencyFact]] = defaultdict(list)
    rows = AgencyFact.objects.filter(person_id__in={p for _, p, _ in links}).values_list(
        "pk", "person_id", "source", "indicator", "start_date", "end_date", "batch__as_of")
    for pk, person, source, indicator, start, end, received in rows:
        facts_by_person[person].append(f.AgencyFact(source, indicator, start, end, False,
                                                    received, str(pk)))
    own_people: dict[UUID, set[UUID]] = defaultdict(set)
    home_people: dict[UUID, set[UUID]] = defaultdict(set)
    for child, person, kind in links:
        (own_people if kind == PersonMatch.Kind.SAME_PERSON else home_people)[child].add(person)
    own: dict[UUID, list[f.AgencyFact]] = defaultdict(list)
    household: dict[UUID, list[f.AgencyFact]] = defaultdict(list)
    for child in ids:
        mine = own_people[child]
        own[child] = [x for p in mine for x in facts_by_person[p]]
        others = set(home_people[child])
        for sibling in siblings.get(child, ()):
            others |= own_people[sibling]
        household[child] = [_as_household(x) for p in others - mine for x in facts_by_person[p]]
    return own, household


def _as_household(fact: f.AgencyFact) -> f.AgencyFact:
    return f.AgencyFact(fact.source, fact.indicator, fact.start_date, fact.end_date, True,
                        fact.received_date, fact.ref)


def _siblings(children: list[Child]) -> dict[UUID, list[UUID]]:
    households = {c.household_id for c in children if c.household_id}
    members: dict[Any, list[UUID]] = defaultdict(list)
    for pk, household in Child.objects.filter(household_id__in=households).values_list(
            "pk", "household_id"):
        members[household].append(pk)
    return {c.pk: [m for m in members[c.household_id] if m != c.pk]
            for c in children if c.household_id}


def _contacts(ids: Iterable[UUID]) -> dict[UUID, list[f.ContactFact]]:
    result: dict[UUID, list[f.ContactFact]] = defaultdict(list)
    for child, day, outcome, seen, alone, method in Contact.objects.filter(
            child_id__in=ids).values_list("child_id", "contact_date", "outcome", "child_seen",
                                          "seen_alone", "method"):
        result[child].append(f.ContactFact(day, outcome, bool(seen), bool(alone), method))
    return result


def _school_events(ids: Iterable[UUID]) -> tuple[dict[UUID, list[f.DeletionFact]],
                                                  dict[UUID, list[dt.date]]]:
    deletions: dict[UUID, list[f.DeletionFact]] = defaultdict(list)
    admissions: dict[UUID, list[dt.date]] = defaultdict(list)
    rows = Notification.objects.filter(
        child_id__in=ids, kind__in=("roll-deletions", "school-admissions")).values_list(
        "pk", "child_id", "kind", "event_date", "received_date", "ground", "data")
    for pk, child, kind, day, received, ground, data in rows:
        if kind == "school-admissions":
            admissions[child].append(day)
        else:
            special = bool(data.get("la_arranged_special_placement"))
            deletions[child].append(f.DeletionFact(day, ground, received, special, False, str(pk)))
    return deletions, admissions


def _missing_required_info(ids: list[UUID]) -> dict[UUID, tuple[str, ...]]:
    """Register content the law requires (s.436C) that the authority still lacks: the previous
    address of a child who moved in under 12 months ago, and any parent's details."""
    year_ago = clock.add_months(clock.today(), -12)
    recent = set(Address.objects.filter(child_id__in=ids, is_current=True,
                                        moved_in_date__gt=year_ago).values_list("child_id", flat=True))
    with_previous = set(Address.objects.filter(child_id__in=recent, is_current=False)
                        .values_list("child_id", flat=True))
    with_parent = set(ChildParent.objects.filter(child_id__in=ids).values_list("child_id", flat=True))
    missing: dict[UUID, tuple[str, ...]] = {}
    for pk in ids:
        items = (("previous_address",) if pk in recent - with_previous else ()) + (
            () if pk in with_parent else ("parent_details",))
        if items:
            missing[pk] = items
    return missing

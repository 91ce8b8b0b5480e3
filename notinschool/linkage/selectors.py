"""Reading matches between register children and agency records, scoped to the person asking:
a match is visible only with its register child (`child_queryset_for`), and only to roles that
review matches, except the effective links a child's page lists to anyone who may open it."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.core.errors import NotPermitted
from notinschool.core.memo import page_memo
from notinschool.linkage.models import AgencyFact, DuplicatePair, MatchDecision, PersonMatch
from notinschool.people.disclosure import agency_detail_visible
from notinschool.people.models import Address, Child, ChildParent
from notinschool.people.selectors import child_queryset_for, children_with_households

EFFECTIVE = (PersonMatch.State.AUTOMATIC, PersonMatch.State.ACCEPTED)


@dataclass(frozen=True)
class MatchFilter:
    source: str = ""
    kind: str = ""


def _reviewable(actor: Actor) -> QuerySet[PersonMatch]:
    if actor is None or not actor.can(Cap.REVIEW_MATCHES):
        return PersonMatch.objects.none()
    if actor.can(Cap.VIEW_ALL_CHILDREN):  # every child: no need to ask the database (a record
        return PersonMatch.objects.all()  # merged into another has no links left to show)
    return PersonMatch.objects.filter(child__in=child_queryset_for(actor))


def match_queue(*, actor: Actor, search: MatchFilter) -> QuerySet[PersonMatch]:
    """Matches waiting for a person, highest score first. Not audited here: the page audits the
    rows it shows (`match_queue_audit`)."""
    qs = _reviewable(actor).filter(state=PersonMatch.State.PENDING)
    if search.source:
        qs = qs.filter(person__source=search.source)
    if search.kind:
        qs = qs.filter(kind=search.kind)
    return qs.select_related("child", "person").order_by("-probability", "created_at", "pk")


def match_queue_audit(*, actor: Actor, search: MatchFilter, shown: list[PersonMatch]) -> None:
    audit_record(actor=actor, action="list", object_type="person_match",
                 object_ids=[m.pk for m in shown], child_ids=[m.child_id for m in shown],
                 detail={"state": "pending",
                         "fields": sorted(k for k, v in vars(search).items() if v)})


def match_sources(*, actor: Actor) -> list[str]:
    """The agency sources that have a match waiting, for the queue's filter."""
    return sorted(set(_reviewable(actor).filter(state=PersonMatch.State.PENDING)
                      .values_list("person__source", flat=True).distinct()))


def match_get(*, actor: Actor, match_id: Any) -> PersonMatch:
    """One match, if the actor reviews matches and may see its child; the view is audited."""
    match = _reviewable(actor).select_related("child", "person").filter(pk=match_id).first()
    if match is None:
        raise NotPermitted("you cannot see this match")
    audit_record(actor=actor, action="view", object_type="person_match", object_ids=[match.pk],
                 child_ids=[match.child_id])
    return match


def match_facts(match: PersonMatch) -> list[AgencyFact]:
    """The agency's facts about the matched person: what flows to the child if the match holds."""
    return list(AgencyFact.objects.filter(person_id=match.person_id)
                .order_by("-start_date", "indicator"))


def match_decisions(match: PersonMatch) -> list[MatchDecision]:
    return list(match.decisions.select_related("actor").order_by("at", "created_at"))


@dataclass(frozen=True)
class RegisterSide:
    """The register child's fields that the engine compared."""

    address_line_1: str
    parents: list[str]


def register_side(child: Child) -> RegisterSide:
    current = Address.objects.filter(child=child, is_current=True).first()
    parents = list(ChildParent.objects.filter(child=child).order_by("-lives_with_child")
                   .values_list("parent__name", flat=True))
    return RegisterSide(address_line_1=current.line_1 if current else "", parents=parents)


@page_memo
def child_matches(*, actor: Actor, child: Child) -> list[PersonMatch]:
    """The agency records linked to a child the actor has opened: every match, whatever its
    state, for people who review matches; the effective ones only for everyone else."""
    qs = PersonMatch.objects.filter(child=child).select_related("person")
    if not actor.can(Cap.REVIEW_MATCHES):
        qs = qs.filter(state__in=EFFECTIVE)
    return list(qs.order_by("person__source", "-probability", "pk"))


def affected_children(match: PersonMatch) -> set[UUID]:
    """The register children whose assessment a decision on this match can change: the child,
    and their brothers and sisters on the register (whose household facts include the child's
    own agency facts)."""
    return children_with_households([match.child_id])


# -- register records that may be the same child ------------------------------------------
def _pairs_reviewable(actor: Actor) -> QuerySet[DuplicatePair]:
    """Pairs of records the actor reviews: both records visible to them, or, once merged, the
    record kept."""
    if actor is None or not actor.can(Cap.REVIEW_MATCHES):
        return DuplicatePair.objects.none()
    if actor.can(Cap.VIEW_ALL_CHILDREN):
        return DuplicatePair.objects.all()
    children = child_queryset_for(actor)
    return DuplicatePair.objects.filter(Q(child_a__in=children, child_b__in=children)
                                        | Q(kept__in=children))


def duplicate_queue(*, actor: Actor) -> QuerySet[DuplicatePair]:
    """Pairs waiting for a person, highest score first. Not audited here: the page audits the
    rows it shows (`duplicate_queue_audit`)."""
    return (_pairs_reviewable(actor).filter(state=DuplicatePair.State.PENDING)
            .select_related("child_a", "child_b").order_by("-probability", "created_at", "pk"))


def duplicate_queue_audit(*, actor: Actor, shown: list[DuplicatePair]) -> None:
    audit_record(actor=actor, action="list", object_type="duplicate_pair",
                 object_ids=[p.pk for p in shown],
                 child_ids=[c for p in shown for c in (p.child_a_id, p.child_b_id)],
                 detail={"state": "pending"})


def duplicate_count(*, actor: Actor) -> int:
    return _pairs_reviewable(actor).filter(state=DuplicatePair.State.PENDING).count()


def duplicate_get(*, actor: Actor, pair_id: Any) -> DuplicatePair:
    """One pair, if the actor reviews matches and may see its records; the view is audited."""
    pair = (_pairs_reviewable(actor).select_related("child_a", "child_b", "kept", "decided_by")
            .filter(pk=pair_id).first())
    if pair is None:
        raise NotPermitted("you cannot see this pair of records")
    audit_record(actor=actor, action="view", object_type="duplicate_pair", object_ids=[pair.pk],
                 child_ids=[pair.child_a_id, pair.child_b_id])
    return pair


def child_duplicates(*, actor: Actor, child: Child) -> list[DuplicatePair]:
    """Pairs waiting for a person that involve a child the actor has opened (for reviewers)."""
    return list(_pairs_reviewable(actor).filter(Q(child_a=child) | Q(child_b=child),
                                                state=DuplicatePair.State.PENDING)
                .select_related("child_a", "child_b").order_by("-probability", "pk"))


# -- the child's page: what other agencies know -------------------------------------------
@dataclass
class AgencyFlag:
    source: str
    indicator: str
    start_date: Any
    end_date: Any
    about: str  # "This child" or "Household member"
    detail: str | None  # None: the actor's role may not see this agency's detail


def child_agency_flags(*, actor: Actor, child: Child) -> list[AgencyFlag]:
    """What other agencies know about a child the actor has opened (`people.selectors.child_get`,
    which audits the view), through the effective links: about the child or a member of the
    household, latest first, with each agency's detail only for the roles that may see it."""
    matches = PersonMatch.objects.filter(child=child, state__in=EFFECTIVE)
    same_person = {m.person_id: m.kind == PersonMatch.Kind.SAME_PERSON for m in matches}
    facts = (AgencyFact.objects.filter(person_id__in=same_person.keys())
             .order_by("-start_date", "source", "indicator"))
    return [
        AgencyFlag(
            source=fact.source, indicator=fact.indicator, start_date=fact.start_date,
            end_date=fact.end_date,
            about="This child" if same_person[fact.person_id] else "Household member",
            detail=fact.detail if agency_detail_visible(actor, fact.source) else None,
        )
        for fact in facts
    ]

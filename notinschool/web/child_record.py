"""Everything the child's page shows, read from a child the actor was allowed to open
(`child_get`), and cut to what the actor's role may see (`disclosure`)."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from notinschool.audit.models import AuditEvent
from notinschool.audit.selectors import audit_events_for_child
from notinschool.audit.services import audit_record
from notinschool.casework.models import Alert
from notinschool.casework.selectors import ChildConsent, child_alerts, child_consent
from notinschool.linkage.models import AgencyFact, PersonMatch
from notinschool.people.disclosure import address_visible, agency_detail_visible, casework_visible
from notinschool.people.models import Address, Child, ChildParent, StatusChange
from notinschool.people.selectors import child_queryset_for
from notinschool.risk.models import Assessment, TierOverride
from notinschool.risk.selectors import tier_override_history, tier_override_in_force


@dataclass
class AgencyFlag:
    source: str
    indicator: str
    start_date: Any
    end_date: Any
    about: str  # "This child" or "Household member"
    detail: str | None  # None: the actor's role may not see this agency's detail


@dataclass
class ChildRecord:
    child: Child
    address_visible: bool
    addresses: list[Address]
    parents: list[ChildParent]
    siblings: list[Child]
    status_history: list[StatusChange]
    assessment: Assessment | None
    casework_visible: bool
    flags: list[AgencyFlag] = field(default_factory=list)
    viewers: list[AuditEvent] = field(default_factory=list)
    override: TierOverride | None = None
    past_overrides: list[TierOverride] = field(default_factory=list)
    consent: ChildConsent | None = None  # None: not shown to the actor's role
    alerts: list[Alert] | None = None  # None: not shown to the actor's role


def child_record(*, actor: Any, child: Child) -> ChildRecord:
    return ChildRecord(
        child=child,
        address_visible=address_visible(actor, child),
        addresses=_addresses(child),
        parents=list(child.parent_links.select_related("parent").order_by("-lives_with_child")),
        siblings=_siblings(actor, child),
        status_history=list(child.status_history.all()),
        assessment=child.assessments.filter(is_latest=True).first(),
        casework_visible=casework_visible(actor),
        flags=_agency_flags(actor, child),
        viewers=list(audit_events_for_child(actor=actor, child_id=child.pk)),
        override=tier_override_in_force(child=child),
        past_overrides=tier_override_history(child=child),
        consent=child_consent(actor=actor, child=child),
        alerts=child_alerts(actor=actor, child=child),
    )


def _addresses(child: Child) -> list[Address]:
    """The current address first, then earlier ones, latest first."""
    def latest_first(address: Address) -> tuple[bool, int]:
        day = address.moved_out_date or address.moved_in_date or dt.date.min
        return (not address.is_current, -day.toordinal())

    return sorted(child.addresses.all(), key=latest_first)


def _siblings(actor: Any, child: Child) -> list[Child]:
    """The other children of the household that the actor may see; naming them is a read of
    their records, so it is audited."""
    if not child.household_id:
        return []
    siblings = list(child_queryset_for(actor).filter(household_id=child.household_id)
                    .exclude(pk=child.pk).order_by("date_of_birth"))
    if siblings:
        audit_record(actor=actor, action="list", object_type="household",
                     object_ids=[child.household_id], child_ids=[s.pk for s in siblings],
                     detail={"via_child": str(child.pk)})
    return siblings


def _agency_flags(actor: Any, child: Child) -> list[AgencyFlag]:
    matches = PersonMatch.objects.filter(
        child=child, state__in=(PersonMatch.State.AUTOMATIC, PersonMatch.State.ACCEPTED))
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

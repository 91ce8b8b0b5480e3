"""What the duplicate review pages show: two register records side by side with the evidence
in words, what each record holds (notifications, contacts, agency links), and the decision."""

from dataclasses import dataclass
from typing import Any

from notinschool.accounts.actor import Actor
from notinschool.linkage import evidence as ev
from notinschool.linkage.match_page import WITHHELD, SideBySide, _sex
from notinschool.linkage.models import DuplicatePair, PersonMatch
from notinschool.linkage.selectors import register_side
from notinschool.people.disclosure import address_visible
from notinschool.people.models import Child
from notinschool.web.formatting import govuk_date


@dataclass
class RecordSummary:
    child: Child
    notifications: int
    contacts: int
    agency_links: int
    first_notified: Any


@dataclass
class DuplicatePage:
    pair: DuplicatePair
    fields: list[SideBySide]
    evidence: list[ev.EvidenceLine]
    prior: str
    score: str
    records: list[RecordSummary]
    can_decide: bool


def duplicate_page(*, actor: Actor, pair: DuplicatePair) -> DuplicatePage:
    return DuplicatePage(
        pair=pair,
        fields=_fields(actor, pair.child_a, pair.child_b),
        evidence=ev.explain(pair.evidence),
        prior=ev.prior_words(ev.prior_weight(pair.weight, pair.evidence)),
        score=pair.score_words,
        records=[_summary(pair.child_a), _summary(pair.child_b)],
        can_decide=pair.state == DuplicatePair.State.PENDING,
    )


def _summary(child: Child) -> RecordSummary:
    notes = child.notifications.order_by("event_date").values_list("event_date", flat=True)
    return RecordSummary(
        child=child, notifications=notes.count(), contacts=child.contacts.count(),
        agency_links=child.matches.filter(state__in=(PersonMatch.State.AUTOMATIC,
                                                     PersonMatch.State.ACCEPTED)).count(),
        first_notified=notes.first())


def _fields(actor: Actor, a: Child, b: Child) -> list[SideBySide]:
    sides = register_side(a), register_side(b)
    visible = address_visible(actor, a) and address_visible(actor, b)

    def address(line_1: str, postcode: str) -> str:
        if not visible:
            return WITHHELD
        return ", ".join(p for p in (line_1, postcode) if p) or "Not known"

    return [
        SideBySide("Name", a.full_name, b.full_name),
        SideBySide("Date of birth", govuk_date(a.date_of_birth), govuk_date(b.date_of_birth)),
        SideBySide("Sex", _sex(a.sex), _sex(b.sex)),
        SideBySide("Address", address(sides[0].address_line_1, a.postcode),
                   address(sides[1].address_line_1, b.postcode)),
        SideBySide("Parents", ", ".join(sides[0].parents) or "Not known",
                   ", ".join(sides[1].parents) or "Not known"),
        SideBySide("Status", a.get_status_display(), b.get_status_display()),
        SideBySide("NHS number", a.nhs_number or "Not known", b.nhs_number or "Not known"),
        SideBySide("Unique pupil number", a.upn or "Not known", b.upn or "Not known"),
    ]

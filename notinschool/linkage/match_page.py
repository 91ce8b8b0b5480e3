"""What the match review pages show: the queue's rows and one match side by side with its
evidence in words, the facts that would flow to the child, and the decisions so far."""

from dataclasses import dataclass
from typing import Any

from notinschool.accounts.actor import Actor
from notinschool.linkage import evidence as ev
from notinschool.linkage.models import MatchDecision, PersonMatch
from notinschool.linkage.selectors import (
    match_decisions,
    match_facts,
    register_side,
)
from notinschool.people.disclosure import address_visible, agency_detail_visible
from notinschool.web.formatting import govuk_date

WITHHELD = "Withheld"


@dataclass
class QueueRow:
    match: PersonMatch
    child_postcode: str
    agency_postcode: str
    score: str


def queue_row(actor: Actor, match: PersonMatch) -> QueueRow:
    visible = address_visible(actor, match.child)
    return QueueRow(
        match=match,
        child_postcode=(match.child.postcode or "Not known") if visible else WITHHELD,
        agency_postcode=(match.person.postcode or "Not known") if visible else WITHHELD,
        score=score_text(match),
    )


def score_text(match: PersonMatch) -> str:
    return match.score_words


@dataclass
class SideBySide:
    label: str
    register: str
    agency: str

    @property
    def agrees(self) -> bool | None:
        """True when both sides say the same (ignoring case and spaces), None when one is blank."""
        left, right = (" ".join(v.lower().split()) for v in (self.register, self.agency))
        if not left or not right or left == "not known" or right == "not known":
            return None
        return left == right


@dataclass
class FlowingFact:
    source: str
    indicator: str
    start_date: Any
    end_date: Any
    detail: str | None  # None: the actor's role may not see this agency's detail


@dataclass
class MatchPage:
    match: PersonMatch
    fields: list[SideBySide]
    evidence: list[ev.EvidenceLine]
    prior: str
    score: str
    household_basis: str
    facts: list[FlowingFact]
    decisions: list[MatchDecision]
    can_decide: bool
    can_undo: bool
    flows_as: str


def match_page(*, actor: Actor, match: PersonMatch) -> MatchPage:
    household = match.kind == PersonMatch.Kind.HOUSEHOLD
    return MatchPage(
        match=match,
        fields=_fields(actor, match),
        evidence=[] if household else ev.explain(match.evidence),
        prior="" if household or match.basis else ev.prior_words(
            ev.prior_weight(match.weight, match.evidence)),
        score=score_text(match),
        household_basis=ev.HOUSEHOLD_BASIS.get(match.basis, "") if household else "",
        facts=[FlowingFact(f.source, f.indicator, f.start_date, f.end_date,
                           f.detail if agency_detail_visible(actor, f.source) else None)
               for f in match_facts(match)],
        decisions=match_decisions(match),
        can_decide=match.state == PersonMatch.State.PENDING,
        can_undo=match.state in (PersonMatch.State.AUTOMATIC, PersonMatch.State.ACCEPTED),
        flows_as="a member of the child's household" if household else "this child",
    )


def _fields(actor: Actor, match: PersonMatch) -> list[SideBySide]:
    child, person = match.child, match.person
    side = register_side(child)
    visible = address_visible(actor, child)

    def address(line_1: str, postcode: str) -> str:
        if not visible:
            return WITHHELD
        return ", ".join(p for p in (line_1, postcode) if p) or "Not known"

    def name(*parts: str) -> str:
        return " ".join(p for p in parts if p)

    return [
        SideBySide("Name", name(child.forename, child.middle_names, child.surname),
                   name(person.forename, person.middle_names, person.surname)),
        SideBySide("Date of birth", govuk_date(child.date_of_birth), govuk_date(person.date_of_birth)),
        SideBySide("Sex", _sex(child.sex), _sex(person.sex)),
        SideBySide("Address", address(side.address_line_1, child.postcode),
                   address(person.address_line_1, person.postcode)),
        SideBySide("Parents", ", ".join(side.parents) or "Not known",
                   ", ".join(p for p in (person.parent1_name, person.parent2_name) if p) or "Not known"),
        SideBySide("NHS number", child.nhs_number or "Not known", person.nhs_number or "Not known"),
        SideBySide("Unique pupil number", child.upn or "Not known", person.upn or "Not known"),
    ]


def _sex(code: str) -> str:
    return {"F": "Female", "M": "Male"}.get(code, code or "Not known")

"""Small builders for the engine's tests: an ordinary child and agency facts, with real dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from notinschool.risk.engine import (
    AgencyFact,
    Assessment,
    ChildFacts,
    ContactFact,
    DeletionFact,
    assess,
)

AS_OF = date(2026, 11, 20)  # a Friday
JOINED = date(2026, 9, 14)  # a Monday: deleted from roll for home education that day
LAST_VISIT = date(2026, 10, 5)
EHE = "elective_home_education"


def ordinary(**changes: Any) -> ChildFacts:
    """An ordinary home-educated child: left school for home education in September, visited
    and seen alone in October, no agency record."""
    child = ChildFacts(
        child_ref="NIS-000001",
        status="ehe",
        joined_date=JOINED,
        deletions=(DeletionFact(JOINED, EHE),),
        contacts=(ContactFact(LAST_VISIT, "engaged", child_seen=True, seen_alone=True,
                              method="home_visit"),),
        last_school_urn_known=True,
        upn_known=True,
    )
    return replace(child, **changes)


def fact(
    indicator: str,
    start: date,
    end: date | None = None,
    *,
    source: str = "social_care",
    household: bool = False,
    received: date | None = None,
    ref: str = "",
) -> AgencyFact:
    return AgencyFact(source, indicator, start, end, household, received, ref)


def with_facts(*facts: AgencyFact, **changes: Any) -> ChildFacts:
    return ordinary(agency_facts=facts, **changes)


def contact(day: date, outcome: str = "engaged", *, seen: bool = False, alone: bool = False,
            method: str = "letter") -> ContactFact:
    return ContactFact(day, outcome, seen, alone, method)


def run(child: ChildFacts, **kwargs: Any) -> Assessment:
    kwargs.setdefault("as_of", AS_OF)
    return assess(child, **kwargs)

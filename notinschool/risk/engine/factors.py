"""The test behind each rule of the table, by rule code.

Each test reads a `ChildView` and returns a `Hit` (the reason in words, the day its data was
all known, the evidence) or None. Tiers and actions come from the table, not from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import NamedTuple

from .dates import add_months
from .facts import (
    CME_STATUS,
    EHCP_SEN_PROVISION,
    EHE_GROUND,
    OUTCOME_DECLINED,
    PHYSICAL_HEALTH_REASON,
    AgencyFact,
    DeletionFact,
)
from .view import CP_PLAN, ChildView, FactIndex


class Hit(NamedTuple):
    reason: str
    since: dt.date | None
    evidence: tuple[str, ...] = ()
    arrivals: tuple[dt.date, ...] = ()  # each day a piece of the rule's data arrived, sorted


Test = Callable[[ChildView], Hit | None]
TESTS: dict[str, Test] = {}
READS_AGENCY_FACTS: set[str] = set()  # tests that cannot fire for a child without facts

S47 = "section_47_enquiry"
CIN = "child_in_need"
LAC = "looked_after"


def rule_test(code: str, *, agency_facts_only: bool = False) -> Callable[[Test], Test]:
    def register(test: Test) -> Test:
        TESTS[code] = test
        if agency_facts_only:
            READS_AGENCY_FACTS.add(code)
        return test
    return register


@rule_test("current_child_protection", agency_facts_only=True)
def current_child_protection(v: ChildView) -> Hit | None:
    facts = _pick(v.own_current, CP_PLAN, S47, LAC)
    return _fact_hit(v, facts, "Current {labels} ({sources}).")


@rule_test("current_child_in_need", agency_facts_only=True)
def current_child_in_need(v: ChildView) -> Hit | None:
    return _fact_hit(v, _pick(v.own_current, CIN), "Current {labels} ({sources}).")


@rule_test("child_protection_plan_ended", agency_facts_only=True)
def child_protection_plan_ended(v: ChildView) -> Hit | None:
    if not v.own_ended:
        return None
    years = v.ctx.settings.cp_plan_ended_lookback_years
    ended = max(f.end_date for f in v.own_ended if f.end_date)
    text = f"Child protection plan ended on {day_words(ended)}, within {years} years ({{sources}})."
    return _fact_hit(v, v.own_ended, text)


@rule_test("exploitation_or_missing", agency_facts_only=True)
def exploitation_or_missing(v: ChildView) -> Hit | None:
    months = v.ctx.settings.exploitation_lookback_months
    facts = _pick(v.own_window, "missing_episode", "exploitation_concern")
    return _fact_hit(v, facts, f"{{Labels}} within the last {months} months ({{sources}}).")


@rule_test("domestic_abuse", agency_facts_only=True)
def domestic_abuse(v: ChildView) -> Hit | None:
    months = v.ctx.settings.domestic_abuse_lookback_months
    facts = _pick(v.own_window, "domestic_abuse_notification")
    what = "Domestic abuse notification" if len(facts) < 2 else (
        f"{len(facts)} domestic abuse notifications")
    return _fact_hit(v, facts, f"{what} within the last {months} months ({{sources}}).")


@rule_test("household_social_care", agency_facts_only=True)
def household_social_care(v: ChildView) -> Hit | None:
    facts = _pick(v.hh_current, CP_PLAN, CIN)
    return _fact_hit(v, facts, "Current {labels} for a member of the household ({sources}).")


@rule_test("health_not_brought", agency_facts_only=True)
def health_not_brought(v: ChildView) -> Hit | None:
    s = v.ctx.settings
    missed = sorted(_pick(v.own_window, "was_not_brought"), key=lambda f: _known(v, f))
    no_gp = _pick(v.own_current, "not_registered_with_gp")
    parts, used, since = [], [], []
    if len(missed) >= s.was_not_brought_min:
        parts.append(f"not brought to {len(missed)} health appointments within the last "
                     f"{s.was_not_brought_lookback_months} months")
        used += missed
        since.append(_known(v, missed[s.was_not_brought_min - 1]))
    if no_gp:
        parts.append("not registered with a GP")
        used += no_gp
        since.append(min(_known(v, f) for f in no_gp))
    if not parts:
        return None
    return Hit(_sentence(parts, used), min(since), _refs(used))


@rule_test("health_concern")
def health_concern(v: ChildView) -> Hit | None:
    facts = _pick(v.own_current, "health_concern")
    parts = ["health concern recorded"] if facts else []
    if v.child.ehe_reason == PHYSICAL_HEALTH_REASON:
        parts.append("physical health given as the reason for home education")
    if not parts:
        return None
    return Hit(_sentence(parts, facts), _since(v, facts), _refs(facts))


@rule_test("education_health_care_plan")
def education_health_care_plan(v: ChildView) -> Hit | None:
    facts = _pick(v.own_current, "education_health_care_plan")
    from_school = v.child.sen_provision == EHCP_SEN_PROVISION
    if not facts and not from_school:
        return None
    sources = sorted({_words(f.source) for f in facts} | ({"school"} if from_school else set()))
    return Hit(f"Education, health and care plan ({', '.join(sources)}).",
               _since(v, facts), _refs(facts))


@rule_test("never_on_school_roll")
def never_on_school_roll(v: ChildView) -> Hit | None:
    if not v.never_on_roll:
        return None
    return Hit("Never on the roll of any school known to the authority.", v.arrived)


@rule_test("not_seen")
def not_seen(v: ChildView) -> Hit | None:
    if not v.not_seen:
        return None
    months = v.ctx.settings.not_seen_months
    if v.last_seen is None:
        text = (f"No record of the child being seen since joining the register on "
                f"{day_words(v.child.joined_date)}, over {months} months ago.")
    else:
        text = (f"Not seen by a professional since {day_words(v.last_seen)}, "
                f"over {months} months ago.")
    return Hit(text, None)


@rule_test("no_contact_response")
def no_contact_response(v: ChildView) -> Hit | None:
    contacts = v.no_response
    if not contacts:
        return None
    if len(contacts) == 1 and contacts[0].outcome == OUTCOME_DECLINED:
        text = f"Parent declined the most recent contact ({day_words(contacts[0].contact_date)})."
    else:
        days = " and ".join(day_words(c.contact_date) for c in contacts)
        text = f"No reply to the two most recent contacts ({days})."
    return Hit(text, contacts[-1].contact_date)


@rule_test("cme_enquiries")
def cme_enquiries(v: ChildView) -> Hit | None:
    if v.child.status != CME_STATUS:
        return None
    return Hit("Child missing education: reasonable enquiries are needed.",
               v.child.cme_since or v.arrived)


@rule_test("request_information")
def request_information(v: ChildView) -> Hit | None:
    child, ctx = v.child, v.ctx
    if not (ctx.settings.register_duty_enabled and child.missing_required_info):
        return None
    eligible = child.eligible_date or child.joined_date
    if eligible > ctx.request_information_cutoff:
        return None
    days = ctx.settings.request_information_after_days
    return Hit(_missing_text(days, child.missing_required_info), eligible + dt.timedelta(days=days))


@lru_cache(maxsize=256)  # every child without a parent on record asks the same
def _missing_text(days: int, missing: tuple[str, ...]) -> str:
    items = ", ".join(_words(item) for item in sorted(set(missing)))
    return f"Register information still missing {days} days after the child became eligible: {items}."


@rule_test("consider_preliminary_notice")
def consider_preliminary_notice(v: ChildView) -> Hit | None:
    child = v.child
    parts = []
    if child.no_education_information:
        parts.append("no information about the child's education")
    if child.suitability_not_shown:
        parts.append("suitable education not shown")
    if child.home_visit_refused and v.ctx.settings.register_duty_enabled:
        parts.append("home visit refused")
    if not parts:
        return None
    return Hit(f"Consider a preliminary notice: {_and(parts)}.", None)


@rule_test("consent_required")
def consent_required(v: ChildView) -> Hit | None:
    """s.434A: a home-education deletion of a child on a plan, under s.47 enquiries, with a
    plan ended within the look-back before the deletion, or in an LA-arranged special school
    place, made without the authority's consent. Only deletions of the current episode count
    (none followed by an admission)."""
    child, as_of = v.child, v.ctx.as_of
    if not (child.deletions and v.ctx.settings.consent_duty_enabled) or not (
        child.agency_facts or any(d.la_arranged_special_placement for d in child.deletions)
    ):
        return None
    admitted = max((d for d in child.admission_dates if d <= as_of), default=None)
    hits = []
    for deletion in child.deletions:
        on = deletion.deletion_date
        if (deletion.ground != EHE_GROUND or deletion.consent_given or on > as_of
                or (admitted is not None and on < admitted)):
            continue
        hit = _consent_hit(v, deletion)
        if hit is not None:
            hits.append(hit)
    return min(hits, key=lambda h: (h.since or as_of, h.reason), default=None)


def _consent_hit(v: ChildView, deletion: DeletionFact) -> Hit | None:
    on = deletion.deletion_date
    arrived = deletion.received_date or on
    why: list[str] = []
    used: list[AgencyFact] = []
    for fact in v.child.agency_facts:
        if fact.household or fact.start_date > on or fact.indicator not in (CP_PLAN, S47):
            continue
        end = fact.end_date
        if end is None or end >= on:
            why.append(f"under a {_label(v, fact.indicator)} on that date")
        elif fact.indicator == CP_PLAN and _consent_cutoff(v, on) <= end:
            why.append(f"a child protection plan ended on {day_words(end)}")
        else:
            continue
        used.append(fact)
    since = max(arrived, min(_known(v, f) for f in used)) if used else arrived
    if deletion.la_arranged_special_placement:
        why.append("the authority arranged the special school place")
        since = arrived
    if not why:
        return None
    refs = _refs(used) + ((deletion.ref,) if deletion.ref else ())
    return Hit(f"Deleted from a school roll for home education on {day_words(on)} without the "
               f"authority's consent: {_and(sorted(set(why)))}.", since, refs)


def _consent_cutoff(v: ChildView, deletion_date: dt.date) -> dt.date:
    return add_months(deletion_date, -12 * v.ctx.settings.consent_lookback_years)


# --- helpers ---------------------------------------------------------------------------


def _pick(index: FactIndex, *indicators: str) -> list[AgencyFact]:
    if not index:
        return []
    return [f for code in indicators for f in index.get(code, ())]


def _fact_hit(v: ChildView, facts: list[AgencyFact], template: str) -> Hit | None:
    if not facts:
        return None
    labels = _and([_label(v, code) for code in _unique(f.indicator for f in facts)])
    sources = ", ".join(sorted({_words(f.source) for f in facts}))
    text = template.format(labels=labels, Labels=labels[:1].upper() + labels[1:],
                           sources=sources)
    arrivals = tuple(sorted({_known(v, f) for f in facts}))
    return Hit(text, arrivals[0], _refs(facts), arrivals)


def _sentence(parts: list[str], facts: list[AgencyFact]) -> str:
    text = ", and ".join(parts)
    sources = sorted({_words(f.source) for f in facts})
    suffix = f" ({', '.join(sources)})" if sources else ""
    return f"{text[:1].upper()}{text[1:]}{suffix}."


def _known(v: ChildView, fact: AgencyFact) -> dt.date:
    """When the authority knew the fact with the child's record: the later of the two."""
    return max(v.arrived, fact.received_date or fact.start_date)


def _since(v: ChildView, facts: list[AgencyFact]) -> dt.date:
    return min((_known(v, f) for f in facts), default=v.arrived)


def _refs(facts: Iterable[AgencyFact]) -> tuple[str, ...]:
    return tuple(sorted({f.ref for f in facts if f.ref}))


def _label(v: ChildView, indicator: str) -> str:
    spec = v.ctx.indicators.get(indicator)
    return spec.label if spec else _words(indicator)


def _unique(codes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(codes))


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _words(code: str) -> str:
    return code.replace("_", " ")


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def day_words(day: dt.date | None) -> str:
    """3 March 2026 (no locale lookup: strftime is slow and locale-dependent)."""
    return "" if day is None else f"{day.day} {_MONTHS[day.month - 1]} {day.year}"

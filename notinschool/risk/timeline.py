"""risk's entries on the child's timeline (people.timeline): the first assessment and each one
that changed the tier, each override of the tier (set, ended early, expired), and each required
action raised and how it ended (marked done with its evidence, by whom; or closed by a later
assessment, with the reason). Reasons, rationales and actions are education casework
(`people.disclosure.casework_visible`); the tier itself shows to whoever sees the child."""

import datetime as dt
from collections.abc import Iterator

from notinschool.accounts.actor import Actor
from notinschool.core import clock
from notinschool.people.disclosure import casework_visible
from notinschool.people.models import Child
from notinschool.people.timeline import TimelineEntry
from notinschool.risk.engine import DEFAULT
from notinschool.risk.models import Assessment, RequiredAction
from notinschool.risk.selectors import tier_overrides

ASSESSMENT = "The risk assessment"
_ACTION_WORDS = {a.code: a.description for a in DEFAULT.actions}


def risk_entries(actor: Actor, child: Child) -> list[TimelineEntry]:
    casework = casework_visible(actor)
    entries = list(_tier_changes(child, casework))
    entries += _overrides(child, casework)
    if casework:
        entries += _actions(child)
    return entries


def _tier_changes(child: Child, casework: bool) -> Iterator[TimelineEntry]:
    previous: int | None = None
    rows = (Assessment.objects.filter(child=child).order_by("as_of", "created_at")
            .values_list("as_of", "tier", "reasons", "created_at"))
    for as_of, tier, reasons, at in rows:
        if tier == previous:
            continue
        title = (f"Assessed: tier {tier}" if previous is None
                 else f"Tier {'more' if tier < previous else 'less'} serious: {previous} to {tier}")
        detail = " ".join(reasons) if casework and reasons else ""
        yield TimelineEntry(day=as_of, at=at, kind="risk", title=title, detail=detail, who=ASSESSMENT)
        previous = tier


def _name(user: object) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()  # type: ignore[attr-defined]


def _overrides(child: Child, casework: bool) -> Iterator[TimelineEntry]:
    today = clock.today()
    for o in tier_overrides(child=child):
        yield TimelineEntry(
            day=o.starts_on or o.created_at.date(), at=o.created_at, kind="risk",
            title=f"Tier overridden to {o.tier}" + (f" (the rules gave {o.computed_tier})"
                                                     if o.computed_tier else ""),
            detail=(f"Rationale: {o.rationale} " if casework else "") + f"Until {_day(o.expires_on)}.",
            who=_name(o.created_by))
        if o.ended_on is not None:
            yield TimelineEntry(day=o.ended_on, kind="risk", title=f"Override to tier {o.tier} ended early",
                                detail=o.end_reason if casework else "", who=_name(o.ended_by))
        elif o.expires_on <= today:
            yield TimelineEntry(day=o.expires_on, kind="risk", title=f"Override to tier {o.tier} expired",
                                detail="The rules' tier stands again at the next assessment.")


def _actions(child: Child) -> Iterator[TimelineEntry]:
    for a in RequiredAction.objects.filter(child=child).select_related("done_by"):
        what = _ACTION_WORDS.get(a.code, a.code.replace("_", " ").capitalize())
        due = f"Due by {_day(a.due_date)}." if a.due_date else "No deadline."
        yield TimelineEntry(day=a.raised_on, at=a.created_at, kind="action",
                            title=f"Required action raised: {what}", detail=due, who=ASSESSMENT)
        if a.state != RequiredAction.State.DONE or a.done_on is None:
            continue
        if a.evidence_kind == RequiredAction.Evidence.REASSESSMENT:
            yield TimelineEntry(day=a.done_on, at=a.modified_at, kind="action",
                                title=f"Required action closed: {what}", detail=a.closed_reason,
                                who=ASSESSMENT)
            continue
        evidence = a.evidence_summary if a.evidence_kind != RequiredAction.Evidence.NOTE else ""
        detail = " ".join(p for p in (f"Evidence: {evidence}." if evidence else "",
                                      f"Note: {a.done_note}" if a.done_note else "") if p)
        yield TimelineEntry(day=a.done_on, at=a.done_at, kind="action",
                            title=f"Required action done: {what}", detail=detail, who=_name(a.done_by))


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"

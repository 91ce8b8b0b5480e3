"""The risk model (docs/risk-model.md) as a pure function: facts and a day in, an assessment out.

Order of work, as the model says:
1. every `floor` rule that fires sets the tier at most its floor; the tier is the most
   serious of them (4 when none fires);
2. `combination`: two or more *different* fired floor rules whose floor is 2 make tier 1 and
   call a professionals' meeting (two notifications under one rule are one factor);
3. `one_more_serious` (not seen for over 12 months), last: 4 -> 3, 3 -> 2, 2 -> 1;
4. `actions` rules add actions without touching the tier.
Reasons are the sentences of the rules of steps 1-3 that fired. Deadlines count from each
rule's `since` (the day its data was all known) by the action table: working days, school
days (the authority's closures), or the same day; where several rules raise one action the
earliest deadline stands. `next_contact_due` is the last contact with the family engaged (else
the day the child joined) plus the tier's interval, brought forward to any deadline of an
action that `sets_contact_due` (`see_child_within_10_days`).

Same facts, same as-of date and same rule table: the same assessment, whatever the order of
the facts. `assess_all` shares the per-day work across many children.

How the model's words are read (where docs/risk-model.md leaves room):
- Time: see view.py. Events (missed appointments, domestic abuse notifications) count by
  their date; states (plans, concerns, missing episodes) while current or overlapping the
  window, so an open exploitation concern from two years ago still counts.
- "Within 5 years" for an ended plan includes the day exactly 5 years back; a plan ending on
  the as-of date is still current. For `consent_required` the look-back counts back from the
  deletion date, and only deletions of the current episode count (none followed by an
  admission), unless `consent_given`.
- "Not seen for over 12 months": last seen before the day 12 calendar months back.
- "Declined contact, or no reply to two requests": the latest contact was declined, or the
  two latest both went unanswered (`no_reply` or `declined`); on one day an engaged contact
  counts as the latest. An old refusal followed by engagement is not a concern.
- "A health concern recorded by health": a current `health_concern` from any source.
- EHC plan: a current `education_health_care_plan` fact or `sen_provision` `E`.
- Household: the floors row names child protection and child in need plans; a household
  member's current section 47 enquiry or looked-after status counts too.
- "The last contact": the latest contact with the family engaged; letters without a reply and
  refusals do not restart the review clock.
- `see_child_within_10_days` is met by a contact with the child seen on or after its data
  arrived; until then it brings `next_contact_due` forward.
- `request_information` fires on the 15th day after eligibility (the parent's 15 days are up)
  and, like the home-visit route to `consider_preliminary_notice`, sits behind the
  `register_duty_enabled` setting; `consent_required` behind `consent_duty_enabled`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from notinschool.core.workdays import add_school_days, add_working_days

from .context import Context, context_for
from .dates import add_months
from .factors import Hit
from .facts import ChildFacts
from .flags import flags_for
from .result import Assessment, Firing, Override
from .rules import DEFAULT, ActionSpec, Rule, RuleTable
from .view import ChildView

NO_CLOSURES: frozenset[dt.date] = frozenset()


def assess(
    facts: ChildFacts,
    *,
    as_of: dt.date,
    rules: RuleTable = DEFAULT,
    closures: frozenset[dt.date] = NO_CLOSURES,
) -> Assessment:
    """Assess one child as of `as_of`; `closures` are the authority's non-school days."""
    return assess_with(facts, context_for(as_of, rules, closures))


def assess_all(
    children: Iterable[ChildFacts],
    *,
    as_of: dt.date,
    rules: RuleTable = DEFAULT,
    closures: frozenset[dt.date] = NO_CLOSURES,
) -> Iterator[Assessment]:
    """Assess many children as of one day, working out the day's cut-offs once."""
    ctx = context_for(as_of, rules, closures)
    for child in children:
        yield assess_with(child, ctx)


def assess_with(child: ChildFacts, ctx: Context) -> Assessment:
    v = ChildView(child, ctx)
    fired = _fired(v, ctx)
    tier = _tier(fired)
    deadlines, action_due = _deadlines(fired, v, ctx)
    review_from = v.last_contact or child.joined_date
    return Assessment(
        child_ref=child.child_ref,
        as_of=ctx.as_of,
        rules_version=ctx.table.version,
        tier=tier,
        review_interval_months=ctx.intervals[tier],
        next_contact_due=_next_contact_due(review_from, ctx.intervals[tier], action_due),
        flags=flags_for(v),
        required_actions=tuple(sorted({a for f in fired for a in f.actions})),
        reasons=tuple(f.reason for f in fired if f.effect != "actions"),
        deadlines=deadlines,
        fired=fired,
        computed_tier=tier,
        last_seen_date=v.last_seen,
        seen_alone=v.seen_alone,
        last_contact_date=v.last_contact,
        review_from=review_from,
    )


def apply_override(
    assessment: Assessment,
    *,
    tier: int,
    rationale: str,
    expires: dt.date | None = None,
    rules: RuleTable = DEFAULT,
) -> Assessment:
    """A manager's tier in place of the computed one, with its written rationale, until it
    expires (docs/risk-model.md: "the override is audited and expires at the next review").

    The interval and `next_contact_due` follow the new tier (an earlier date set by an action
    still stands). `expires` defaults to that next review, or, when it is already past, to
    today plus the new interval. An override that has lapsed (`expires` on or before the
    assessment's as-of date) leaves the assessment as computed, so stored overrides can be
    re-applied on every run. Flags, actions, deadlines and reasons do not change.
    """
    if tier not in (1, 2, 3, 4):
        raise ValueError("tier must be 1, 2, 3 or 4")
    if not rationale.strip():
        raise ValueError("an override needs a written rationale")
    if rules.version != assessment.rules_version:
        raise ValueError("the rule table is not the one that made this assessment")
    intervals = {t.tier: t.review_interval_months for t in rules.tiers}
    computed_due = add_months(assessment.review_from, intervals[assessment.computed_tier])
    action_due = assessment.next_contact_due if assessment.next_contact_due < computed_due else None
    due = _next_contact_due(assessment.review_from, intervals[tier], action_due)
    if expires is None:
        expires = due if due > assessment.as_of else add_months(assessment.as_of, intervals[tier])
    if expires <= assessment.as_of:
        return assessment
    override = Override(tier, rationale.strip(), expires, assessment.computed_tier)
    return assessment._replace(
        tier=tier, review_interval_months=intervals[tier], next_contact_due=due, override=override
    )


def _fired(v: ChildView, ctx: Context) -> tuple[Firing, ...]:
    phases = ctx.phases if v.child.agency_facts else ctx.phases_without_facts
    fired = [_firing(rule, hit) for rule, test in phases["floor"] if (hit := test(v))]
    for rule, _ in phases["combination"]:
        several = [f for f in fired if f.rule in ctx.floor_two]
        if len(several) >= ctx.settings.several_concerns_min:
            fired.append(_several(rule, several, ctx))
    for phase in ("one_more_serious", "actions"):
        fired += [_firing(rule, hit) for rule, test in phases[phase] if (hit := test(v))]
    if len(fired) > 1:
        fired.sort(key=lambda f: ctx.order[f.rule])
    return tuple(fired)


def _firing(rule: Rule, hit: Hit) -> Firing:
    return Firing(rule.code, rule.effect, rule.tier, rule.actions, hit.reason, hit.since,
                  hit.evidence, hit.arrivals)


def _several(rule: Rule, fired: list[Firing], ctx: Context) -> Firing:
    titles = ", ".join(_lower_first(ctx.titles[f.rule]) for f in fired)
    since = max((f.since for f in fired if f.since is not None), default=None)
    evidence = tuple(sorted({ref for f in fired for ref in f.evidence}))
    return _firing(rule, Hit(f"Several different concerns together: {titles}.", since, evidence))


def _lower_first(title: str) -> str:
    """"Child in need plan" -> "child in need plan"; "EHC plan" stays as it is."""
    return title if title[1:2].isupper() else title[:1].lower() + title[1:]


def _tier(fired: tuple[Firing, ...]) -> int:
    tier = 4
    for f in fired:
        if f.tier is not None and f.tier < tier:  # floor and combination rules
            tier = f.tier
    for f in fired:
        if f.effect == "one_more_serious":
            tier = max(1, tier - 1)
    return tier


def _deadlines(
    fired: tuple[Firing, ...], v: ChildView, ctx: Context
) -> tuple[dict[str, dt.date], dt.date | None]:
    """Each action's deadline, and the earliest open deadline that brings the next contact
    forward.

    An action that `sets_contact_due` (see the child) is met once a professional has seen the
    child on or after the day its data arrived; data arriving after that sighting opens it
    again, counted from that arrival. Its deadline is the earliest open one, or, when all are
    met, the original (shown, no longer driving the next contact). Other deadlines cannot be
    seen to be met from the facts: the earliest stands, and the caller tracks completion.
    """
    if not fired:
        return {}, None
    open_dues: dict[str, list[dt.date]] = {}
    met_dues: dict[str, list[dt.date]] = {}
    seen = v.last_seen_in_contact
    for f in fired:
        start = f.since or v.arrived
        for spec in ctx.timed_actions[f.rule]:
            opened: dt.date | None = start
            if spec.sets_contact_due and seen is not None and seen >= start:
                met_dues.setdefault(spec.code, []).append(_due(spec, start, ctx))
                opened = next((d for d in f.arrivals if d > seen), None)
            if opened is not None:
                open_dues.setdefault(spec.code, []).append(_due(spec, opened, ctx))
    deadlines = {code: min(open_dues.get(code) or dues) for code, dues in met_dues.items()}
    deadlines.update({code: min(dues) for code, dues in open_dues.items()})
    contact_due = min(
        (min(dues) for code, dues in open_dues.items() if ctx.actions[code].sets_contact_due),
        default=None,
    )
    return deadlines, contact_due


def _due(spec: ActionSpec, start: dt.date, ctx: Context) -> dt.date:
    days = spec.deadline_days or 0
    if spec.day_kind == "working":
        return add_working_days(start, days)
    if spec.day_kind == "school":
        return add_school_days(start, days, closures=ctx.closures)
    return start + dt.timedelta(days=days)


def _next_contact_due(review_from: dt.date, interval: int, action_due: dt.date | None) -> dt.date:
    due = add_months(review_from, interval)
    return due if action_due is None or due <= action_due else action_due

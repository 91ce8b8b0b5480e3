"""Flags: the data contract's `flags` column, worked out from a `ChildView`.

The contract: the child's own agency indicators that are current or inside their look-back
window (an ended plan as `child_protection_plan_ended`), household ones prefixed `household_`,
and the derived `never_on_school_roll`, `not_seen_12_months` and `no_contact_response`.

Choices, per indicator, in `rules.INDICATORS` (`flag`, `household_flag`), made so that an
ordinary family gets no flag:
- An indicator with a look-back (exploitation concern, missing episode, domestic abuse
  notification) is flagged inside its window; the others only while current.
- `was_not_brought` is flagged only when the missed appointments reach the rule's threshold
  (2 within 12 months): one missed appointment is not a concern on its own.
- `immunisations_incomplete` and `sen_support` are never flagged: they are common, set no
  tier and say nothing about safety.
- Household flags are the household factor of the risk model: a current child protection
  plan or child in need plan of a household member (`household_child_protection_plan`,
  `household_child_in_need`). A brother's police, health or SEN record is not this child's
  flag, and an ended or other household record neither flags nor raises the tier.
The derived flags follow the facts, whatever the tier: `not_seen_12_months` keeps its contract
name when the `not_seen_months` setting changes.
"""

from __future__ import annotations

from .view import ChildView

NEVER_ON_ROLL = "never_on_school_roll"
NOT_SEEN = "not_seen_12_months"
NO_RESPONSE = "no_contact_response"
CP_PLAN_ENDED = "child_protection_plan_ended"
HOUSEHOLD = "household_"


def flags_for(v: ChildView) -> tuple[str, ...]:
    flags: set[str] = set()
    specs = v.ctx.indicators
    for code, facts in v.own_window.items():
        policy = specs[code].flag
        if policy == "in_window" or (
            policy == "with_rule" and len(facts) >= v.ctx.settings.was_not_brought_min
        ):
            flags.add(code)
    if v.own_ended:
        flags.add(CP_PLAN_ENDED)
    for code in v.hh_current:
        if specs[code].household_flag:
            flags.add(HOUSEHOLD + code)
    if v.never_on_roll:
        flags.add(NEVER_ON_ROLL)
    if v.not_seen:
        flags.add(NOT_SEEN)
    if v.no_response:
        flags.add(NO_RESPONSE)
    return tuple(sorted(flags))

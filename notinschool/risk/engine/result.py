"""What the risk engine returns: an `Assessment`, with the rules that fired and any override.

`Assessment` and `Firing` are named tuples: immutable, and cheap to build 200,000 times.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple


class Firing(NamedTuple):
    """One rule that fired: its effect on the tier, its actions, and why, in words.

    `since` is the day the rule first had all its data (deadlines that run "from the data
    arriving" count from it); `arrivals` are the days each of its agency facts became known
    (a fact arriving after the child was last seen calls for the child to be seen again);
    `evidence` holds the `ref`s of the facts used.
    """

    rule: str
    effect: str
    tier: int | None
    actions: tuple[str, ...]
    reason: str
    since: dt.date | None
    evidence: tuple[str, ...] = ()
    arrivals: tuple[dt.date, ...] = ()


@dataclass(frozen=True, slots=True)
class Override:
    """A manager's tier, with the written rationale; it lapses on `expires`."""

    tier: int
    rationale: str
    expires: dt.date
    computed_tier: int


class Assessment(NamedTuple):
    """The risk assessment of one child as of one day, under one version of the rules.

    - `tier` 1 (most serious) to 4, `review_interval_months` 3/6/9/12.
    - `next_contact_due`: `review_from` (the last contact with the family engaged, else the
      day the child joined the register) plus the interval, or an earlier action deadline
      (`see_child_within_10_days`).
    - `flags`, `required_actions`: sorted codes of the data contract and the risk model.
    - `reasons`: one sentence per factor that moved the tier, in rule-table order.
    - `deadlines`: action code -> due date, for the actions that have a deadline.
    - `fired`: every rule that fired, tier rules and action rules, in rule-table order.
    - `computed_tier`: the tier the rules gave, before any `override`.
    - `last_seen_date`, `seen_alone`: the contract's last-seen rule; `seen_alone` is None when
      the child was last seen by a school (deletion or admission) or never seen.
    """

    child_ref: str
    as_of: dt.date
    rules_version: str
    tier: int
    review_interval_months: int
    next_contact_due: dt.date
    flags: tuple[str, ...]
    required_actions: tuple[str, ...]
    reasons: tuple[str, ...]
    deadlines: dict[str, dt.date]
    fired: tuple[Firing, ...]
    computed_tier: int
    last_seen_date: dt.date | None
    seen_alone: bool | None
    last_contact_date: dt.date | None
    review_from: dt.date
    override: Override | None = None

    @property
    def fired_rules(self) -> tuple[str, ...]:
        return tuple(f.rule for f in self.fired)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings."""
        return {
            "child_ref": self.child_ref,
            "as_of": self.as_of.isoformat(),
            "rules_version": self.rules_version,
            "tier": self.tier,
            "review_interval_months": self.review_interval_months,
            "next_contact_due": self.next_contact_due.isoformat(),
            "flags": list(self.flags),
            "required_actions": list(self.required_actions),
            "reasons": list(self.reasons),
            "deadlines": {code: due.isoformat() for code, due in sorted(self.deadlines.items())},
            "fired": [_firing_dict(f) for f in self.fired],
            "computed_tier": self.computed_tier,
            "last_seen_date": _iso(self.last_seen_date),
            "seen_alone": self.seen_alone,
            "last_contact_date": _iso(self.last_contact_date),
            "review_from": self.review_from.isoformat(),
            "override": None if self.override is None else {
                "tier": self.override.tier,
                "rationale": self.override.rationale,
                "expires": self.override.expires.isoformat(),
                "computed_tier": self.override.computed_tier,
            },
        }


def _firing_dict(f: Firing) -> dict[str, Any]:
    return {
        "rule": f.rule, "effect": f.effect, "tier": f.tier, "actions": list(f.actions),
        "reason": f.reason, "since": _iso(f.since), "evidence": list(f.evidence),
        "arrivals": [day.isoformat() for day in f.arrivals],
    }


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()

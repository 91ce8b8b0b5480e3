"""Which settings of the rule table a manager may change, and within what bounds.

The floors of docs/risk-model.md are "the minimum the acceptance tests hold the system to": a
manager may make a floor reach further (a longer look-back, a lower count) but not weaker than
the model. Settings that carry a statutory time limit that is not yet certain (the consent
look-back of the Children's Wellbeing and Schools Act 2026; docs/legal-basis.md says "keep
every such rule and time limit configurable") may move both ways, within a child's lifetime.
`several_concerns_min` stays at the model's 2: raising it would weaken the combination floor,
and the engine allows nothing lower.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from notinschool.risk.engine import RuleSettings


@dataclass(frozen=True)
class Threshold:
    name: str
    label: str
    unit: str  # "years", "months", "days", "appointments"
    minimum: int
    maximum: int
    why: str

    @property
    def model_value(self) -> int:
        """The value docs/risk-model.md sets (the engine's default)."""
        return int(getattr(RuleSettings(), self.name))


_FLOOR = "The risk model's floor is {v} {u}; a {dir} value would go below it."
_LIFETIME = "A child's whole life is 18 years."

THRESHOLDS: tuple[Threshold, ...] = (
    Threshold("cp_plan_ended_lookback_years", "Look-back for an ended child protection plan",
              "years", 5, 18, f"{_FLOOR.format(v=5, u='years', dir='shorter')} {_LIFETIME}"),
    Threshold("exploitation_lookback_months", "Look-back for exploitation or a missing episode",
              "months", 12, 60, _FLOOR.format(v=12, u="months", dir="shorter")
              + " Up to 5 years."),
    Threshold("domestic_abuse_lookback_months", "Look-back for a domestic abuse notification",
              "months", 12, 60, _FLOOR.format(v=12, u="months", dir="shorter")
              + " Up to 5 years."),
    Threshold("was_not_brought_lookback_months",
              "Look-back for was-not-brought health appointments", "months", 12, 60,
              _FLOOR.format(v=12, u="months", dir="shorter") + " Up to 5 years."),
    Threshold("was_not_brought_min", "Was-not-brought appointments that make a concern",
              "appointments", 1, 2, _FLOOR.format(v=2, u="appointments", dir="higher")),
    Threshold("not_seen_months", "Months without a professional seeing the child", "months",
              6, 12, _FLOOR.format(v=12, u="months", dir="longer")
              + " Below 6 months, most families would count as not seen between ordinary"
              " reviews."),
    Threshold("consent_lookback_years", "Look-back for consent to withdraw (section 434A)",
              "years", 1, 18, "The Act's look-back is 5 years in the text we have; check the"
              f" enacted section 434A and set it here. {_LIFETIME}"),
    Threshold("request_information_after_days",
              "Days before asking a parent for missing register information", "days", 15, 60,
              "Parents have 15 days to give the information (section 436D), so the request"
              " cannot come sooner. Up to 60 days."),
)

BY_NAME = {t.name: t for t in THRESHOLDS}


def threshold_for(name: str) -> Threshold | None:
    return BY_NAME.get(name)


def _check_bounds_cover_the_model() -> None:
    names = {f.name for f in dataclasses.fields(RuleSettings)}
    for t in THRESHOLDS:
        if t.name not in names or not t.minimum <= t.model_value <= t.maximum:
            raise ValueError(f"threshold {t.name}: the model's value is outside its bounds")


_check_bounds_cover_the_model()

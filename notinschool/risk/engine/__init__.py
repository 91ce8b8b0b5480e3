"""The risk engine: pure, deterministic rules over plain facts (no Django, no database).

    from notinschool.risk.engine import ChildFacts, assess
    assessment = assess(child_facts, as_of=date(2026, 11, 20))

The rule table (`DEFAULT`, a `RuleTable`) is data: readable on a page (`describe()`),
serialisable (`to_json()`), versioned (`version`). See docs/risk-model.md and docs/data-contract.md.
"""

from .assess import apply_override, assess, assess_all
from .facts import AgencyFact, ChildFacts, ContactFact, DeletionFact
from .result import Assessment, Firing, Override
from .rules import (
    DEFAULT,
    ActionSpec,
    IndicatorSpec,
    Rule,
    RuleSettings,
    RuleTable,
    TierSpec,
)

__all__ = [
    "DEFAULT",
    "ActionSpec",
    "AgencyFact",
    "Assessment",
    "ChildFacts",
    "ContactFact",
    "DeletionFact",
    "Firing",
    "IndicatorSpec",
    "Override",
    "Rule",
    "RuleSettings",
    "RuleTable",
    "TierSpec",
    "apply_override",
    "assess",
    "assess_all",
]

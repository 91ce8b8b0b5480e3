"""Cross-referencing the whole register, then assessing what it changed."""

from notinschool.accounts.actor import Actor
from notinschool.linkage.services import link_all
from notinschool.workflow.assessment import risk_assessment_run


def link_all_and_assess(*, actor: Actor) -> int:
    """Everything against everything (linkage.services.link_all: agency records and possible
    duplicates), then the children whose links changed assessed. Returns how many were."""
    return risk_assessment_run(actor=actor, child_ids=link_all(actor=actor))

"""Cross-referencing the whole register, then assessing what it changed."""

from uuid import UUID

from notinschool.accounts.actor import Actor
from notinschool.linkage.linking import LinkPeople, register_table
from notinschool.linkage.services import link_all
from notinschool.linkage.training import model_train
from notinschool.people.models import OPEN_STATUSES, Child
from notinschool.people.selectors import children_with_households
from notinschool.workflow.assessment import not_assessed_today, risk_assessment_run


def link_all_and_assess(*, actor: Actor, link_people: LinkPeople | None = None,
                        train: bool = False) -> int:
    """Everything against everything (linkage.services.link_all: agency records and possible
    duplicates), then the children whose links changed assessed. Returns how many were. With
    ``train``, the matching model is first trained on the register and every agency record
    and stored (linkage.training.model_train; kept as it was with too few records), and this
    run links with it: the register is read once for both."""
    register = None
    if train:
        register = register_table(None)
        model_train(actor=actor, register=register)
    changed = link_all(actor=actor, link_people=link_people, register=register)
    return assess_after_linking(actor=actor, changed=changed)


def assess_after_linking(*, actor: Actor, changed: set[UUID]) -> int:
    """Assess what a run of every open record would change after linking, and only that: the
    children whose links changed and the others of their households (whose household facts
    are their brothers' and sisters' agency facts), and every open record not yet assessed
    today under the rules in force. The others' latest assessments already read what the
    rules would read now: a link is what linking changes. Returns how many were assessed."""
    stale = not_assessed_today()
    if stale and len(stale) == Child.objects.filter(status__in=OPEN_STATUSES).count():
        return risk_assessment_run(actor=actor, child_ids=None)  # all of them, by key range
    children = children_with_households(changed) | stale
    return risk_assessment_run(actor=actor, child_ids=children) if children else 0

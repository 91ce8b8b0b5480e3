"""risk's section of the child's page (people.child_page): the latest assessment beside the
record, with the manager's override in force and the earlier ones; its reasons and required
actions are education casework (`people.disclosure.casework_visible`). risk's entries on the
child's timeline (tier changes, overrides, required actions raised and ended) are in
risk.timeline."""

from notinschool.accounts.actor import Actor
from notinschool.people.child_page import SIDE, ChildPageSection, SectionContext, child_page_section_register
from notinschool.people.disclosure import casework_visible
from notinschool.people.models import Child
from notinschool.people.timeline import timeline_source_register
from notinschool.risk.selectors import assessment_latest, tier_override_history, tier_override_in_force
from notinschool.risk.timeline import risk_entries


def _assessment(actor: Actor, child: Child) -> SectionContext:
    return {
        "child": child,
        "assessment": assessment_latest(child=child),
        "casework_visible": casework_visible(actor),
        "override": tier_override_in_force(child=child),
        "past_overrides": tier_override_history(child=child),
    }


child_page_section_register(
    ChildPageSection("assessment", SIDE + 10, "risk/child/assessment.html", _assessment))
timeline_source_register("risk.assessments", risk_entries)

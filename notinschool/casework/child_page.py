"""casework's sections of the child's page (people.child_page): consent to withdraw from
school and the alerts to children's social care, below the record, each for the roles that may
see them (`casework.selectors`) and only when there is something to show."""

from notinschool.accounts.actor import Actor
from notinschool.casework.selectors import child_alerts, child_consent
from notinschool.people.child_page import BELOW, ChildPageSection, SectionContext, child_page_section_register
from notinschool.people.models import Child


def _consent(actor: Actor, child: Child) -> SectionContext | None:
    consent = child_consent(actor=actor, child=child)
    if consent is None or not (consent.waiting or consent.decisions or consent.barred):
        return None
    return {"child": child, "consent": consent}


def _alerts(actor: Actor, child: Child) -> SectionContext | None:
    alerts = child_alerts(actor=actor, child=child)
    return {"alerts": alerts} if alerts else None


child_page_section_register(ChildPageSection("consent", BELOW + 20, "casework/child/consent.html", _consent))
child_page_section_register(ChildPageSection("alerts", BELOW + 30, "casework/child/alerts.html", _alerts))

"""A family whose record has something of every kind a subject access bundle gathers: the
child at a current address with two parents (one living elsewhere), a school's deletion, an
assessment, a home visit with the child's own words, an alert to social care, social care
facts on the child and on the household, and an audit trail."""

import datetime as dt

from notinschool.accounts.system import SystemActor
from notinschool.audit.services import audit_record
from notinschool.casework.models import Alert, Contact
from notinschool.intake.models import Notification
from notinschool.intake.tests.factories import ImportBatchFactory
from notinschool.letters.tests.factories import family
from notinschool.linkage.models import PersonMatch
from notinschool.linkage.tests.factories import known_to
from notinschool.people.models import Child
from notinschool.people.tests.factories import ChildParentFactory, ParentFactory
from notinschool.risk.tests.factories import AssessmentFactory

REFUGE = "7 Refuge Road"
REFUGE_POSTCODE = "LS7 9ZZ"
CHILD_WORDS = "I like doing science experiments in the kitchen"
SOCIAL_CARE_DETAIL = "Section 17 plan, allocated to the north team"
HOUSEHOLD_DETAIL = "Older brother on a child protection plan"


def whole_family(*, do_not_disclose: bool = False) -> Child:
    child = family(forename="Ava", surname="Okafor", parent="Grace Okafor", line_1=REFUGE,
                   town="Chapeltown", postcode=REFUGE_POSTCODE, child_ref="R000123",
                   date_of_birth=dt.date(2014, 5, 5), status="ehe",
                   do_not_disclose_address=do_not_disclose)
    ChildParentFactory.create(child=child, lives_with_child=False, parent=ParentFactory.create(
        name="Daniel Okafor", address_line_1="3 Other Street", postcode="LS1 1AA"))
    batch = ImportBatchFactory.create(kind="roll_deletions", source="Demo Academy")
    Notification.objects.create(kind="roll_deletions", batch=batch, child=child, row_hash="x" * 64,
                                event_date=dt.date(2026, 10, 1), received_date=dt.date(2026, 10, 2),
                                ground="ehe", school_urn="100001",
                                data={"address_line_1": REFUGE, "postcode": REFUGE_POSTCODE})
    AssessmentFactory.create(child=child, tier=2, reasons=["Not seen for a year."])
    Contact.objects.create(child=child, contact_date=dt.date(2026, 11, 20), method="home_visit",
                           child_seen=True, seen_alone=True, outcome="engaged", place=REFUGE,
                           child_views=CHILD_WORDS, child_wrote=False, recorded_by_name="Sam Patel")
    Alert.objects.create(child=child, raised_on=dt.date(2026, 10, 2))
    known_to("social_care", child, indicator="child_in_need", detail=SOCIAL_CARE_DETAIL)
    known_to("social_care", child, indicator="child_protection_plan", detail=HOUSEHOLD_DETAIL,
             kind=PersonMatch.Kind.HOUSEHOLD)
    audit_record(actor=SystemActor("test"), action="view", object_type="child", object_ids=[child.pk],
                 child_ids=[child.pk])
    return child

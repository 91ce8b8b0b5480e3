"""Moves test data: a home-educated child with a home, two parents, a status history, contacts
and an assessment, ready to move away."""

import datetime as dt

from notinschool.accounts.system import COMMAND_LINE
from notinschool.casework.models import Contact
from notinschool.people.models import Child
from notinschool.people.tests.factories import (
    AddressFactory,
    ChildFactory,
    ChildParentFactory,
    ParentFactory,
    StatusChangeFactory,
)
from notinschool.workflow.assessment import risk_assessment_run

MONDAY = dt.date(2026, 11, 23)


def moving_child(*, do_not_disclose: bool = False, **kwargs: object) -> Child:
    values: dict[str, object] = {
        "forename": "Ada", "surname": "Lovelace", "date_of_birth": dt.date(2014, 5, 17),
        "upn": "A123456789012", "sex": "F", "postcode": "LS6 1AB", "sen_provision": "K",
        "do_not_disclose_address": do_not_disclose, "last_seen_date": dt.date(2026, 10, 5),
        "last_seen_alone": True, "last_contact_date": dt.date(2026, 10, 5)} | kwargs
    child = ChildFactory.create(**values)
    AddressFactory.create(child=child, line_1="12 Mill Road", town="Leeds", postcode="LS6 1AB",
                          moved_in_date=dt.date(2021, 4, 1))
    ChildParentFactory.create(child=child, parent=ParentFactory.create(
        name="Mary Lovelace", phone="07700 900123", address_line_1="12 Mill Road", postcode="LS6 1AB"))
    StatusChangeFactory.create(child=child, status="ehe", date=dt.date(2026, 9, 1),
                               reason="school roll deletion (elective_home_education)")
    Contact.objects.create(child=child, contact_date=dt.date(2026, 10, 5), method="home_visit",
                           child_seen=True, seen_alone=True, outcome="engaged",
                           notes="Private notes that must not travel")
    risk_assessment_run(actor=COMMAND_LINE, child_ids=[child.pk])
    child.refresh_from_db()
    return child

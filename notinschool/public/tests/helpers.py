"""Public pages' test helpers: a family with a letter's code, and a registration's answers as a
parent types them into each page."""

import datetime as dt
from typing import Any

from django.test import Client

from notinschool.letters.access_codes import access_code_new, access_code_store
from notinschool.people.models import Child
from notinschool.people.tests.factories import AddressFactory, ChildFactory, ChildParentFactory, ParentFactory

TODAY = dt.date(2026, 12, 7)
BORN = dt.date(2015, 5, 4)


def family_with_code(*, officer: Any = None, issued: dt.date = TODAY,
                     forename: str = "Ava") -> tuple[Child, str]:
    """A child on the register with a parent, and the code printed on a letter sent on `issued`."""
    child = ChildFactory.create(forename=forename, surname="Okafor", date_of_birth=BORN, status="ehe",
                                postcode="LS6 2AB", officer=officer)
    AddressFactory.create(child=child, line_1="12 Acacia Avenue", postcode="LS6 2AB")
    ChildParentFactory.create(child=child, parent=ParentFactory.create(name="Grace Okafor"))
    code = access_code_new()
    access_code_store(child=child, code=code, on=issued)
    return child, code


def dob_fields(day: dt.date, prefix: str = "dob") -> dict[str, str]:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


CHILD = {"forename": "Noor", "surname": "Haddad", "sex": "F", **dob_fields(dt.date(2014, 2, 11))}
ADDRESS = {"address_line_1": "4 Mill Lane", "town": "Demo Town", "postcode": "dt1 2ab",
           "moved_day": "1", "moved_month": "9", "moved_year": "2026",
           "previous_address_line_1": "9 Old Road", "previous_postcode": "DT2 3CD"}
PARENTS = {"p1_name": "Samira Haddad", "p1_phone": "07700 900123", "p1_email": "samira@example.invalid",
           "p1_lives": "yes", "p1_educates": "yes",
           "p2_name": "Karim Haddad", "p2_lives": "no", "p2_address_line_1": "2 Far Street",
           "p2_postcode": "DT9 9ZZ", "p2_educates": "no"}
EDUCATION = {"hours_parent": "15", "hours_other": "6", "provider1_name": "Maths Online",
             "provider1_type": "online school", "provider1_hours": "4", "reason": "bullying"}


def register(client: Client, **changes: dict[str, str]) -> Any:
    """Answers every page of the registration, then sends it; the last response."""
    for step, answers in (("child", CHILD), ("address", ADDRESS), ("parents", PARENTS),
                          ("education", EDUCATION)):
        response = client.post(f"/register-a-child/{step}/", {**answers, **changes.get(step, {})})
        assert response.status_code == 302, response.content.decode()[:3000]
    return client.post("/register-a-child/check/", {"website": ""}, follow=True)

"""The daily summary email: counts and a link, no children's names, once a person a day."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.casework.models import DailySummary
from notinschool.casework.tasks import send_daily_summaries
from notinschool.casework.tests.factories import MONDAY
from notinschool.core import clock
from notinschool.people.tests.factories import ChildFactory
from notinschool.risk.tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def test_each_person_gets_their_counts_once_a_day(settings, capsys):
    settings.NOTINSCHOOL_BASE_URL = "https://register.example"
    officer = UserFactory.create(role=Role.EHE_OFFICER, email="officer@la.example")
    UserFactory.create(role=Role.TEAM_MANAGER, email="manager@la.example")
    UserFactory.create(role=Role.EHE_OFFICER, email="idle@la.example")  # nothing to do: no email
    children = [ChildFactory.create(officer=officer) for _ in range(2)]
    AssessmentFactory.create(child=children[0], next_contact_due=MONDAY - dt.timedelta(days=5))
    AssessmentFactory.create(child=children[1], next_contact_due=MONDAY + dt.timedelta(days=1))

    call_command("send_daily_summaries")
    assert "sent 2 daily summaries" in capsys.readouterr().out
    by_person = {e.to[0]: e for e in mail.outbox}
    assert set(by_person) == {"officer@la.example", "manager@la.example"}
    body = by_person["officer@la.example"].body
    assert "Overdue: 1" in body and "Due in the next 5 working days: 1" in body
    assert "https://register.example/work/" in body
    for child in children:
        assert child.surname not in body and child.forename not in body and child.child_ref not in body
    assert "Overdue: 1" in by_person["manager@la.example"].body  # the team's counts

    call_command("send_daily_summaries")
    assert len(mail.outbox) == 2 and DailySummary.objects.count() == 2
    with clock.as_of(MONDAY + dt.timedelta(days=1)):
        assert send_daily_summaries.enqueue().return_value == 2
    assert len(mail.outbox) == 4

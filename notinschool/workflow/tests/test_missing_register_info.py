"""Register content the law requires (s.436C) that the parents have not supplied is asked for
(`request_information`) 15 days after the child became eligible, even when a school's deletion
gave the parents' names: only the parents can say who educates the child and for how long."""


import pytest

from notinschool.accounts.system import COMMAND_LINE
from notinschool.core import clock
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion
from notinschool.people.models import Child, ChildParent
from notinschool.risk.models import Assessment
from notinschool.workflow.assessment import risk_assessment_run
from notinschool.workflow.tests.test_register_status import D, _import, _keep

pytestmark = pytest.mark.django_db


@pytest.fixture
def reception_withdrawal(write_csv) -> Child:
    """Poppy, withdrawn from Reception to be home educated; of compulsory school age from
    31 December 2026. The school named her mother."""
    _import(write_csv("del.csv", DELETION_HEADER, deletion(
        "Poppy", "Reed", "2021-12-10", on="2026-11-16", parent1_name="Rosa Reed")))
    return Child.objects.get(forename="Poppy")
REGISTRATION_HEADER = ["forename", "surname", "date_of_birth", "address_line_1", "postcode",
                       "parent1_name", "parent1_educates", "reason", "hours_parent_per_week",
                       "date_received"]


def test_what_the_parents_have_not_supplied_is_asked_for_15_days_after_eligibility(
        reception_withdrawal: Child) -> None:
    """The school's deletion named the parent: that is not who educates, nor the hours."""
    assert ChildParent.objects.filter(child=reception_withdrawal).count() == 1
    _keep(D(2027, 1, 14))
    assert "request_information" not in Assessment.objects.get(
        child=reception_withdrawal, is_latest=True).required_actions
    with clock.as_of(D(2027, 1, 15)):
        risk_assessment_run(actor=COMMAND_LINE, child_ids=[reception_withdrawal.pk])
    assessment = Assessment.objects.get(child=reception_withdrawal, is_latest=True)
    assert "request_information" in assessment.required_actions
    assert ("Register information still missing 15 days after the child became eligible: "
            "address of each parent, hours of education, who educates the child.") \
        in str(assessment.fired_rules)


def test_a_parents_registration_supplies_what_was_missing(reception_withdrawal: Child,
                                                           write_csv) -> None:
    _keep(D(2027, 1, 4))
    _import(write_csv("reg.csv", REGISTRATION_HEADER, [
        "Poppy", "Reed", "2021-12-10", "1 Mill Road", "LS6 1AB", "Rosa Reed", "Y",
        "lifestyle", "20", "2027-01-05"]), "parent-registrations", D(2027, 1, 5))
    with clock.as_of(D(2027, 1, 20)):
        risk_assessment_run(actor=COMMAND_LINE, child_ids=[reception_withdrawal.pk])
    assessment = Assessment.objects.get(child=reception_withdrawal, is_latest=True)
    assert "request_information" not in assessment.required_actions


def test_a_child_missing_education_is_not_asked_who_educates_them(write_csv) -> None:
    """Their case is the enquiries (cme_enquiries): nobody is educating them."""
    _import(write_csv("del.csv", DELETION_HEADER, deletion(
        "Noah", "Hill", "2015-03-05", ground="continuous_absence_20_days", on="2026-10-01")),
        on=D(2026, 10, 2))
    child = Child.objects.get(forename="Noah")
    with clock.as_of(D(2026, 11, 23)):
        risk_assessment_run(actor=COMMAND_LINE, child_ids=[child.pk])
    assessment = Assessment.objects.get(child=child, is_latest=True)
    assert "cme_enquiries" in assessment.required_actions
    assert "request_information" not in assessment.required_actions

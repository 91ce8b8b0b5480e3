"""Every notification about a child is on the child's timeline: what it said, where it came
from (a file imported or uploaded, or a form), who sent it, and what it did."""

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import UserFactory
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion
from notinschool.intake.tests.test_pages import deletion_form, dob, record
from notinschool.people.models import Child
from notinschool.people.timeline import child_timeline
from notinschool.workflow.imports import import_file

pytestmark = pytest.mark.django_db


def test_an_imported_deletion_and_an_admission_typed_in_are_on_the_timeline(as_of, client_for,
                                                                            write_csv) -> None:
    path = write_csv("autumn-deletions.csv", DELETION_HEADER, deletion(on="2026-10-01"))
    import_file(actor=COMMAND_LINE, kind="roll-deletions", path=path, source="")
    client = client_for(Role.EHE_OFFICER)
    response = record(client, "school-admission", school_urn="654321", forename="Alexander",
                      surname="Smith-Jones", postcode="LS6 1AB", **dob("5", "3", "2015"),
                      **dob("2", "11", "2026", "admission_date"))
    assert response.status_code == 302
    child = Child.objects.get()
    officer = UserFactory.create(role=Role.EHE_OFFICER)
    entries = [e for e in child_timeline(actor=officer, child=child) if e.kind == "notification"]
    deleted = next(e for e in entries if e.title.startswith("Deleted"))
    assert deleted.title == "Deleted from the roll of school 123456: elective home education"
    assert deleted.detail.startswith("In the file autumn-deletions.csv, imported from the command line")
    assert "What it did: registered as ehe." in deleted.detail
    assert deleted.who == "the command line" and deleted.link.startswith("/imports/")
    admitted = next(e for e in entries if e.title.startswith("Admitted"))
    assert admitted.title == "Admitted to school 654321"
    assert admitted.detail.startswith("Typed in on a form")
    assert admitted.who and admitted.who != "the command line"


def test_the_form_deletion_names_the_officer_who_typed_it(as_of, client_for) -> None:
    client = client_for(Role.EHE_OFFICER)
    record(client, "roll-deletion", **deletion_form())
    child = Child.objects.get()
    entry = next(e for e in child_timeline(actor=COMMAND_LINE, child=child) if e.kind == "notification")
    user = child.notifications.get().batch.created_by
    assert user is not None
    assert entry.who == (user.get_full_name() or user.get_username())

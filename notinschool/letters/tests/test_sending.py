"""Sending a letter: printed as tagged PDF/UA, kept on the child, recorded as a contact; the
first letter carries the child's page and the health services page; an address that must not be
disclosed is printed nowhere."""

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.audit.models import AuditEvent
from notinschool.casework.models import Contact
from notinschool.core.errors import NotPermitted
from notinschool.letters.models import Letter, LetterKind
from notinschool.letters.services import letter_preview, letter_send
from notinschool.letters.tests.factories import (
    TODAY,
    family,
    first_letter,
    pdf_objects,
    pdf_pages,
    pdf_text,
    template,
)

pytestmark = pytest.mark.django_db


def test_the_first_letter_has_the_childs_page_and_the_health_offer(make_user, settings):
    settings.NOTINSCHOOL_AUTHORITY_NAME = "Leeds Test Council"
    settings.NOTINSCHOOL_TEAM_PHONE = "0113 000 1234"
    officer = make_user(Role.EHE_OFFICER, first_name="Sam", last_name="Patel")
    child = family()
    letter = letter_send(actor=officer, child=child, template=first_letter())
    pages = pdf_pages(bytes(letter.pdf))
    assert letter.pages == len(pages) >= 3
    text = pdf_text(bytes(letter.pdf))
    assert "Leeds Test Council" in pages[0] and "0113 000 1234" in pages[0]
    assert "Grace Okafor" in pages[0] and "12 Acacia Avenue" in pages[0] and "LS6 2AB" in pages[0]
    assert "Dear Grace Okafor" in text and "Home education is lawful" in text
    assert "Sam Patel" in pages[0] and "7 December 2026" in pages[0]
    child_page = next(p for p in pages if "A page for Ava" in p)
    assert "Hello Ava" in child_page and "Your views matter" in child_page
    assert "How to contact us yourself" in child_page and "0113 000 1234" in child_page
    assert "You can ask for help" in child_page
    health = next(p for p in pages if "Health services for children educated at home" in p)
    for offer in ("School nursing", "Immunisations", "Vision and hearing screening", "Dental care"):
        assert offer in health
    assert "{" not in text


def test_a_letter_no_officer_signs_is_signed_once_by_the_team(settings):
    settings.NOTINSCHOOL_TEAM_NAME = "Home Education Team"
    pdf = letter_preview(actor=COMMAND_LINE, child=family(), template=first_letter())
    lines = [line.strip() for line in pdf_pages(pdf)[0].splitlines() if line.strip()]
    signed = lines.index("Yours sincerely,")
    assert lines[signed + 1:signed + 3] == ["Home Education Team", "Demo Borough Council"]


def test_the_pdf_is_tagged_pdf_ua_in_english():
    child = family()
    pdf = letter_preview(actor=_officer(), child=child, template=first_letter())
    assert pdf.startswith(b"%PDF-1.7")
    objects = pdf_objects(pdf)
    assert b"/MarkInfo" in objects and b"/StructTreeRoot" in objects and b"/Lang (en-GB)" in objects
    assert b"pdfuaid:part" in objects


def test_a_do_not_disclose_address_appears_nowhere_on_the_letter(make_user):
    child = family(line_1="7 Refuge Road", town="Chapeltown", postcode="LS7 9ZZ",
                   do_not_disclose_address=True)
    letter = letter_send(actor=make_user(Role.EHE_OFFICER), child=child, template=first_letter())
    text = pdf_text(bytes(letter.pdf))
    assert "Grace Okafor" in text and "To be delivered by hand" in text
    for part in ("Refuge", "LS7", "9ZZ", "Chapeltown"):
        assert part not in text
    assert letter.address_printed is False


def test_sending_keeps_the_letter_and_records_the_contact(make_user):
    officer = make_user(Role.EHE_OFFICER)
    child = family()
    review = template(LetterKind.ANNUAL_REVIEW)
    letter = letter_send(actor=officer, child=child, template=review)
    assert letter.pages == 1 and letter.template_version.number == 1 and letter.created_by == officer
    assert (letter.sent_on, letter.kind, letter.addressed_to) == (TODAY, "annual_review", "Grace Okafor")
    contact = letter.contact
    assert contact is not None and contact.method == Contact.Method.LETTER and contact.child == child
    assert contact.contact_date == TODAY
    assert AuditEvent.objects.filter(object_type="letter", action="create",
                                     object_ids=[str(letter.pk)]).exists()
    assert "A page for" not in pdf_text(bytes(letter.pdf))  # only the first letter has the child's page


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.HEALTH_PRACTITIONER, Role.ANALYST, Role.ADMIN])
def test_only_those_who_record_casework_send_letters(make_user, role):
    with pytest.raises(NotPermitted):
        letter_send(actor=make_user(role), child=family(), template=first_letter())
    assert not Letter.objects.exists()


def _officer():
    from notinschool.accounts.tests.factories import UserFactory

    return UserFactory.create(role=Role.EHE_OFFICER)

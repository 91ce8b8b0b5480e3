"""A letter of a kind an app above registers (a statutory notice): its own placeholders are
allowed in its template only, filled in from the details the app gives, and the letter is kept
on the child like any other."""

import pytest

from notinschool.accounts.roles import Role
from notinschool.core.errors import DomainError
from notinschool.letters.models import Letter, LetterTemplate, LetterTemplateVersion, letter_kind_register
from notinschool.letters.placeholders import letter_placeholder_register, placeholder_problems
from notinschool.letters.services import letter_issue, letter_template_save
from notinschool.letters.tests.factories import family, pdf_text, template

pytestmark = pytest.mark.django_db

KIND = "test_notice"
letter_kind_register(KIND, "Test notice")
letter_placeholder_register(KIND, "reply_by", "the last day to reply", "1 January 2027")


def notice_template() -> LetterTemplate:
    body = "Please reply by {reply_by}."
    made = LetterTemplate.objects.create(kind=KIND, name="Test notice", subject="A notice", body=body)
    LetterTemplateVersion.objects.create(template=made, number=1, subject=made.subject, body=body)
    return made


def test_a_kinds_own_placeholder_is_allowed_in_its_templates_only():
    assert placeholder_problems("Reply by {reply_by}.", KIND) == []
    assert placeholder_problems("Reply by {reply_by}.", "general") == [
        "Unknown placeholder: {reply_by}. Use only the placeholders listed on this page"]


def test_a_general_template_cannot_be_saved_with_a_notices_placeholder(make_user):
    editor = make_user(Role.TEAM_MANAGER)
    general = template("general")
    with pytest.raises(DomainError, match="Unknown placeholder"):
        letter_template_save(actor=editor, template=general, name=general.name, subject=general.subject,
                             body="Reply by {reply_by}.", version=general.version)


def test_an_issued_letter_fills_in_the_details_and_is_kept_on_the_child(make_user):
    notice_template()
    child = family()
    letter = letter_issue(actor=make_user(Role.EHE_OFFICER), child=child, kind=KIND,
                          extra={"reply_by": "22 December 2026"})
    assert Letter.objects.get(child=child) == letter and letter.kind == KIND
    text = pdf_text(bytes(letter.pdf))
    assert "Please reply by 22 December 2026." in text and "Dear Grace Okafor" in text


def test_a_kind_without_a_template_is_refused_in_words(make_user):
    with pytest.raises(DomainError, match="There is no letter template for test notice"):
        letter_issue(actor=make_user(Role.EHE_OFFICER), child=family(), kind=KIND, extra={})

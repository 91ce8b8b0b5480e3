"""The month's letters in bulk: everyone due a contact that month, one PDF to print, each letter
kept on its child and recorded as a contact; and the command that runs it."""

import datetime as dt
import os
from io import StringIO

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.casework.models import Contact
from notinschool.core.errors import NotPermitted
from notinschool.letters.models import Letter, LetterKind
from notinschool.letters.services import letter_send, letters_due_bulk
from notinschool.letters.tests.factories import family, first_letter, pdf_pages, pdf_text
from notinschool.people.models import Status

pytestmark = pytest.mark.django_db

JANUARY = dt.date(2027, 1, 1)


def _register(make_user):
    """Two children due in January (one already had a first letter), one due in February, one
    due in January but no longer on the register, one due in January whose address must not be
    disclosed."""
    new = family(forename="Ava", due=dt.date(2027, 1, 12))
    known = family(forename="Ben", surname="Adeyemi", parent="Tunde Adeyemi", due=dt.date(2027, 1, 30))
    letter_send(actor=make_user(Role.EHE_OFFICER), child=known, template=first_letter())
    family(forename="Cal", due=dt.date(2027, 2, 1))
    family(forename="Dee", due=dt.date(2027, 1, 5), status=Status.RETURNED_TO_SCHOOL)
    hidden = family(forename="Eve", line_1="3 Safe Lane", postcode="LS9 9QQ", due=dt.date(2027, 1, 2),
                    do_not_disclose_address=True)
    return new, known, hidden


def test_everyone_due_that_month_gets_the_right_letter_in_one_pdf(make_user):
    new, known, hidden = _register(make_user)
    result = letters_due_bulk(actor=COMMAND_LINE, month=JANUARY)
    kinds = {letter.child.forename: letter.kind for letter in result.letters}
    assert kinds == {"Ava": LetterKind.FIRST_CONTACT, "Ben": LetterKind.ANNUAL_REVIEW,
                     "Eve": LetterKind.FIRST_CONTACT}
    pages = pdf_pages(result.pdf)
    assert len(pages) == result.pages == sum(letter.pages for letter in result.letters) == 3 + 1 + 3
    assert "Ben's education: our yearly review" in pages[0]  # by surname: Ben Adeyemi, Ava Okafor,
    assert "Dear Grace Okafor" in pages[1]  # then Eve (by hand) last
    assert "To be delivered by hand" in pages[4] and result.by_hand == 1
    text = pdf_text(result.pdf)
    assert "Safe Lane" not in text and "LS9" not in text
    for child in (new, known, hidden):
        assert Contact.objects.filter(child=child, method=Contact.Method.LETTER,
                                      letters__in=result.letters).exists()


def test_the_same_month_run_again_sends_nothing_twice(make_user):
    _register(make_user)
    assert len(letters_due_bulk(actor=COMMAND_LINE, month=JANUARY).letters) == 3
    again = letters_due_bulk(actor=COMMAND_LINE, month=JANUARY)
    assert again.letters == [] and again.pdf == b""


def test_only_those_who_record_casework_run_the_months_letters(make_user):
    with pytest.raises(NotPermitted):
        letters_due_bulk(actor=make_user(Role.ADMIN), month=JANUARY)


def test_the_command_writes_one_pdf_with_a_page_per_page_of_every_letter(make_user, tmp_path):
    _register(make_user)
    out, err = StringIO(), StringIO()
    path = tmp_path / "january.pdf"
    call_command("letters", "due", "--month", "2027-01", "-o", str(path), stdout=out, stderr=err)
    letters = Letter.objects.filter(created_by=None)  # by the command line, not the officer
    assert letters.count() == 3
    assert len(pdfium.PdfDocument(str(path))) == sum(letter.pages for letter in letters) == 7
    assert out.getvalue().startswith("3 letters for 2027-01 (7 pages) written to")
    assert "1 of them, at the end of the file, have no address" in out.getvalue()


def test_a_month_with_nobody_due_writes_no_file(tmp_path):
    out = StringIO()
    call_command("letters", "due", "--month", "2030-05", "-o", str(tmp_path / "may.pdf"), stdout=out)
    assert out.getvalue().startswith("0 letters") and not (tmp_path / "may.pdf").exists()


@pytest.mark.parametrize("month", ["2027-13", "January", "2027-1-01", ""])
def test_a_bad_month_is_exit_status_2_with_a_clear_message(month, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("letters", "due", "--month", month, "-o", str(tmp_path / "x.pdf"))
    assert refused.value.returncode == 2 and "YYYY-MM" in str(refused.value)


def test_an_unwritable_path_is_exit_status_2_before_anything_is_sent(make_user, tmp_path):
    _register(make_user)
    before = Letter.objects.count()
    for path, says in ((tmp_path / "missing" / "x.pdf", "does not exist"), (tmp_path, "is a folder")):
        with pytest.raises(CommandError) as refused:
            call_command("letters", "due", "--month", "2027-01", "-o", str(path))
        assert refused.value.returncode == 2 and says in str(refused.value)
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(CommandError, match="permission denied"):
            call_command("letters", "due", "--month", "2027-01", "-o", str(locked / "x.pdf"))
    assert Letter.objects.count() == before

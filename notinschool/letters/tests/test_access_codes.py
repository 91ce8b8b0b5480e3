"""Every letter sent carries a one-time code for the public pages: printed on the letter with
where to use it and the last day it works, kept only as a hash; a preview prints a made-up code
and keeps none."""

import re

import pytest

from notinschool.accounts.roles import Role
from notinschool.letters.access_codes import (
    SAMPLE_CODE,
    access_code_find,
    access_code_spend,
    access_code_usable,
)
from notinschool.letters.models import AccessCode
from notinschool.letters.services import letter_preview, letter_send
from notinschool.letters.tests.factories import family, first_letter, pdf_text

pytestmark = pytest.mark.django_db
CODE = re.compile(r"\b([A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4})\b")


def test_a_sent_letter_prints_its_code_and_keeps_only_its_hash(make_user, settings):
    settings.NOTINSCHOOL_BASE_URL = "https://register.example.invalid"
    officer = make_user(Role.EHE_OFFICER)
    child = family()
    letter = letter_send(actor=officer, child=child, template=first_letter())
    text = " ".join(pdf_text(bytes(letter.pdf)).split())
    printed = CODE.findall(text)
    assert printed and printed[0] != SAMPLE_CODE
    assert "register.example.invalid/tell-us-about-a-change/" in text
    assert "7 March 2027" in text  # 90 days after Monday 7 December 2026
    stored = AccessCode.objects.get(letter=letter)
    assert stored.child == child and printed[0] not in stored.code_hash
    found = access_code_find(printed[0].lower().replace("-", " "))
    assert found == stored and access_code_usable(found)
    assert access_code_spend(code=found, used_for="change")
    assert not access_code_spend(code=found, used_for="change")
    found.refresh_from_db()
    assert not access_code_usable(found)


def test_a_preview_prints_a_made_up_code_and_keeps_none(make_user):
    officer = make_user(Role.EHE_OFFICER)
    pdf = letter_preview(actor=officer, child=family(), template=first_letter())
    assert SAMPLE_CODE in pdf_text(pdf)
    assert not AccessCode.objects.exists()

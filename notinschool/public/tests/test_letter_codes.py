"""With a letter's code and the child's date of birth, a parent tells us of a change and a child
gives their views, without an account. A wrong code, a used one, an expired one and a wrong
date of birth all get the same answer; tries are limited per address and per code; every try
is audited. The change and the views land on the child's record and in the officer's queue; a
worrying message is due today and emailed to the officer."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client

from notinschool.accounts.roles import Role
from notinschool.audit.models import AuditEvent
from notinschool.casework.models import WorkItem
from notinschool.core import clock
from notinschool.letters.models import AccessCode
from notinschool.public.models import Submission
from notinschool.public.services import is_worrying
from notinschool.public.tests.helpers import BORN, TODAY, dob_fields, family_with_code

pytestmark = pytest.mark.django_db
WRONG = "The code or the date of birth is not right, or the code has been used or has expired"


def enter(client: Client, address: str, code: str, born: dt.date = BORN) -> str:
    response = client.post(address, {"code": code, **dob_fields(born)}, follow=True)
    return response.content.decode()


def test_a_parent_reports_a_new_address_for_the_officer_to_check(make_user, client_for):
    officer = make_user(Role.EHE_OFFICER, email="olive@council.invalid")
    child, code = family_with_code(officer=officer)
    client = Client()
    page = enter(client, "/tell-us-about-a-change/", code.lower())
    assert "What has changed for Ava?" in page and "Okafor" not in page
    done = client.post("/tell-us-about-a-change/what-has-changed/", {
        "topics": ["address"], "new_address": "3 New Road, Demo Town, DT1 4AA", "moved_on": "1 December 2026",
        "your_name": "Grace Okafor"}, follow=True)
    submission = Submission.objects.get(kind="change")
    assert submission.reference in done.content.decode() and submission.child == child
    assert submission.details["new_address"] == "3 New Road, Demo Town, DT1 4AA"
    item = WorkItem.objects.get(child=child, kind="public_change", closed_at__isnull=True)
    assert "address" in item.title and item.due_date is not None and item.due_date > TODAY
    assert AccessCode.objects.get(child=child).used_for == "change"
    record = client_for(Role.EHE_OFFICER).get(f"/children/{child.pk}/").content.decode()
    assert "3 New Road, Demo Town, DT1 4AA" in record and submission.reference in record
    again = enter(Client(), "/tell-us-about-a-change/", code)
    assert WRONG in again


def test_wrong_used_expired_and_wrong_birthday_codes_get_the_same_answer():
    _, good = family_with_code()
    _, used = family_with_code(forename="Ben")
    AccessCode.objects.filter(child__forename="Ben").update(used_at=clock.now())
    _, old = family_with_code(forename="Cal", issued=TODAY - dt.timedelta(days=91))
    answers = {
        "wrong": enter(Client(), "/tell-us-about-a-change/", "ABCD-2345"),
        "used": enter(Client(), "/tell-us-about-a-change/", used),
        "expired": enter(Client(), "/tell-us-about-a-change/", old),
        "birthday": enter(Client(), "/tell-us-about-a-change/", good, BORN + dt.timedelta(days=1)),
    }
    bodies = {k: re.sub(r'value="[^"]*"', "", v.split('id="main-content"')[1])
              for k, v in answers.items()}
    assert len(set(bodies.values())) == 1, "every refusal reads the same"
    assert WRONG in bodies["wrong"] and "Error:" in answers["wrong"]
    refusals = AuditEvent.objects.filter(action="refuse", object_type="access_code")
    assert sorted(e.detail["refused"] for e in refusals) == ["expired", "no such code", "used",
                                                             "wrong date of birth"]
    assert not Submission.objects.exists()


def test_tries_are_limited_per_code_and_per_address(settings):
    settings.NOTINSCHOOL_PUBLIC_LIMITS = {"code_per_code": (3, 86400), "code_per_address": (5, 3600)}
    _, code = family_with_code()
    for day in range(1, 4):  # guessing the date of birth
        enter(Client(REMOTE_ADDR=f"10.0.0.{day}"), "/tell-us-about-a-change/", code,
              BORN + dt.timedelta(days=day))
    right_but_late = enter(Client(REMOTE_ADDR="10.0.0.9"), "/tell-us-about-a-change/", code)
    assert "There have been too many tries" in right_but_late
    one_address = Client(REMOTE_ADDR="10.0.1.1")
    for n in range(5):
        enter(one_address, "/tell-us-about-a-change/", f"ZZZZ-{n}ZZZ".replace("0", "2").replace("1", "3"))
    assert "There have been too many tries" in enter(one_address, "/young-people/your-views/", "ABCD-EFGH")


def test_a_child_gives_their_views_in_their_own_words(make_user, client_for):
    officer = make_user(Role.EHE_OFFICER, email="olive@council.invalid")
    child, code = family_with_code(officer=officer)
    client = Client()
    page = enter(client, "/young-people/your-views/", code)
    assert "Ava, what do you want to tell us?" in page
    words = "I like learning about volcanoes with my mum. I would like to join a football club."
    done = client.post("/young-people/your-views/write/", {"words": words}, follow=True).content.decode()
    assert "Thank you for telling us" in done and "0800 1111" in done and "999" in done
    submission = Submission.objects.get(kind="child_views")
    assert submission.words == words and not submission.worrying
    item = WorkItem.objects.get(child=child, kind="child_views")
    assert item.due_date is not None and item.due_date > TODAY
    assert item.owner is None and child.officer == officer
    assert not mail.outbox
    record = client_for(Role.EHE_OFFICER).get(f"/children/{child.pk}/").content.decode()
    assert "Sent online by the family and the child" in record
    assert "s own words" in record and "volcanoes with my mum" in record


def test_something_worrying_goes_to_the_officer_today(make_user):
    officer = make_user(Role.EHE_OFFICER, email="olive@council.invalid")
    child, code = family_with_code(officer=officer)
    client = Client()
    enter(client, "/young-people/your-views/", code)
    done = client.post("/young-people/your-views/write/", {
        "words": "I don't like it when he shouts.", "talk": ["yes"]}, follow=True).content.decode()
    assert "Someone from our team will read your message today" in done
    item = WorkItem.objects.get(child=child, kind="child_views_worrying")
    assert item.due_date == TODAY
    [email] = mail.outbox
    assert email.to == ["olive@council.invalid"] and child.child_ref in email.subject
    assert "shouts" not in email.body  # the words stay on the record


def test_worrying_words_are_noticed_without_the_box_ticked():
    assert is_worrying("Sometimes my dad hits me")
    assert is_worrying("I feel scared at night")
    assert not is_worrying("I like history and drawing")
    assert not is_worrying("We went to the white cliffs")  # 'hit' inside a word is not 'hit'


def test_the_views_page_asks_for_the_code_first():
    response = Client().get("/young-people/your-views/write/")
    assert response.status_code == 302 and response["Location"] == "/young-people/your-views/"



def test_a_merge_moves_the_childs_words_and_codes_to_the_record_kept(client_for):
    """What workflow.merge calls for public and letters, on two records of one girl."""
    from notinschool.letters.merging import child_records_move as letters_move
    from notinschool.public.merging import child_records_move as public_move

    keep, _ = family_with_code()
    other, code = family_with_code()
    client = Client()
    enter(client, "/young-people/your-views/", code)
    client.post("/young-people/your-views/write/", {"words": "I like maps."})
    assert public_move(keep=keep, other=other) == {"public_submissions": 1}
    assert letters_move(keep=keep, other=other) == {"letters": 0, "access_codes": 1}
    record = client_for(Role.EHE_OFFICER).get(f"/children/{keep.pk}/").content.decode()
    assert "I like maps." in record

"""The rule table, changing a threshold, re-running the rules, and overriding a child's tier, as
the people who use them see them."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import UserFactory
from notinschool.audit.models import AuditEvent
from notinschool.risk import engine
from notinschool.risk.models import Assessment, RuleSetting, TierOverride
from notinschool.risk.services import rule_table_current
from notinschool.risk.tests.helpers import ordinary_child, with_fact
from notinschool.web.tests.pagerules import assert_govuk_page
from notinschool.web.tests.test_url_access import REFUSED, all_routes, url_for
from notinschool.workflow.assessment import risk_assessment_run

pytestmark = pytest.mark.django_db

RISK_ROUTES = {"rules", "rules_changed", "rules_rerun", "rule_setting_edit", "child_override",
               "child_override_end"}


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# The rule table ---------------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.EHE_OFFICER, Role.TEAM_MANAGER, Role.ANALYST])
def test_the_rule_table_shows_every_rule_with_its_source_and_the_version(client_for, role):
    response = client_for(role).get("/rules/")
    assert response.status_code == 200
    assert_govuk_page(response.content)
    html = text_of(response)
    table = engine.DEFAULT
    assert f"Rule version {table.version}" in html
    for row in table.describe():
        for words in (row["title"], row["factor"], row["source"]):
            assert words.replace("'", "&#39;") in html, words
    for action in table.actions:
        assert action.description.replace("'", "&#39;") in html
    assert "10 working days from the data arriving" in html
    assert "Tier 1" in html and "3 months" in html


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.HEALTH_PRACTITIONER, Role.DPO,
                                  Role.ADMIN, Role.SCHOOL_LEAD])
def test_people_who_do_not_read_reports_cannot_open_the_rule_table(client_for, role):
    assert client_for(role).get("/rules/").status_code == 403


def test_only_a_manager_is_offered_a_change(client_for):
    edit = reverse("rule_setting_edit", kwargs={"setting": "not_seen_months"})
    assert edit in client_for(Role.TEAM_MANAGER).get("/rules/").content.decode()
    officer = client_for(Role.EHE_OFFICER)
    assert edit not in officer.get("/rules/").content.decode()
    assert officer.get(edit).status_code == 403
    assert officer.post("/rules/re-run/").status_code == 403


# Changing a threshold -----------------------------------------------------------------------

def test_a_manager_changes_a_threshold_and_re_runs_the_rules(client_for, as_of):
    old_abuse = with_fact(ordinary_child(), "domestic_abuse_notification", source="police",
                          start=dt.date(2025, 8, 1))
    ordinary_child()
    risk_assessment_run(actor=COMMAND_LINE, child_ids=None)
    manager = client_for(Role.TEAM_MANAGER, first_name="Maya", last_name="Patel")
    url = "/rules/domestic_abuse_lookback_months/edit/"
    page = manager.get(url)
    assert_govuk_page(page.content)
    assert "From 12 to 60 months" in text_of(page)

    response = manager.post(url, {"value": "24", "reason": "Partnership decision, 1 Nov 2026"})
    assert response.status_code == 302 and response["Location"] == "/rules/changed/"
    changed = manager.get("/rules/changed/")
    assert_govuk_page(changed.content)
    html = text_of(changed)
    new_version = rule_table_current().version
    assert f"changed from 12 to 24 months. The rule version is now {new_version}" in html
    assert f"The stored tiers were set by rule version {engine.DEFAULT.version}" in html
    assert RuleSetting.objects.get().created_by == manager.user
    assert AuditEvent.objects.filter(object_type="rule_setting", actor=manager.user).exists()

    rerun = manager.post("/rules/re-run/")
    assert rerun["Location"] == "/rules/changed/"
    html = text_of(manager.get("/rules/changed/"))
    assert "The rules were run over 2 children" in html
    assert "The stored tiers were set by" not in html
    assert re.search(r"Tier more serious </dt> <dd class=\"govuk-summary-list__value\"> 1 ", html)
    assert re.search(r"Children who gained a required action </dt> <dd[^>]*> 1 ", html)
    assert "See child within 10 days" in html
    assert Assessment.objects.get(child=old_abuse, is_latest=True).tier == 2

    rules = text_of(manager.get("/rules/"))
    assert "Partnership decision, 1 Nov 2026" in rules and "12 to 24 months" in rules
    assert "The risk model sets 12" in rules


@pytest.mark.parametrize("value,reason,message", [
    ("", "Because", "Enter the new value in months"),
    ("six", "Because", "The value must be a whole number of months"),
    ("-3", "Because", "The value must be 6 months or more"),
    ("3", "Because", "The value must be 6 months or more"),
    ("13", "Because", "The value must be 12 months or fewer"),
    ("9", "", "Enter the reason for the change"),
    ("12", "No change", "The setting is already 12 months"),
])
def test_an_invalid_change_shows_the_error_summary(client_for, value, reason, message):
    manager = client_for(Role.TEAM_MANAGER)
    response = manager.post("/rules/not_seen_months/edit/", {"value": value, "reason": reason})
    assert response.status_code == 200
    assert_govuk_page(response.content)
    html = text_of(response)
    assert "There is a problem" in html and message in html
    assert not RuleSetting.objects.exists()


def test_a_setting_that_is_not_changeable_is_not_found(client_for):
    manager = client_for(Role.TEAM_MANAGER)
    assert manager.get("/rules/several_concerns_min/edit/").status_code == 404
    assert manager.get("/rules/no_such_thing/edit/").status_code == 404


# Overrides ----------------------------------------------------------------------------------

def test_a_manager_overrides_a_tier_from_the_childs_page_and_ends_it(client_for, as_of):
    child = ordinary_child(forename="Ada", surname="Lovelace")
    risk_assessment_run(actor=COMMAND_LINE, child_ids=[child.pk])
    manager = client_for(Role.TEAM_MANAGER, first_name="Maya", last_name="Patel")
    page = manager.get(f"/children/{child.pk}/")
    assert f"/children/{child.pk}/override/" in page.content.decode()

    form = manager.get(f"/children/{child.pk}/override/")
    assert_govuk_page(form.content)
    html = text_of(form)
    assert "The rules give tier 4 today: no concern is known." in html
    assert "Review every 6 months. The override would end on 1 March 2027" in html
    assert 'value="4"' not in html, "a manager cannot pick the tier the rules give"

    rationale = "Neighbour reports the child is never seen outside the house."
    response = manager.post(f"/children/{child.pk}/override/", {"tier": "2", "rationale": rationale})
    assert response["Location"] == f"/children/{child.pk}/"
    html = text_of(manager.get(f"/children/{child.pk}/"))
    assert "Tier overridden" in html and rationale in html
    assert "Maya Patel, 23 November 2026" in html and "1 March 2027, the next review" in html
    assert "Tier 2" in html and "A manager changed the tier from 4" in html
    assert AuditEvent.objects.filter(object_type="tier_override", action="create").exists()

    end = manager.get(f"/children/{child.pk}/override/end/")
    assert_govuk_page(end.content)
    response = manager.post(f"/children/{child.pk}/override/end/",
                            {"reason": "The neighbour was mistaken"})
    assert response["Location"] == f"/children/{child.pk}/"
    html = text_of(manager.get(f"/children/{child.pk}/"))
    record = html.split("Timeline")[0]  # the timeline below keeps the override's story
    assert "Tier overridden" not in record and "A manager changed the tier" not in record
    assert "Earlier overrides (1)" in html and "Ended 23 November 2026 by Maya Patel: The " \
        "neighbour was mistaken" in html and rationale in html
    assert TierOverride.objects.get().end_reason == "The neighbour was mistaken"
    assert manager.get(f"/children/{child.pk}/override/end/").status_code == 404


@pytest.mark.parametrize("data,message", [
    ({"rationale": "Neighbour reports the child is never seen outside."}, "Select the new tier"),
    ({"tier": "4", "rationale": "Neighbour reports the child is never seen outside."},
     "Select one of the tiers shown"),
    ({"tier": "2", "rationale": ""}, "Enter the rationale for the override"),
    ({"tier": "2", "rationale": "Gut feeling"}, "The rationale must be 30 characters or more"),
])
def test_an_invalid_override_shows_the_error_summary(client_for, as_of, data, message):
    child = ordinary_child()
    risk_assessment_run(actor=COMMAND_LINE, child_ids=[child.pk])
    response = client_for(Role.TEAM_MANAGER).post(f"/children/{child.pk}/override/", data)
    assert response.status_code == 200
    assert_govuk_page(response.content)
    assert message in text_of(response) and "There is a problem" in text_of(response)
    assert not TierOverride.objects.exists()


def test_a_child_at_tier_1_has_nothing_more_serious_to_set(client_for, as_of):
    child = with_fact(ordinary_child(), "child_protection_plan", start=dt.date(2026, 10, 1))
    risk_assessment_run(actor=COMMAND_LINE, child_ids=[child.pk])
    response = client_for(Role.TEAM_MANAGER).get(f"/children/{child.pk}/override/")
    assert_govuk_page(response.content)
    assert "there is nothing more serious to set" in text_of(response)
    assert "The rules give tier 1 today:" in text_of(response)
    assert "child protection plan" in text_of(response).lower()
    assert "<form" not in response.content.decode().split('id="main-content"')[1]


def test_officers_see_an_override_but_cannot_make_one(client_for, as_of):
    child = ordinary_child()
    risk_assessment_run(actor=COMMAND_LINE, child_ids=[child.pk])
    client_for(Role.TEAM_MANAGER).post(f"/children/{child.pk}/override/", {
        "tier": "3", "rationale": "Worries raised by the health visitor at the last visit."})
    officer = client_for(Role.EHE_OFFICER)
    html = text_of(officer.get(f"/children/{child.pk}/"))
    assert "Tier overridden" in html and "health visitor" in html
    assert f"/children/{child.pk}/override/" not in html
    assert officer.get(f"/children/{child.pk}/override/").status_code == 403
    assert officer.post(f"/children/{child.pk}/override/end/", {"reason": "x"}).status_code == 403


# Access, as the whole-application meta-test checks it, for these pages ------------------------

def test_the_risk_pages_refuse_anonymous_people_and_people_without_the_capability(db):
    child = ordinary_child()
    routes = [r for r in all_routes() if r.name in RISK_ROUTES]
    assert {r.name for r in routes} == RISK_ROUTES
    no_role = Client()
    no_role.force_login(UserFactory.create(username="norole", role=""))
    for route in routes:
        url = url_for(route, child.pk)
        anonymous = Client().get(url)
        assert anonymous.status_code in REFUSED or anonymous["Location"].startswith("/accounts/login/")
        assert no_role.get(url).status_code in REFUSED, route.name
        assert hasattr(route.callback, "access")

"""The information pages: anyone may read them without signing in; their words are the
administrator's, in a small Markdown subset that never lets HTML through; the contact details
come from settings; every save is kept and audited; the young people's page reads at age 9 to 11."""

import pytest
from django.test import Client

from notinschool.accounts.roles import Role
from notinschool.audit.models import AuditEvent
from notinschool.public.defaults import PAGES
from notinschool.public.markup import render
from notinschool.public.models import PageText
from notinschool.public.services import page_text_get, reading_grade, syllable_count
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db

ADDRESSES = ["/families/", "/home-education/", "/home-education/support/", "/health-services/",
             "/tell-us-about-a-child/", "/privacy/", "/accessibility/", "/contact/", "/young-people/",
             "/register-a-child/", "/tell-us-about-a-change/", "/young-people/your-views/"]


def test_every_public_page_opens_without_signing_in(settings):
    settings.NOTINSCHOOL_TEAM_PHONE = "0113 496 0000"
    client = Client()
    for address in ADDRESSES:
        response = client.get(address)
        assert response.status_code == 200, address
        assert_govuk_page(response.content)
    contact = client.get("/contact/").content.decode()
    assert "0113 496 0000" in contact and "{team_phone}" not in contact
    health = client.get("/health-services/").content.decode()
    for offer in ("School nursing", "Vaccinations", "Dental care", "Registering with a GP"):
        assert offer in health


def test_the_words_are_escaped_and_only_our_own_links_are_links():
    html = str(render("## Title\n\n<script>alert(1)</script> **bold** [ours](/privacy/) "
                      "[theirs](https://example.com/) [js](javascript:alert(1))\n\n- one\n- two"))
    assert '<h2 class="govuk-heading-m">Title</h2>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a class="govuk-link" href="/privacy/">ours</a>' in html
    assert "example.com" not in html and "javascript" not in html and "theirs" in html
    assert "<strong>bold</strong>" in html and '<ul class="govuk-list govuk-list--bullet">' in html


def test_an_administrator_changes_a_page_and_every_version_is_kept(client_for):
    admin = client_for(Role.ADMIN)
    page = admin.get("/public-pages/privacy/")
    assert page.status_code == 200
    version = PageText.objects.get(slug="privacy").version
    response = admin.post("/public-pages/privacy/", {
        "title": "Privacy notice", "summary": "How we use information.",
        "body": "## Who we are\n\nWe are the council. Phone {team_phone}.", "version": version})
    assert response.status_code == 302
    shown = Client().get("/privacy/").content.decode()
    assert "Who we are" in shown and "We are the council." in shown
    saved = PageText.objects.get(slug="privacy")
    assert saved.version == version + 1 and saved.versions.count() == 2
    assert AuditEvent.objects.filter(action="update", object_type="public_page").count() == 1
    stale = admin.post("/public-pages/privacy/", {"title": "Privacy notice", "body": "Old words",
                                                  "version": version})
    assert "Someone else saved this page" in stale.content.decode()


def test_officers_cannot_change_the_pages(client_for):
    assert client_for(Role.EHE_OFFICER).get("/public-pages/").status_code == 403


def test_syllables_are_counted_well_enough():
    assert [syllable_count(w) for w in ("cat", "table", "education", "home", "learning")] == [1, 2, 4, 1, 2]


def test_the_young_peoples_page_reads_at_age_9_to_11():
    """Flesch-Kincaid grade 4 to 6 is a reading age of 9 to 11 (grade + 5); the other pages are
    for adults and read harder."""
    young = reading_grade(page_text_get("young-people").body)
    print(f"young people's page: Flesch-Kincaid grade {young:.1f} (reading age {young + 5:.1f})")
    assert 0 < young <= 6.0
    adults = [reading_grade(str(p["body"])) for p in PAGES if p["slug"] != "young-people"]
    assert min(adults) > young

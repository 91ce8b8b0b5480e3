"""risk's entries on the child's timeline: the first tier and each change, overrides set and
ended, required actions raised, done (with the evidence and who) and closed (with the reason);
reasons, rationales and actions only for the education team."""

import datetime as dt

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.core import clock
from notinschool.people.tests.factories import ChildFactory
from notinschool.people.timeline import child_timeline
from notinschool.risk.models import RequiredAction, TierOverride
from notinschool.risk.tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)


def test_the_timeline_tells_the_risk_story():
    officer = UserFactory.create(first_name="Ann", last_name="Jones", role=Role.EHE_OFFICER)
    manager = UserFactory.create(first_name="Meg", last_name="Hale", role=Role.TEAM_MANAGER)
    child = ChildFactory.create()
    for n, tier in enumerate((4, 4, 2)):
        AssessmentFactory.create(child=child, as_of=DAY + dt.timedelta(days=n), tier=tier, is_latest=n == 2,
                                 reasons=["Not seen for over 12 months."] if tier == 2 else [])
    TierOverride.objects.create(child=child, tier=1, computed_tier=2, rationale="Older brother missing.",
                                starts_on=DAY, expires_on=dt.date(2027, 2, 2),
                                ended_on=DAY + dt.timedelta(days=3),
                                ended_by=manager, end_reason="Brother found.", created_by=manager)
    RequiredAction.objects.create(
        child=child, code="see_child_within_10_days", raised_on=DAY, due_date=DAY + dt.timedelta(days=14),
        state="done", done_on=DAY + dt.timedelta(days=5), done_by=officer, evidence_kind="contact",
        evidence_summary="Home visit on 7 November 2026: engaged", done_at=clock.now())
    RequiredAction.objects.create(child=child, code="arrange_visit", raised_on=DAY, state="done",
                                  done_on=DAY + dt.timedelta(days=6), evidence_kind="reassessment",
                                  closed_reason="No longer required: the child was seen on 7 November 2026.")

    entries = {(e.title, e.detail, e.who) for e in child_timeline(actor=officer, child=child)}
    assert ("Assessed: tier 4", "", "The risk assessment") in entries
    assert ("Tier more serious: 4 to 2", "Not seen for over 12 months.", "The risk assessment") in entries
    assert ("Tier overridden to 1 (the rules gave 2)",
            "Rationale: Older brother missing. Until 2 February 2027.", "Meg Hale") in entries
    assert ("Override to tier 1 ended early", "Brother found.", "Meg Hale") in entries
    assert ("Required action raised: See the child", "Due by 16 November 2026.",
            "The risk assessment") in entries
    assert ("Required action done: See the child", "Evidence: Home visit on 7 November 2026: engaged.",
            "Ann Jones") in entries
    assert ("Required action closed: Arrange to see the child",
            "No longer required: the child was seen on 7 November 2026.", "The risk assessment") in entries
    tiers = [title for title, _, _ in entries if title.startswith(("Tier more", "Tier less", "Assessed"))]
    assert len(tiers) == 2  # the first, and the one change

    health = UserFactory.create(role=Role.HEALTH_PRACTITIONER)
    theirs = [e for e in child_timeline(actor=health, child=child) if e.kind in ("risk", "action")]
    assert not [e for e in theirs if e.kind == "action"]
    assert all("brother" not in e.detail.lower() and "Not seen" not in e.detail for e in theirs)

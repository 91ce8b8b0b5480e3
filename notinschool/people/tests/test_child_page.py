"""The child's page is put together from the sections each app registers: in order, in their
places on the page, and without the sections that are not shown to the actor."""

from typing import Any

import pytest

from notinschool.accounts.roles import Role
from notinschool.people import child_page
from notinschool.people.child_page import (
    BELOW,
    MAIN,
    SIDE,
    ChildPageSection,
    child_page_layout,
    child_page_section_register,
    child_page_sections,
)
from notinschool.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty registry for the test, so the apps' own sections stay registered."""
    monkeypatch.setattr(child_page, "_SECTIONS", {})


def section(key: str, order: int, shown: bool = True) -> ChildPageSection:
    return ChildPageSection(key, order, f"{key}.html",
                            lambda actor, child: {"key": key, "child": child} if shown else None)


def test_sections_come_in_order_and_one_returning_none_is_not_shown(no_sections, make_user):
    for s in (section("late", 30), section("hidden", 20, shown=False), section("early", 10)):
        child_page_section_register(s)
    child = ChildFactory.create()
    sections = child_page_sections(actor=make_user(Role.EHE_OFFICER), child=child)
    assert sections == [("early.html", {"key": "early", "child": child}),
                        ("late.html", {"key": "late", "child": child})]


def test_a_section_registered_again_replaces_the_first(no_sections, make_user):
    child_page_section_register(section("one", 10))
    child_page_section_register(ChildPageSection("one", 10, "other.html", lambda a, c: {}))
    assert child_page_sections(actor=make_user(), child=ChildFactory.create()) == [("other.html", {})]


def test_the_layout_puts_each_section_in_the_place_its_order_names(no_sections, make_user):
    for s in (section("notice", 5), section("record", MAIN + 1), section("risk", SIDE + 1),
              section("who", BELOW + 1), section("more", MAIN + 2)):
        child_page_section_register(s)
    layout = child_page_layout(actor=make_user(), child=ChildFactory.create())
    templates: dict[str, Any] = {place: [t for t, _ in getattr(layout, place)]
                                 for place in ("above", "main", "side", "below")}
    assert templates == {"above": ["notice.html"], "main": ["record.html", "more.html"],
                         "side": ["risk.html"], "below": ["who.html"]}


def test_every_app_registers_its_sections_in_the_pages_order(make_user):
    officer = make_user(Role.EHE_OFFICER)
    child = ChildFactory.create(do_not_disclose_address=True)
    templates = [t for t, _ in child_page_sections(actor=officer, child=child)]
    assert templates == [
        "people/child/address_warning.html",
        "people/child/identity.html", "people/child/addresses.html", "people/child/parents.html",
        "people/child/providers.html",
        "people/child/household.html", "people/child/status_history.html",
        "allocation/child/officer.html", "risk/child/assessment.html", "mail/child/emails.html",
        "letters/child/letters.html", "moves/child/moves.html",
        "linkage/child/agency_flags.html", "casework/child/contacts.html",
        "casework/suitability/section.html", "statutory/section.html", "linkage/child/linked_records.html",
        "plans/child/plans.html", "people/child/timeline.html", "people/child/viewers.html",
    ]

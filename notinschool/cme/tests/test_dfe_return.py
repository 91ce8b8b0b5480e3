"""The DfE return's missing education figures from the cases: time missing runs from the date
first known missing to the case's closure (or the census date while it is open), and the
primary reason is the case's. A small authority built by hand; every figure checked."""

import datetime as dt

import pytest

from notinschool.accounts.roles import Role
from notinschool.cme.models import CmeCase
from notinschool.cme.reasons import REASONS
from notinschool.people.models import Child, StatusChange
from notinschool.people.tests.factories import ChildFactory
from notinschool.reports.dfe_return import dfe_return_rows, retired_child_facts

pytestmark = pytest.mark.django_db
CENSUS = dt.date(2026, 11, 19)
D = dt.date


def child(name: str, history: list[tuple[dt.date, str]], *, case: tuple | None = None) -> Child:
    """A child of compulsory school age with a status history, and a case (missing since,
    closed on, reason) if given."""
    last_day, last = history[-1]
    c = ChildFactory.create(forename=name, date_of_birth=D(2015, 3, 1), sex="F", status=last,
                            status_date=last_day)
    for on, status in history:
        StatusChange.objects.create(child=c, status=status, date=on)
    if case is not None:
        since, closed, reason = case
        CmeCase.objects.create(child=c, missing_since=since, primary_reason=reason, opened_on=since,
                               state="closed" if closed else "open", closed_on=closed,
                               closure="admitted_to_school" if closed else "")
    return c


@pytest.fixture
def authority() -> None:
    """Ana: missing since 1 October, case open (awaiting an application's outcome): 7 weeks.
    Bo: missing since 1 June, case open (whereabouts unknown): 24 weeks.
    Cy: missing 10 September to 15 October, back at school (offered a place): 5 weeks.
    Di: missing 1 March to 1 October, moved abroad (other): 30 weeks, in the year only.
    Ed: missing since 1 November, no case: from the status, reason not known.
    Fi: missing from 20 November, after the census date: not counted."""
    child("Ana", [(D(2026, 10, 1), "cme")], case=(D(2026, 10, 1), None, "application_awaiting_outcome"))
    child("Bo", [(D(2026, 6, 1), "cme")], case=(D(2026, 6, 1), None, "whereabouts_unknown"))
    child("Cy", [(D(2026, 9, 10), "cme"), (D(2026, 10, 15), "returned_to_school")],
          case=(D(2026, 9, 10), D(2026, 10, 15), "offered_place_not_started"))
    child("Di", [(D(2026, 3, 1), "cme"), (D(2026, 10, 1), "left_area")],
          case=(D(2026, 3, 1), D(2026, 10, 1), "other"))
    child("Ed", [(D(2026, 11, 1), "cme")])
    child("Fi", [(D(2026, 11, 20), "cme")], case=(D(2026, 11, 20), None, "whereabouts_unknown"))


def figures(make_user) -> dict[tuple[str, str, str, str], int]:
    rows = dfe_return_rows(actor=make_user(Role.EHE_OFFICER), census_date=CENSUS)
    return {(s, m, b, v): n for s, m, b, v, n in rows}


def breakdown(f: dict, section: str, measure: str, name: str) -> dict[str, int]:
    return {v: n for (s, m, b, v), n in f.items() if (s, m, b) == (section, measure, name) and n}


def test_time_missing_and_reason_on_the_census_date_come_from_the_cases(authority, make_user):
    f = figures(make_user)
    assert f[("cme_census", "children", "total", "")] == 3  # Ana, Bo, Ed
    assert breakdown(f, "cme_census", "children", "time_missing") == {
        "12_weeks_or_less": 2, "over_12_weeks": 1}
    assert breakdown(f, "cme_census", "children", "cme_reason") == {
        "application_awaiting_outcome": 1, "whereabouts_unknown": 1, "unknown": 1}


def test_in_the_year_a_closed_case_counts_its_time_to_the_closure(authority, make_user):
    f = figures(make_user)
    assert f[("cme_in_year", "children", "total", "")] == 5  # all but Fi
    assert breakdown(f, "cme_in_year", "children", "time_missing") == {
        "12_weeks_or_less": 3, "over_12_weeks": 2}  # Ana, Cy, Ed; Bo, Di
    assert breakdown(f, "cme_in_year", "children", "cme_reason") == {
        "application_awaiting_outcome": 1, "whereabouts_unknown": 1,
        "offered_place_not_started": 1, "other": 1, "unknown": 1}
    assert f[("cme_in_year", "starts", "total", "")] == 3  # Ana, Cy, Ed
    assert breakdown(f, "cme_in_year", "starts", "cme_reason") == {
        "application_awaiting_outcome": 1, "offered_place_not_started": 1, "unknown": 1}
    assert f[("cme_in_year", "returns_to_school", "total", "")] == 1
    assert breakdown(f, "cme_in_year", "returns_to_school", "time_missing") == {"12_weeks_or_less": 1}
    assert breakdown(f, "cme_in_year", "returns_to_school", "cme_reason") == {
        "offered_place_not_started": 1}


def test_every_reason_has_a_row_and_the_reasons_sum_to_the_total(authority, make_user):
    f = figures(make_user)
    for section, measure in (("cme_census", "children"), ("cme_in_year", "children"),
                             ("cme_in_year", "starts")):
        codes = [v for (s, m, b, v) in f if (s, m, b) == (section, measure, "cme_reason")]
        assert codes == list(REASONS)
        assert sum(f[(section, measure, "cme_reason", v)] for v in codes) == \
            f[(section, measure, "total", "")]
    assert not [k for k in f if k[0].startswith("ehe") and k[2] == "cme_reason"]


def test_a_deleted_record_keeps_its_case_in_the_figures(authority, make_user):
    """The retention job keeps the cases of a record it deletes (reports.RetiredChild), so the
    return for a past census date does not change when Bo's and Cy's records go."""
    before = figures(make_user)
    for name in ("Bo", "Cy"):
        c = Child.objects.get(forename=name)
        facts = retired_child_facts(c.pk, on=D(2052, 1, 1))
        assert facts is not None
        facts.save()
        c.delete()
    assert figures(make_user) == before

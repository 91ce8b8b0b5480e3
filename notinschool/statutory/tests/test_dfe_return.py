"""The DfE return's notices and orders come from the statutory path: a small authority built by
hand, each figure checked. Census date 21 January 2027; the school year from 1 September 2026.

- Ava (girl, home educated since 15 September): preliminary notice 5 October, order 6 November,
  revoked by the authority 1 December: one of each.
- Ben (boy, home educated): preliminary notice 5 October, then the authority is satisfied.
- Cal (boy, home educated): a preliminary notice proposed and returned: never issued, not counted.
- Dee (girl, missing education since 1 September): preliminary notice 5 October: counted under
  missing education.
- Eli (boy, home educated since March): preliminary notice 1 June 2026, last school year: not
  counted.
- Fay (girl, home educated): order 6 November; her application to revoke it refused 10 January:
  an order issued, none revoked; a second notice in a new episode would not count her twice.
"""

import datetime as dt

import pytest

from notinschool.accounts.roles import Role
from notinschool.core import clock
from notinschool.people.models import Child, StatusChange
from notinschool.reports.dfe_return import dfe_return_rows
from notinschool.statutory.services import K, step_decide, step_take
from notinschool.statutory.tests.factories import family

pytestmark = pytest.mark.django_db
CENSUS = dt.date(2027, 1, 21)
NOTICE_DAY = dt.date(2026, 10, 5)


def child(name: str, sex: str, status: str, since: dt.date) -> Child:
    kid = family(forename=name, surname="Test", date_of_birth=dt.date(2015, 5, 5), sex=sex, status=status)
    StatusChange.objects.create(child=kid, status=status, date=since)
    return kid


def notice(kid, officer, manager, day=NOTICE_DAY, approve=True):
    with clock.as_of(day):
        step_take(actor=officer, child=kid, kind=K.INFORMAL_ENQUIRY)
        proposed = step_take(actor=officer, child=kid, kind=K.PRELIMINARY_NOTICE, service="hand")
        step_decide(actor=manager, step=proposed, approve=approve, comments="" if approve else "Not yet")


def order(kid, officer, manager):
    notice(kid, officer, manager)
    with clock.as_of(dt.date(2026, 10, 21)):
        step_take(actor=officer, child=kid, kind=K.DECISION, outcome="not_satisfied", reasons="Nothing came.")
        proposed = step_take(actor=officer, child=kid, kind=K.NOTICE_OF_INTENTION, service="hand",
                             schools="Canal Primary School")
        step_decide(actor=manager, step=proposed, approve=True)
    with clock.as_of(dt.date(2026, 11, 6)):
        proposed = step_take(actor=officer, child=kid, kind=K.ORDER, schools="Canal Primary School")
        step_decide(actor=manager, step=proposed, approve=True)


def revoke(kid, officer, manager, day, **how):
    with clock.as_of(day):
        proposed = step_take(actor=officer, child=kid, kind=K.REVOCATION, reasons="Considered.", **how)
        step_decide(actor=manager, step=proposed, approve=True)


@pytest.fixture
def authority(make_user):
    officer, manager = make_user(Role.EHE_OFFICER), make_user(Role.TEAM_MANAGER)
    ava = child("Ava", "F", "ehe", dt.date(2026, 9, 15))
    order(ava, officer, manager)
    revoke(ava, officer, manager, dt.date(2026, 12, 1), revoked_by="authority")
    ben = child("Ben", "M", "ehe", dt.date(2026, 9, 1))
    notice(ben, officer, manager)
    with clock.as_of(dt.date(2026, 10, 12)):
        step_take(actor=officer, child=ben, kind=K.DECISION, outcome="satisfied", reasons="A full report.")
    notice(child("Cal", "M", "ehe", dt.date(2026, 9, 1)), officer, manager, approve=False)
    notice(child("Dee", "F", "cme", dt.date(2026, 9, 1)), officer, manager)
    notice(child("Eli", "M", "ehe", dt.date(2026, 3, 1)), officer, manager, day=dt.date(2026, 6, 1))
    fay = child("Fay", "F", "ehe", dt.date(2026, 9, 1))
    order(fay, officer, manager)
    revoke(fay, officer, manager, dt.date(2027, 1, 12), revoked_by="parent",
           application_on=dt.date(2027, 1, 10), outcome="refused")
    with clock.as_of(CENSUS):
        rows = list(dfe_return_rows(actor=officer, census_date=CENSUS))
    return {(s, m, b, v): n for s, m, b, v, n in rows}


def test_notices_and_orders_are_counted_from_the_statutory_path(authority):
    figures = {(s, m): authority[(s, m, "total", "")] for s in ("ehe_in_year", "cme_in_year")
               for m in ("preliminary_notices", "school_attendance_orders_issued",
                         "school_attendance_orders_revoked")}
    assert figures == {
        ("ehe_in_year", "preliminary_notices"): 3,  # Ava, Ben, Fay (not Cal's returned, not Eli's of June)
        ("ehe_in_year", "school_attendance_orders_issued"): 2,  # Ava, Fay
        ("ehe_in_year", "school_attendance_orders_revoked"): 1,  # Ava (Fay's application refused)
        ("cme_in_year", "preliminary_notices"): 1,  # Dee
        ("cme_in_year", "school_attendance_orders_issued"): 0,
        ("cme_in_year", "school_attendance_orders_revoked"): 0,
    }


def test_their_breakdowns_sum_to_the_totals(authority):
    assert authority[("ehe_in_year", "preliminary_notices", "sex", "F")] == 2  # Ava, Fay
    assert authority[("ehe_in_year", "preliminary_notices", "sex", "M")] == 1  # Ben
    assert authority[("ehe_in_year", "school_attendance_orders_revoked", "sex", "F")] == 1
    assert authority[("cme_in_year", "preliminary_notices", "sex", "F")] == 1
    assert sum(n for (s, m, b, _), n in authority.items()
               if (s, m, b) == ("ehe_in_year", "preliminary_notices", "year_group")) == 3

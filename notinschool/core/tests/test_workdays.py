"""Working days and school days, with real 2026 dates and the bank holidays in England."""

from datetime import date, timedelta

import pytest

from notinschool.core.workdays import (
    add_school_days,
    add_working_days,
    bank_holidays,
    is_school_day,
    is_working_day,
    working_days_between,
)


def test_bank_holidays_2026_in_england():
    assert bank_holidays(2026) == {
        date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4),
        date(2026, 5, 25), date(2026, 8, 31), date(2026, 12, 25), date(2026, 12, 26),
        date(2026, 12, 28),  # Boxing Day falls on a Saturday: the Monday is the substitute
    }


def test_scottish_and_northern_irish_holidays_are_not_working_day_exceptions():
    assert is_working_day(date(2026, 1, 2))  # Scotland only
    assert is_working_day(date(2026, 3, 17))  # St Patrick's Day, Northern Ireland only
    assert is_working_day(date(2026, 8, 3))  # Scotland's summer bank holiday


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 20), True),  # Friday
        (date(2026, 11, 21), False),  # Saturday
        (date(2026, 11, 22), False),  # Sunday
        (date(2026, 5, 25), False),  # spring bank holiday
        (date(2026, 12, 28), False),  # Boxing Day, observed on the Monday
        (date(2026, 12, 29), True),
    ],
)
def test_is_working_day(day, expected):
    assert is_working_day(day) is expected


def test_friday_before_the_late_may_bank_holiday_plus_one_is_tuesday():
    assert add_working_days(date(2026, 5, 22), 1) == date(2026, 5, 26)


def test_christmas_2026():
    # Christmas Eve (Thursday) + 1: Friday 25 Dec, the weekend and Monday 28 Dec are off.
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 24)
    # 10 working days from 24 Dec cross New Year's Day 2027.
    assert add_working_days(date(2026, 12, 24), 10) == date(2027, 1, 12)


def test_easter_2026():
    # Maundy Thursday + 1: Good Friday and Easter Monday are bank holidays.
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)


def test_ten_working_days_from_a_friday():
    assert add_working_days(date(2026, 11, 20), 10) == date(2026, 12, 4)


def test_zero_is_the_same_day_even_at_a_weekend():
    assert add_working_days(date(2026, 11, 21), 0) == date(2026, 11, 21)


def test_start_on_a_weekend_counts_from_the_next_working_day():
    assert add_working_days(date(2026, 11, 21), 1) == date(2026, 11, 23)


def test_negative_counts_backwards():
    assert add_working_days(date(2026, 5, 26), -1) == date(2026, 5, 22)
    assert add_working_days(date(2026, 12, 29), -1) == date(2026, 12, 24)


def test_school_days_are_working_days_without_closures():
    assert add_school_days(date(2026, 11, 20), 5) == add_working_days(date(2026, 11, 20), 5)
    assert add_school_days(date(2026, 11, 20), 5) == date(2026, 11, 27)


def test_school_days_skip_the_authority_closures():
    half_term = frozenset(date(2026, 10, 26) + timedelta(days=i) for i in range(5))
    assert add_school_days(date(2026, 10, 23), 1, closures=half_term) == date(2026, 11, 2)
    assert not is_school_day(date(2026, 10, 27), closures=half_term)
    assert is_working_day(date(2026, 10, 27))


def test_working_days_between():
    assert working_days_between(date(2026, 5, 22), date(2026, 5, 26)) == 1
    assert working_days_between(date(2026, 12, 24), date(2027, 1, 12)) == 10
    assert working_days_between(date(2026, 5, 26), date(2026, 5, 22)) == -1
    assert working_days_between(date(2026, 5, 22), date(2026, 5, 22)) == 0

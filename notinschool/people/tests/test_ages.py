"""Compulsory school age on the boundary days (Education Act 1996 s.8; the 1998 Order's
prescribed days 31 December, 31 March and 31 August; the last Friday of June)."""

import datetime as dt

import pytest

from notinschool.people.ages import (
    csa_end,
    csa_start,
    is_compulsory_school_age,
    is_past_compulsory_school_age,
)

D = dt.date


@pytest.mark.parametrize(("fifth_birthday", "reaches"), [
    (D(2026, 12, 30), D(2026, 12, 31)),
    (D(2026, 12, 31), D(2026, 12, 31)),  # a prescribed day: from the birthday itself
    (D(2027, 1, 1), D(2027, 3, 31)),
    (D(2027, 3, 31), D(2027, 3, 31)),
    (D(2027, 4, 1), D(2027, 8, 31)),
    (D(2027, 8, 31), D(2027, 8, 31)),
    (D(2026, 9, 1), D(2026, 12, 31)),  # not that 1 September: the next prescribed day
    (D(2026, 12, 10), D(2026, 12, 31)),
])
def test_a_child_reaches_compulsory_school_age_on_the_prescribed_day_on_or_after_their_fifth_birthday(
        fifth_birthday: dt.date, reaches: dt.date) -> None:
    dob = fifth_birthday.replace(year=fifth_birthday.year - 5)
    assert csa_start(dob) == reaches
    assert not is_compulsory_school_age(dob, reaches - dt.timedelta(days=1))
    assert is_compulsory_school_age(dob, reaches)


@pytest.mark.parametrize(("dob", "reaches"), [
    (D(2020, 2, 29), D(2025, 3, 31)),  # fifth birthday 1 March 2025 (28 February gives the same)
    (D(2016, 2, 29), D(2021, 3, 31)),  # fifth birthday in 2021, a year without 29 February
    (D(2024, 2, 29), D(2029, 3, 31)),
])
def test_a_child_born_on_29_february_reaches_compulsory_school_age_on_31_march(
        dob: dt.date, reaches: dt.date) -> None:
    assert csa_start(dob) == reaches


@pytest.mark.parametrize(("dob", "last_day"), [
    (D(2010, 9, 1), D(2027, 6, 25)),   # turns 16 on 1 September 2026: school year 2026/27
    (D(2010, 8, 31), D(2026, 6, 26)),  # turns 16 on 31 August 2026: school year 2025/26
    (D(2010, 6, 27), D(2026, 6, 26)),  # turns 16 the day after the school leaving date
    (D(2011, 1, 1), D(2027, 6, 25)),
    (D(2012, 2, 29), D(2028, 6, 30)),  # 30 June 2028 is itself a Friday
])
def test_compulsory_school_age_ends_on_the_last_friday_of_june_of_the_school_year_they_turn_16(
        dob: dt.date, last_day: dt.date) -> None:
    assert csa_end(dob) == last_day
    assert last_day.weekday() == 4 and last_day.month == 6 and last_day.day > 23
    assert is_compulsory_school_age(dob, last_day)
    assert is_past_compulsory_school_age(dob, last_day + dt.timedelta(days=1))
    assert not is_past_compulsory_school_age(dob, last_day)


def test_an_unknown_date_of_birth_counts_as_of_compulsory_school_age_and_never_past_it() -> None:
    assert is_compulsory_school_age(None, D(2026, 12, 7))
    assert not is_past_compulsory_school_age(None, D(2026, 12, 7))

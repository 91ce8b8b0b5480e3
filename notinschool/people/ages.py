"""Compulsory school age and year groups in England.

Education Act 1996 s.8(2) and the Education (Start of Compulsory School Age) Order 1998: a child
reaches compulsory school age on their fifth birthday if it is a prescribed day (31 December,
31 March, 31 August), otherwise on the first prescribed day after it. We use the prescribed day
itself, as the Act does, not the start of the following term (1 January, 1 April, 1 September):
the day after a prescribed day is always in a school holiday, so the register loses nothing,
and a child whose fifth birthday is 1 September reaches compulsory school age on 31 December,
not that 1 September. A child born on 29 February has a fifth birthday on 1 March in a year
without one (Family Law Reform Act 1969 s.9: an age is attained at the start of the
anniversary; 28 February would give the same prescribed day, 31 March).

Section 8(3) and the Education (School Leaving Date) Order 1997: a child ceases to be of
compulsory school age at the end of the school leaving date (the last Friday of June) of the
school year (1 September to 31 August) in which they turn 16."""

import datetime as dt

_PRESCRIBED_DAYS = ((3, 31), (8, 31), (12, 31))


def _birthday(dob: dt.date, years: int) -> dt.date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:  # 29 February in a year without one: 1 March
        return dt.date(dob.year + years, 3, 1)


def csa_start(dob: dt.date) -> dt.date:
    """The first day of compulsory school age: the prescribed day on or after the fifth
    birthday."""
    fifth = _birthday(dob, 5)
    return next(day for month, d in _PRESCRIBED_DAYS
                if (day := dt.date(fifth.year, month, d)) >= fifth)


def csa_end(dob: dt.date) -> dt.date:
    """The last day of compulsory school age: the last Friday of June of the school year in
    which the child turns 16."""
    sixteenth = _birthday(dob, 16)
    june_year = sixteenth.year + 1 if sixteenth >= dt.date(sixteenth.year, 9, 1) else sixteenth.year
    last = dt.date(june_year, 6, 30)
    return last - dt.timedelta(days=(last.weekday() - 4) % 7)


def is_compulsory_school_age(dob: dt.date | None, on: dt.date) -> bool:
    """Unknown date of birth counts as of compulsory school age: the benefit of the doubt
    goes to finding the child."""
    if dob is None:
        return True
    return csa_start(dob) <= on <= csa_end(dob)


def is_past_compulsory_school_age(dob: dt.date | None, on: dt.date) -> bool:
    return dob is not None and on > csa_end(dob)


def year_group(dob: dt.date | None, on: dt.date) -> str:
    """'R', '1' ... '11' from the age on 31 August at the start of the school year; '' outside."""
    if dob is None:
        return ""
    school_year = on.year if on.month >= 9 else on.year - 1
    age_at_31_aug = school_year - dob.year - (1 if (dob.month, dob.day) > (8, 31) else 0)
    group = age_at_31_aug - 4
    if group == 0:
        return "R"
    return str(group) if 1 <= group <= 11 else ""

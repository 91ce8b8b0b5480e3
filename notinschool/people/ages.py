"""Compulsory school age and year groups in England.

Education Act 1996 s.8 and the Education (Start of Compulsory School Age) Order 1998: a child
reaches compulsory school age on the first prescribed day (31 December, 31 March, 31 August,
read as the start of the next term: 1 January, 1 April, 1 September) on or after the fifth
birthday, and ceases on the last Friday of June of the school year in which they turn 16."""

import datetime as dt

_TERM_STARTS = ((1, 1), (4, 1), (9, 1))


def _birthday(dob: dt.date, years: int) -> dt.date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:  # 29 February
        return dt.date(dob.year + years, 3, 1)


def csa_start(dob: dt.date) -> dt.date:
    fifth = _birthday(dob, 5)
    for year in (fifth.year, fifth.year + 1):
        for month, day in _TERM_STARTS:
            start = dt.date(year, month, day)
            if start >= fifth:
                return start
    raise AssertionError("unreachable")


def csa_end(dob: dt.date) -> dt.date:
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

"""The collection's code lists: every value the return writes has a label from the tables, and
every code a file may carry maps to the collection through the one table."""

import datetime as dt

from notinschool.cme.reasons import REASONS as CME_REASONS
from notinschool.intake.columns import EHE_REASONS, SCHOOL_TYPES
from notinschool.reports import codes, dfe_return
from notinschool.reports.return_page import return_census_day


def test_every_breakdown_of_the_return_is_a_code_list_in_the_same_order():
    assert codes.EHE_REASON.values == dfe_return.REASONS
    assert codes.CME_REASON.values == tuple(CME_REASONS)
    assert codes.SEN.values == ("E", "K", "N", "unknown")
    assert codes.TIME_MISSING.values == ("12_weeks_or_less", "over_12_weeks", "unknown")
    assert codes.YEAR_GROUP.label("R") == "Reception" and codes.YEAR_GROUP.label("11") == "Year 11"
    for code_list in codes.CODE_LISTS.values():
        assert code_list.valid_from.isoformat() == "2025-09-01"
        assert all(c.label and c.label != c.code for c in code_list.codes if len(c.code) > 1)


def test_every_intake_code_maps_to_a_collection_code():
    assert {codes.collection_code("reason", r) for r in EHE_REASONS} <= set(codes.EHE_REASON.values)
    assert codes.collection_code("reason", "") == "unknown"
    assert codes.collection_code("reason", "covid") == "unknown"
    assert [codes.collection_code("previous_school_type", t) for t in SCHOOL_TYPES] == list(SCHOOL_TYPES)
    assert codes.collection_code("sen", "") == "unknown"
    assert codes.collection_code("sex", "") == "U"


def test_names_not_confirmed_are_marked():
    assert codes.CME_REASON.confirmed("application_awaiting_outcome")
    assert not codes.CME_REASON.confirmed("returned_from_abroad")
    assert not codes.PREVIOUS_SCHOOL_TYPE.confirmed("special")
    assert "not confirmed" in codes.EHE_REASON.source


def test_the_census_day_shown_first_is_the_latest():
    assert return_census_day(dt.date(2026, 12, 7)) == dt.date(2026, 10, 1)
    assert return_census_day(dt.date(2027, 1, 21)) == dt.date(2027, 1, 21)
    assert return_census_day(dt.date(2027, 3, 1)) == dt.date(2027, 1, 21)
    assert return_census_day(dt.date(2027, 6, 1)) == dt.date(2027, 5, 20)

"""Check characters: every one-digit change and every swap of neighbours fails; numbers made by
hand from the published rules pass."""

import pytest

from notinschool.core.identifiers import (
    nhs_check_digit,
    nhs_number_valid,
    numbers_near,
    upn_check_letter,
    upn_temporary,
    upn_valid,
)

# Worked by hand: 9434765919: 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299; 299 % 11 = 2; 11-2 = 9.
# B801200005001: 8*2+1*4+2*5+5*10+1*13 = 93; 93 % 23 = 1, the second letter: B.
# A temporary UPN, L12345678901B: 1*2+2*3+3*4+4*5+5*6+6*7+7*8+8*9+9*10+0*11+1*12 = 342, and B
# (1) * 13 = 13: 355; 355 % 23 = 10, the eleventh letter: L.


@pytest.mark.parametrize("number", ["9434765919", "9990000018", "4010232137"])
def test_numbers_made_by_the_rule_pass(number):
    assert nhs_number_valid(number)


def test_every_single_digit_change_and_neighbour_swap_of_an_nhs_number_fails():
    good = "9434765919"
    for i in range(10):
        for d in "0123456789":
            changed = good[:i] + d + good[i + 1:]
            assert nhs_number_valid(changed) == (changed == good)
    for i in range(9):
        swapped = good[:i] + good[i + 1] + good[i] + good[i + 2:]
        assert nhs_number_valid(swapped) == (swapped == good)


@pytest.mark.parametrize("number", ["943476591", "94347659190", "943476591x", "94347659²9", ""])
def test_not_ten_ascii_digits_is_not_an_nhs_number(number):
    assert not nhs_number_valid(number)


def test_a_number_whose_check_would_be_ten_is_never_valid():
    # 0000000060: 6*2 = 12; 12 % 11 = 1; 11 - 1 = 10: no check digit makes it valid
    assert not any(nhs_number_valid(f"000000006{d}") for d in "0123456789")


def test_upn_check_letters_permanent_and_temporary():
    assert upn_check_letter("801200005001") == "B" and upn_valid("B801200005001")
    assert not upn_valid("A801200005001")
    assert upn_valid("L12345678901B") and upn_temporary("L12345678901B")
    assert not upn_valid("L12345678901C") and not upn_valid("L12345678901I")  # I is never used
    body = "801200005001"
    for i in range(12):
        for d in "0123456789":
            changed = body[:i] + d + body[i + 1:]
            assert upn_valid("B" + changed) == (changed == body)


def _nhs(first_nine: str) -> str:
    return first_nine + str(nhs_check_digit(first_nine))


def test_valid_numbers_one_digit_or_one_swap_apart_are_near():
    """A digit mistyped before the check digit, which was then worked out again: both numbers
    pass their check and are one slip apart."""
    a, b, swapped = _nhs("943476591"), _nhs("943476581"), _nhs("943476519")
    assert nhs_number_valid(a) and nhs_number_valid(b) and nhs_number_valid(swapped)
    assert numbers_near(a, b) and numbers_near(a, swapped)
    upn_a, twelve = "B801200005001", "801200005002"
    upn_b = f"{upn_check_letter(twelve)}{twelve}"
    assert upn_valid(upn_a) and upn_valid(upn_b)
    assert numbers_near(upn_a, upn_b)


def test_numbers_far_apart_or_the_same_are_not_near():
    assert not numbers_near(_nhs("943476591"), _nhs("943476591"))
    assert not numbers_near(_nhs("943476591"), _nhs("943476500"))  # two digits
    assert not numbers_near(_nhs("943476591"), _nhs("945476391"))  # swapped, not neighbours
    assert not numbers_near("9434765919", "B801200005001")  # two kinds
    assert not numbers_near("", "")

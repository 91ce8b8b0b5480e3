"""Small numbers hidden in what is published, and never recoverable from a total."""

from notinschool.reports.suppression import SUPPRESSED, suppress


def test_counts_from_one_to_four_are_hidden_and_zeros_and_fives_shown():
    assert suppress([0, 1, 4, 5, 12]) == [0, SUPPRESSED, SUPPRESSED, 5, 12]


def test_a_single_hidden_cell_beside_a_total_hides_the_next_smallest_too():
    counts = [3, 20, 7, 40]
    shown = suppress(counts, total=sum(counts))
    assert shown == [SUPPRESSED, 20, SUPPRESSED, 40]
    hidden_sum = sum(counts) - sum(c for c in shown if isinstance(c, int))
    assert hidden_sum == 10  # the total reveals only the sum of two cells, not the 3


def test_two_hidden_cells_need_no_more_and_a_small_total_hides_all():
    assert suppress([2, 3, 30], total=35) == [SUPPRESSED, SUPPRESSED, 30]
    assert suppress([1, 2, 0], total=3) == [SUPPRESSED, SUPPRESSED, 0]

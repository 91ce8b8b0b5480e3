"""Small numbers in anything marked for publication: a count from 1 to 4 is shown as a marker
(`SUPPRESSED`), and where a table's total is shown and only one of its cells is hidden, the next
smallest cell is hidden too, so the total less the cells shown cannot reveal the one hidden
(secondary suppression). Zeros are shown: a zero tells nobody about a child. A total of 1 to 4
hides the whole table."""

from collections.abc import Sequence

SUPPRESSED = "[c]"  # the marker, as official statistics use it
SMALLEST_SHOWN = 5


def suppress(counts: Sequence[int], total: int | None = None) -> list[int | str]:
    """The counts as they may be published: small ones replaced by the marker, and one more where
    a single hidden cell could be worked out from the total."""
    if total is not None and 0 < total < SMALLEST_SHOWN:
        return [SUPPRESSED if c else 0 for c in counts]
    shown: list[int | str] = [SUPPRESSED if 0 < c < SMALLEST_SHOWN else c for c in counts]
    hidden = [i for i, c in enumerate(shown) if c == SUPPRESSED]
    if total is not None and len(hidden) == 1:
        others = [(c, i) for i, c in enumerate(counts) if i not in hidden and c > 0]
        if others:
            shown[min(others)[1]] = SUPPRESSED
    return shown


def suppress_one(count: int) -> int | str:
    return SUPPRESSED if 0 < count < SMALLEST_SHOWN else count

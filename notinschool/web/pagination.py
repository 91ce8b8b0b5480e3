"""Pages of 50 rows without counting a huge result set: one query fetches the page and one more
row (so we know whether there is a next page); the total is counted only up to a cap."""

import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict

PER_PAGE = 50
COUNT_CAP = 1000
MAX_PAGE = 10_000


@dataclass
class Page:
    rows: list[Any]
    number: int
    has_next: bool
    count: int | None  # exact when known; None means more than COUNT_CAP
    params: QueryDict = field(default_factory=QueryDict)

    @property
    def first_row(self) -> int:
        return (self.number - 1) * PER_PAGE + 1

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.rows) - 1

    @property
    def last_page(self) -> int | None:
        return None if self.count is None else max(1, math.ceil(self.count / PER_PAGE))

    def href(self, number: int) -> str:
        params = self.params.copy()
        params["page"] = str(number)
        return f"?{params.urlencode()}"

    def govuk_pagination(self) -> dict[str, Any]:
        """Parameters for govukPagination: numbered when the total is known, else block-level
        previous and next links."""
        params: dict[str, Any] = {}
        if self.number > 1:
            params["previous"] = {"href": self.href(self.number - 1)}
        if self.has_next:
            params["next"] = {"href": self.href(self.number + 1)}
        if self.last_page is not None and self.last_page > 1:
            params["items"] = [self._item(n) for n in _window(self.number, self.last_page)]
        return params

    def _item(self, number: int | None) -> dict[str, Any]:
        if number is None:
            return {"ellipsis": True}
        return {"number": number, "href": self.href(number), "current": number == self.number}


def page_number(params: QueryDict) -> int:
    try:
        return min(max(int(params.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        return 1


def paginate(queryset: QuerySet[Any], *, params: QueryDict) -> Page:
    number = page_number(params)
    offset = (number - 1) * PER_PAGE
    rows = list(queryset[offset:offset + PER_PAGE + 1])
    has_next = len(rows) > PER_PAGE
    rows = rows[:PER_PAGE]
    if not has_next and (rows or number == 1):
        count: int | None = offset + len(rows)
    else:
        # Without ORDER BY and with only the key selected, the database stops at the cap in
        # whatever order the indexes give (a name search: 73 ms with the order, 17 ms without).
        capped = queryset.order_by().values("pk")[:COUNT_CAP + 1].count()
        count = capped if capped <= COUNT_CAP else None
    return Page(rows=rows, number=number, has_next=has_next, count=count, params=params)


def _window(current: int, last: int) -> list[int | None]:
    """1 … 4 5 6 … 20: the first and last pages, and those either side of the current one."""
    wanted = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    out: list[int | None] = []
    for n in wanted:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out

"""Which children a set-based query of an assessment run is about."""

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import F, Lookup, Q

# more listed ids than this go to PostgreSQL as one array (`= ANY(%s)`), not an IN list with a
# placeholder each: psycopg splitting the text of 10,000 placeholders, and the server parsing
# and planning them, cost more than answering (48,606 children assessed after an agency import:
# the risk facts took 29 s, most of it sending the ids)
_ARRAY_OVER = 100


@dataclass(frozen=True)
class Scope:
    """Which children a query is about: the key range `low`..`high` of a chunk read in key
    order (it may hold children outside the chunk, whose rows are skipped), or listed `ids`."""

    ids: tuple[UUID, ...] = ()
    low: UUID | None = None
    high: UUID | None = None

    def q(self, field: str) -> Q:
        if self.low is not None:
            return Q(**{f"{field}__gte": self.low, f"{field}__lte": self.high})
        return any_of(field, self.ids)


def any_of(field: str, ids: Collection[UUID]) -> Q:
    """`field` is one of these ids: as one array on PostgreSQL when they are many."""
    if len(ids) > _ARRAY_OVER and connection.vendor == "postgresql":
        return Q(_AnyOf(F(field), ids))
    return Q(**{f"{field}__in": ids})


class _AnyOf(Lookup):
    """`field = ANY(array)`, the ids written as one PostgreSQL array's text."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, params = self.process_lhs(compiler, connection)
        array = "{" + ",".join(["%032x" % i.int for i in self.rhs]) + "}"  # noqa: UP031
        return f"{lhs} = ANY(%s::uuid[])", (*params, array)

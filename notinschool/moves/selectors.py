"""Reading handovers and moves in, scoped to who asks: education casework (Cap.VIEW_CASEWORK)
about a child the actor may see."""

import uuid

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.core.memo import page_memo
from notinschool.moves.models import Handover, MoveIn
from notinschool.people.models import Child
from notinschool.people.selectors import child_queryset_for


@page_memo
def child_handovers(*, actor: Actor, child: Child) -> list[Handover] | None:
    """The handovers of a child the actor has opened, newest first (without their documents);
    None for a role that may not see education casework."""
    if not actor.can(Cap.VIEW_CASEWORK):
        return None
    return list(Handover.objects.filter(child=child).defer("document")
                .select_related("sent_by", "acknowledgement_recorded_by", "created_by"))


@page_memo
def child_moves_in(*, actor: Actor, child: Child) -> list[MoveIn] | None:
    """What previous authorities handed over about a child the actor has opened, newest first;
    None for a role that may not see education casework."""
    if not actor.can(Cap.VIEW_CASEWORK):
        return None
    return list(MoveIn.objects.filter(child=child))


def handover_get(*, actor: Actor, handover_id: uuid.UUID) -> Handover | None:
    """A handover of a child the actor may see, if the actor may see casework; else None."""
    if not actor.can(Cap.VIEW_CASEWORK):
        return None
    return (Handover.objects.select_related("child", "sent_by", "acknowledgement_recorded_by",
                                            "created_by")
            .filter(pk=handover_id, child__in=child_queryset_for(actor)).first())

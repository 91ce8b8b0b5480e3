"""moves' part of the child's page (people.child_page): beside the record, the handovers
(a move out, its state, the way to record one); below it, what a previous authority handed over
(a move in: its status history, open concerns, tier and reasons, contacts), marked as theirs;
on the timeline, each handover's steps, the move in, and the previous authority's status changes.
All for those who see education casework."""

import datetime as dt
from typing import Any

from django.urls import reverse

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.moves.document import status_words
from notinschool.moves.models import Handover, MoveIn
from notinschool.moves.selectors import child_handovers, child_moves_in
from notinschool.people.child_page import (
    BELOW,
    SIDE,
    ChildPageSection,
    SectionContext,
    child_page_section_register,
)
from notinschool.people.models import Child
from notinschool.people.timeline import TimelineEntry, timeline_source_register


def _moves(actor: Actor, child: Child) -> SectionContext | None:
    handovers = child_handovers(actor=actor, child=child)
    moves_in = child_moves_in(actor=actor, child=child)
    if handovers is None or moves_in is None:
        return None
    if not (handovers or moves_in or child.is_open):
        return None
    return {"child": child, "handovers": handovers, "moves_in": moves_in,
            "can_record": actor.can(Cap.RECORD_CASEWORK) and child.is_open}


def _d(text: Any) -> dt.date | None:
    return dt.date.fromisoformat(text) if isinstance(text, str) and text else None


def _moves_in(actor: Actor, child: Child) -> SectionContext | None:
    moves_in = child_moves_in(actor=actor, child=child)
    if not moves_in:
        return None
    return {"child": child, "moves": [_move_view(m) for m in moves_in]}


def _move_view(move: MoveIn) -> dict[str, Any]:
    doc = move.document
    risk = doc.get("risk") or None
    contacts = doc.get("contacts") or {}
    return {
        "move": move,
        "sender": doc.get("from_authority") or {},
        "history": [{"date": _d(s.get("date")), "status": status_words(s.get("status", "")),
                     "reason": s.get("reason") or ""} for s in doc.get("status_history") or []],
        "concerns": [{"description": c.get("description") or c.get("code"),
                      "source": c.get("source"), "raised_on": _d(c.get("raised_on")),
                      "due_date": _d(c.get("due_date"))} for c in doc.get("open_concerns") or []],
        "risk": risk and {"tier": risk.get("tier"), "assessed_on": _d(risk.get("assessed_on")),
                          "reasons": risk.get("reasons") or []},
        "contacts": {"count": contacts.get("count"),
                     "last_contact_date": _d(contacts.get("last_contact_date")),
                     "last_seen_date": _d(contacts.get("last_seen_date")),
                     "last_seen_alone": contacts.get("last_seen_alone")},
        "address_note": doc.get("address_note") or "",
    }


def _entries(actor: Actor, child: Child) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for h in child_handovers(actor=actor, child=child) or []:
        entries += _handover_entries(h)
    for m in child_moves_in(actor=actor, child=child) or []:
        entries.append(TimelineEntry(
            day=m.received_on, at=m.created_at, kind="move_in",
            title=f"Moved in from {m.from_authority}: their handover imported",
            detail=(f"Their reference {m.from_reference}. " if m.from_reference else "")
            + ("The address was withheld: phone them for it." if m.address_withheld else ""),
            who=m.from_authority, link=reverse("child_detail", kwargs={"child_id": child.pk})
            + "#moves-in", link_text="The history they sent"))
        for s in m.document.get("status_history") or []:
            day = _d(s.get("date"))
            if day:
                entries.append(TimelineEntry(
                    day=day, kind="previous_authority",
                    title=f"At {m.from_authority}: {status_words(s.get('status', ''))}",
                    detail=s.get("reason") or "", who=m.from_authority))
    return entries


def _name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _handover_entries(h: Handover) -> list[TimelineEntry]:
    link = reverse("handover_detail", kwargs={"handover_id": h.pk})
    out = [TimelineEntry(day=h.produced_on, at=h.created_at, kind="handover",
                         title=f"Handover to {h.to_authority} produced", who=_name(h.created_by),
                         link=link, link_text="The handover")]
    if h.sent_on:
        out.append(TimelineEntry(day=h.sent_on, kind="handover",
                                 title=f"Handover sent to {h.to_authority}",
                                 detail=f"By {h.get_sent_method_display().lower()}.",
                                 who=_name(h.sent_by), link=link, link_text="The handover"))
    if h.acknowledged_on:
        out.append(TimelineEntry(day=h.acknowledged_on, kind="handover",
                                 title=f"{h.to_authority} acknowledged receipt of the handover",
                                 detail=f"Acknowledged by {h.acknowledged_by_name}.",
                                 who=_name(h.acknowledgement_recorded_by), link=link,
                                 link_text="The handover"))
    return out


child_page_section_register(ChildPageSection("moves", SIDE + 45, "moves/child/moves.html", _moves))
child_page_section_register(ChildPageSection("moves_in", BELOW + 12, "moves/child/moves_in.html",
                                             _moves_in))
timeline_source_register("moves.handovers", _entries)

"""The handover document: what the receiving authority needs about a child who moved, and
nothing more (docs/data-contract.md, section 9). One document makes both forms of the
handover: the JSON file for the receiving authority's system, and the PDF for people.

What it holds: the child's identity, addresses (where the family lived here, earlier homes,
and the new address where known), the parents, the status history, the open concerns (the
required actions not done and the latest assessment's flags, as codes in words, never an
agency's detail text), the tier and its reasons, and a summary of contacts (dates, how, the
outcome, whether the child was seen: never the notes).

A do-not-disclose address (`Child.do_not_disclose_address`, people/disclosure.py) is not
written anywhere in the handover: not the child's addresses, not the new one, not the
parents'. The document says so (`address_withheld`) with a note to telephone the sending team
for it, and the receiving authority's import keeps the marker on the child."""

import datetime as dt
import uuid
from typing import Any

from django.conf import settings

from notinschool.accounts.models import User
from notinschool.casework.models import Contact
from notinschool.casework.selectors import action_label
from notinschool.letters.compose import team
from notinschool.people.models import Child, Status
from notinschool.risk.models import Assessment, RequiredAction

FORMAT = "notinschool-handover"
VERSION = 1
RECENT_CONTACTS = 10


def withheld_note() -> str:
    t = team()
    return (f"The child's address must not be disclosed, so no address is in this handover. "
            f"Contact the {t.team_name} at {t.authority_name} by phone on {t.phone} for it.")


def la_code() -> str:
    """This authority's three-digit local authority code (setting NOTINSCHOOL_LA_CODE; empty
    when not set)."""
    return str(settings.NOTINSCHOOL_LA_CODE or "")


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _person(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def handover_document(*, child: Child, handover_id: uuid.UUID, produced_on: dt.date,
                      to_authority: str, to_la_code: str, moved_on: dt.date | None,
                      new_address: dict[str, str]) -> dict[str, Any]:
    """The document for `child`, as of now."""
    t = team()
    withheld = child.do_not_disclose_address
    return {
        "format": FORMAT,
        "version": VERSION,
        "handover_id": str(handover_id),
        "produced_on": produced_on.isoformat(),
        "from_authority": {"name": t.authority_name, "la_code": la_code(), "team": t.team_name,
                           "phone": t.phone, "email": t.email, "officer": _person(child.officer)},
        "to_authority": {"name": to_authority, "la_code": to_la_code},
        "moved_on": _day(moved_on),
        "child": {
            "reference": child.child_ref, "forename": child.forename,
            "middle_names": child.middle_names, "surname": child.surname, "sex": child.sex,
            "date_of_birth": _day(child.date_of_birth), "upn": child.upn,
            "sen_provision": child.sen_provision, "status": child.status,
            "status_date": _day(child.status_date), "ehe_reason": child.ehe_reason,
            "missing_since": _day(child.missing_since), "last_school_urn": child.last_school_urn,
        },
        "address_withheld": withheld,
        "address_note": withheld_note() if withheld else "",
        "addresses": [] if withheld else _addresses(child, new_address),
        "parents": _parents(child, withheld),
        "status_history": [
            {"status": s.status, "date": s.date.isoformat(), "reason": s.reason}
            for s in child.status_history.order_by("date", "created_at")],
        "open_concerns": _concerns(child),
        "risk": _risk(child),
        "contacts": _contacts(child),
    }


def _addresses(child: Child, new_address: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for a in child.addresses.order_by("-is_current", "-moved_in_date", "-created_at"):
        out.append({"role": "current" if a.is_current else "previous", "line_1": a.line_1,
                    "line_2": a.line_2, "town": a.town, "postcode": a.postcode,
                    "moved_in_date": _day(a.moved_in_date), "moved_out_date": _day(a.moved_out_date)})
    if new_address.get("postcode") or new_address.get("line_1"):
        out.append({"role": "new", "line_1": new_address.get("line_1", ""),
                    "line_2": new_address.get("line_2", ""), "town": new_address.get("town", ""),
                    "postcode": new_address.get("postcode", ""), "moved_in_date": None,
                    "moved_out_date": None})
    return out


def _parents(child: Child, withheld: bool) -> list[dict[str, Any]]:
    out = []
    for link in child.parent_links.select_related("parent").order_by("created_at"):
        p = link.parent
        out.append({"name": p.name, "lives_with_child": link.lives_with_child,
                    "educates": link.educates, "phone": p.phone, "email": p.email,
                    "address_line_1": None if withheld else p.address_line_1,
                    "postcode": None if withheld else p.postcode})
    return out


def _concerns(child: Child) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {"source": "required_action", "code": a.code, "description": action_label(a.code),
         "raised_on": _day(a.raised_on), "due_date": _day(a.due_date)}
        for a in RequiredAction.objects.filter(
            child=child, state__in=(RequiredAction.State.OPEN, RequiredAction.State.ACKNOWLEDGED))
        .order_by("raised_on", "code")]
    latest = _latest(child)
    for flag in (latest.flags if latest else []):
        out.append({"source": "flag", "code": flag, "description": flag.replace("_", " ").capitalize(),
                    "raised_on": _day(latest.as_of) if latest else None, "due_date": None})
    return out


def _latest(child: Child) -> Assessment | None:
    return Assessment.objects.filter(child=child, is_latest=True).order_by("-as_of").first()


def _risk(child: Child) -> dict[str, Any] | None:
    latest = _latest(child)
    if latest is None:
        return None
    return {"tier": latest.tier, "assessed_on": latest.as_of.isoformat(),
            "review_interval_months": latest.review_interval_months,
            "reasons": [str(r) for r in latest.reasons]}


def _contacts(child: Child) -> dict[str, Any]:
    done = Contact.objects.filter(child=child, state=Contact.State.DONE).order_by("-contact_date")
    return {
        "count": done.count(),
        "last_contact_date": _day(child.last_contact_date),
        "last_seen_date": _day(child.last_seen_date),
        "last_seen_alone": child.last_seen_alone,
        "recent": [{"date": c.contact_date.isoformat(), "method": c.method,
                    "outcome": c.outcome or None, "child_seen": c.child_seen,
                    "seen_alone": c.seen_alone} for c in done[:RECENT_CONTACTS]],
    }


def status_words(code: str) -> str:
    return dict(Status.choices).get(code, code.replace("_", " "))

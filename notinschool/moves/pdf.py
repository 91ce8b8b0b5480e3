"""The handover for people: the handover document laid out as a council letter to the
receiving authority, printed as tagged PDF/UA-1 by the letters' printer (letters.rendering).
The first page says who moved where and how to reach the sending team; the insert after it
holds the child's identity and addresses, the parents, the status history, the tier with its
reasons and the open concerns, and the contacts. Made from the document kept on the handover, so the PDF
says what the JSON file says."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from notinschool.letters.compose import long_date, team
from notinschool.letters.rendering import LetterContent, LetterPage, letter_pdf
from notinschool.moves.document import status_words

_METHOD = {"letter": "Letter", "email": "Email", "phone": "Phone", "home_visit": "Home visit",
           "other_visit": "Visit elsewhere", "online_meeting": "Online meeting"}
_SEN = {"E": "Education, health and care plan", "K": "SEN support", "N": "None"}
_SEX = {"F": "Female", "M": "Male", "U": "Not known"}


def _date(text: str | None) -> str:
    return long_date(dt.date.fromisoformat(text)) if text else "not known"


def _yes(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "not known"}[value]


def _lines(pairs: Iterable[tuple[str, Any]]) -> str:
    return "\n".join(f"- {label}: {value}" for label, value in pairs if value not in (None, ""))


def _identity(doc: dict[str, Any]) -> str:
    child = doc["child"]
    parts = [_lines([
        ("Name", " ".join(p for p in (child["forename"], child["middle_names"], child["surname"]) if p)),
        ("Date of birth", _date(child["date_of_birth"])),
        ("Sex", _SEX.get(child["sex"] or "", "")),
        ("Unique pupil number", child["upn"]),
        ("Special educational needs", _SEN.get(child["sen_provision"] or "", "")),
        ("Our reference", child["reference"]),
        ("Last school (URN)", child["last_school_urn"]),
        ("Status with us", f"{status_words(child['status'])} since {_date(child['status_date'])}"),
        ("Date of the move", _date(doc["moved_on"]) if doc["moved_on"] else ""),
    ])]
    parts.append("## Addresses")
    if doc["address_withheld"]:
        parts.append(doc["address_note"])
    elif doc["addresses"]:
        words = {"current": "Where the family lived with us", "previous": "An earlier address",
                 "new": "The new address"}
        parts.append("\n".join(
            f"- {words[a['role']]}: " + ", ".join(p for p in (a["line_1"], a["line_2"], a["town"],
                                                             a["postcode"]) if p)
            for a in doc["addresses"]))
    else:
        parts.append("No address is known.")
    parts.append("## Parents and carers")
    if doc["parents"]:
        parts.append("\n".join(
            "- " + p["name"] + (" (lives with the child)" if p["lives_with_child"] else
                                " (does not live with the child)")
            + (", educates the child" if p["educates"] else "")
            + "".join(f", {label} {p[key]}" for key, label in (("phone", "phone"), ("email", "email"))
                      if p[key])
            for p in doc["parents"]))
    else:
        parts.append("No parent is recorded.")
    return "\n\n".join(parts)


def _history(doc: dict[str, Any]) -> str:
    rows = [f"- {_date(s['date'])}: {status_words(s['status'])}"
            + (f" ({s['reason']})" if s["reason"] else "") for s in doc["status_history"]]
    return "\n".join(rows) or "No status change is recorded."


def _concerns(doc: dict[str, Any]) -> str:
    parts = []
    risk = doc["risk"]
    if risk:
        parts.append(f"Our latest assessment, on {_date(risk['assessed_on'])}, placed the child in "
                     f"tier {risk['tier']} (1 is the most serious), with a review every "
                     f"{risk['review_interval_months']} months.")
        parts.append("\n".join(f"- {reason}" for reason in risk["reasons"]) or
                     "No factor raised the tier.")
    else:
        parts.append("The child has not been assessed.")
    parts.append("## Open concerns")
    concerns = [f"- {c['description'] or c['code']}"
                + (f" (due {_date(c['due_date'])})" if c["due_date"] else "")
                for c in doc["open_concerns"]]
    parts.append("\n".join(concerns) or "No concern is open.")
    return "\n\n".join(parts)


def _contacts(doc: dict[str, Any]) -> str:
    c = doc["contacts"]
    parts = [_lines([("Contacts with the family", c["count"]),
                     ("Last contact", _date(c["last_contact_date"])),
                     ("Last seen by a professional", _date(c["last_seen_date"])),
                     ("Seen alone that time", _yes(c["last_seen_alone"]))])]
    if c["recent"]:
        parts.append("## The latest contacts")
        parts.append("\n".join(
            f"- {_date(r['date'])}: {_METHOD.get(r['method'], r['method'])}"
            + (f", {r['outcome'].replace('_', ' ')}" if r["outcome"] else "")
            + (f", child seen{' alone' if r['seen_alone'] else ''}" if r["child_seen"] else
               ", child not seen" if r["child_seen"] is False else "")
            for r in c["recent"]))
    return "\n\n".join(parts)


def handover_content(doc: dict[str, Any], *, officer_name: str) -> LetterContent:
    t = team()
    child = doc["child"]
    name = " ".join(p for p in (child["forename"], child["surname"]) if p)
    to = doc["to_authority"]
    moved = f" on {_date(doc['moved_on'])}" if doc["moved_on"] else ""
    opening = (
        f"{name}, born {_date(child['date_of_birth'])}, was on our register of children not in "
        f"school ({status_words(child['status']).lower()}) and has moved to your area{moved}. "
        f"This is the handover of their record: what you need to carry on our work with the "
        f"family, and nothing more.\n\n"
        f"The same information comes as a structured file (JSON, format {doc['format']} version "
        f"{doc['version']}) for your system.\n\n"
        f"Please acknowledge receipt to the {t.team_name} by phone on {t.phone} or by email to "
        f"{t.email}, giving our reference {child['reference']}. Until you do, the child stays on "
        f"our register and we will chase.")
    if doc["address_withheld"]:
        opening += "\n\n" + doc["address_note"]
    record = "\n\n".join((
        "## The child", _identity(doc), "## Status history", _history(doc),
        "## Tier and its reasons", _concerns(doc), "## Contacts with the family", _contacts(doc)))
    pages = (LetterPage(f"Handover of {name}'s record", opening),
             LetterPage(f"The record of {name} handed over", record))
    return LetterContent(
        subject=f"Handover of {name}'s record to {to['name']}", child_name=name,
        addressed_to=f"Children missing education and elective home education team, {to['name']}",
        address_lines=(), by_hand=False, date=_date(doc["produced_on"]),
        reference=child["reference"], officer_name=officer_name,
        officer_title="Elective Home Education Officer" if officer_name else "", pages=pages)


def handover_pdf(doc: dict[str, Any], *, officer_name: str = "") -> bytes:
    return letter_pdf(handover_content(doc, officer_name=officer_name), team())

"""Rows of the five intake files for one register child."""

from __future__ import annotations

import random
from dataclasses import dataclass

from . import noise
from .dates import as_date, iso
from .intake import Contact, Deletion, Intake, Registration
from .people import Household, Parent, Person, World, ethnicity
from .rand import between, pick
from .writer import Outputs

NOTES = {
    "elective_home_education": (
        "Parent letter received electing to home educate",
        "Parents have written to confirm home education",
        "Withdrawn by parent; EHE letter on file",
        "Mother says child anxious about school; EHE from today",
        "",
        "",
    ),
    "transfer": ("Transferred; CTF sent to the new school", "Family moving; new school confirmed", ""),
    "permanently_excluded": ("Permanent exclusion upheld by governors", ""),
    "medically_unfit": ("Medical evidence received; unable to attend", ""),
    "dual_registration_ended": ("Dual registration with the PRU ended", ""),
    "custody": ("Remanded; in secure accommodation", ""),
    "cme": (
        "Not attended since half term; home visit no answer",
        "Family believed to have moved; no forwarding address",
        "Did not return from extended leave",
        "Whereabouts unknown after 20 days' absence",
        "",
    ),
}
REFERRERS = (
    ("health_visiting", "Health visitor"),
    ("school_nursing", "School nurse"),
    ("gp_practice", "Practice nurse"),
    ("police", "PC"),
    ("housing", "Housing officer"),
    ("youth_service", "Youth worker"),
    ("neighbour", "Member of the public"),
    ("another_local_authority", "CME officer"),
)
CONCERNS = (
    "Child seen at home during school hours; not known to be on a school roll",
    "Family moved into the area; no school place requested",
    "Parent says child is home educated; not known to the EHE team",
    "Child not seen at school since the family moved",
    "Neighbour reports children at home every day",
)
OFFICERS = ("A. Fenwick", "J. Patel", "M. Okonjo", "S. Brierley", "K. Nowak", "R. Hussain")
PROVIDERS = (
    "Wyvern Tutors|tutor|3",
    "Oak Online Academy|online_school|6",
    "Kelbrook Forest School|activity_provider|4",
    "Maths Made Clear|tutor|2",
    "Canal Side Learning Hub|learning_centre|8",
)


@dataclass(slots=True)
class Recorded:
    """The child as the register first recorded them, plus every parent name it was told."""

    forename: str
    surname: str
    dob: str
    line1: str
    postcode: str
    parents: set[str]


def _living(p: Parent | None) -> Parent | None:
    return p if p is not None and p.address is None else None


def deletion_row(world: World, child: Person, hh: Household, d: Deletion) -> list[str]:
    rng = world.rng
    a, s = hh.address, d.school
    assert s is not None
    p1, p2 = _living(child.parent1), _living(child.parent2)
    group = d.ground if d.ground in NOTES else "transfer" if d.destination else "cme"
    return [
        s.urn, s.name if rng.random() < 0.9 else "", s.school_type if rng.random() < 0.85 else "",
        child.upn, child.forename, child.middle, child.surname, child.sex, child.dob.isoformat(),
        a.line1, a.line2, a.town, a.postcode,
        p1.name if p1 else "", p1.phone if p1 else "",
        p2.name if p2 else "", p2.phone if p2 and rng.random() < 0.6 else "",
        d.ground, iso(d.date),
        d.destination.urn if d.destination else "", d.destination.name if d.destination else "",
        d.future.line1 if d.future else "", d.future.postcode if d.future else "",
        d.sen, ethnicity(rng, hh), d.placement, pick(rng, NOTES[group]),
    ]  # fmt: skip


def _parent_cells(rng: random.Random, p: Parent | None, educates: str) -> list[str]:
    if p is None:
        return [""] * 6
    line1 = p.address.line1 if p.address else ""
    postcode = p.address.postcode if p.address else ""
    return [p.name, line1, postcode, p.phone, p.email, educates]


def registration_row(world: World, child: Person, hh: Household, r: Registration, view: list) -> list[str]:
    rng = world.rng
    a = hh.address
    moved, prev_line, prev_pc = "", "", ""
    if hh.moved_in is not None:
        moved = iso(hh.moved_in)
        recent = r.date - hh.moved_in < 365 or world.as_of - hh.moved_in < 400
        if hh.previous and not r.omit_previous and (recent or rng.random() < 0.7):
            prev_line, prev_pc = hh.previous.line1, hh.previous.postcode
    p2 = child.parent2
    p2_educates = "N" if p2 is not None and p2.address is not None else pick(rng, "YN")
    hours = str(pick(rng, (10, 12, 15, 15, 18, 20, 20, 25, 30)))
    other = str(pick(rng, (0, 0, 2, 3, 4, 6))) if rng.random() < 0.6 else ""
    providers = ";".join(rng.sample(PROVIDERS, between(rng, 1, 2))) if rng.random() < 0.3 else ""
    return [
        view[0], view[1], view[2], child.sex, view[3].isoformat(),
        a.line1, a.line2, a.town, a.postcode, moved, prev_line, prev_pc,
        *_parent_cells(rng, child.parent1, "Y"), *_parent_cells(rng, p2, p2_educates),
        hours, other, providers, r.reason, r.last_school_urn, iso(r.date),
    ]  # fmt: skip


def admission_row(child: Person, hh: Household, urn: str, day: int, view: list) -> list[str]:
    return [urn, child.upn, view[0], view[1], view[2], child.sex, view[3].isoformat(),
            hh.address.postcode, iso(day)]  # fmt: skip


def referral_row(world: World, hh: Household, day: int, view: list, dob_known: bool) -> list[str]:
    rng = world.rng
    agency, title = pick(rng, REFERRERS)
    name = f"{title} {pick(rng, OFFICERS)}" if agency != "neighbour" else ""
    dob = view[3].isoformat() if dob_known else ""
    return [agency, name, iso(day), view[0], view[2], dob, view[4], view[5], pick(rng, CONCERNS)]


def contact_row(world: World, rec: Recorded, c: Contact) -> list[str]:
    rng = world.rng
    note = {
        "engaged": "Child seen; education discussed" if c.seen == "Y" else "Parent replied",
        "declined": "Parent declined a visit",
        "no_reply": "No reply to letter",
    }[c.outcome]
    return [rec.forename, rec.surname, rec.dob, rec.postcode, iso(c.date), c.method, c.seen,
            c.alone, c.outcome, pick(rng, OFFICERS), note]  # fmt: skip


def _variant(world: World, child: Person, hh: Household, rates: tuple[float, float]) -> tuple[list, str]:
    view = [child.forename, child.middle, child.surname, child.dob, hh.address.line1,
            hh.address.postcode]  # fmt: skip
    n = noise.count(world.rng, rates)
    if not n:
        return view, ""
    kinds = [k for k in noise.applicable(view, False, bool(child.twin_of)) if k != "old_address"]
    chosen = noise.choose(world.rng, kinds, n)
    noise.apply(world.rng, view, chosen, ("", ""), as_date(world.as_of))
    return view, ";".join(chosen)


def emit_intake(world: World, out: Outputs, child: Person, hh: Household, it: Intake) -> Recorded:
    """Write the child's intake rows; the first is the record the register keeps."""
    pid = child.pid
    a = hh.address
    rec = Recorded(child.forename, child.surname, child.dob.isoformat(), a.line1, a.postcode, set())
    first = True
    if it.deletion is not None:
        row = deletion_row(world, child, hh, it.deletion)
        rec.parents |= {row[13], row[15]} - {""}
        out.write("roll-deletions", row, pid)
        first = False
    if it.registration is not None:
        view, kinds = (
            _variant(world, child, hh, (0.35, 0.12))
            if not first
            else ([child.forename, child.middle, child.surname, child.dob], "")
        )
        row = registration_row(world, child, hh, it.registration, view)
        rec.parents |= {row[12], row[18]} - {""}
        out.write("parent-registrations", row, pid, kinds)
        first = False
    for day, opens in it.referrals:
        view, kinds = (
            _variant(world, child, hh, (0.4, 0.15))
            if not opens
            else ([child.forename, "", child.surname, child.dob, a.line1, a.postcode], "")
        )
        known = world.rng.random() < (0.75 if opens else 0.85)
        if opens and not known:
            rec.dob = ""
        out.write("referrals", referral_row(world, hh, day, view, known), pid, kinds)
        first = False
    if it.admission is not None:
        school, day = it.admission
        view, kinds = (
            _variant(world, child, hh, (0.15, 0.0))
            if not first
            else ([child.forename, child.middle, child.surname, child.dob], "")
        )
        out.write("school-admissions", admission_row(child, hh, school.urn, day, view), pid, kinds)
    for c in sorted(it.contacts, key=lambda c: c.date):
        out.write("contacts", contact_row(world, rec, c), pid)
    return rec

"""What each kind of notification does to the register (docs/data-contract.md).

Legal basis:
- Roll deletions: The School Attendance (Pupil Registration) (England) Regulations 2024
  (SI 2024/208) reg.13 requires a school to tell the authority when it deletes a pupil, with
  the reg.9 ground; home education opens an `ehe` record and starts the parent's 15-day
  notification clock (Education Act 1996 s.436D as inserted by the Children's Wellbeing and
  Schools Act 2026); whereabouts or destination unknown opens a children-missing-education
  case (s.436A and the CME statutory guidance, August 2024).
- Admissions: reg.13 new-pupil returns; a child admitted to a school leaves the register.
- Parent registrations: s.436D (2026 Act), the register content of s.436C.
- Referrals: anyone may tell the authority of a child who may be missing education (s.436A).
- Contacts: contact history brought from another system or a partner.
"""

import datetime as dt
from typing import Any

from notinschool.core import clock
from notinschool.core.bulk import build
from notinschool.core.errors import InputProblem
from notinschool.intake.parsing import ParsedRow
from notinschool.intake.workspace import Workspace, fill_blanks
from notinschool.people.ages import is_compulsory_school_age
from notinschool.people.models import OPEN_STATUSES, Address, Child, EligibilityBasis, Provider
from notinschool.people.services import in_area, status_change

PARENT_NOTIFICATION_DAYS = 15

DELETION_STATUS = {
    "elective_home_education": "ehe",
    "failed_to_return_after_leave": "cme",
    "continuous_absence_20_days": "cme",
    "other": "cme",
    "permanently_excluded": "not_in_school_other",
    "medically_unfit": "not_in_school_other",
}


def seen(child: Child, on: dt.date, alone: bool | None) -> None:
    if child.last_seen_date is None or on > child.last_seen_date:
        child.last_seen_date, child.last_seen_alone = on, alone
    elif on == child.last_seen_date and alone:
        child.last_seen_alone = True


def _eligible(child: Child, postcode: str | None, on: dt.date) -> str:
    """'' when the child can be registered on `on`; otherwise why not."""
    if not in_area(postcode):
        return "lives outside the area: to be passed to the home authority"
    if not is_compulsory_school_age(child.date_of_birth, on):
        return "not of compulsory school age: recorded, not registered"
    return ""


def _register(ws: Workspace, child: Child, status: str, on: dt.date, reason: str) -> None:
    ws.status(status_change(child, status, on, reason))
    if not child.eligibility_basis:
        child.eligibility_basis = EligibilityBasis.NOT_ON_ROLL
    if status == "cme" and child.status == "cme" and not child.missing_since:
        child.missing_since = on
    later = [d for d in ws.admissions.get(child.pk, ()) if d > on]
    if later and child.status in OPEN_STATUSES:
        # an admission dated after this event arrived first: the child is back at school
        _admitted(ws, child, min(later), "admitted to a school (notified earlier)")


def _admitted(ws: Workspace, child: Child, on: dt.date, reason: str) -> None:
    ws.status(status_change(child, "returned_to_school", on, reason))
    if child.status == "returned_to_school":
        child.missing_since = None


def roll_deletions(ws: Workspace, rows: list[ParsedRow]) -> list[InputProblem]:
    for item in ws.resolve(sorted(rows, key=lambda r: r.values["deletion_date"])):
        values, child = item.row.values, ws.child(item.key)
        on = values["deletion_date"]
        fill_blanks(child, values, ("upn", "sex", "ethnicity", "middle_names"))
        child.sen_provision = values["sen_provision"] or child.sen_provision
        child.known_to_school, child.last_school_urn = True, values["school_urn"]
        child.la_arranged_special_placement |= bool(values["la_arranged_special_placement"])
        seen(child, on, None)
        ws.move(child, line_1=values["address_line_1"], line_2=values["address_line_2"],
                town=values["town"], postcode=values["postcode"], moved_in=None)
        for n in (1, 2):
            ws.add_parent(child, name=values[f"parent{n}_name"], lives_with_child=True,
                          phone=values[f"parent{n}_phone"])
        outcome = _deletion_effect(ws, child, values, on)
        ws.record(child, item.row, event_date=on, received=clock.today(), outcome=outcome,
                  ground=values["deletion_ground"], school_urn=values["school_urn"],
                  school_type=values["school_type"] or "")
    return []


def _deletion_effect(ws: Workspace, child: Child, values: dict[str, Any], on: dt.date) -> str:
    ground = values["deletion_ground"]
    status = DELETION_STATUS.get(ground)
    if ground in ("other_school", "moved_away"):
        status = None if values["destination_school_urn"] else "cme"
    if status is None:
        return "no change to the register: the notification is kept"
    why_not = _eligible(child, values["postcode"], on)
    if why_not:
        return why_not
    _register(ws, child, status, on, f"school roll deletion ({ground})")
    if status == "ehe" and not child.registration_received_date:
        child.registration_due_date = on + dt.timedelta(days=PARENT_NOTIFICATION_DAYS)
    return f"registered as {status}"


def school_admissions(ws: Workspace, rows: list[ParsedRow]) -> list[InputProblem]:
    for item in ws.resolve(sorted(rows, key=lambda r: r.values["admission_date"])):
        values, child = item.row.values, ws.child(item.key)
        on = values["admission_date"]
        fill_blanks(child, values, ("upn", "sex", "middle_names"))
        child.known_to_school, child.last_school_urn = True, values["school_urn"]
        seen(child, on, None)
        ws.admissions[child.pk].append(on)
        outcome = "a school pupil: recorded"
        if child.status in OPEN_STATUSES or (child.status_date and on < child.status_date):
            _admitted(ws, child, on, "admitted to a school")
            outcome = "left the register: returned to school"
        ws.record(child, item.row, event_date=on, received=clock.today(), outcome=outcome,
                  school_urn=values["school_urn"])
    return []


def parent_registrations(ws: Workspace, rows: list[ParsedRow]) -> list[InputProblem]:
    for item in ws.resolve(sorted(rows, key=lambda r: r.values["date_received"])):
        values, child = item.row.values, ws.child(item.key)
        on = values["date_received"]
        fill_blanks(child, values, ("sex", "middle_names", "last_school_urn"))
        child.ehe_reason = values["reason"] or child.ehe_reason
        child.hours_parent_per_week = _known(values["hours_parent_per_week"], child.hours_parent_per_week)
        child.hours_other_per_week = _known(values["hours_other_per_week"], child.hours_other_per_week)
        child.registration_received_date = on
        _addresses(ws, child, values)
        _parents(ws, child, values)
        for entry in values["providers"] or []:
            ws.new_providers.append(build(Provider, child=child, name=entry["name"],
                                             provider_type=entry["type"],
                                             hours_per_week=entry["hours_per_week"]))
        outcome = _eligible(child, values["postcode"], on)
        if not outcome:
            _register(ws, child, "ehe", on, "parent registration")
            outcome = "registered as ehe: register content updated"
        ws.record(child, item.row, event_date=on, received=on, outcome=outcome)
    return []


def _known(value: Any, existing: Any) -> Any:
    return existing if value is None else value


def _addresses(ws: Workspace, child: Child, values: dict[str, Any]) -> None:
    ws.move(child, line_1=values["address_line_1"], line_2=values["address_line_2"],
            town=values["town"], postcode=values["postcode"], moved_in=values["moved_in_date"])
    current = ws.current_address.get(child.pk)
    if current is not None and values["moved_in_date"]:
        current.moved_in_date = values["moved_in_date"]
    if values["previous_postcode"]:
        ws.new_addresses.append(build(
            Address, child=child, line_1=values["previous_address_line_1"] or "",
            postcode=values["previous_postcode"], moved_out_date=values["moved_in_date"],
            is_current=False))


def _parents(ws: Workspace, child: Child, values: dict[str, Any]) -> None:
    for n in (1, 2):
        postcode = values[f"parent{n}_postcode"]
        line_1 = values[f"parent{n}_address_line_1"]
        elsewhere = bool(postcode) and postcode != values["postcode"]
        ws.add_parent(child, name=values[f"parent{n}_name"], lives_with_child=not elsewhere,
                      educates=values[f"parent{n}_educates"], address_line_1=line_1,
                      postcode=postcode, phone=values[f"parent{n}_phone"],
                      email=values[f"parent{n}_email"])


def referrals(ws: Workspace, rows: list[ParsedRow]) -> list[InputProblem]:
    for item in ws.resolve(sorted(rows, key=lambda r: r.values["date_received"])):
        values, child = item.row.values, ws.child(item.key)
        on = values["date_received"]
        ws.move(child, line_1=values["address_line_1"], postcode=values["postcode"], moved_in=None)
        if item.decision is not None:
            outcome = ("already on the register" if child.status in OPEN_STATUSES
                       else "matches a child known to the authority: no case opened")
        else:
            outcome = _eligible(child, values["postcode"], on)
            if not outcome:
                _register(ws, child, "cme", on, "referral: not known to any school or the register")
                outcome = "opened a children missing education case"
        ws.record(child, item.row, event_date=on, received=on, outcome=outcome)
    return []

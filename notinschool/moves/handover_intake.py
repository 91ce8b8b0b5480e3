"""The `handover` intake kind: a child who moves in, with the handover file the previous
authority produced (docs/data-contract.md, section 9).

The file is one notification, imported through the same service as every other (the command
line, the upload page, the API): the child is matched against the register like any
notification (a new record when nobody matches), registered with the status the previous
authority had given from the day of the move, and then linked with agency records, compared
for duplicates and assessed by the import's follow-up. What the file brings is kept as it came
(`MoveIn`): the previous authority, its reference, the status history, the open concerns, the
tier and its reasons and the contacts summary, shown on the child's page as the previous
authority's. A withheld address keeps the do-not-disclose marker on the child here."""

import datetime as dt
from typing import Any

from notinschool.accounts.actor import actor_user
from notinschool.core import clock
from notinschool.core.errors import InputProblem
from notinschool.intake.appliers import seen
from notinschool.intake.columns import event_date
from notinschool.intake.kinds import IntakeKind, intake_kind_register
from notinschool.intake.parsing import ParsedRow
from notinschool.intake.workspace import Workspace, fill_blanks
from notinschool.moves.models import MoveIn
from notinschool.moves.reading import parse_handover
from notinschool.people.ages import is_compulsory_school_age
from notinschool.people.models import Child, EligibilityBasis
from notinschool.people.services import in_area, status_change


def handover_apply(ws: Workspace, rows: list[ParsedRow]) -> list[InputProblem]:
    today = clock.today()
    for item in ws.resolve(rows):
        values, child = item.row.values, ws.child(item.key)
        on = values["moved_on"] or values["produced_on"]
        fill_blanks(child, values, ("upn", "sex", "middle_names", "sen_provision", "ehe_reason",
                                    "last_school_urn"))
        if values["address_withheld"]:
            child.do_not_disclose_address = True
        ws.move(child, line_1=values["address_line_1"], line_2=values["address_line_2"],
                town=values["town"], postcode=values["postcode"],
                moved_in=values["moved_on"] if values["new_address_known"] else None)
        for parent in values["parents"]:
            lives = parent["lives_with_child"] is not False
            ws.add_parent(child, name=parent["name"], lives_with_child=lives,
                          educates=parent["educates"], phone=parent["phone"], email=parent["email"],
                          address_line_1=parent["address_line_1"], postcode=parent["postcode"])
        _seen_there(child, values)
        sender = values["from_authority"]
        outcome = _register(ws, child, values, on, sender)
        ws.record(child, item.row, event_date=on, received=today, outcome=outcome)
        doc = values["document"]
        ws.other_records.append(MoveIn(
            child=child, notification=ws.notifications[-1], batch=ws.batch,
            handover_id=values["handover_id"], from_authority=sender,
            from_la_code=values["from_la_code"] or "", from_reference=values["from_reference"] or "",
            moved_on=values["moved_on"], produced_on=values["produced_on"], received_on=today,
            address_withheld=values["address_withheld"], document=doc,
            created_by=actor_user(ws.actor)))
    return []


def _seen_there(child: Child, values: dict[str, Any]) -> None:
    """When the previous authority's professionals last saw the child counts here too."""
    contacts = values["document"].get("contacts") or {}
    last = contacts.get("last_seen_date")
    if last:
        seen(child, event_date(last), contacts.get("last_seen_alone"))


def _register(ws: Workspace, child: Child, values: dict[str, Any], on: dt.date, sender: str) -> str:
    if not in_area(values["postcode"]):
        return "moved in, but the new address is outside the area: to be passed to the home authority"
    if not is_compulsory_school_age(child.date_of_birth, on):
        return "moved in; not of compulsory school age: recorded, not registered"
    status = values["status"]
    ws.status(status_change(child, status, on, f"moved in from {sender} (handover)"[:200]))
    if not child.eligibility_basis:
        child.eligibility_basis = EligibilityBasis.NOT_ON_ROLL
    if child.status == "cme" and not child.missing_since:
        child.missing_since = values["missing_since"] or on
    return f"moved in from {sender}: registered as {status}"


HANDOVER = intake_kind_register(IntakeKind(
    slug="handover", label="Handover from another authority (move in)", columns={},
    apply=handover_apply, parse=parse_handover))

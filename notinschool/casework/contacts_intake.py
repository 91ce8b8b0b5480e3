"""The `contacts` intake kind (data contract): contacts with families recorded elsewhere,
brought in as a file. Each row is a casework contact with a child already on the register."""

from notinschool.casework.models import Contact
from notinschool.core.errors import InputProblem
from notinschool.intake import columns as c
from notinschool.intake.appliers import seen
from notinschool.intake.kinds import IntakeKind, intake_kind_register
from notinschool.intake.parsing import ParsedRow
from notinschool.intake.workspace import Workspace, row_hash


def contacts_apply(ws: Workspace, rows: list[ParsedRow]) -> list[InputProblem]:
    """Each contact row names a child on the register (by name and date of birth), or is a
    problem; the child's last contact, and when last seen (and whether alone), follow."""
    problems = []
    for item in ws.resolve(rows, create=False):
        values = item.row.values
        if item.key is None:
            problems.append(InputProblem(ws.batch.file_name, item.row.number, "surname",
                                         "no child on the register has this name and date of birth"))
            continue
        child = ws.child(item.key)
        on = values["contact_date"]
        ws.other_records.append(Contact(
            child=child, contact_date=on, method=values["method"], child_seen=values["child_seen"],
            seen_alone=values["seen_alone"], outcome=values["outcome"],
            recorded_by_name=values["recorded_by"] or "", notes=values["notes"] or "",
            row_hash=row_hash("contacts", values)))
        if child.last_contact_date is None or on > child.last_contact_date:
            child.last_contact_date = on
        if values["child_seen"]:
            seen(child, on, values["seen_alone"])
    return problems


def contacts_seen(slug: str, hashes: set[str]) -> set[str]:
    """The row hashes of contacts imported before."""
    found = Contact.objects.filter(row_hash__in=hashes).values_list("row_hash", flat=True)
    return {h for h in found if h}


CONTACTS = intake_kind_register(IntakeKind(
    slug="contacts", label="Contacts", columns=c.CONTACTS, apply=contacts_apply,
    seen_hashes=contacts_seen))

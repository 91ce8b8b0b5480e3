"""Reading a handover file (docs/data-contract.md, section 9) as the import's one row.

A handover file holds one child, so the import sees it as a file of one row (row 1), whose
values are the fields matching and the register need, plus the whole document (kept on the
child as the history the previous authority sent). Every field is checked before anything is
written, each problem named by its field path in the place of a column
(`handover.json:1:child.date_of_birth: '2030-01-01' is in the future`); a file that cannot be
read is a problem at row 0, one that is not JSON, or not a handover, at row 1 with column `-`
(or `format`, `version`)."""

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from notinschool.casework.models import Contact
from notinschool.core.errors import InputProblem
from notinschool.intake import columns as c
from notinschool.intake.parsing import ParsedFile, ParsedRow
from notinschool.intake.readers import UnreadableFile, file_bytes
from notinschool.moves.document import FORMAT, VERSION
from notinschool.people.models import OPEN_STATUSES, Status

MAX_HANDOVER_BYTES = 5 * 2**20
_STATUSES = tuple(s.value for s in Status)
_REGISTER = tuple(str(s) for s in OPEN_STATUSES)
_SEX = c.upper_code("F", "M", "U")
_SEN = c.upper_code("E", "K", "N")
_LA_CODE = c.text(3)
_METHODS = tuple(m.value for m in Contact.Method)
_OUTCOMES = tuple(o.value for o in Contact.Outcome)


class _Reader:
    """Checks fields by path, collecting every problem."""

    def __init__(self, display: str):
        self.display = display
        self.problems: list[InputProblem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(InputProblem(self.display, 1, path, message))

    def obj(self, doc: Any, path: str, *, required: bool = True) -> dict[str, Any]:
        if doc is None and not required:
            return {}
        if not isinstance(doc, dict):
            self.problem(path, "is required" if doc is None else "should be an object ({...})")
            return {}
        return doc

    def items(self, doc: dict[str, Any], key: str, path: str) -> list[Any]:
        value = doc.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, "should be a list ([...])")
            return []
        return value

    def cell(self, doc: dict[str, Any], key: str, path: str, parse: Callable[[str], Any] | None = None,
             *, required: bool = False) -> Any:
        """A text field, parsed like the CSV cell of the same meaning; None when empty."""
        value = doc.get(key)
        if value is None or value == "":
            if required:
                self.problem(path, "is required")
            return None
        if not isinstance(value, str):
            self.problem(path, f"should be text, not {json.dumps(value)[:40]}")
            return None
        value = value.strip()
        try:
            return parse(value) if parse else c.text(5000)(value)
        except c.CellError as error:
            self.problem(path, str(error))
            return None

    def flag(self, doc: dict[str, Any], key: str, path: str) -> bool | None:
        value = doc.get(key)
        if value is None or isinstance(value, bool):
            return value
        self.problem(path, "should be true, false or null")
        return None

    def number(self, doc: dict[str, Any], key: str, path: str, low: int, high: int) -> int | None:
        value = doc.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(path, f"should be a whole number from {low} to {high}")
            return None
        return value


def parse_handover(path: Path, display: str) -> ParsedFile:
    """The handover file as a parsed file of one row, or its problems."""
    result = ParsedFile(display=display, kind="handover")
    try:
        data = file_bytes(path, display)
    except UnreadableFile as error:
        result.problems.append(error.problem)
        return result
    if len(data) > MAX_HANDOVER_BYTES:
        result.problems.append(InputProblem(display, 0, "-", "the file is larger than 5 MB: "
                                            "a handover is one child's record"))
        return result
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        result.problems.append(InputProblem(display, 1, "-", "is not text (UTF-8): a handover "
                                            "file is JSON"))
        return result
    except json.JSONDecodeError as error:
        result.problems.append(InputProblem(
            display, 1, "-", f"is not JSON ({error.msg} at line {error.lineno} column {error.colno}): "
                             f"a handover file is the JSON the sending authority produced"))
        return result
    with c.today_fixed():
        reader = _Reader(display)
        values = _values(reader, doc)
    result.header = ["handover"]
    if reader.problems:
        result.problems = reader.problems
        result.rejected.append((ParsedRow(1, values, {}), "; ".join(
            f"{p.column}: {p.message}" for p in reader.problems)))
    else:
        result.rows.append(ParsedRow(number=1, values=values, raw={}))
    return result


def _values(r: _Reader, doc: Any) -> dict[str, Any]:
    if not isinstance(doc, dict):
        r.problem("-", "should be a JSON object with `format` and `version`")
        return {}
    if doc.get("format") != FORMAT:
        r.problem("format", f"should be {FORMAT!r}: this is not a handover file")
        return {}
    if doc.get("version") != VERSION:
        r.problem("version", f"{json.dumps(doc.get('version'))} is not a version this register reads "
                             f"(it reads version {VERSION})")
        return {}
    values: dict[str, Any] = {}
    values["handover_id"] = r.cell(doc, "handover_id", "handover_id", _uuid, required=True)
    values["produced_on"] = r.cell(doc, "produced_on", "produced_on", c.event_date, required=True)
    values["moved_on"] = r.cell(doc, "moved_on", "moved_on", c.event_date)
    sender = r.obj(doc.get("from_authority"), "from_authority")
    values["from_authority"] = r.cell(sender, "name", "from_authority.name", c.text(200), required=True)
    values["from_la_code"] = r.cell(sender, "la_code", "from_authority.la_code", _LA_CODE)
    for key in ("team", "phone", "email", "officer"):
        r.cell(sender, key, f"from_authority.{key}", c.text(200))
    receiver = r.obj(doc.get("to_authority"), "to_authority")
    r.cell(receiver, "name", "to_authority.name", c.text(200), required=True)
    r.cell(receiver, "la_code", "to_authority.la_code", _LA_CODE)
    values.update(_child(r, r.obj(doc.get("child"), "child")))
    values["address_withheld"] = bool(r.flag(doc, "address_withheld", "address_withheld"))
    r.cell(doc, "address_note", "address_note", c.text(1000))
    values.update(_addresses(r, doc, values["address_withheld"]))
    values["parents"] = _parents(r, doc, values["address_withheld"])
    _history(r, doc)
    _concerns(r, doc)
    _risk(r, doc)
    _contacts(r, doc)
    values["document"] = doc
    return values


def _uuid(cell: str) -> str:
    try:
        return str(uuid.UUID(cell))
    except ValueError:
        raise c.CellError(f"{cell[:40]!r} is not a handover's identifier (a UUID)") from None


def _child(r: _Reader, child: dict[str, Any]) -> dict[str, Any]:
    p = "child."
    return {
        "from_reference": r.cell(child, "reference", p + "reference", c.text(40)),
        "forename": r.cell(child, "forename", p + "forename", c.name, required=True),
        "middle_names": r.cell(child, "middle_names", p + "middle_names", c.text(200)),
        "surname": r.cell(child, "surname", p + "surname", c.name, required=True),
        "sex": r.cell(child, "sex", p + "sex", _SEX),
        "date_of_birth": r.cell(child, "date_of_birth", p + "date_of_birth", c.child_birth_date,
                                required=True),
        "upn": r.cell(child, "upn", p + "upn", c.upn),
        "sen_provision": r.cell(child, "sen_provision", p + "sen_provision", _SEN),
        "status": r.cell(child, "status", p + "status", c.code(*_REGISTER), required=True),
        "status_date": r.cell(child, "status_date", p + "status_date", c.event_date),
        "ehe_reason": r.cell(child, "ehe_reason", p + "ehe_reason", c.code(*c.EHE_REASONS)),
        "missing_since": r.cell(child, "missing_since", p + "missing_since", c.event_date),
        "last_school_urn": r.cell(child, "last_school_urn", p + "last_school_urn", c.urn),
    }


def _addresses(r: _Reader, doc: dict[str, Any], withheld: bool) -> dict[str, Any]:
    """The new address where the sender knew it (else the last one it had), for matching and
    for the register; none when the address is withheld."""
    found: dict[str, dict[str, Any]] = {}
    entries = r.items(doc, "addresses", "addresses")
    if withheld and entries:
        r.problem("addresses", "the address is withheld (`address_withheld` is true), "
                               "so no address may be given")
        return {}
    for n, entry in enumerate(entries):
        p = f"addresses[{n}]."
        a = r.obj(entry, f"addresses[{n}]")
        role = r.cell(a, "role", p + "role", c.code("current", "previous", "new"), required=True)
        address = {"line_1": r.cell(a, "line_1", p + "line_1", c.text(200)),
                   "line_2": r.cell(a, "line_2", p + "line_2", c.text(200)),
                   "town": r.cell(a, "town", p + "town", c.text(100)),
                   "postcode": r.cell(a, "postcode", p + "postcode", c.postcode)}
        r.cell(a, "moved_in_date", p + "moved_in_date", c.date)
        r.cell(a, "moved_out_date", p + "moved_out_date", c.date)
        if role and role not in found and role != "previous":
            found[role] = address
    chosen = found.get("new") or found.get("current") or {}
    return {"address_line_1": chosen.get("line_1"), "address_line_2": chosen.get("line_2"),
            "town": chosen.get("town"), "postcode": chosen.get("postcode"),
            "new_address_known": "new" in found}


def _parents(r: _Reader, doc: dict[str, Any], withheld: bool) -> list[dict[str, Any]]:
    out = []
    for n, entry in enumerate(r.items(doc, "parents", "parents")):
        p = f"parents[{n}]."
        a = r.obj(entry, f"parents[{n}]")
        parent = {"name": r.cell(a, "name", p + "name", c.name, required=True),
                  "lives_with_child": r.flag(a, "lives_with_child", p + "lives_with_child"),
                  "educates": r.flag(a, "educates", p + "educates"),
                  "phone": r.cell(a, "phone", p + "phone", c.text(40)),
                  "email": r.cell(a, "email", p + "email", c.text(200)),
                  "address_line_1": r.cell(a, "address_line_1", p + "address_line_1", c.text(200)),
                  "postcode": r.cell(a, "postcode", p + "postcode", c.postcode)}
        if withheld and (parent["address_line_1"] or parent["postcode"]):
            r.problem(p + "postcode", "the address is withheld (`address_withheld` is true), "
                                      "so no parent's address may be given")
        out.append(parent)
    return out


def _history(r: _Reader, doc: dict[str, Any]) -> None:
    for n, entry in enumerate(r.items(doc, "status_history", "status_history")):
        p = f"status_history[{n}]."
        a = r.obj(entry, f"status_history[{n}]")
        r.cell(a, "status", p + "status", c.code(*_STATUSES), required=True)
        r.cell(a, "date", p + "date", c.event_date, required=True)
        r.cell(a, "reason", p + "reason", c.text(500))


def _concerns(r: _Reader, doc: dict[str, Any]) -> None:
    for n, entry in enumerate(r.items(doc, "open_concerns", "open_concerns")):
        p = f"open_concerns[{n}]."
        a = r.obj(entry, f"open_concerns[{n}]")
        r.cell(a, "source", p + "source", c.code("required_action", "flag"), required=True)
        r.cell(a, "code", p + "code", c.text(60), required=True)
        r.cell(a, "description", p + "description", c.text(500))
        r.cell(a, "raised_on", p + "raised_on", c.date)
        r.cell(a, "due_date", p + "due_date", c.date)


def _risk(r: _Reader, doc: dict[str, Any]) -> None:
    risk = r.obj(doc.get("risk"), "risk", required=False)
    if not risk:
        return
    r.number(risk, "tier", "risk.tier", 1, 4)
    r.cell(risk, "assessed_on", "risk.assessed_on", c.event_date)
    r.number(risk, "review_interval_months", "risk.review_interval_months", 1, 24)
    for n, reason in enumerate(r.items(risk, "reasons", "risk.reasons")):
        if not isinstance(reason, str):
            r.problem(f"risk.reasons[{n}]", "should be text")


def _contacts(r: _Reader, doc: dict[str, Any]) -> None:
    contacts = r.obj(doc.get("contacts"), "contacts", required=False)
    if not contacts:
        return
    r.number(contacts, "count", "contacts.count", 0, 100_000)
    for key in ("last_contact_date", "last_seen_date"):
        r.cell(contacts, key, f"contacts.{key}", c.event_date)
    r.flag(contacts, "last_seen_alone", "contacts.last_seen_alone")
    for n, entry in enumerate(r.items(contacts, "recent", "contacts.recent")):
        p = f"contacts.recent[{n}]."
        a = r.obj(entry, f"contacts.recent[{n}]")
        r.cell(a, "date", p + "date", c.event_date, required=True)
        r.cell(a, "method", p + "method", c.code(*_METHODS))
        r.cell(a, "outcome", p + "outcome", c.code(*_OUTCOMES))
        r.flag(a, "child_seen", p + "child_seen")
        r.flag(a, "seen_alone", p + "seen_alone")

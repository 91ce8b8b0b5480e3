"""Compare the register, after a synthetic authority's files were loaded, with the authority's
truth file: the figures an acceptance reviewer reads off `export register`.

Each truth person is tied to the register child that their intake rows landed on (file and
row, through the notifications), then the export's status, tier, flags and required actions
are compared with what the truth says the child should get:

- planted children (a floor tier above 4 or a required action) must reach at least their
  floor tier and carry every expected action and flag;
- every other child is ordinary: a false alarm is one who gets a tier above 4, or an action
  the truth does not ask for (`review_match` excepted: it never changes the tier);
- a wrong merge is one register child holding two truth people (twins above all); a split is
  one person on two register children."""

import csv
import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notinschool.accounts.system import COMMAND_LINE
from notinschool.intake.models import Notification
from notinschool.reports.register_export import COLUMNS, register_export_rows


@dataclass
class TruthReport:
    expected: int = 0
    found: int = 0
    status_right: int = 0
    planted: int = 0
    planted_met: int = 0
    ordinary: int = 0
    false_alarms: int = 0
    wrong_merges: int = 0
    twins_merged: int = 0
    splits: int = 0
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"children expected on the register: {self.expected}; found {self.found}; "
            f"status right {self.status_right}",
            f"planted patterns met: {self.planted_met} of {self.planted}",
            f"false alarms: {self.false_alarms} of {self.ordinary} ordinary children",
            f"wrong merges: {self.wrong_merges} (twins merged: {self.twins_merged}); "
            f"splits: {self.splits}",
        ]


def truth_check(folder: Path, *, as_of: dt.date) -> TruthReport:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    person_child = _person_children(folder)
    export = {row["child_ref"]: row for row in (
        dict(zip(COLUMNS, (str(v) for v in values), strict=True))
        for values in register_export_rows(actor=COMMAND_LINE, include_closed=True, as_of=as_of))}
    report = TruthReport()
    held_by: dict[str, set[str]] = defaultdict(set)
    for person, refs in person_child.items():
        for ref in refs:
            held_by[ref].add(person)
        if len(refs) > 1:
            report.splits += 1
            report.problems.append(f"{person} split over {sorted(refs)}")
    twins = {frozenset(pair) for pair in truth["twins"]}
    for ref, people in held_by.items():
        if len(people) > 1:
            report.wrong_merges += 1
            report.twins_merged += sum(1 for pair in twins if pair <= people)
            report.problems.append(f"{ref} holds {sorted(people)}")
    for child in truth["children"]:
        if child["expected_status"] is None:
            continue
        report.expected += 1
        refs = person_child.get(child["person_id"], set())
        rows = [export[ref] for ref in sorted(refs) if ref in export]
        if not rows:
            report.problems.append(f"{child['person_id']} not on the register")
            continue
        report.found += 1
        _compare(child, rows[0], report)
    return report


def _compare(child: dict[str, Any], row: dict[str, str], report: TruthReport) -> None:
    person = child["person_id"]
    if row["status"] == child["expected_status"]:
        report.status_right += 1
    else:
        report.problems.append(f"{person} status {row['status']}, truth {child['expected_status']}")
    if row["status"] not in ("ehe", "cme", "not_in_school_other"):
        return
    tier = int(row["risk_tier"] or 4)
    actions = set(filter(None, row["required_actions"].split(";"))) - {"review_match"}
    flags = set(filter(None, row["flags"].split(";")))
    expected_actions = set(child["required_actions"])
    if child["floor_tier"] < 4 or expected_actions:
        report.planted += 1
        missing = (expected_actions - actions) | (set(child["flags"]) - flags)
        if tier <= child["floor_tier"] and not missing:
            report.planted_met += 1
        else:
            report.problems.append(f"{person} {child['patterns']}: tier {tier} (floor "
                                   f"{child['floor_tier']}), missing {sorted(missing)}")
    else:
        report.ordinary += 1
        extra = actions - expected_actions - _routine_requests(child)
        if tier < child["floor_tier"] or extra:
            report.false_alarms += 1
            report.problems.append(f"{person} ordinary: tier {tier}, actions {sorted(extra)}, "
                                   f"flags {sorted(flags)}")


def _routine_requests(child: dict[str, Any]) -> set[str]:
    """Actions the register may raise for an ordinary child: a child deleted for home education
    whose parents' registration has not reached the record lacks register content only they can
    give (who educates, the hours, their addresses), so `request_information` is right 15 days
    after they joined, though the truth does not plant it."""
    deleted = child["route"] in ("ehe_deletion", "ehe_deletion_and_registration")
    return {"request_information"} if deleted else set()


def _person_children(folder: Path) -> dict[str, set[str]]:
    """person_id -> the child_refs their intake rows landed on."""
    where: dict[tuple[str, int], str] = {}
    with (folder / "truth.csv").open(encoding="utf-8") as handle:
        for line in csv.DictReader(handle):
            if not line["file"].startswith("agency-"):
                where[line["file"], int(line["row"])] = line["person_id"]
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    rows = Notification.objects.filter(child__isnull=False, row_number__isnull=False).values_list(
        "batch__file_name", "row_number", "child__child_ref")
    for file_name, number, ref in rows.iterator():
        person = where.get((Path(file_name).name, number or 0))
        if person is not None:
            votes[person][ref] += 1
    return {person: set(counter) for person, counter in votes.items()}

"""Storing a run's results a chunk at a time: every assessment row, with the rule version and
inputs that made it (docs/risk-model.md: a past decision can be explained later), and the required
actions to open or close.

Rows go in as plain values in one stream per table (COPY on PostgreSQL, `core.rows`), with no
model instance per row; the JSON of identical results (most children share their reasons and
actions) is written once and reused. The children's previous latest assessments are retired
before their new ones go in (the database allows one latest row per child), by one statement
given the chunk's children as one array."""

import datetime as dt
import json
from collections.abc import Callable, Hashable, Iterable
from functools import lru_cache
from typing import Any, NamedTuple
from uuid import UUID

from django.conf import settings
from django.db import connection

from notinschool.core import rows
from notinschool.core.bulk import new_uuid
from notinschool.risk import engine
from notinschool.risk.models import Assessment, AssessmentRun, RequiredAction
from notinschool.risk.scope import Scope

Result = tuple[UUID, engine.Assessment, engine.ChildFacts]

ASSESSMENT_COLUMNS = (
    "id", "created_at", "modified_at", "created_by_id", "modified_by_id", "child_id", "as_of",
    "rule_version", "is_latest", "tier", "computed_tier", "review_interval_months",
    "next_contact_due", "flags", "required_actions", "reasons", "deadlines", "fired_rules",
    "inputs", "run_id")
ACTION_COLUMNS = ("id", "created_at", "modified_at", "created_by_id", "modified_by_id",
                  "child_id", "code", "raised_on", "due_date", "state", "done_at", "done_by_id",
                  "done_on", "evidence_kind", "evidence_id", "evidence_summary", "done_note",
                  "closed_reason")
# a new action is not done: no date, person or evidence
_NOT_DONE = (None, None, None, "", None, "", "", "")
_OPEN = (RequiredAction.State.OPEN, RequiredAction.State.ACKNOWLEDGED)
_BATCH = 500
_CACHE_LIMIT = 50_000


class NewAction(NamedTuple):
    child_id: UUID
    code: str
    due_date: dt.date | None


class Store:
    """Writes the results of one run (`AssessmentRun`)."""

    def __init__(self, run: AssessmentRun,
                 actions_to_open: Callable[[list[NewAction], dt.date], list[NewAction]] | None = None):
        for model, columns in ((Assessment, ASSESSMENT_COLUMNS),
                               (RequiredAction, ACTION_COLUMNS)):
            assert {f.column for f in model._meta.concrete_fields} == set(columns), model
        self.run = run
        # which new required actions to open: all, unless the caller knows better (the
        # workflow leaves out consent requests already answered or barred: casework's rule)
        self.actions_to_open = actions_to_open or (lambda new, _as_of: new)
        self.uuid = rows.db_uuid()
        self.date = rows.db_date()
        self.json: dict[tuple[str, Hashable], str] = {}
        # time-ordered keys: a run's rows go into the end of the primary key index
        self.new_id = rows.ordered_uuid_texts()

    def assessments(self, results: list[Result]) -> dict[int, tuple[int, str]]:
        """Store one assessment row per result as the child's latest; returns each child's
        previous latest (tier, required actions as JSON text), by `UUID.int`, if any. The
        previous latest rows are retired first: the database keeps at most one latest row
        per child (`one_latest_assessment_per_child`)."""
        previous = self._retire([child for child, _, _ in results])
        if rows.postgres():
            self._copy_assessments(results)
        else:
            now, run = rows.db_now(), self.uuid(self.run.pk)
            rows.rows_insert(Assessment._meta.db_table, ASSESSMENT_COLUMNS,
                             (self._assessment(child, result, facts, now, run)
                              for child, result, facts in results))
        if len(self.json) > _CACHE_LIMIT:
            self.json.clear()
        return previous

    def _retire(self, children: list[UUID]) -> dict[int, tuple[int, str]]:
        """Retire these children's latest assessments, in one statement that returns what they
        were (tier, required actions as JSON text), by `UUID.int`. The children go in as one
        value (an array; a JSON array on SQLite), not a parameter each: only the chunk's own
        children, not the others of its key range (closed records keep their latest)."""
        qn = connection.ops.quote_name
        child, actions = qn("child_id"), qn("required_actions")
        if rows.postgres():
            given, actions = f"{child} = ANY(%s)", f"{actions}::text"
            value: Any = children
        else:
            given = f"{child} IN (SELECT value FROM json_each(%s))"  # noqa: S608
            value = json.dumps([c.hex for c in children])
        found = rows.fetch(
            f"UPDATE {qn(Assessment._meta.db_table)} SET {qn('is_latest')} = false "  # noqa: S608
            f"WHERE {qn('is_latest')} AND {given} "
            f"RETURNING {child}, {qn('tier')}, {actions}", [value])
        if rows.postgres():
            return {c.int: (tier, text) for c, tier, text in found}
        return {int(c, 16): (tier, text) for c, tier, text in found}

    def actions_text(self, result: engine.Assessment) -> str:
        """The required actions as the JSON text stored (and read back as text)."""
        return self._json("actions", result.required_actions, list)

    def _assessment(self, child: UUID, result: engine.Assessment, facts: engine.ChildFacts,
                    now: Any, run: Any) -> tuple[Any, ...]:
        text = self._json
        return (
            self.uuid(new_uuid()), now, now, None, None, self.uuid(child),
            self.date(result.as_of), result.rules_version, True, result.tier,
            result.computed_tier, result.review_interval_months,
            self.date(result.next_contact_due),
            text("flags", result.flags, list), text("actions", result.required_actions, list),
            text("reasons", result.reasons, list),
            text("deadlines", tuple(result.deadlines.items()), _deadlines),
            text("fired", result.fired, _fired_rules),
            text("inputs", _input_counts(result, facts), _inputs),
            run)

    def _copy_assessments(self, results: list[Result]) -> None:
        """PostgreSQL: a COPY line per row, in the order of ASSESSMENT_COLUMNS."""
        now = rows.db_now()
        head, tail = f"\t{now}\t{now}\t\\N\t\\N\t", f"\t{self.run.pk}\n"
        text, new_id = self._copy_json, self.new_id
        _copy_lines(Assessment._meta.db_table, ASSESSMENT_COLUMNS, (
            "".join(f"{new_id()}{head}{child}\t{r.as_of}\t{r.rules_version}\tt\t{r.tier}\t"
                    f"{r.computed_tier}\t{r.review_interval_months}\t{r.next_contact_due}\t"
                    f"{text('flags', r.flags, list)}\t"
                    f"{text('actions', r.required_actions, list)}\t"
                    f"{text('reasons', r.reasons, list)}\t"
                    f"{text('deadlines', tuple(r.deadlines.items()), _deadlines)}\t"
                    f"{text('fired', r.fired, _fired_rules)}\t"
                    f"{text('inputs', _input_counts(r, facts), _inputs)}{tail}"
                    for child, r, facts in results[start:start + _BATCH])
            for start in range(0, len(results), _BATCH)))

    def _copy_json(self, kind: str, value: Hashable, shape: Callable[[Any], Any]) -> str:
        key = ("copy " + kind, value)
        found = self.json.get(key)
        if found is None:
            found = self.json[key] = _copy_escape(self._json(kind, value, shape))
        return found

    def _json(self, kind: str, value: Hashable, shape: Callable[[Any], Any]) -> str:
        key = (kind, value)
        found = self.json.get(key)
        if found is None:
            found = self.json[key] = json.dumps(shape(value))
        return found

    def actions(self, results: list[Result], scope: Scope, as_of: dt.date) -> None:
        """Open a tracked action for each required action not already open; close the ones the
        latest assessment no longer asks for, with the reason in words (`closed_reason`)."""
        have: dict[int, dict[str, Any]] = {}
        for pk, child, code, raised in RequiredAction.objects.filter(
                scope.q("child_id"), state__in=_OPEN).values_list("pk", "child_id", "code",
                                                                  "raised_on"):
            have.setdefault(child.int, {})[code] = (pk, raised)
        new: list[NewAction] = []
        gone: dict[str, list[Any]] = {}
        quiet = _recently_done(scope, as_of)
        for child, result, _ in results:  # children of the key range not in `results`: untouched
            old = have.get(child.int) if have else None
            codes = result.required_actions
            new += [NewAction(child, code, result.deadlines.get(code)) for code in codes
                    if (old is None or code not in old)
                    and not (quiet and (child.int, code) in quiet)]
            for code, (pk, raised) in old.items() if old else ():
                if code not in codes:
                    gone.setdefault(closing_reason(code, raised, result), []).append(pk)
        new = self.actions_to_open(new, as_of)
        now, state = rows.db_now(), RequiredAction.State.OPEN.value
        if new and rows.postgres():
            head, new_id = f"\t{now}\t{now}\t\\N\t\\N\t", self.new_id
            _copy_lines(RequiredAction._meta.db_table, ACTION_COLUMNS, (
                "".join(f"{new_id()}{head}{a.child_id}\t{_copy_escape(a.code)}\t{as_of}\t"
                        f"{a.due_date or NULL}\t{state}{_COPY_NOT_DONE}\n"
                        for a in new[start:start + _BATCH])
                for start in range(0, len(new), _BATCH)))
        elif new:
            rows.rows_insert(RequiredAction._meta.db_table, ACTION_COLUMNS, (
                (self.uuid(new_uuid()), now, now, None, None, self.uuid(a.child_id), a.code,
                 self.date(as_of), self.date(a.due_date), state, *_NOT_DONE) for a in new))
        self._close(gone, as_of)

    def _close(self, gone: dict[str, list[Any]], as_of: dt.date) -> None:
        """Close the actions no longer asked for: a statement per reason and batch (most
        share one of a few reasons)."""
        for reason, pks in gone.items():
            for start in range(0, len(pks), _BATCH):
                RequiredAction.objects.filter(pk__in=pks[start:start + _BATCH], state__in=_OPEN) \
                    .update(state=RequiredAction.State.DONE, done_on=as_of, closed_reason=reason,
                            evidence_kind=RequiredAction.Evidence.REASSESSMENT)


def _recently_done(scope: Scope, as_of: dt.date) -> set[tuple[int, str]]:
    """The actions a person marked done in the last NOTINSCHOOL_ACTION_QUIET_DAYS days (28 by
    default), by child (`UUID.int`) and code: not raised again while that lasts, though the
    rule still asks (the parent was asked for the missing information; the meeting was held),
    so the work queue does not hand the same task back the next night. After it, an action
    whose reason is still there is raised again."""
    since = as_of - dt.timedelta(days=settings.NOTINSCHOOL_ACTION_QUIET_DAYS)
    return {(child.int, code) for child, code in RequiredAction.objects.filter(
        scope.q("child_id"), state=RequiredAction.State.DONE, done_by__isnull=False,
        done_on__gt=since).values_list("child_id", "code")}


_ACTION_WORDS = {a.code: a.description for a in engine.DEFAULT.actions}
_SEEN = frozenset({"see_child_within_10_days", "arrange_visit"})


@lru_cache(maxsize=4096)
def _closing_words(code: str, as_of: dt.date, seen: dt.date | None) -> str:
    rules = [r.title for r in engine.DEFAULT.rules if code in r.actions]
    why = f"the child was seen on {_day(seen)}; " if seen is not None else ""
    since = f"; the rules that ask for it ({', '.join(rules)}) no longer apply" if rules else ""
    return (f"No longer required: {why}the assessment on {_day(as_of)} no longer asks to "
            f"\u201c{_ACTION_WORDS.get(code, code.replace('_', ' '))}\u201d{since}.")


def closing_reason(code: str, raised_on: dt.date, result: engine.Assessment) -> str:
    """Why the assessment `result` closes an action `code` (raised on `raised_on`) it no
    longer asks for, in words: the day, the action, the rules that asked for it, and, for
    seeing the child, when the child was seen since."""
    seen = result.last_seen_date
    seen = seen if code in _SEEN and seen is not None and seen >= raised_on else None
    return _closing_words(code, result.as_of, seen)


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


NULL = "\\N"  # in COPY's text format
_COPY_NOT_DONE = "".join(f"\t{NULL if v is None else v}" for v in _NOT_DONE)


def _copy_lines(table: str, columns: tuple[str, ...], blocks: Iterable[str]) -> None:
    """PostgreSQL: COPY's text format written directly, blocks of lines in the order of
    `columns` (a tenth of the work of adapting each value of each row)."""
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in columns)
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
        for block in blocks:
            copy.write(block)


def _copy_escape(text: str) -> str:
    """A value in COPY's text format: backslash, tab, newline and return escaped."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace(
        "\r", "\\r")


def _deadlines(items: tuple[tuple[str, dt.date], ...]) -> dict[str, str]:
    return {code: day.isoformat() for code, day in items}


def _input_counts(result: engine.Assessment, facts: engine.ChildFacts) -> tuple[int, int, int, bool]:
    return (len(facts.agency_facts), len(facts.contacts), len(facts.deletions),
            bool(result.override))


def _fired_rules(fired: tuple[engine.Firing, ...]) -> list[dict[str, Any]]:
    return [{"rule": f.rule, "reason": f.reason, "evidence": list(f.evidence)} for f in fired]


def _inputs(counts: tuple[int, int, int, bool]) -> dict[str, Any]:
    agency_facts, contacts, deletions, override = counts
    return {"agency_facts": agency_facts, "contacts": contacts, "deletions": deletions,
            "override": override}

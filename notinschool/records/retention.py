"""Retention: how long the register keeps each kind of record, and the job that deletes what has
passed its date (docs/retention.md gives each schedule's source).

Schedules (settings, `NOTINSCHOOL_RETENTION_*`):

- a **closed child record** (returned to school, left the area, ceased, recorded but never on
  the register; with every duplicate merged into it) until the child's 25th birthday
  (`..._CHILD_AGE`); without a date of birth, that many years after the record closed
  (`..._NO_BIRTH_DATE_YEARS`). An open record is never due: the daily register job closes it
  once the child is past compulsory school age.
- an **audit event**: `..._AUDIT_YEARS` after it happened.
- a **subject access bundle**: `..._SUBJECT_ACCESS_YEARS` after the request.

A child under a legal hold (`LegalHold`, not lifted) is not deleted, nor are the audit events
about them. Before a child's record is deleted, what the DfE return reads of the child is kept
anonymous in `reports.RetiredChild` (the return reads it too), so the historic figures still
add up. Deleting the child deletes with it everything other domains keep on the child (each
model's `on_delete=CASCADE`): notifications, addresses, parents no other child has, contacts and
the child's words, letters, assessments, matches, emails. A record another domain protects
(`on_delete=PROTECT`) is kept and counted as `kept`, with the reason in the report.

Each run is kept (`RetentionRun`) and audited (`retention`), a dry run too: it reports what
is due without deleting anything."""

import contextlib
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import connection, transaction
from django.db.models import ProtectedError, Q

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.audit.models import AuditedChild, AuditEvent
from notinschool.audit.services import actor_label, audit_record
from notinschool.core import clock
from notinschool.core.errors import NotPermitted
from notinschool.linkage.models import DuplicatePair
from notinschool.people.models import OPEN_STATUSES, Child, Household, Parent, Status
from notinschool.records.models import LegalHold, RetentionRun, SubjectAccessRequest
from notinschool.reports.dfe_return import retired_child_facts

SCHEDULES = ("child_record", "audit_event", "subject_access")


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, f"NOTINSCHOOL_RETENTION_{name}", default))


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return dt.date(day.year + years, 3, 1)


def child_retention_date(dob: dt.date | None, closed: dt.date | None) -> dt.date | None:
    """The day a closed record may be deleted: the 25th birthday, or, without a date of birth,
    that many years after it closed; None when neither date is known (kept)."""
    if dob is not None:
        return _years_after(dob, _setting("CHILD_AGE", 25))
    if closed is not None:
        return _years_after(closed, _setting("NO_BIRTH_DATE_YEARS", 25))
    return None


def held_child_ids() -> set[UUID]:
    return set(LegalHold.objects.filter(lifted_at__isnull=True).values_list("child_id", flat=True))


@dataclass
class RetentionReport:
    as_of: dt.date
    dry_run: bool
    counts: dict[str, Counter[str]] = field(default_factory=lambda: {s: Counter() for s in SCHEDULES})
    kept_because: list[str] = field(default_factory=list)
    retired: int = 0

    def lines(self) -> list[str]:
        verb = "would delete" if self.dry_run else "deleted"
        dry = " (dry run: nothing deleted)" if self.dry_run else ""
        out = [f"Retention as of {self.as_of:%-d %B %Y}{dry}"]
        for schedule in SCHEDULES:
            c = self.counts[schedule]
            out.append(f"{schedule}: {c['due']} past their date, {verb} {c['deleted']}, "
                       f"{c['held']} under a legal hold, {c['kept']} kept by another record")
        out.append(f"anonymous facts kept for the DfE return: {self.retired}")
        out += [f"kept: {why}" for why in self.kept_because]
        return out


# -- what is due ---------------------------------------------------------------------------------
def _due_children(today: dt.date) -> list[Child]:
    """Closed records (not duplicates merged into another) whose retention date has passed."""
    closed = Child.objects.exclude(status__in=[*OPEN_STATUSES, Status.MERGED]).only(
        "pk", "date_of_birth", "status_date", "status")
    return [c for c in closed.iterator()
            if (day := child_retention_date(c.date_of_birth, c.status_date)) is not None and day <= today]


def _merged_into(ids: Iterable[UUID]) -> list[UUID]:
    """Every record merged into these, leaves first (a record merged into one merged in turn)."""
    found: list[UUID] = []
    layer = list(ids)
    while layer:
        layer = list(Child.objects.filter(merged_into_id__in=layer).values_list("pk", flat=True))
        found = layer + found
    return found


# -- the run -------------------------------------------------------------------------------------
def retention_run(*, actor: Actor, dry_run: bool) -> RetentionReport:
    """Apply the schedules as of today (the clock); on a dry run, only count."""
    if not actor.can(Cap.LEGAL_HOLD):
        raise NotPermitted("your role cannot apply the retention schedules")
    today = clock.today()
    report = RetentionReport(as_of=today, dry_run=dry_run)
    held = held_child_ids()
    deleted_children: list[UUID] = []
    for child in _due_children(today):
        counts = report.counts["child_record"]
        counts["due"] += 1
        group = [*_merged_into([child.pk]), child.pk]
        if held & set(group):
            counts["held"] += 1
            continue
        if dry_run:
            counts["deleted"] += 1
            continue
        try:
            with transaction.atomic():
                facts = retired_child_facts(child.pk, on=today)
                _child_delete(group)
                if facts is not None:
                    facts.save()
                    report.retired += 1
        except ProtectedError as error:
            counts["kept"] += 1
            kinds = sorted({type(o)._meta.label for o in error.protected_objects})
            report.kept_because.append(f"child {child.pk}: still referred to by {', '.join(kinds)}")
            continue
        counts["deleted"] += 1
        deleted_children += group
    _audit_events_apply(report, today, held, dry_run)
    _subject_access_apply(report, today, held, dry_run)
    RetentionRun.objects.create(
        as_of=today, dry_run=dry_run, actor_label=actor_label(actor),
        counts={s: dict(report.counts[s]) for s in SCHEDULES} | {"retired": report.retired})
    audit_record(actor=actor, action="retention", object_type="retention_run",
                 object_ids=deleted_children, child_ids=deleted_children,
                 detail={"as_of": today.isoformat(), "dry_run": dry_run, "retired": report.retired,
                         **{s: dict(report.counts[s]) for s in SCHEDULES}})
    return report


def _child_delete(group: list[UUID]) -> None:
    """Delete a record with its merged duplicates (leaves first), then the parents and
    households no other child shares."""
    households = set(Child.objects.filter(pk__in=group).exclude(household=None)
                     .values_list("household_id", flat=True))
    parents = set(Parent.objects.filter(child_links__child_id__in=group).values_list("pk", flat=True))
    DuplicatePair.objects.filter(Q(child_a_id__in=group) | Q(child_b_id__in=group)
                                 | Q(kept_id__in=group)).delete()
    for pk in group:
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    Child.objects.filter(pk=pk).delete()
                break
            except ProtectedError as error:
                # a record of the child's that protects another of the child's records (a
                # statutory step protects the letter it served): both go, the protector first
                owned = [o for o in error.protected_objects if _owned_by(o, set(group))]
                if len(owned) < len(error.protected_objects):
                    raise
                for obj in owned:
                    obj.delete()
        else:
            raise ProtectedError("the record is still protected after five rounds", set())
    Parent.objects.filter(pk__in=parents, child_links__isnull=True).delete()
    Household.objects.filter(pk__in=households, children__isnull=True).delete()


def _owned_by(obj: Any, group: set[UUID], depth: int = 3) -> bool:
    """Whether `obj` hangs off one of these children's records: a foreign key to the child, or
    to a record that does, up to three steps away (a statutory step's case's child)."""
    if getattr(obj, "child_id", None) in group:
        return True
    if depth == 0:
        return False
    for fk in obj._meta.concrete_fields:
        if fk.is_relation and fk.related_model is not None and getattr(obj, fk.attname) is not None:
            if fk.related_model is Child:
                if getattr(obj, fk.attname) in group:
                    return True
                continue
            if fk.related_model._meta.app_label in ("accounts", "audit"):
                continue
            if _owned_by(getattr(obj, fk.name), group, depth - 1):
                return True
    return False


def _audit_events_apply(report: RetentionReport, today: dt.date, held: set[UUID], dry_run: bool) -> None:
    cutoff = clock.now() - (dt.datetime.combine(today, dt.time()) -
                            dt.datetime.combine(_years_after(today, -_setting("AUDIT_YEARS", 6)), dt.time()))
    due = AuditEvent.objects.filter(at__lt=cutoff)
    counts = report.counts["audit_event"]
    counts["due"] = due.count()
    keep = due.filter(pk__in=AuditedChild.objects.filter(child_id__in=held).values("event_id"))
    counts["held"] = keep.count()
    if dry_run:
        counts["deleted"] = counts["due"] - counts["held"]
        return
    with transaction.atomic(), _audit_deletable():
        ids = list(due.exclude(pk__in=keep.values("pk")).values_list("pk", flat=True))
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            AuditedChild.objects.filter(event_id__in=chunk)._raw_delete(connection.alias)  # type: ignore[attr-defined]
            AuditEvent.objects.filter(pk__in=chunk)._raw_delete(connection.alias)  # type: ignore[attr-defined]
        counts["deleted"] = len(ids)


_AUDIT_TRIGGERS = (("audit_auditevent", "audit_event_no_update"),
                   ("audit_auditedchild", "audited_child_no_update"))


@contextlib.contextmanager
def _audit_deletable() -> Iterator[None]:
    """On PostgreSQL a trigger refuses to delete audit rows; the retention job, running as the
    tables' owner, turns it off inside its own transaction only (audit migration 0002): if the
    job fails, the rollback turns it on again."""
    def triggers(state: str) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # deferred foreign key checks still pending in this transaction would refuse
                # the ALTER: run them now
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table, trigger in _AUDIT_TRIGGERS:
                    cursor.execute(f"ALTER TABLE {table} {state} TRIGGER {trigger}")

    triggers("DISABLE")
    yield
    triggers("ENABLE")


def _subject_access_apply(report: RetentionReport, today: dt.date, held: set[UUID], dry_run: bool) -> None:
    limit = _years_after(today, -_setting("SUBJECT_ACCESS_YEARS", 6))
    due = SubjectAccessRequest.objects.filter(received_date__lt=limit)
    counts = report.counts["subject_access"]
    counts["due"] = due.count()
    counts["held"] = due.filter(child_id__in=held).count()
    deletable = due.exclude(child_id__in=held)
    counts["deleted"] = deletable.count() if dry_run else deletable.delete()[1].get(
        SubjectAccessRequest._meta.label, 0)

"""Information governance's writes: break-glass access (given for a reason, for a while) and its
review, unusual access flagged from the audit trail and its review. Each checks the actor's
capability and writes its audit event."""

import datetime as dt
from collections import defaultdict
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.models import User
from notinschool.accounts.roles import Cap
from notinschool.audit.break_glass import break_glass_active
from notinschool.audit.models import AuditedChild, BreakGlassGrant
from notinschool.audit.services import audit_record
from notinschool.core.clock import LONDON
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.governance.models import AccessFlag
from notinschool.governance.selectors import day_start
from notinschool.people.models import Child

# A reason shorter than this says nothing a reviewer could judge ("urgent", "needed").
MIN_REASON = 10


def break_glass_open(*, actor: Actor, child_id: UUID, reason: str) -> BreakGlassGrant:
    """Let `actor` open a child outside their scope for `NOTINSCHOOL_BREAK_GLASS_MINUTES`,
    because of `reason`; audited as `break_glass` with the reason. A grant still running for
    the same child is returned as it is (the clock does not restart without a new reason)."""
    user = actor_user(actor)
    if user is None or not actor.can(Cap.BREAK_GLASS):
        raise NotPermitted("your role cannot open records with break-glass")
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON:
        raise DomainError("Say why you need this record now, in a sentence")
    child = Child.objects.filter(pk=child_id).only("pk", "child_ref").first()
    if child is None:
        audit_record(actor=actor, action="break_glass", object_type="child", object_ids=[child_id],
                     detail={"found": False}, reason=reason)
        raise DomainError("There is no such child on the register")
    running = break_glass_active(user).filter(child_id=child.pk).first()
    if running is not None:
        return running
    now = timezone.now()
    with transaction.atomic():
        grant = BreakGlassGrant.objects.create(
            user=user, child_id=child.pk, child_ref=child.child_ref, reason=reason, granted_at=now,
            expires_at=now + dt.timedelta(minutes=settings.NOTINSCHOOL_BREAK_GLASS_MINUTES))
        audit_record(actor=actor, action="break_glass", object_type="child", object_ids=[child.pk],
                     child_ids=[child.pk], reason=reason,
                     detail={"grant": str(grant.pk), "until": grant.expires_at.isoformat()})
    return grant


def break_glass_review(*, actor: Actor, grant: BreakGlassGrant, outcome: str,
                       note: str) -> BreakGlassGrant:
    """A manager or the data protection officer judges one use of break-glass: justified, or
    not justified (which needs a note saying why). Nobody reviews their own."""
    user = actor_user(actor)
    if user is None or not actor.can(Cap.REVIEW_BREAK_GLASS):
        raise NotPermitted("your role cannot review break-glass access")
    if grant.user_id == user.pk:
        raise DomainError("Someone else must review your own break-glass access")
    if outcome not in BreakGlassGrant.Outcome.values:
        raise DomainError("Select whether the access was justified")
    note = note.strip()
    if outcome == BreakGlassGrant.Outcome.NOT_JUSTIFIED and not note:
        raise DomainError("Say why the access was not justified")
    with transaction.atomic():
        locked = BreakGlassGrant.objects.select_for_update().get(pk=grant.pk)
        if locked.reviewed_at is not None:
            raise DomainError("This access has already been reviewed")
        locked.reviewed_by, locked.reviewed_at = user, timezone.now()
        locked.outcome, locked.review_note = outcome, note
        locked.save(update_fields=["reviewed_by", "reviewed_at", "outcome", "review_note"])
        audit_record(actor=actor, action="review", object_type="break_glass", object_ids=[grant.pk],
                     detail={"outcome": outcome, "user": grant.user_id}, reason=note)
    return locked


def usual_districts(user: User) -> set[str]:
    """A person's usual area: the postcode districts of the children allocated to them (as
    officer or as social worker) and their team's districts (a health team's, say)."""
    postcodes = Child.objects.filter(
        Q(officer=user) | Q(social_worker_allocation__worker=user)).values_list("postcode", flat=True)
    districts = {p.split()[0].upper() for p in postcodes if p and p.split()}
    if user.agency is not None:
        districts |= set(user.agency.districts)
    return districts


def out_of_hours(at: dt.datetime) -> bool:
    """Outside working hours: a weekend, or before or after `NOTINSCHOOL_WORKING_HOURS` on a
    weekday (local time)."""
    local = at.astimezone(LONDON)
    first, last = settings.NOTINSCHOOL_WORKING_HOURS
    return local.weekday() >= 5 or not first <= local.hour < last


def access_flags_compute(*, actor: Actor, day: dt.date) -> int:
    """Flag, for `day`, each person who opened more children's records than the thresholds
    allow outside their usual area (`NOTINSCHOOL_UNUSUAL_OUTSIDE_AREA`) or outside working hours
    (`NOTINSCHOOL_UNUSUAL_OUT_OF_HOURS`). 'Opened' is a `view` event naming the child (the
    child's page, a document). Run again, it updates the day's counts and keeps the reviews;
    returns how many flags the day has."""
    if not actor.can(Cap.VIEW_AUDIT):
        raise NotPermitted("your role cannot read the audit trail")
    seen = AuditedChild.objects.filter(
        event__action="view", event__actor__isnull=False,
        event__at__gte=day_start(day), event__at__lt=day_start(day + dt.timedelta(days=1)),
    ).values_list("event__actor_id", "event__at", "child_id")
    opened: dict[int, set[UUID]] = defaultdict(set)
    late: dict[int, set[UUID]] = defaultdict(set)
    for user_id, at, child_id in seen.iterator(chunk_size=5000):
        opened[user_id].add(child_id)
        if out_of_hours(at):
            late[user_id].add(child_id)
    found: dict[tuple[int, str], list[UUID]] = {}
    limit_area = settings.NOTINSCHOOL_UNUSUAL_OUTSIDE_AREA
    limit_hours = settings.NOTINSCHOOL_UNUSUAL_OUT_OF_HOURS
    users = User.objects.select_related("agency").in_bulk(list(opened))
    for user_id, children_opened in opened.items():
        if len(children_opened) > limit_area:
            usual = usual_districts(users[user_id])
            if usual:  # nobody's area is unusual for a person with no usual area
                outside = [pk for pk, postcode in Child.objects.filter(pk__in=children_opened)
                           .values_list("pk", "postcode")
                           if (postcode.split() or [""])[0].upper() not in usual]
                if len(outside) > limit_area:
                    found[(user_id, AccessFlag.Kind.OUTSIDE_AREA)] = outside
        if len(late[user_id]) > limit_hours:
            found[(user_id, AccessFlag.Kind.OUT_OF_HOURS)] = sorted(late[user_id], key=str)
    now = timezone.now()
    limits = {AccessFlag.Kind.OUTSIDE_AREA: limit_area, AccessFlag.Kind.OUT_OF_HOURS: limit_hours}
    for (user_id, kind), children in found.items():
        AccessFlag.objects.update_or_create(
            user_id=user_id, day=day, kind=kind,
            defaults={"count": len(children), "threshold": limits[kind],  # type: ignore[index]
                      "child_ids": [str(c) for c in children[:50]], "computed_at": now})
    return AccessFlag.objects.filter(day=day).count()


def access_flag_review(*, actor: Actor, flag: AccessFlag, outcome: str, note: str) -> AccessFlag:
    """The data protection officer records what they found about one flag."""
    user = actor_user(actor)
    if user is None or not actor.can(Cap.VIEW_AUDIT):
        raise NotPermitted("your role cannot review access")
    if outcome not in AccessFlag.Outcome.values:
        raise DomainError("Select what you found")
    note = note.strip()
    if outcome == AccessFlag.Outcome.CONCERN and not note:
        raise DomainError("Say what the concern is and what was done")
    with transaction.atomic():
        locked = AccessFlag.objects.select_for_update().get(pk=flag.pk)
        if locked.reviewed_at is not None:
            raise DomainError("This flag has already been reviewed")
        locked.reviewed_by, locked.reviewed_at, locked.outcome, locked.note = (
            user, timezone.now(), outcome, note)
        locked.save(update_fields=["reviewed_by", "reviewed_at", "outcome", "note"])
        audit_record(actor=actor, action="review", object_type="access_flag", object_ids=[flag.pk],
                     detail={"outcome": outcome, "user": flag.user_id, "day": flag.day.isoformat()},
                     reason=note)
    return locked

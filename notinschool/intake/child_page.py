"""intake's part of the child's page (people.child_page): every notification about the child on
the child's timeline (roll deletions with their ground and school, admissions, parents'
registrations, referrals), whether typed in on a form, uploaded, sent through the API or
imported from the command line, with the file and who sent it, and what it did to the register.
Registered from `IntakeConfig.ready()`."""

from pathlib import PurePath

from django.urls import reverse

from notinschool.accounts.actor import Actor
from notinschool.accounts.models import Agency
from notinschool.accounts.roles import Cap
from notinschool.intake.models import ImportBatch, ImportKind, Notification
from notinschool.people.models import Child
from notinschool.people.timeline import TimelineEntry, timeline_source_register

_KINDS = tuple(ImportKind)
_OWN = (Agency.Kind.EDUCATION, Agency.Kind.AUTHORITY)  # the authority's own officers
_CHANNELS = {"form": "typed in on a form", "upload": "uploaded", "api": "sent through the API",
             "cli": "imported from the command line"}


def _title(n: Notification) -> str:
    school = f"school {n.school_urn}" if n.school_urn else "a school"
    data = n.data or {}
    if n.kind == ImportKind.ROLL_DELETIONS:
        return f"Deleted from the roll of {school}: {n.ground.replace('_', ' ') or 'no ground given'}"
    if n.kind == ImportKind.SCHOOL_ADMISSIONS:
        return f"Admitted to {school}"
    if n.kind == ImportKind.PARENT_REGISTRATIONS:
        return "A parent registered the child as home educated"
    referrer = data.get("referrer_agency") or data.get("referrer_name")
    return "Referred as possibly missing education" + (f" by {referrer}" if referrer else "")


def joined_words(joined: dict[str, object]) -> str:
    """Why a notification was taken as this child, in words ("" for one that made the child)."""
    evidence = joined.get("evidence") if joined else None
    if not evidence or not isinstance(evidence, list):
        return ""
    return (f" Taken as this child because: {', '.join(str(e) for e in evidence)} "
            f"(score {joined.get('score')}).")


def _how(batch: ImportBatch) -> str:
    how = _CHANNELS.get(batch.channel, batch.channel)
    if batch.channel == "form":
        return how.capitalize()
    source = f", source {batch.source.replace('_', ' ')}" if batch.source else ""
    return f"In the file {PurePath(batch.file_name).name}, {how}{source}"


def _who(batch: ImportBatch) -> str:
    user = batch.created_by
    if user is not None:
        name = user.get_full_name() or user.get_username()
        partner = batch.agency is not None and batch.agency.kind not in _OWN
        return f"{name} ({batch.agency.name})" if partner else name  # type: ignore[union-attr]
    if batch.agency is not None:
        return batch.agency.name
    return "the command line" if batch.channel == "cli" else _CHANNELS.get(batch.channel, batch.channel)


def _may_open(actor: Actor, batch: ImportBatch) -> bool:
    if not actor.can(Cap.IMPORT_FILES):
        return False
    return actor.can(Cap.EDIT_REGISTER) or (batch.agency_id is not None
                                            and batch.agency_id == actor.agency_id)


def notification_entries(actor: Actor, child: Child) -> list[TimelineEntry]:
    notifications = Notification.objects.filter(child=child, kind__in=_KINDS).select_related(
        "batch", "batch__agency", "batch__created_by").order_by("event_date", "created_at")
    entries = []
    for n in notifications:
        batch = n.batch
        outcome = f" What it did: {n.outcome}." if n.outcome else ""
        outcome += joined_words(n.joined_because)
        received = n.received_date
        link = reverse("import_detail", kwargs={"batch_id": batch.pk}) if _may_open(actor, batch) else ""
        entries.append(TimelineEntry(
            day=n.event_date, kind="notification", title=_title(n), at=n.created_at,
            detail=f"{_how(batch)}; received {received.day} {received:%B %Y}.{outcome}",
            who=_who(batch), link=link, link_text="The import" if link else ""))
    return entries


timeline_source_register("intake.notifications", notification_entries)

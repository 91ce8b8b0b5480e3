"""Subject access (UK GDPR Article 15): the whole record about a child, or what the register
holds about a parent, gathered without anyone browsing it, reviewed item by item, and released
to the family as a PDF and a structured JSON file.

A team manager or the data protection officer starts a request from the child's reference, who
is asking (the child, or a parent named on the record) and its purpose. The service gathers
every item at once into `SubjectAccessItem` rows. Each item is one of these:

- **released as it is**: the register's content about the child, notifications, assessments
  and their reasons, contacts, letters, suitability judgements, and the audit of who saw the
  record (by role and agency, not by name);
- **held** for an officer's decision, with the reason it is held: information about other
  people (other parents, agency facts, which come from another agency and may name others,
  and facts about the household) and material only professionals see (alerts to social care,
  consent decisions, tier overrides, emails to professionals). For a parent's request, the
  child's own words are held too, so someone judges whether the child would want them shared.

Records that another domain keeps on the child and this module does not know yet (a new
domain's model with a foreign key to the child) are gathered generically and held, so nothing
is left out silently.

A child's address that must not be disclosed is never put in the bundle, not even as a held
item, so it cannot be released by mistake. The bundle says the address is withheld.

The review page shows only the held items. Each is released or withheld with a reason
(`redact`, audited). When every held item is decided, the bundle is released: the PDF (tagged
PDF/UA, WeasyPrint) and the JSON hold the released items only. Every step is audited with
the request's purpose."""

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.roles import Cap
from notinschool.audit.models import AuditedChild, AuditEvent
from notinschool.audit.services import actor_label, audit_record
from notinschool.casework.models import Alert, ConsentDecision, Contact, SuitabilityJudgement
from notinschool.cme.models import CmeCase
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.intake.models import Notification
from notinschool.letters.models import Letter
from notinschool.linkage.models import AgencyFact, PersonMatch
from notinschool.mail.models import SentEmail
from notinschool.people.models import ETHNICITY_CODES, SEN_CODES, Child, ChildParent, Parent
from notinschool.plans.models import HealthRecord, Plan
from notinschool.plans.selectors import meeting_minutes_for_child
from notinschool.records.models import SubjectAccessItem, SubjectAccessRequest
from notinschool.risk.models import Assessment, TierOverride
from notinschool.statutory.models import StatutoryStep

Fields = list[tuple[str, str]]

THIRD_PARTY = "Names or is about other people (third-party information)"
AGENCY = "From another agency: may name other people, or be exempt where it could cause serious harm"
HOUSEHOLD = "About other members of the household, not the subject"
PROFESSIONALS = "Shared between professionals only"
CHILD_WORDS = "The child's own words: judge whether the child would want them shared with the parent"
UNKNOWN = "A kind of record this bundle does not know: check it before releasing"

ADDRESS_WITHHELD = "Withheld to protect the family"
SEX = {"F": "Female", "M": "Male", "U": "Not known"}
NOTIFICATION_KINDS = {"roll_deletions": "Taken off a school's roll",
                      "school_admissions": "Admitted to a school",
                      "parent_registrations": "Registered by a parent", "referrals": "Referral",
                      "contacts": "Contact recorded by another service"}
GROUNDS = {"ehe": "Elective home education", "cme": "Missing education"}


def _day(value: dt.date | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


@dataclass
class Gathered:
    section: str
    title: str
    fields: Fields
    held_because: str = ""


@dataclass
class _Context:
    child: Child
    parent: Parent | None
    hide_address: bool
    out: list[Gathered] = field(default_factory=list)

    def add(self, section: str, title: str, rows: Iterable[tuple[str, Any]], held: str = "") -> None:
        fields = [(label, str(value)) for label, value in rows if value not in (None, "")]
        self.out.append(Gathered(section, title, fields, held))


# -- finding the subject without browsing the record ---------------------------------------------
def subject_find(*, actor: Actor, child_ref: str) -> Child:
    """The child with that reference: its name and date of birth only are shown to confirm it."""
    if not actor.can(Cap.SUBJECT_ACCESS):
        raise NotPermitted("your role cannot produce subject access bundles")
    child = Child.objects.filter(child_ref=child_ref.strip().upper()).exclude(status="merged").first()
    if child is None:
        raise DomainError("No child on the register has that reference")
    return child


def parent_find(child: Child, name: str) -> Parent:
    wanted = " ".join(name.lower().split())
    for link in ChildParent.objects.filter(child=child).select_related("parent"):
        if " ".join(link.parent.name.lower().split()) == wanted:
            return link.parent
    raise DomainError("No parent of that name is on the child's record: check the spelling")


# -- gathering -----------------------------------------------------------------------------------
def _register(c: _Context) -> None:
    child = c.child
    c.add("The register", "The child's details", [
        ("Name", child.full_name), ("Date of birth", _day(child.date_of_birth)),
        ("Sex", SEX.get(child.sex, child.sex)), ("Register reference", child.child_ref),
        ("Unique pupil number", child.upn), ("NHS number", child.nhs_number),
        ("Ethnicity", ETHNICITY_CODES.get(child.ethnicity, child.ethnicity)),
        ("Special educational needs", SEN_CODES.get(child.sen_provision, child.sen_provision)),
        ("Status", child.get_status_display()), ("Since", _day(child.status_date)),
        ("On the register from", _day(child.joined_register_date)),
        ("Why eligible", child.get_eligibility_basis_display() if child.eligibility_basis else ""),
        ("Reason given for home education", child.ehe_reason.replace("_", " ")),
        ("Hours a week educated by the parents", child.hours_parent_per_week),
        ("Hours a week educated by others", child.hours_other_per_week),
        ("Last seen", _day(child.last_seen_date)), ("Seen alone then", _yes_no(child.last_seen_alone)),
    ])
    if c.hide_address:
        c.add("The register", "Addresses", [("Address", ADDRESS_WITHHELD)])
    else:
        for address in child.addresses.order_by("-is_current", "-moved_in_date"):
            c.add("The register", "Current address" if address.is_current else "Previous address", [
                ("Address", ", ".join(p for p in (address.line_1, address.line_2, address.town,
                                                  address.postcode) if p)),
                ("Moved in", _day(address.moved_in_date)), ("Moved out", _day(address.moved_out_date))])
    for change in child.status_history.order_by("date", "created_at"):
        c.add("The register", f"Status from {_day(change.date)}", [
            ("Status", change.get_status_display()), ("Why", change.reason)])
    for provider in child.providers.all():
        c.add("The register", f"Education provider: {provider.name}", [
            ("Type", provider.provider_type), ("Hours a week", provider.hours_per_week)])
    for link in child.parent_links.select_related("parent"):
        parent = link.parent
        own = c.parent is not None and parent.pk == c.parent.pk
        rows: list[tuple[str, Any]] = [("Name", parent.name)]
        if not c.hide_address:
            rows += [("Address", ", ".join(p for p in (parent.address_line_1, parent.postcode) if p))]
        rows += [("Phone", parent.phone), ("Email", parent.email),
                 ("Lives with the child", _yes_no(link.lives_with_child)),
                 ("Educates the child", _yes_no(link.educates))]
        c.add("Parents", f"Parent: {parent.name}", rows, "" if own else THIRD_PARTY)


def _notifications(c: _Context) -> None:
    notifications = Notification.objects.filter(child=c.child).select_related("batch")
    for n in notifications.order_by("event_date", "created_at"):
        kind = NOTIFICATION_KINDS.get(n.kind, n.kind.replace("_", " ").capitalize())
        c.add("Notifications", f"{kind}, {_day(n.event_date)}", [
            ("Received", _day(n.received_date)), ("From", n.batch.source or n.batch.kind.replace("_", " ")),
            ("School (URN)", n.school_urn),
            ("Ground", GROUNDS.get(n.ground, n.ground.replace("_", " "))), ("Outcome", n.outcome)])


def _agency(c: _Context) -> None:
    matches = PersonMatch.objects.filter(child=c.child, state__in=(
        PersonMatch.State.AUTOMATIC, PersonMatch.State.ACCEPTED))
    for match in matches.select_related("person"):
        own = match.kind == PersonMatch.Kind.SAME_PERSON
        for fact in AgencyFact.objects.filter(person=match.person).order_by("start_date"):
            c.add("Agency information", f"{fact.source.replace('_', ' ').capitalize()}: "
                  f"{fact.indicator.replace('_', ' ')}" + ("" if own else " (household)"), [
                ("From", _day(fact.start_date)), ("Until", _day(fact.end_date)),
                ("Detail", fact.detail)], AGENCY if own else HOUSEHOLD)


def _assessments(c: _Context) -> None:
    for a in Assessment.objects.filter(child=c.child).order_by("as_of", "created_at"):
        c.add("Assessments", f"Assessment of {_day(a.as_of)}", [
            ("Tier", a.tier), ("Review every (months)", a.review_interval_months),
            ("Next contact due", _day(a.next_contact_due)), ("Reasons", " ".join(a.reasons)),
            ("Actions asked for", ", ".join(x.replace("_", " ") for x in a.required_actions))])
    for o in TierOverride.objects.filter(child=c.child).order_by("created_at"):
        c.add("Assessments", f"A manager set the tier to {o.tier}", [
            ("Why", o.rationale), ("Until", _day(o.expires_on)), ("Ended", _day(o.ended_on))], PROFESSIONALS)


def _casework(c: _Context) -> None:
    for contact in Contact.objects.filter(child=c.child).order_by("contact_date", "created_at"):
        c.add("Contacts", f"{contact.get_method_display()} on {_day(contact.contact_date)}", [
            ("Outcome", contact.get_outcome_display() if contact.outcome else ""),
            ("Child seen", _yes_no(contact.child_seen)), ("Seen alone", _yes_no(contact.seen_alone)),
            ("Recorded by", contact.recorded_by_name),
            ("Place", "" if c.hide_address else contact.place),
            ("What the parent said about the education", contact.parent_account),
            ("Approach", contact.education_approach), ("Resources", contact.education_resources),
            ("Time", contact.education_time), ("Who teaches", contact.who_teaches),
            ("Concerns", contact.concerns), ("Next steps", contact.next_steps), ("Notes", contact.notes)])
        if contact.child_views:
            c.add("The child's own words", f"The child's words, {_day(contact.contact_date)}",
                  [("In the child's words" if contact.child_wrote else "What the child said",
                    contact.child_views)], CHILD_WORDS if c.parent else "")
    for j in SuitabilityJudgement.objects.filter(child=c.child).order_by("decided_at"):
        c.add("Suitability of the education", f"{j.get_judgement_display()}, {_day(j.decided_on)}", [
            ("State", j.get_state_display()), ("Reasons", j.reasons), ("Documents", j.documents),
            ("Manager's comments", j.manager_comments), ("Approved", _day(j.approved_on))])
        if j.child_views:
            c.add("The child's own words", f"The child's views, {_day(j.decided_on)}",
                  [("What the child said", j.child_views)], CHILD_WORDS if c.parent else "")
    for alert in Alert.objects.filter(child=c.child).order_by("raised_on"):
        c.add("Shared with social care", f"Alert to children's social care, {_day(alert.raised_on)}", [
            ("Acknowledged", _yes_no(alert.acknowledged_at is not None))], PROFESSIONALS)
    for d in ConsentDecision.objects.filter(child=c.child).order_by("decided_at"):
        c.add("Shared with social care", f"Consent decision, {_day(d.decided_on)}", [
            ("Decision", d.get_decision_display()), ("Reasons", d.reasons)], PROFESSIONALS)


def _letters_and_emails(c: _Context) -> None:
    for letter in Letter.objects.filter(child=c.child).order_by("sent_on", "created_at"):
        c.add("Letters", f"{letter.subject}, {_day(letter.sent_on)}", [
            ("To", letter.addressed_to), ("Pages", letter.pages), ("Sent by", letter.sender_name)])
    for email in SentEmail.objects.filter(child=c.child).order_by("sent_at"):
        to_family = email.kind == "family"
        c.add("Emails", f"{email.subject}, {_day(timezone.localdate(email.sent_at))}", [
            ("Status", email.get_status_display()), ("Message", email.body)],
            "" if to_family else PROFESSIONALS)


def _plans_and_duties(c: _Context) -> None:
    """Plans, health records, professionals-only meetings (held, as plans.models.Meeting says),
    missing education cases (the enquiries name whom was asked: held) and the statutory path."""
    for plan in Plan.objects.filter(child=c.child).order_by("start_date"):
        c.add("Plans", f"{plan.get_kind_display()} from {_day(plan.start_date)}", [
            ("Lead professional", f"{plan.lead_name}, {plan.lead_agency}"),
            ("Review", _day(plan.review_date)), ("Progress", plan.last_progress),
            ("Ended", _day(plan.ended_on)), ("Why it ended", plan.end_reason)])
    for meeting in meeting_minutes_for_child(c.child).order_by("held_on"):
        c.add("Plans", f"Professionals' meeting, {_day(meeting.held_on)}", [
            ("Question", meeting.question), ("What each agency brought", meeting.contributions),
            ("Decisions", meeting.decisions)], PROFESSIONALS)
    for record in HealthRecord.objects.filter(child=c.child).order_by("recorded_on"):
        c.add("Health", f"Health team's record, {_day(record.recorded_on)}", [
            ("Service", record.get_service_display() if record.service else ""),
            ("Offer", record.get_offer_display() if record.offer else ""),
            ("Concern", record.concern)], AGENCY)
    for case in CmeCase.objects.filter(child=c.child).order_by("missing_since"):
        c.add("Missing education", f"Missing education from {_day(case.missing_since)}", [
            ("State", case.get_state_display()), ("Closed", _day(case.closed_on)),
            ("How it closed", case.get_closure_display() if case.closure else "")])
        enquiries = [(f"{_day(e.asked_on)}: {e.asked_whom}", e.answer or "No answer yet")
                     for e in case.enquiries.all().order_by("asked_on")]  # type: ignore[attr-defined]
        if enquiries:
            c.add("Missing education", f"Enquiries made from {_day(case.missing_since)}", enquiries,
                  THIRD_PARTY)
    for step in StatutoryStep.objects.filter(case__child=c.child, state=StatutoryStep.State.TAKEN
                                             ).order_by("taken_on", "number"):
        c.add("Notices and orders", f"{step.get_kind_display()}, {_day(step.taken_on)}", [
            ("Served", _day(step.served_on)), ("Deadline", _day(step.deadline)),
            ("Outcome", step.get_outcome_display() if step.outcome else ""),
            ("Schools named", step.schools), ("Reasons", step.reasons)])


def _audit(c: _Context) -> None:
    events = AuditEvent.objects.filter(pk__in=AuditedChild.objects.filter(
        child_id=c.child.pk).values("event_id")).select_related("actor", "actor__agency").order_by("at")
    rows: list[tuple[str, Any]] = []
    for event in events:
        who = event.actor.get_role_display() if event.actor and hasattr(event.actor, "get_role_display") \
            else event.actor_label.split(" (")[0].removeprefix("system: ") or "the system"
        agency = f", {event.actor.agency.name}" if event.actor and event.actor.agency else ""
        rows.append((timezone.localtime(event.at).strftime("%-d %B %Y %H:%M"),
                     f"{event.get_action_display()}: {who}{agency}"))
    c.add("Who has seen the record", f"Views and changes recorded: {len(rows)}", rows)


# Models gathered above; any other model with a foreign key to the child is gathered generically.
_KNOWN = {"people.Child", "people.Address", "people.ChildParent", "people.Provider",
          "people.StatusChange", "people.FieldChange", "intake.Notification", "intake.SplitDecision",
          "linkage.PersonMatch", "linkage.DuplicatePair", "risk.Assessment", "risk.TierOverride",
          "risk.RequiredAction", "casework.Contact", "casework.SuitabilityJudgement",
          "casework.Alert", "casework.ConsentDecision", "casework.SocialWorkerAllocation",
          "casework.WorkItem", "allocation.AllocationChange", "letters.Letter", "letters.AccessCode",
          "mail.SentEmail", "records.SubjectAccessRequest", "records.LegalHold", "plans.Plan",
          "plans.Meeting", "plans.HealthRecord", "cme.CmeCase", "statutory.StatutoryCase"}
_SKIP_FIELDS = ("id", "created_at", "modified_at", "created_by", "modified_by", "child", "row_hash")
_ADDRESS_WORDS = ("address", "postcode", "line_1", "line_2", "town")


def _other_domains(c: _Context) -> None:
    for model in apps.get_models():
        label = model._meta.label
        if label in _KNOWN or label.startswith(("people.", "audit.", "accounts.")):
            continue
        for fk in model._meta.get_fields():
            if not (isinstance(fk, models.ForeignKey) and fk.related_model is Child):
                continue
            for obj in model.objects.filter(**{fk.name: c.child}):  # type: ignore[attr-defined]
                c.add(str(model._meta.verbose_name).capitalize(), str(obj)[:200],
                      _generic_fields(obj, c.hide_address), UNKNOWN)


def _generic_fields(obj: models.Model, hide_address: bool) -> Fields:
    rows: Fields = []
    for f in obj._meta.concrete_fields:
        if f.name in _SKIP_FIELDS or isinstance(f, (models.ForeignKey, models.BinaryField)):
            continue
        if hide_address and any(w in f.name for w in _ADDRESS_WORDS):
            continue
        value = getattr(obj, f.attname)
        if value not in (None, "", [], {}):
            rows.append((str(f.verbose_name).capitalize(), str(value)[:2000]))
    return rows


GATHERERS: tuple[Callable[[_Context], None], ...] = (
    _register, _notifications, _agency, _assessments, _casework, _letters_and_emails,
    _plans_and_duties, _other_domains, _audit)


def gather(child: Child, parent: Parent | None) -> list[Gathered]:
    context = _Context(child, parent, hide_address=child.do_not_disclose_address)
    for gatherer in GATHERERS:
        gatherer(context)
    return context.out


# -- the request and its decisions ---------------------------------------------------------------
def subject_access_create(*, actor: Actor, child: Child, parent_name: str = "", requester_name: str,
                          purpose: str, received_date: dt.date) -> SubjectAccessRequest:
    """Gather the bundle for the child (or the named parent of the child) in one go."""
    if not actor.can(Cap.SUBJECT_ACCESS):
        raise NotPermitted("your role cannot produce subject access bundles")
    if not purpose.strip():
        raise DomainError("Enter the purpose of the request")
    parent = parent_find(child, parent_name) if parent_name.strip() else None
    with transaction.atomic():
        request = SubjectAccessRequest.objects.create(
            subject=SubjectAccessRequest.Subject.PARENT if parent else SubjectAccessRequest.Subject.CHILD,
            child=child, parent=parent, requester_name=requester_name.strip() or (
                parent.name if parent else child.full_name),
            purpose=purpose.strip(), received_date=received_date, requested_by=actor_user(actor),
            requested_by_label=actor_label(actor), created_by=actor_user(actor))
        items = gather(child, parent)
        SubjectAccessItem.objects.bulk_create([
            SubjectAccessItem(request=request, position=n, section=g.section, title=g.title[:300],
                              fields=[list(f) for f in g.fields], held_because=g.held_because)
            for n, g in enumerate(items)])
        audit_record(actor=actor, action="subject_access", object_type="subject_access_request",
                     object_ids=[request.pk], child_ids=[child.pk], reason=request.purpose,
                     detail={"subject": request.subject, "items": len(items),
                             "held": sum(1 for g in items if g.held_because), "step": "gathered"})
    return request


def item_decide(*, actor: Actor, item: SubjectAccessItem, release: bool, reason: str) -> SubjectAccessItem:
    """Release or withhold one held item, with the reason (kept and audited)."""
    if not actor.can(Cap.SUBJECT_ACCESS):
        raise NotPermitted("your role cannot decide what a subject access bundle releases")
    if not reason.strip():
        raise DomainError("Enter the reason for the decision")
    with transaction.atomic():
        item = SubjectAccessItem.objects.select_for_update().select_related("request").get(pk=item.pk)
        if item.request.state != SubjectAccessRequest.State.REVIEW:
            raise DomainError("This bundle has been released: its decisions can no longer change")
        if not item.held:
            raise DomainError("This item is not held: it is released as it is")
        item.decision = SubjectAccessItem.Decision.RELEASE if release else SubjectAccessItem.Decision.WITHHOLD
        item.decision_reason, item.decided_by_label = reason.strip(), actor_label(actor)
        item.decided_at = timezone.now()
        item.save(update_fields=["decision", "decision_reason", "decided_by_label", "decided_at",
                                 "modified_at"])
        audit_record(actor=actor, action="redact", object_type="subject_access_item",
                     object_ids=[item.pk], child_ids=[item.request.child_id], reason=item.decision_reason,
                     detail={"request": str(item.request_id), "decision": item.decision,
                             "section": item.section})
    return item


def undecided(request: SubjectAccessRequest) -> int:
    return request.items.exclude(held_because="").filter(decision="").count()


def subject_access_release(*, actor: Actor, request: SubjectAccessRequest) -> SubjectAccessRequest:
    """Make the family's files from the released items only, once every held item is decided."""
    from notinschool.records.bundle import bundle_json, bundle_pdf

    if not actor.can(Cap.SUBJECT_ACCESS):
        raise NotPermitted("your role cannot release subject access bundles")
    with transaction.atomic():
        request = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != SubjectAccessRequest.State.REVIEW:
            raise DomainError("This bundle has already been released")
        waiting = undecided(request)
        if waiting:
            raise DomainError(f"{waiting} held item{'s' if waiting != 1 else ''} still "
                              f"need{'s' if waiting == 1 else ''} a decision")
        released = [i for i in request.items.all() if i.released]
        withheld = request.items.count() - len(released)
        request.json = bundle_json(request, released, withheld)
        request.pdf = bundle_pdf(request, released, withheld)
        request.state, request.released_at = SubjectAccessRequest.State.RELEASED, timezone.now()
        request.released_by_label = actor_label(actor)
        request.save(update_fields=["json", "pdf", "state", "released_at", "released_by_label",
                                    "modified_at"])
        audit_record(actor=actor, action="subject_access", object_type="subject_access_request",
                     object_ids=[request.pk], child_ids=[request.child_id], reason=request.purpose,
                     detail={"step": "released", "released": len(released), "withheld": withheld})
    return request


def bundle_download(*, actor: Actor, request: SubjectAccessRequest, kind: str) -> bytes:
    """The released bundle's PDF or JSON, audited as a download with the request's purpose."""
    if not actor.can(Cap.SUBJECT_ACCESS):
        raise NotPermitted("your role cannot download subject access bundles")
    if request.state != SubjectAccessRequest.State.RELEASED:
        raise DomainError("The bundle is not released yet")
    audit_record(actor=actor, action="download", object_type="subject_access_bundle",
                 object_ids=[request.pk], child_ids=[request.child_id], reason=request.purpose,
                 detail={"format": kind})
    if kind == "pdf":
        return bytes(request.pdf or b"")
    return json.dumps(request.json, indent=2, ensure_ascii=False).encode()


def requests_for(actor: Actor) -> list[SubjectAccessRequest]:
    if not actor.can(Cap.SUBJECT_ACCESS):
        raise NotPermitted("your role cannot see subject access requests")
    return list(SubjectAccessRequest.objects.select_related("child")[:200])


def today() -> dt.date:
    return clock.today()

"""The work queue (docs/product.md, "Work queues and alerts"), scoped to the person asking.

An officer's queue is the children allocated to them (`Child.officer`); a manager's team queue
is every child. Its items are every open required action of those children (consent requests
and alerts to social care have their own lists) and every contact with the family due within
5 working days or overdue (the latest assessment's `next_contact_due`): most serious tier
first (tier 1), then the soonest date, items without a date last; a page of 50 at a time, every
item reachable. Filters: the officer (or nobody), the tier, the kind of item. An item is
*overdue* when its date has passed and *due soon* within the next 5 working days; the list
can be filtered to either (the page's counts link to them). A page that
names children writes an audit event with the children shown."""

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, FilteredRelation, Q, QuerySet, Value
from django.db.models.fields import CharField, DateField, UUIDField
from django.db.models.functions import Coalesce
from django.http import QueryDict

from notinschool.accounts.actor import Actor
from notinschool.accounts.models import User
from notinschool.accounts.roles import Cap, Role
from notinschool.audit.services import audit_record
from notinschool.casework.action_pages import action_page
from notinschool.casework.consent import CONSENT_REQUIRED
from notinschool.casework.models import Alert, WorkItem
from notinschool.core import clock
from notinschool.core.workdays import add_working_days
from notinschool.people.models import OPEN_STATUSES, Child
from notinschool.people.selectors import child_queryset_for
from notinschool.risk.engine import DEFAULT
from notinschool.risk.models import Assessment, RequiredAction
from notinschool.web.pagination import PER_PAGE, Page, page_number

DUE_WITHIN_WORKING_DAYS = 5
ROWS_SHOWN = 100  # of the consent requests and alerts lists
OWN_LISTS = (CONSENT_REQUIRED, "alert_social_care")
CONTACT_DUE = "contact_due"
WORK_ITEM = "work_item"
UNALLOCATED = "unallocated"
ACTION_LABELS = {a.code: a.description for a in DEFAULT.actions}
KINDS = {CONTACT_DUE: "Contact the family"} | {
    code: label for code, label in ACTION_LABELS.items() if code not in OWN_LISTS} | {
    WORK_ITEM: "Deadlines and chasers (notices, enquiries, handovers, meeting actions)"}
OPEN_STATES = (RequiredAction.State.OPEN, RequiredAction.State.ACKNOWLEDGED)
_NO_TIER = 9  # sorts after tier 4
_NO_DATE = dt.date(9999, 12, 31)  # sorts after every real date


@dataclass(frozen=True)
class QueueFilters:
    officer: int | None = None  # a user's id, or None for anyone
    unallocated: bool = False  # only children allocated to nobody
    tier: int | None = None
    kind: str = ""  # an action code, CONTACT_DUE, or "" for every kind
    when: str = ""  # "overdue", "due" (in the next 5 working days), or "" for any date


@dataclass(frozen=True)
class QueueItem:
    child: Child
    what: str
    due: dt.date | None
    overdue: bool
    tier: int | None = None
    kind: str = ""
    action_id: uuid.UUID | None = None
    due_soon: bool = False
    link: str = ""  # where to act on a work item

    @property
    def officer(self) -> User | None:
        return self.child.officer


@dataclass
class WorkQueue:
    team: bool
    education: bool  # the actor does education casework (due, overdue, decisions)
    counts: dict[str, int]
    page: Page | None = None
    items: list[QueueItem] = field(default_factory=list)
    decisions: list[QueueItem] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    visible_children: set[Any] = field(default_factory=set)
    own_items: list[WorkItem] = field(default_factory=list)  # for roles without education casework


def _children(actor: Actor, team: bool) -> QuerySet[Child]:
    children = child_queryset_for(actor).filter(status__in=OPEN_STATUSES)
    if team and actor.can(Cap.VIEW_TEAM_WORK):
        return children
    return children.filter(officer=actor) if isinstance(actor, User) else children.none()


def _querysets(actor: Actor, team: bool) -> dict[str, QuerySet[Any]]:
    today = clock.today()
    horizon = add_working_days(today, DUE_WITHIN_WORKING_DAYS)
    children = _children(actor, team)
    contacts = Assessment.objects.filter(is_latest=True, child__in=children,
                                         next_contact_due__isnull=False)
    actions = RequiredAction.objects.filter(state__in=OPEN_STATES, child__in=children,
                                            due_date__isnull=False).exclude(code__in=OWN_LISTS)
    items = _work_items(actor, team, QueueFilters()).filter(due_date__isnull=False)
    return {
        "overdue_contacts": contacts.filter(next_contact_due__lt=today),
        "overdue_actions": actions.filter(due_date__lt=today),
        "overdue_items": items.filter(due_date__lt=today),
        "due_contacts": contacts.filter(next_contact_due__gte=today, next_contact_due__lte=horizon),
        "due_actions": actions.filter(due_date__gte=today, due_date__lte=horizon),
        "due_items": items.filter(due_date__gte=today, due_date__lte=horizon),
        "decisions": RequiredAction.objects.filter(code=CONSENT_REQUIRED, child__in=children,
                                                   state=RequiredAction.State.OPEN),
    }


def _work_items(actor: Actor, team: bool, filters: QueueFilters) -> QuerySet[WorkItem]:
    """Open work items of the children the actor may see: in an officer's own queue those they
    own, and those nobody owns of the children allocated to them; in the team view every one,
    or one person's (owned by them, or unowned and of their children) or nobody's."""
    items = WorkItem.objects.filter(closed_at__isnull=True, child__in=child_queryset_for(actor))
    team = team and actor.can(Cap.VIEW_TEAM_WORK)
    person: Any = filters.officer if team else (actor.pk if isinstance(actor, User) else None)
    if not team and person is None:
        return items.none()
    if filters.unallocated and team:
        return items.filter(owner__isnull=True, child__officer__isnull=True)
    if person is not None:
        items = items.filter(Q(owner_id=person) | Q(owner__isnull=True, child__officer_id=person))
    return items


def alerts_for(actor: Actor, team: bool) -> QuerySet[Alert]:
    """Alerts not yet acknowledged that the actor should see: a social worker's own (and their
    front door team's); a manager's team view, every one; an officer, those about their
    children."""
    waiting = Alert.objects.filter(acknowledged_at__isnull=True)
    if actor.role == Role.SOCIAL_WORKER:
        mine = Q(recipient=actor)
        if actor.agency_id:
            mine |= Q(recipient__isnull=True, recipient_agency_id=actor.agency_id)
        return waiting.filter(mine)
    if not actor.can(Cap.VIEW_CASEWORK):
        return waiting.none()
    return waiting.filter(child__in=_children(actor, team))


def work_counts(*, actor: Actor, team: bool) -> dict[str, int]:
    """How many items of each kind, naming no child (for the daily summary and the page's
    panels): overdue and due soon (contacts and actions with a date), consent decisions
    waiting, alerts not acknowledged."""
    counts = {"alerts": alerts_for(actor, team).count()}
    if actor.can(Cap.VIEW_CASEWORK):
        sets = _querysets(actor, team)
        counts["overdue"] = sum(sets[f"overdue_{part}"].count() for part in ("contacts", "actions", "items"))
        counts["due"] = sum(sets[f"due_{part}"].count() for part in ("contacts", "actions", "items"))
        counts["decisions"] = sets["decisions"].count()
    elif own := own_work_items(actor).count():
        counts["own"] = own  # a social worker's actions from meetings, when they have some
    return counts


def own_work_items(actor: Actor) -> QuerySet[WorkItem]:
    """The open work items a person without education casework owns (a social worker's or a
    health practitioner's actions from a professionals' meeting), of children they may see."""
    if not isinstance(actor, User):
        return WorkItem.objects.none()
    return (WorkItem.objects.filter(owner=actor, closed_at__isnull=True,
                                    child__in=child_queryset_for(actor))
            .select_related("child").order_by("due_date", "created_at"))


def queue_officers() -> list[User]:
    """The people a team queue can be filtered by: officers and managers."""
    return list(User.objects.filter(role__in=[Role.EHE_OFFICER, Role.TEAM_MANAGER], is_active=True)
                .order_by("first_name", "last_name", "username"))


def work_queue(*, actor: Actor, team: bool, filters: QueueFilters | None = None,
               params: QueryDict | None = None) -> WorkQueue:
    """The actor's work queue: the counts, one page of items (`params["page"]`), and the first
    consent requests and alerts."""
    team = team and actor.can(Cap.VIEW_TEAM_WORK)
    education = actor.can(Cap.VIEW_CASEWORK)
    queue = WorkQueue(team=team, education=education, counts=work_counts(actor=actor, team=team))
    if education:
        queue.page = _page(*_items(actor, team, filters or QueueFilters()), params or QueryDict())
        queue.items = queue.page.rows
        queue.decisions = [_action_item(a, clock.today()) for a in _querysets(actor, team)["decisions"]
                           .select_related("child").order_by("due_date", "raised_on")[:ROWS_SHOWN]]
    else:
        queue.own_items = list(own_work_items(actor)[:ROWS_SHOWN])
    queue.alerts = list(alerts_for(actor, team).select_related("child", "recipient", "recipient_agency")
                        .order_by("due_date", "raised_on")[:ROWS_SHOWN])
    shown = {i.child.pk for i in queue.items + queue.decisions} | {i.child_id for i in queue.own_items}
    alert_children = {a.child_id for a in queue.alerts}
    queue.visible_children = shown | set(
        child_queryset_for(actor).filter(pk__in=alert_children).values_list("pk", flat=True))
    if queue.visible_children:
        audit_record(actor=actor, action="list", object_type="work_queue",
                     child_ids=sorted(queue.visible_children, key=str), detail={"team": team})
    return queue


def _items(actor: Actor, team: bool, filters: QueueFilters) -> tuple[QuerySet[Any], list[QuerySet[Any]]]:
    """Contacts due and open actions as one sorted list of values (a UNION): the child, the
    kind, the date, the tier and the action (none for a contact); and the parts, to count
    (cheaper apart than the union's count)."""
    horizon = add_working_days(clock.today(), DUE_WITHIN_WORKING_DAYS)
    children = _children(actor, team)
    if filters.unallocated:
        children = children.filter(officer__isnull=True)
    elif filters.officer is not None:
        children = children.filter(officer_id=filters.officer)
    open_actions = (RequiredAction.objects.filter(state__in=OPEN_STATES, child__in=children)
                    .exclude(code__in=OWN_LISTS))
    if filters.kind and filters.kind != CONTACT_DUE:
        open_actions = open_actions.filter(code=filters.kind)
    today = clock.today()
    if filters.when == "overdue":
        open_actions = open_actions.filter(due_date__lt=today)
    elif filters.when == "due":
        open_actions = open_actions.filter(due_date__gte=today, due_date__lte=horizon)
    # the tier of the child's latest assessment, by a join (a subquery a row is 10 times slower)
    actions = (open_actions
               .annotate(latest=FilteredRelation("child__assessments",
                                                 condition=Q(child__assessments__is_latest=True)))
               .annotate(tier_now=Coalesce(F("latest__tier"), Value(_NO_TIER))))
    contacts = Assessment.objects.filter(is_latest=True, child__in=children,
                                         next_contact_due__lte=horizon)
    if filters.when == "overdue":
        contacts = contacts.filter(next_contact_due__lt=today)
    elif filters.when == "due":
        contacts = contacts.filter(next_contact_due__gte=today)
    open_items = _work_items(actor, team, filters)
    if filters.when == "overdue":
        open_items = open_items.filter(due_date__lt=today)
    elif filters.when == "due":
        open_items = open_items.filter(due_date__gte=today, due_date__lte=horizon)
    work = (open_items
            .annotate(latest=FilteredRelation("child__assessments",
                                              condition=Q(child__assessments__is_latest=True)))
            .annotate(tier_now=Coalesce(F("latest__tier"), Value(_NO_TIER))))
    if filters.tier is not None:
        actions = open_actions = actions.filter(tier_now=filters.tier)
        contacts = contacts.filter(tier=filters.tier)
        work = open_items = work.filter(tier_now=filters.tier)
    no_text = Value("", output_field=CharField())
    actions_rows: QuerySet[Any] = actions.values(
        c_id=F("child_id"), what=F("code"), due=F("due_date"), rank=F("tier_now"),
        due_key=Coalesce(F("due_date"), Value(_NO_DATE, output_field=DateField())), item=F("id"),
        words=no_text, href=no_text)
    contact_rows: QuerySet[Any] = contacts.values(
        c_id=F("child_id"), what=Value(CONTACT_DUE, output_field=CharField()),
        due=F("next_contact_due"), rank=F("tier"), due_key=F("next_contact_due"),
        item=Value(None, output_field=UUIDField()), words=no_text, href=no_text)
    work_rows: QuerySet[Any] = work.order_by().values(
        c_id=F("child_id"), what=Value(WORK_ITEM, output_field=CharField()), due=F("due_date"),
        rank=F("tier_now"), due_key=Coalesce(F("due_date"), Value(_NO_DATE, output_field=DateField())),
        item=Value(None, output_field=UUIDField()), words=F("title"), href=F("link"))
    combined: QuerySet[Any]
    parts: list[QuerySet[Any]]
    if filters.kind == CONTACT_DUE:
        combined, parts = contact_rows, [contacts]
    elif filters.kind == WORK_ITEM:
        combined, parts = work_rows, [open_items]
    elif filters.kind:
        combined, parts = actions_rows, [open_actions]
    else:
        combined = actions_rows.union(contact_rows, work_rows, all=True)
        parts = [open_actions, contacts, open_items]
    return combined.order_by("rank", "due_key", "c_id", "what"), parts


def _page(items: QuerySet[Any], parts: list[QuerySet[Any]], params: QueryDict) -> Page:
    number = page_number(params)
    offset = (number - 1) * PER_PAGE
    rows = list(items[offset:offset + PER_PAGE + 1])
    has_next = len(rows) > PER_PAGE
    rows = rows[:PER_PAGE]
    count = (offset + len(rows) if not has_next and (rows or number == 1)
             else sum(part.count() for part in parts))
    return Page(rows=_hydrate(rows), number=number, has_next=has_next, count=count, params=params)


def _hydrate(rows: list[dict[str, Any]]) -> list[QueueItem]:
    today = clock.today()
    horizon = add_working_days(today, DUE_WITHIN_WORKING_DAYS)
    children = Child.objects.select_related("officer").in_bulk({r["c_id"] for r in rows})
    items = []
    for row in rows:
        due = row["due"]
        what = row["words"] or KINDS.get(row["what"], row["what"].replace("_", " "))
        action_id, link = row["item"], row["href"]
        page = action_page(row["what"]) if action_id else None
        if page is not None:  # worked on its domain's own page, not marked done here
            action_id, link = None, page.url(row["c_id"], row["item"])
        items.append(QueueItem(
            child=children[row["c_id"]], what=what,
            due=due, overdue=bool(due and due < today), due_soon=bool(due and today <= due <= horizon),
            tier=row["rank"] if row["rank"] != _NO_TIER else None, kind=row["what"],
            action_id=action_id, link=link))
    return items


def _action_item(action: RequiredAction, today: dt.date) -> QueueItem:
    return QueueItem(action.child, ACTION_LABELS.get(action.code, action.code.replace("_", " ")),
                     action.due_date, bool(action.due_date and action.due_date < today),
                     kind=action.code, action_id=action.pk)

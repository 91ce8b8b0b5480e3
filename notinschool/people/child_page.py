"""The child's page, put together from sections that each app contributes.

A section is a template and a function that gives its context for one actor and one child, or
None when the section is not shown to that actor (or has nothing to show). Each app registers
its sections when Django is ready (`AppConfig.ready()` imports the app's `child_page` module),
so people, at the bottom of the domains, shows what apps above it know about a child without
importing them. people's own sections (the record itself, and who has viewed it) are
registered here, below the registry.

A section's `order` places it on the page as well as ordering it: the bands below are the
page's layout (`people/child.html`). Its template sees its context as `record`, and the page's
`child` and `request`. The context functions run once each, in order, for a child the actor
has opened (`people.pages.child_or_404`, which audits the view); one that reads other
children's data reads it through a selector that scopes it to the actor and audits it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from notinschool.accounts.actor import Actor
from notinschool.audit.selectors import audit_viewers_for_child
from notinschool.core.memo import page_memo, remembering
from notinschool.people.disclosure import address_visible
from notinschool.people.edit_save import field_change_groups
from notinschool.people.models import ETHNICITY_CODES, SEN_CODES, Address, Child, Provider, StatusChange
from notinschool.people.selectors import child_siblings
from notinschool.people.timeline import TimelineEntry, child_timeline, timeline_source_register

SectionContext = dict[str, Any]

# The page's places, by order: a section's order falls in one of these bands.
ABOVE = 0  # notices above the record, full width
MAIN = 100  # the record, in the wide column
SIDE = 200  # beside the record, in the narrow column
BELOW = 300  # below both columns, full width


@dataclass(frozen=True)
class ChildPageSection:
    key: str
    order: int
    template: str
    context: Callable[[Any, Child], SectionContext | None]


@dataclass
class ChildPageLayout:
    """The sections shown, each as (template, context), in order, in their places."""

    above: list[tuple[str, SectionContext]] = field(default_factory=list)
    main: list[tuple[str, SectionContext]] = field(default_factory=list)
    side: list[tuple[str, SectionContext]] = field(default_factory=list)
    below: list[tuple[str, SectionContext]] = field(default_factory=list)


_SECTIONS: dict[str, ChildPageSection] = {}


def child_page_section_register(section: ChildPageSection) -> None:
    """Adds a section to every child's page; a section with the same key is replaced."""
    _SECTIONS[section.key] = section


def _shown(actor: Actor, child: Child) -> list[tuple[ChildPageSection, SectionContext]]:
    """Each section's context; a selector that both a section and the timeline ask
    (`core.memo.page_memo`) reads the database once for the page."""
    shown = []
    with remembering(child):
        for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
            context = section.context(actor, child)
            if context is not None:
                shown.append((section, context))
    return shown


def child_page_sections(*, actor: Actor, child: Child) -> list[tuple[str, SectionContext]]:
    """The sections shown to the actor, in order, each as its template and context."""
    return [(section.template, context) for section, context in _shown(actor, child)]


def child_page_layout(*, actor: Actor, child: Child) -> ChildPageLayout:
    """The sections shown to the actor (as `child_page_sections`), in the page's places."""
    layout = ChildPageLayout()
    for section, context in _shown(actor, child):
        place = (layout.above if section.order < MAIN else layout.main if section.order < SIDE
                 else layout.side if section.order < BELOW else layout.below)
        place.append((section.template, context))
    return layout


# -- people's sections ----------------------------------------------------------------------
def _address_warning(actor: Actor, child: Child) -> SectionContext | None:
    if not child.do_not_disclose_address:
        return None
    return {"address_visible": address_visible(actor, child)}


def _identity(actor: Actor, child: Child) -> SectionContext:
    """The child's own details (the template reads the page's `child`), with the codes' words."""
    ethnicity = ETHNICITY_CODES.get(child.ethnicity, "")
    return {"ethnicity": f"{ethnicity} ({child.ethnicity})" if ethnicity else child.ethnicity,
            "sen": SEN_CODES.get(child.sen_provision, child.sen_provision)}


def _addresses(actor: Actor, child: Child) -> SectionContext:
    """The current address first, then earlier ones, latest first."""
    def latest_first(address: Address) -> tuple[bool, int]:
        day = address.moved_out_date or address.moved_in_date or dt.date.min
        return (not address.is_current, -day.toordinal())

    return {"address_visible": address_visible(actor, child),
            "addresses": sorted(child.addresses.all(), key=latest_first)}


def _parents(actor: Actor, child: Child) -> SectionContext:
    return {"address_visible": address_visible(actor, child),
            "parents": list(child.parent_links.select_related("parent").order_by("-lives_with_child"))}


@dataclass(frozen=True)
class ProviderRow:
    provider: Provider
    name: str
    above: bool  # more hours a week than the threshold (s.436C(1)(e))


def _providers(actor: Actor, child: Child) -> SectionContext:
    threshold = Decimal(settings.NOTINSCHOOL_PROVIDER_HOURS_THRESHOLD)
    return {"threshold": settings.NOTINSCHOOL_PROVIDER_HOURS_THRESHOLD, "providers": [
        ProviderRow(p, p.name, p.hours_per_week is not None and p.hours_per_week > threshold)
        for p in child.providers.order_by("-hours_per_week", "name")]}


def _household(actor: Actor, child: Child) -> SectionContext:
    return {"siblings": child_siblings(actor=actor, child=child)}


@page_memo
def _status_changes(*, child: Child) -> list[StatusChange]:
    return list(child.status_history.all())


def _status_history(actor: Actor, child: Child) -> SectionContext:
    return {"status_history": _status_changes(child=child)}


def _timeline(actor: Actor, child: Child) -> SectionContext:
    return {"entries": child_timeline(actor=actor, child=child)}


def _status_entries(actor: Actor, child: Child) -> list[TimelineEntry]:
    return [TimelineEntry(day=change.date, kind="status", at=change.created_at,
                          title=f"Status: {change.get_status_display()}", detail=change.reason)
            for change in _status_changes(child=child)]


def _edit_entries(actor: Actor, child: Child) -> list[TimelineEntry]:
    """Each save of a change made by hand, with who made it (addresses withheld as the history
    page withholds them)."""
    link = reverse("child_history", args=[child.pk])
    return [TimelineEntry(
        day=timezone.localdate(group.at), kind="edit", at=group.at, who=group.who,
        title="Record changed: " + ", ".join(dict.fromkeys(row.what for row in group.rows)),
        detail="\n".join(f"{row.what}: {row.before or 'not recorded'} to {row.after or 'not recorded'}"
                         for row in group.rows) + (f"\nWhy: {group.reason}" if group.reason else ""),
        link=f"{link}#change-{group.version}", link_text="History of changes")
        for group in field_change_groups(actor=actor, child=child)]


def _viewers(actor: Actor, child: Child) -> SectionContext:
    return {"viewers": audit_viewers_for_child(actor=actor, child_id=child.pk)}


for _section in (
    ChildPageSection("address_warning", ABOVE + 10, "people/child/address_warning.html", _address_warning),
    ChildPageSection("identity", MAIN + 10, "people/child/identity.html", _identity),
    ChildPageSection("addresses", MAIN + 20, "people/child/addresses.html", _addresses),
    ChildPageSection("parents", MAIN + 30, "people/child/parents.html", _parents),
    ChildPageSection("providers", MAIN + 35, "people/child/providers.html", _providers),
    ChildPageSection("household", MAIN + 40, "people/child/household.html", _household),
    ChildPageSection("status_history", MAIN + 50, "people/child/status_history.html", _status_history),
    ChildPageSection("timeline", BELOW + 80, "people/child/timeline.html", _timeline),
    ChildPageSection("viewers", BELOW + 90, "people/child/viewers.html", _viewers),
):
    child_page_section_register(_section)

timeline_source_register("people.status", _status_entries)
timeline_source_register("people.edits", _edit_entries)

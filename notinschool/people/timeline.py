"""The child's timeline: one list of everything that happened to the child, newest first, put
together from entries that each app contributes (as the child's page is from sections).

A source is a function that gives an app's entries about one child for one actor (nothing for
an actor who may not see them). Each app registers its sources when Django is ready, from the
module its `AppConfig.ready()` imports, so people shows what apps above it know about a child
without importing them. The timeline is a section of the child's page (people.child_page)."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from notinschool.accounts.actor import Actor
from notinschool.people.models import Child


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened: when (a date, and the time where it is known, for the order
    within a day), what kind of thing, a one-line title, optional detail, who did it (a
    person's name, or the source of a file), and a link to more (a URL and its words)."""

    day: dt.date
    kind: str
    title: str
    detail: str = ""
    who: str = ""
    at: dt.datetime | None = None
    link: str = ""
    link_text: str = ""


TimelineSource = Callable[[Any, Child], Iterable[TimelineEntry]]
_SOURCES: dict[str, TimelineSource] = {}


def timeline_source_register(key: str, source: TimelineSource) -> None:
    """Adds a source of entries to every child's timeline; a source with the same key is
    replaced."""
    _SOURCES[key] = source


def child_timeline(*, actor: Actor, child: Child) -> list[TimelineEntry]:
    """Every source's entries for the child, newest first (by day, then time where known)."""
    entries = [entry for key in sorted(_SOURCES) for entry in _SOURCES[key](actor, child)]
    return sorted(entries, key=_newest_first)


def _newest_first(entry: TimelineEntry) -> tuple[int, float]:
    at = entry.at.timestamp() if entry.at is not None else 0.0
    return (-entry.day.toordinal(), -at)

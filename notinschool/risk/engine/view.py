"""One child's facts read as of the assessment date, in one pass.

Reading time (docs/risk-model.md): a `state` fact is current when it started on or before the
as-of date and did not end before it (no end date: current); it is inside a look-back window
when it is current or ended on or after the window's first day. An `event` fact (a missed
appointment, a domestic abuse notification) happened on its start date, which must fall in
the window; its end date is ignored, so an old notification sent without an end date is not
"current" for ever. Windows count calendar months back from the as-of date.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .facts import (
    ONLINE_METHOD,
    OUTCOME_DECLINED,
    OUTCOME_ENGAGED,
    OUTCOME_NO_REPLY,
    AgencyFact,
    ChildFacts,
    ContactFact,
)

if TYPE_CHECKING:
    from .context import Context

CP_PLAN = "child_protection_plan"
_UNANSWERED = frozenset({OUTCOME_DECLINED, OUTCOME_NO_REPLY})
# On one day, an engaged contact counts as the latest: the family answered that day.
_OUTCOME_RANK = {OUTCOME_NO_REPLY: 0, OUTCOME_DECLINED: 1, OUTCOME_ENGAGED: 2}

FactIndex = dict[str, list[AgencyFact]]
_NO_FACTS: FactIndex = {}  # shared by children without agency facts; never written to
_NO_ENDED: list[AgencyFact] = []


class ChildView:
    __slots__ = (
        "arrived", "child", "contacts", "ctx", "hh_current", "hh_ended", "hh_window",
        "last_contact", "last_school_date", "last_seen", "last_seen_in_contact", "own_current",
        "own_ended", "own_window", "seen_alone",
    )

    def __init__(self, child: ChildFacts, ctx: Context) -> None:
        self.child = child
        self.ctx = ctx
        self.arrived: dt.date = child.data_arrived_date or child.joined_date
        self.own_current = self.own_window = self.hh_current = self.hh_window = _NO_FACTS
        self.own_ended = self.hh_ended = _NO_ENDED
        if child.agency_facts:
            self._scan(child.agency_facts)
        self.contacts: list[ContactFact] = _contacts_so_far(child.contacts, ctx.as_of)
        self._read_contacts()
        self._read_school_dates()

    def _scan(self, facts: tuple[AgencyFact, ...]) -> None:
        as_of, windows, cp_cutoff = self.ctx.as_of, self.ctx.windows, self.ctx.cp_ended_cutoff
        self.own_current, self.own_window, self.own_ended = {}, {}, []
        self.hh_current, self.hh_window, self.hh_ended = {}, {}, []
        for fact in facts:
            window = windows.get(fact.indicator)
            if window is None or fact.start_date > as_of:
                continue
            is_event, window_start = window
            end = fact.end_date
            if fact.household:
                current, inside, ended = self.hh_current, self.hh_window, self.hh_ended
            else:
                current, inside, ended = self.own_current, self.own_window, self.own_ended
            if is_event:
                if fact.start_date >= window_start:
                    inside.setdefault(fact.indicator, []).append(fact)
                continue
            if end is None or end >= as_of:
                current.setdefault(fact.indicator, []).append(fact)
            if end is None or end >= window_start:
                inside.setdefault(fact.indicator, []).append(fact)
            if fact.indicator == CP_PLAN and end is not None and cp_cutoff <= end < as_of:
                ended.append(fact)

    def _read_contacts(self) -> None:
        """The last contact with the family engaged, and the last contact with the child seen
        (and whether alone: alone at any contact of that day)."""
        online_counts = self.ctx.settings.online_contact_counts_as_seen
        last_engaged = last_seen = None
        alone = False
        for c in self.contacts:  # oldest first
            if c.outcome == OUTCOME_ENGAGED:
                last_engaged = c.contact_date
            if c.child_seen and (online_counts or c.method != ONLINE_METHOD):
                if c.contact_date != last_seen:
                    last_seen, alone = c.contact_date, c.seen_alone
                else:
                    alone = alone or c.seen_alone
        self.last_contact: dt.date | None = last_engaged
        self.last_seen_in_contact: dt.date | None = last_seen
        self.seen_alone: bool | None = alone if last_seen is not None else None

    def _read_school_dates(self) -> None:
        """Last seen (data contract): the latest of a contact with the child seen, a roll
        deletion date and an admission date. A school date leaves `seen_alone` unknown."""
        as_of, child = self.ctx.as_of, self.child
        last_school = None
        for deletion in child.deletions:
            if deletion.deletion_date <= as_of and (
                last_school is None or deletion.deletion_date > last_school
            ):
                last_school = deletion.deletion_date
        for admitted in child.admission_dates:
            if admitted <= as_of and (last_school is None or admitted > last_school):
                last_school = admitted
        self.last_school_date: dt.date | None = last_school
        self.last_seen: dt.date | None = self.last_seen_in_contact
        if last_school is not None and (self.last_seen is None or last_school > self.last_seen):
            self.last_seen, self.seen_alone = last_school, None

    @property
    def not_seen(self) -> bool:
        """Not seen by a professional for over the setting's months (from joining if never)."""
        return (self.last_seen or self.child.joined_date) < self.ctx.not_seen_cutoff

    @property
    def never_on_roll(self) -> bool:
        """No deletion or admission known, no last school URN and no UPN (docs/risk-model.md)."""
        child = self.child
        return not (
            child.last_school_urn_known or child.upn_known or self.last_school_date is not None
        )

    @property
    def no_response(self) -> tuple[ContactFact, ...]:
        """The contacts that show no response, or () when the family has answered.

        The most recent contact was declined, or the two most recent both went unanswered.
        """
        if not self.contacts:
            return ()
        latest = self.contacts[-1]
        if latest.outcome == OUTCOME_DECLINED:
            return (latest,)
        if len(self.contacts) >= 2 and {c.outcome for c in self.contacts[-2:]} <= _UNANSWERED:
            return tuple(self.contacts[-2:])
        return ()


def _contacts_so_far(contacts: tuple[ContactFact, ...], as_of: dt.date) -> list[ContactFact]:
    if len(contacts) < 2:
        return [c for c in contacts if c.contact_date <= as_of]
    return sorted(
        (c for c in contacts if c.contact_date <= as_of),
        key=lambda c: (
            c.contact_date, _OUTCOME_RANK.get(c.outcome, -1), c.method, c.child_seen,
            c.seen_alone,
        ),
    )

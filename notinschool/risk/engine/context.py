"""Everything that depends only on the as-of date and the rule table, worked out once.

Assessing 200,000 children as of one day shares one `Context`: the look-back cut-off dates,
the rule lists by phase and the action and tier lookups. `context_for` keeps the last few.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dates import add_months
from .factors import READS_AGENCY_FACTS, TESTS, Test
from .rules import ActionSpec, IndicatorSpec, Rule, RuleSettings, RuleTable

_CACHE: dict[tuple[dt.date, str, frozenset[dt.date]], Context] = {}
_CACHE_SIZE = 16


@dataclass(frozen=True)
class Context:
    as_of: dt.date
    table: RuleTable
    settings: RuleSettings
    closures: frozenset[dt.date]
    indicators: dict[str, IndicatorSpec]
    windows: dict[str, tuple[bool, dt.date]]  # indicator -> (is an event, window start)
    cp_ended_cutoff: dt.date
    not_seen_cutoff: dt.date
    request_information_cutoff: dt.date
    intervals: dict[int, int]
    actions: dict[str, ActionSpec]
    timed_actions: dict[str, tuple[ActionSpec, ...]]  # rule code -> its actions with deadlines
    order: dict[str, int]
    titles: dict[str, str]
    phases: dict[str, tuple[tuple[Rule, Test], ...]]  # effect -> rules and tests, table order
    phases_without_facts: dict[str, tuple[tuple[Rule, Test], ...]]  # for a child with none
    floor_two: frozenset[str]


def context_for(
    as_of: dt.date, table: RuleTable, closures: frozenset[dt.date] = frozenset()
) -> Context:
    key = (as_of, table.version, closures)
    ctx = _CACHE.get(key)
    if ctx is None:  # the version hashes the whole table, so equal versions are equal tables
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        ctx = _CACHE[key] = build_context(as_of, table, closures)
    return ctx


def build_context(as_of: dt.date, table: RuleTable, closures: frozenset[dt.date]) -> Context:
    s = table.settings
    rules = table.rules
    actions = {a.code: a for a in table.actions}
    phases = {
        effect: tuple((r, _test(r)) for r in rules if r.effect == effect)
        for effect in ("floor", "combination", "one_more_serious", "actions")
    }
    return Context(
        as_of=as_of,
        table=table,
        settings=s,
        closures=closures,
        indicators={spec.code: spec for spec in table.indicators},
        windows={spec.code: _window(spec, as_of, s) for spec in table.indicators},
        cp_ended_cutoff=add_months(as_of, -12 * s.cp_plan_ended_lookback_years),
        not_seen_cutoff=add_months(as_of, -s.not_seen_months),
        request_information_cutoff=as_of - dt.timedelta(days=s.request_information_after_days),
        intervals={t.tier: t.review_interval_months for t in table.tiers},
        actions=actions,
        timed_actions={
            r.code: tuple(actions[a] for a in r.actions if actions[a].deadline_days is not None)
            for r in rules
        },
        order={rule.code: i for i, rule in enumerate(rules)},
        titles={rule.code: rule.title for rule in rules},
        phases=phases,
        phases_without_facts={
            effect: tuple(p for p in pairs if p[0].code not in READS_AGENCY_FACTS)
            for effect, pairs in phases.items()
        },
        floor_two=frozenset(r.code for r in rules if r.effect == "floor" and r.tier == 2),
    )


def _test(rule: Rule) -> Test:
    if rule.effect == "combination":
        return _no_test
    test = TESTS.get(rule.code)
    if test is None:
        raise LookupError(f"no test for rule {rule.code!r}")
    return test


def _no_test(_: object) -> None:
    return None


def _window(spec: IndicatorSpec, as_of: dt.date, s: RuleSettings) -> tuple[bool, dt.date]:
    start = as_of if spec.lookback is None else add_months(as_of, -getattr(s, spec.lookback))
    return spec.timing == "event", start

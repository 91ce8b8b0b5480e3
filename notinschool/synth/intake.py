"""How each child reaches the authority: the route, its dates, and the intake plan."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .dates import weekday_on_or_before
from .people import Weighted
from .places import ELSEWHERE, PRIMARY, SECONDARY, Address, School
from .rand import between, pick

# route -> (weight, expected register status or None when the child is not registered)
ROUTES: dict[str, tuple[int, str | None]] = {
    "ehe_deletion": (540, "ehe"),
    "ehe_deletion_and_registration": (150, "ehe"),
    "registration": (60, "ehe"),
    "registration_never_at_school": (0, "ehe"),  # only through a planted pattern
    "cme_deletion": (70, "cme"),
    "left_for_school": (50, None),
    "returned_to_school": (40, "returned_to_school"),
    "cme_referral": (20, "cme"),
    "not_compulsory_age": (15, None),
    "not_in_school_other": (12, "not_in_school_other"),
    "no_register_effect": (6, None),
    "admission_only": (20, None),
}
ROUTE_PICK = Weighted(tuple((k, w) for k, (w, _) in ROUTES.items() if w))
EHE_ROUTES = ("ehe_deletion", "ehe_deletion_and_registration")


def route_pick_for(weights: dict[str, int]) -> Weighted:
    """A different mix of routes for the children without a planted pattern (benchmarks: e.g.
    {"ehe_deletion_and_registration": 1} gives every such child a deletion and a registration)."""
    unknown = sorted(set(weights) - set(ROUTES))
    if unknown or not any(w > 0 for w in weights.values()) or any(w < 0 for w in weights.values()):
        raise ValueError(f"route weights must be positive weights of known routes: {unknown}")
    return Weighted(tuple((k, w) for k, w in weights.items() if w))
WITH_REGISTRATION = ("ehe_deletion_and_registration", "registration")
NOT_REGISTERED_REASON = {
    "left_for_school": "destination_school_given",
    "not_compulsory_age": "not_compulsory_school_age",
    "no_register_effect": "ground_has_no_register_effect",
    "admission_only": "admitted_to_school_only",
}
CME_GROUNDS = Weighted(
    (
        ("continuous_absence_20_days", 40),
        ("moved_away", 30),
        ("failed_to_return_after_leave", 10),
        ("other", 10),
        ("other_school", 10),
    )
)
REASONS = Weighted(
    (
        ("philosophical_or_preferential", 18),
        ("mental_health", 14),
        ("dissatisfaction_with_school", 14),
        ("lifestyle", 8),
        ("bullying", 8),
        ("not_given", 8),
        ("", 8),
        ("dissatisfaction_with_send_provision", 6),
        ("other", 6),
        ("religious", 4),
        ("risk_of_exclusion", 3),
        ("did_not_get_preferred_school", 3),
    )
)


@dataclass(slots=True)
class Deletion:
    date: int
    ground: str
    school: School | None = None
    destination: School | None = None
    future: Address | None = None
    sen: str = ""
    placement: str = ""


@dataclass(slots=True)
class Registration:
    date: int
    reason: str = ""
    last_school_urn: str = ""
    omit_previous: bool = False


@dataclass(slots=True)
class Contact:
    date: int
    method: str
    seen: str
    alone: str
    outcome: str


@dataclass(slots=True)
class Intake:
    route: str
    deletion: Deletion | None = None
    registration: Registration | None = None
    admission: tuple[School, int] | None = None
    referrals: list[tuple[int, bool]] = field(default_factory=list)  # (date, first record?)
    contacts: list[Contact] = field(default_factory=list)
    contacts_fixed: bool = False  # a pattern set the contacts; leave them as they are

    @property
    def status(self) -> str | None:
        return ROUTES[self.route][1]

    def join(self) -> int:
        """The day the child joined the register (or was first notified)."""
        dates = [d.date for d in (self.deletion, self.registration) if d is not None]
        dates += [d for d, _ in self.referrals]
        if self.admission:
            dates.append(self.admission[1])
        return min(dates)


def days_ago(rng: random.Random, as_of: int, lo: int, hi: int) -> int:
    """A weekday between `lo` and `hi` days before as_of, never within three weeks of the
    twelve-month line (so "within 12 months" is never decided by a day)."""
    for _ in range(50):
        ago = between(rng, lo, hi)
        if not 340 <= ago <= 390:
            break
    return weekday_on_or_before(as_of - ago)


def plan(rng: random.Random, as_of: int, route: str, window: tuple[int, int]) -> Intake:
    """Dates and grounds for a route; schools are chosen once the child's age is known."""
    lo, hi = window
    intake = Intake(route)
    when = days_ago(rng, as_of, lo, hi)
    if route in ("ehe_deletion", "ehe_deletion_and_registration", "not_compulsory_age"):
        intake.deletion = Deletion(when, "elective_home_education")
    elif route == "cme_deletion":
        intake.deletion = Deletion(when, CME_GROUNDS.pick(rng))
    elif route == "left_for_school":
        ground = "other_school" if rng.random() < 0.7 else "moved_away"
        intake.deletion = Deletion(when, ground, destination=pick(rng, ELSEWHERE))
    elif route == "returned_to_school":
        ground = "elective_home_education" if rng.random() < 0.7 else "continuous_absence_20_days"
        when = days_ago(rng, as_of, max(lo, 60), max(hi, 70))
        intake.deletion = Deletion(when, ground)
        back = min(as_of - 3, when + between(rng, 20, 400))
        intake.admission = (pick(rng, PRIMARY + SECONDARY), weekday_on_or_before(back))
    elif route == "not_in_school_other":
        ground = "permanently_excluded" if rng.random() < 0.6 else "medically_unfit"
        intake.deletion = Deletion(when, ground)
    elif route == "no_register_effect":
        ground = "dual_registration_ended" if rng.random() < 0.7 else "custody"
        intake.deletion = Deletion(when, ground)
    elif route == "cme_referral":
        intake.referrals.append((when, True))
    elif route == "admission_only":
        intake.admission = (pick(rng, PRIMARY + SECONDARY), when)
    if route in WITH_REGISTRATION or route == "registration_never_at_school":
        intake.registration = _registration(rng, as_of, intake, when)
    return intake


def _registration(rng: random.Random, as_of: int, intake: Intake, when: int) -> Registration:
    if intake.deletion is not None:
        when = min(as_of - 1, intake.deletion.date + between(rng, -10, 25))
    return Registration(when, REASONS.pick(rng))


def school_for(rng: random.Random, year_group: int) -> School:
    return pick(rng, PRIMARY if year_group <= 6 else SECONDARY)

"""The primary reason a child is missing education: the DfE's termly EHE and CME collection
asks for one per child missing education on the census date (collected since autumn 2023; five
reasons were added in autumn 2025). The codes are ours; the return's `cme_reason` breakdown
(reports.dfe_return) uses them, one row each, in this order.

Which names are confirmed: the DfE's own statistics name "school application, awaiting outcome"
as the most common reason, and the collection's definition of CME names children offered a
place not yet started, children in elective home education found unsuitable and children whose
whereabouts are unknown. The other names below are not confirmed against the collection guide
(its 2025 to 2026 version was not read for this list): they follow the categories of CME that
the statutory guidance and authorities' own procedures describe. Check them against the guide
before a return is submitted, and change the labels here (a code already used by a case
should stay, so cases keep their reason)."""

REASONS: dict[str, str] = {
    "application_awaiting_outcome": "School application made, awaiting the outcome",
    "offered_place_not_started": "Offered a school place, not yet started",
    "ehe_unsuitable": "Home education found not suitable",
    "whereabouts_unknown": "Whereabouts unknown",
    "permanently_excluded_no_place": "Permanently excluded, no new place",
    "ehc_plan_no_placement": "EHC plan naming no school or provision",
    "parent_not_applied": "Parent has not applied for a place or arranged education",
    "new_to_area_not_on_roll": "New to the area, not yet on a school roll",
    "returned_from_abroad": "Returned from abroad, not yet on a school roll",
    "health_reasons": "Health reasons, no education arranged",
    "other": "Other",
    "unknown": "Not known",
}

# confirmed against the DfE's published statistics or the collection's definition of CME
CONFIRMED = frozenset({"application_awaiting_outcome", "offered_place_not_started",
                       "ehe_unsuitable", "whereabouts_unknown"})


def reason_label(code: str) -> str:
    return REASONS.get(code, code.replace("_", " "))

"""Synthetic local authority data for notinschool: no real child is in any of it.

`generate_authority(children=N, seed=S, out=DIR, as_of=DATE)` writes a fictional English
authority ("Wyvern Vale", postcode districts WV1-WV14) into DIR; the notes below
describe every file. Output is byte-identical for the same (children, seed, as_of,
agency_ratio).

Files (CSV, UTF-8 without BOM, one header row, `\\n` line ends, ISO dates):

- `roll-deletions.csv`, `school-admissions.csv`, `parent-registrations.csv`, `referrals.csv`,
  `contacts.csv`: the five intake kinds, with exactly the data contract's columns.
- `agency-<source>.csv` for social_care, health, police, domestic_abuse, exploitation,
  housing: the contract's agency columns. About `agency_ratio * children` rows in all, most
  about children who are not on the register (the general population).
- `truth.csv`: one row per data row of every file above, columns
  `file,row,person_id,noise`. `file` is the file name (`agency-health.csv`), `row` counts
  the header as row 1, `person_id` (`P0000001`) is the synthetic person the row is about, and
  `noise` lists the `;`-separated differences from the person's true identity (empty when
  exact): nickname, typo, transposition, hyphen_part, middle_swap, name_swap, dob_day_month,
  dob_digit, dob_year, old_address. No true-match row carries more than two. Blank cells
  (no middle names, sex, address, NHS number; a referral without a birth date) are "not
  known", not differences. Rows with the
  same person_id are the same person (linkage truth); different ids are different people,
  however alike (twins, look-alikes).
- `truth.json`: one JSON object (each child on a line of its own, so it can be streamed) with
  keys
  `format` ("notinschool-synth-truth/1"), `generator` (children, seed, as_of, agency_ratio,
  version), `children` (below), `twins` ([[pid, pid], ...]: register children born together,
  never to be merged), `sibling_groups` ([[pid, ...], ...]: register children of one household,
  twins included), `lookalikes` ([[register pid, other pid], ...]: a child elsewhere with the
  same forename and surname, another birth date and address, on a child protection plan; it
  must not match), `pattern_counts`, `status_counts`, `files` (data rows per file, and
  truth.csv), `persons` (person ids issued).

  `children` has one object per child named in any intake file (exactly `children` of them):
  `person_id`, `family_id`, legal `forename`, `middle_names`, `surname`, `sex`,
  `date_of_birth`, current `address_line_1` and `postcode`; `route` (how the child reached
  the authority); `expected_status` (`ehe`, `cme`, `not_in_school_other`,
  `returned_to_school`, or null when the child is recorded but not registered, with
  `not_registered_reason`: destination_school_given, not_compulsory_school_age,
  ground_has_no_register_effect, admitted_to_school_only); `joined` (first notification);
  `patterns` (planted pattern names); and, for open statuses only (ehe, cme,
  not_in_school_other; otherwise null or empty):
  `floor_tier` (the register's risk_tier must be this number or lower, i.e. as serious or
  more), `factors` (docs/risk-model.md rows that apply, plus derived `two_tier2_factors`,
  `not_seen_12_months`, `consent_required`, `previous_address_missing`), `flags` (must appear
  in the export's flags), `other_flags` (indicators current or started within 12 months that
  meet no floor: may appear), `required_actions` (must appear; `cme_enquiries` for every cme
  child, `consent_required`, `request_information` where planted), `last_seen_date`,
  `ordinary` (true: an ehe child with no floor, so the register must give exactly tier 4 and
  no required actions), `twin_of`, `siblings_on_register`, `household` (person ids of the
  other children at the address, on the register or not).

Planted patterns (`patterns.PATTERNS`; each child carries at most one; at least one of each
whatever `children` is, about 10% of children in all). Floor patterns: child_protection_plan,
section_47_enquiry, looked_after, child_in_need, cp_plan_ended_within_5_years,
exploitation_concern, missing_episode, domestic_abuse_notification,
sibling_child_protection_plan, step_sibling_child_protection_plan, sibling_child_in_need,
was_not_brought_twice, not_registered_with_gp, health_concern, physical_health_reason,
ehcp_at_school (sen_provision E), ehcp_agency, never_on_school_roll, known_only_to_health
(never on a roll and missed appointments), not_seen_12_months, declined_contact,
no_reply_twice, two_tier2_factors (child in need and domestic abuse), consent_cp_plan (home
education deletion while on a plan), consent_special_placement (la_arranged_special_placement
Y), previous_address_missing (request_information). Patterns that must raise nothing (the
child stays `ordinary`): cp_plan_ended_over_5_years, missing_episode_over_12_months,
lookalike_on_plan. Patterns beyond the floors (tier 4 is right, but `ordinary` is false
because a good model may look harder): parental_mental_health, parental_substance_misuse,
police_concern, temporary_accommodation, young_carer, online_only_contact.

How truth is worked out: `truth.assess` applies docs/risk-model.md's floors to the facts exactly as
written, as at `as_of`: "current" is start <= as_of and (no end or end >= as_of); "within 12
months" is a start on or after as_of less 12 calendar months; events (was_not_brought,
domestic_abuse_notification, missing_episode) carry an end date equal to (or just after) the
start. Household factors use the contract's rule on the written rows (same normalised
address_line_1 and postcode, and the same surname or a parent name in common with the
parent names in the child's intake rows); rows of household members on plans never carry
surname or address noise, so the rule and the linkage agree. Dates that decide a 12-month
or 5-year rule are kept three weeks or more from the line.

Other behaviour worth knowing: an agency sometimes holds one person under two record ids
(same person_id in truth.csv); general-population parents are known by name only; NHS
numbers (999 test range, valid check digit) are unique per person for the first ~900,000
people given one; UPNs use the non-existent authority number 990 with a valid check letter.
Run it by hand with `python -m notinschool.synth --children N --seed S --out DIR`.
"""

from __future__ import annotations

import datetime as dt
import pathlib
from collections.abc import Callable
from typing import Any

from .generator import generate
from .patterns import PATTERNS

__all__ = ["PATTERNS", "generate_authority"]


def generate_authority(
    *,
    children: int,
    seed: int,
    out: pathlib.Path,
    as_of: dt.date,
    progress: Callable[[int], None] | None = None,
    agency_ratio: float = 5.0,
    route_weights: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Write a synthetic authority into `out`; returns counts per file, patterns and statuses.

    The summary is `{"files": {file name: data rows}, "persons": int, "register_children":
    int, "patterns": {name: children}, "statuses": {status: children}}`. `progress` is called
    with the number of register children made so far, every thousand and at the end.
    `route_weights` ({route: weight}, routes of `intake.ROUTES`) replaces the usual mix of
    routes for children without a planted pattern; the output is then not the default one.
    """
    if children < 0:
        raise ValueError("children must not be negative")
    if agency_ratio < 0:
        raise ValueError("agency_ratio must not be negative")
    return generate(children, seed, pathlib.Path(out), as_of, progress, agency_ratio,
                    route_weights)

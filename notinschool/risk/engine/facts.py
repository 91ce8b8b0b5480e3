"""What the risk engine reads: plain, frozen records built by the caller from the database.

The engine never touches the database. The caller loads, in a few set-based queries, one
`ChildFacts` per child: the child's own agency facts and those of household members (marked
`household=True`; household per the data contract: same home address and the same surname or
a parent in common), the contacts, the school roll deletions and admissions, and a few
register fields. Codes are the data contract's codes (indicators, outcomes, methods, grounds).

The engine itself works out, as of the assessment date, which facts are current or inside a
look-back window, when the child was last seen (the contract's last-seen rule: the latest of a
contact with the child seen, a roll deletion date, an admission date), the last contact, the
contact-response pattern and "never on the roll of any school". Anything dated after the as-of
date (a fact starting later, a later contact, deletion or admission) is ignored, so a replay
with `--as-of` gives the tiers and dates of that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

EHE_GROUND = "elective_home_education"
CME_STATUS = "cme"
PHYSICAL_HEALTH_REASON = "physical_health"
EHCP_SEN_PROVISION = "E"

OUTCOME_ENGAGED = "engaged"
OUTCOME_DECLINED = "declined"
OUTCOME_NO_REPLY = "no_reply"
ONLINE_METHOD = "online_meeting"


@dataclass(frozen=True, slots=True)
class AgencyFact:
    """One agency row about the child, or about a household member when `household` is true.

    `end_date` None means current (data contract). `received_date` is the day the row reached
    the authority (the import day); it starts the clock for `alert_social_care` and
    `see_child_within_10_days`. When None, the start date stands in for it. `ref` is the
    caller's id for the row, returned as evidence on the rule that used it.
    """

    source: str
    indicator: str
    start_date: dt.date
    end_date: dt.date | None = None
    household: bool = False
    received_date: dt.date | None = None
    ref: str = ""


@dataclass(frozen=True, slots=True)
class ContactFact:
    """A contact that happened: `outcome` is `engaged`, `declined` or `no_reply`; `method` is
    `letter`, `email`, `phone`, `home_visit`, `other_visit` or `online_meeting`."""

    contact_date: dt.date
    outcome: str
    child_seen: bool = False
    seen_alone: bool = False
    method: str = "letter"


@dataclass(frozen=True, slots=True)
class DeletionFact:
    """A school roll deletion of this child.

    `received_date` is when the return reached the authority (None: the deletion date).
    `la_arranged_special_placement` is the return's `Y`. `consent_given` is true where the
    authority consented to the withdrawal before the deletion (s.434A), which answers
    `consent_required`.
    """

    deletion_date: dt.date
    ground: str
    received_date: dt.date | None = None
    la_arranged_special_placement: bool = False
    consent_given: bool = False
    ref: str = ""


@dataclass(frozen=True, slots=True)
class ChildFacts:
    """Everything the rules need about one child on the register.

    - `status`: `ehe`, `cme`, `not_in_school_other`, ... (`cme` raises `cme_enquiries`).
    - `joined_date`: the day the child joined the register (the review clock starts here
      until a contact is made; "not seen" counts from here when there is no last-seen date).
    - `data_arrived_date`: the day the record reached the authority (None: `joined_date`);
      deadlines counted "from the data arriving" start at the later of this and the fact's
      `received_date`.
    - `last_school_urn_known`, `upn_known`: with deletions and admissions, decide "never on
      the roll of any school".
    - `ehe_reason`, `sen_provision`: the contract's codes (`physical_health`; `E`, `K`, `N`).
    - `cme_since`: when the missing-education case opened (None: `data_arrived_date`).
    - `eligible_date`: when the child became eligible for the register (None: `joined_date`).
    - `missing_required_info`: names of register items the law requires and the authority
      still lacks, e.g. `("previous_address",)` for a child who moved in under 12 months ago,
      `("parent_details",)`. The engine applies the 15-day wait itself.
    - `no_education_information`, `suitability_not_shown`, `home_visit_refused`: casework
      findings that lead to `consider_preliminary_notice`.
    """

    child_ref: str
    status: str
    joined_date: dt.date
    data_arrived_date: dt.date | None = None
    agency_facts: tuple[AgencyFact, ...] = ()
    contacts: tuple[ContactFact, ...] = ()
    deletions: tuple[DeletionFact, ...] = ()
    admission_dates: tuple[dt.date, ...] = ()
    last_school_urn_known: bool = False
    upn_known: bool = False
    ehe_reason: str | None = None
    sen_provision: str | None = None
    cme_since: dt.date | None = None
    eligible_date: dt.date | None = None
    missing_required_info: tuple[str, ...] = ()
    no_education_information: bool = False
    suitability_not_shown: bool = False
    home_visit_refused: bool = False

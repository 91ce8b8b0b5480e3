"""The roles of `docs/product.md` and what each may do.

A role is a set of capabilities; pages, the API and selectors ask `can(user, capability)`.
Need-to-know is enforced twice: here (may this role do it at all) and in the selectors
(which children's records may this user read).
"""

from enum import StrEnum


class Role(StrEnum):
    EHE_OFFICER = "ehe_officer"
    TEAM_MANAGER = "team_manager"
    SOCIAL_WORKER = "social_worker"
    HEALTH_PRACTITIONER = "health_practitioner"
    SCHOOL_LEAD = "school_lead"
    ANALYST = "analyst"
    DPO = "dpo"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.EHE_OFFICER: "EHE/CME officer",
    Role.TEAM_MANAGER: "Team manager",
    Role.SOCIAL_WORKER: "Social worker",
    Role.HEALTH_PRACTITIONER: "Health practitioner",
    Role.SCHOOL_LEAD: "School safeguarding lead",
    Role.ANALYST: "Partnership analyst",
    Role.DPO: "Data protection officer",
    Role.ADMIN: "Administrator",
}


class Cap(StrEnum):
    """Capabilities: what a role may do, never which children (that is the selectors' job)."""

    VIEW_REGISTER = "view_register"          # list and open children's records
    VIEW_ALL_CHILDREN = "view_all_children"  # every child in the area, not only associated ones
    EDIT_REGISTER = "edit_register"          # record notifications, change the register
    IMPORT_FILES = "import_files"            # upload intake files
    EXPORT_REGISTER = "export_register"
    VIEW_AGENCY_DETAIL_SOCIAL_CARE = "view_detail_social_care"
    VIEW_AGENCY_DETAIL_HEALTH = "view_detail_health"
    VIEW_AGENCY_DETAIL_POLICE = "view_detail_police"
    REVIEW_MATCHES = "review_matches"
    OVERRIDE_TIER = "override_tier"
    CHANGE_RULES = "change_rules"
    DECIDE_CONSENT = "decide_consent"
    VIEW_CASEWORK = "view_casework"          # education casework: contacts, letters, notices
    VIEW_AUDIT = "view_audit"
    VIEW_REPORTS = "view_reports"
    MANAGE_USERS = "manage_users"
    VIEW_TEAM_WORK = "view_team_work"        # the whole team's work queue, not only one's own
    ALLOCATE_SOCIAL_WORKER = "allocate_social_worker"  # who in social care a child's alerts go to
    RECORD_CASEWORK = "record_casework"      # record contacts, visits and letters; mark actions done
    ALLOCATE_OFFICERS = "allocate_officers"  # which officer holds a child; allocation rules
    EDIT_LETTER_TEMPLATES = "edit_letter_templates"  # the authority's letter templates
    EDIT_PUBLIC_PAGES = "edit_public_pages"  # the words of the public information pages
    BREAK_GLASS = "break_glass"              # open a child outside one's scope, giving a reason
    REVIEW_BREAK_GLASS = "review_break_glass"  # judge others' break-glass access
    SUBJECT_ACCESS = "subject_access"        # produce and release a subject access bundle
    LEGAL_HOLD = "legal_hold"                # stop the retention job deleting a child's record


_OFFICER = {
    Cap.VIEW_REGISTER, Cap.VIEW_ALL_CHILDREN, Cap.EDIT_REGISTER, Cap.IMPORT_FILES,
    Cap.EXPORT_REGISTER, Cap.REVIEW_MATCHES, Cap.VIEW_CASEWORK, Cap.VIEW_REPORTS,
    Cap.RECORD_CASEWORK,
}

CAPABILITIES: dict[Role, frozenset[Cap]] = {
    Role.EHE_OFFICER: frozenset(_OFFICER),
    Role.TEAM_MANAGER: frozenset(
        _OFFICER | {Cap.OVERRIDE_TIER, Cap.CHANGE_RULES, Cap.DECIDE_CONSENT,
                    Cap.VIEW_AGENCY_DETAIL_SOCIAL_CARE, Cap.VIEW_TEAM_WORK,
                    Cap.ALLOCATE_SOCIAL_WORKER, Cap.ALLOCATE_OFFICERS, Cap.EDIT_LETTER_TEMPLATES,
                    Cap.SUBJECT_ACCESS, Cap.LEGAL_HOLD, Cap.REVIEW_BREAK_GLASS}
    ),
    # Break-glass is the social worker's only: officers and managers read every child already;
    # health practitioners, school leads, analysts, the DPO and administrators may not.
    Role.SOCIAL_WORKER: frozenset(
        {Cap.VIEW_REGISTER, Cap.VIEW_AGENCY_DETAIL_SOCIAL_CARE, Cap.ALLOCATE_SOCIAL_WORKER,
         Cap.BREAK_GLASS}
    ),
    Role.HEALTH_PRACTITIONER: frozenset({Cap.VIEW_REGISTER, Cap.VIEW_AGENCY_DETAIL_HEALTH}),
    Role.SCHOOL_LEAD: frozenset({Cap.IMPORT_FILES}),
    Role.ANALYST: frozenset({Cap.VIEW_REPORTS}),
    Role.DPO: frozenset({Cap.VIEW_AUDIT, Cap.SUBJECT_ACCESS, Cap.LEGAL_HOLD, Cap.REVIEW_BREAK_GLASS}),
    Role.ADMIN: frozenset({Cap.MANAGE_USERS, Cap.EDIT_LETTER_TEMPLATES, Cap.EDIT_PUBLIC_PAGES}),
}


def capabilities(role: str) -> frozenset[Cap]:
    try:
        return CAPABILITIES[Role(role)]
    except ValueError:
        return frozenset()

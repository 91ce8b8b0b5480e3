"""The statutory path's letters: a kind for each step that writes to the family, with the
placeholders its template may use beyond the usual ones (`letters.placeholders`). The default
words are in the data migration 0002_letter_templates; the authority edits them on the letter
templates page like any other. Registered by `StatutoryConfig.ready()`."""

from notinschool.letters.models import letter_kind_register
from notinschool.letters.placeholders import letter_placeholder_register

INFORMAL_ENQUIRY = "statutory_enquiry"
HOME_VISIT_REQUEST = "home_visit_request"
PRELIMINARY_NOTICE = "preliminary_notice"
SATISFIED = "statutory_satisfied"
NOTICE_OF_INTENTION = "notice_of_intention"
ORDER = "school_attendance_order"
REVOKED = "sao_revoked"
REVOCATION_REFUSED = "sao_revocation_refused"

KINDS = {
    INFORMAL_ENQUIRY: "Informal enquiry about a child's education",
    HOME_VISIT_REQUEST: "Home visit request (2026 Act)",
    PRELIMINARY_NOTICE: "Preliminary notice (section 437(1))",
    SATISFIED: "The authority is satisfied (after a preliminary notice)",
    NOTICE_OF_INTENTION: "Notice of intention to serve a school attendance order",
    ORDER: "School attendance order (section 437(3))",
    REVOKED: "Revocation of a school attendance order",
    REVOCATION_REFUSED: "Refusal to revoke a school attendance order",
}

# name -> (what it stands for, a made-up value for the preview), and the kinds that use it
_PLACEHOLDERS = {
    "deadline": ("the last day the parent has (the reply, the notice's period, the choice of school)",
                 "22 December 2026",
                 (INFORMAL_ENQUIRY, HOME_VISIT_REQUEST, PRELIMINARY_NOTICE, NOTICE_OF_INTENTION)),
    "served_on": ("the day the letter is served (by hand that day; by post the second working day after)",
                  "7 December 2026", (PRELIMINARY_NOTICE, NOTICE_OF_INTENTION)),
    "schools": ("the school or schools the authority names", "Example Primary School",
                (NOTICE_OF_INTENTION, ORDER, REVOKED, REVOCATION_REFUSED)),
    "notice_date": ("the date of the preliminary notice", "7 December 2026",
                    (SATISFIED, NOTICE_OF_INTENTION, ORDER)),
    "application_date": ("the date of the parent's application to revoke the order", "1 March 2027",
                         (REVOKED, REVOCATION_REFUSED)),
    "reasons": ("the authority's reasons, as the officer wrote them", "The reasons, in words.",
                (SATISFIED, NOTICE_OF_INTENTION, ORDER, REVOKED, REVOCATION_REFUSED)),
}


def register() -> None:
    for code, label in KINDS.items():
        letter_kind_register(code, label)
    for name, (description, sample, kinds) in _PLACEHOLDERS.items():
        for kind in kinds:
            letter_placeholder_register(kind, name, description, sample)

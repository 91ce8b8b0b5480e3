"""The notification kinds of the data contract, registered in the one list (`intake.kinds`):
each row is a notification about a child, matched to the register and kept as it arrived."""

from notinschool.intake import appliers
from notinschool.intake import columns as c
from notinschool.intake.kinds import IntakeKind, intake_kind_register

ROLL_DELETIONS = intake_kind_register(IntakeKind(
    slug="roll-deletions", label="School roll deletions", columns=c.ROLL_DELETIONS,
    apply=appliers.roll_deletions, schools=True,
    form=("roll-deletion", "Record a school roll deletion")))
SCHOOL_ADMISSIONS = intake_kind_register(IntakeKind(
    slug="school-admissions", label="School admissions", columns=c.SCHOOL_ADMISSIONS,
    apply=appliers.school_admissions, schools=True,
    form=("school-admission", "Record a school admission")))
PARENT_REGISTRATIONS = intake_kind_register(IntakeKind(
    slug="parent-registrations", label="Parent registrations", columns=c.PARENT_REGISTRATIONS,
    apply=appliers.parent_registrations,
    form=("parent-registration", "Record a parent's registration")))
# anyone may refer a child who may be missing education (Education Act 1996 s.436A)
REFERRALS = intake_kind_register(IntakeKind(
    slug="referrals", label="Referrals", columns=c.REFERRALS, apply=appliers.referrals,
    partners=True, form=("referral", "Record a referral")))

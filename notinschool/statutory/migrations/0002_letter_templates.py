"""The statutory path's letters every authority starts with, in plain, respectful English; its
editors change them on the letter templates page (each kind may use its own placeholders, see
notinschool/statutory/letters.py). Each is saved as version 1, by nobody (the installation)."""

from django.db import migrations

INFORMAL_ENQUIRY = """We are writing about {child_first_name}'s education. The council has a duty to act if it appears that a child of compulsory school age in its area is not receiving a suitable education, either at school or otherwise. We have not yet been able to find out enough about {child_first_name}'s education to know whether it is suitable.

## What we are asking
Please tell us about the education {child_first_name} receives: who educates {child_first_name}, what {child_first_name} learns and how, and roughly how much time it takes each week. You can do this in whatever way suits you: a written description, examples of work, or a meeting with us at home or elsewhere.

Please reply by {deadline}.

## Why it matters
This is an informal enquiry. If we do not hear from you, or the information does not show that the education is suitable, the law may require us to serve a formal notice. We would much rather understand {child_first_name}'s education by working with you.

If you have any questions, please contact me on {team_phone} or at {team_email}."""

HOME_VISIT_REQUEST = """We would like to visit {child_first_name} at home, to see where {child_first_name} learns and to talk with you and {child_first_name} about {child_first_name}'s education. The Children's Wellbeing and Schools Act 2026 lets the council ask to visit the home of a child on its register of children not in school.

Please contact us by {deadline} to arrange a time that suits you. If you would rather not have a visit, please tell us why and how else you can show us {child_first_name}'s education. A refusal without a good reason can lead to a formal notice.

If you have any questions, please contact me on {team_phone} or at {team_email}."""

PRELIMINARY_NOTICE = """## Notice under section 437(1) of the Education Act 1996
It appears to {authority_name} that {child_name}, born {child_date_of_birth}, who is of compulsory school age, may not be receiving suitable education, either by regular attendance at school or otherwise.

This notice requires you to satisfy the council that {child_first_name} is receiving suitable education: efficient full-time education suitable to {child_first_name}'s age, ability and aptitude, and to any special educational needs {child_first_name} may have.

## What you need to do, and by when
This notice is served on {served_on}. You have until {deadline} to satisfy the council. You can send a written description of {child_first_name}'s education, examples of work, or ask to meet us. We will consider whatever you send.

## What happens next
If you do not satisfy the council by {deadline}, and the council thinks that {child_first_name} should attend school, it must serve a school attendance order requiring you to register {child_first_name} at a school. Before it does, it will tell you which school it intends to name, and you can choose another.

If you need help or want to talk about this notice, please contact me on {team_phone} or at {team_email}. You may also wish to get independent advice."""

SATISFIED = """Thank you for the information you gave us after our notice of {notice_date} about {child_first_name}'s education.

We are now satisfied that {child_first_name} is receiving a suitable education. We will take no further action under that notice.

{reasons}

We will stay in touch as we do with every family who educates their children at home. If you have any questions, please contact me on {team_phone} or at {team_email}."""

NOTICE_OF_INTENTION = """## Notice of intention to serve a school attendance order (section 438 of the Education Act 1996)
We wrote to you on {notice_date} asking you to satisfy the council that {child_name} is receiving suitable education. You have not satisfied us, and we think {child_first_name} should attend school.

{reasons}

## The school we intend to name
We intend to serve a school attendance order naming: {schools}

## Your right to choose a school
This notice is served on {served_on}. If you would like {child_first_name} to attend a different school, please tell us by {deadline}. If the school you choose is suitable and will admit {child_first_name}, we will name it in the order instead.

If you need help or want to talk about this, please contact me on {team_phone} or at {team_email}. You may also wish to get independent advice."""

ORDER = """## School attendance order (section 437(3) of the Education Act 1996)
{authority_name} is not satisfied that {child_name}, born {child_date_of_birth}, is receiving suitable education, and in the council's opinion it is expedient that {child_first_name} should attend school.

This order requires you to cause {child_first_name} to become a registered pupil at: {schools}

{reasons}

The order stays in force while {child_first_name} is of compulsory school age, unless the council revokes it or a court directs that it ceases. You may ask the council to revoke it, for example if you arrange suitable education otherwise than at school; the council will consider your application and tell you its decision.

Failing to comply with a school attendance order is an offence, unless you can show that {child_first_name} is receiving suitable education otherwise than at school.

If you need help, please contact me on {team_phone} or at {team_email}."""

REVOKED = """## Revocation of the school attendance order
The school attendance order for {child_name} naming {schools} is revoked from today. You no longer have to register {child_first_name} at that school under the order.

{reasons}

If you have any questions, please contact me on {team_phone} or at {team_email}."""

REVOCATION_REFUSED = """## Your application to revoke the school attendance order
Thank you for your application of {application_date} to revoke the school attendance order for {child_name} naming {schools}.

We have considered it carefully and have decided not to revoke the order, for these reasons:

{reasons}

The order stays in force. If you disagree with this decision, you may refer the question to the Secretary of State (section 442(4) of the Education Act 1996). If you have any questions, please contact me on {team_phone} or at {team_email}."""

TEMPLATES = [
    ("statutory_enquiry", "Informal enquiry about a child's education",
     "{child_first_name}'s education: please tell us about it", INFORMAL_ENQUIRY),
    ("home_visit_request", "Home visit request", "A visit to talk about {child_first_name}'s education",
     HOME_VISIT_REQUEST),
    ("preliminary_notice", "Preliminary notice (section 437(1))",
     "Notice about {child_first_name}'s education: please reply by {deadline}", PRELIMINARY_NOTICE),
    ("statutory_satisfied", "The authority is satisfied (after a notice)",
     "{child_first_name}'s education: no further action", SATISFIED),
    ("notice_of_intention", "Notice of intention to serve a school attendance order",
     "Notice of intention to serve a school attendance order for {child_first_name}", NOTICE_OF_INTENTION),
    ("school_attendance_order", "School attendance order", "School attendance order for {child_name}", ORDER),
    ("sao_revoked", "Revocation of a school attendance order",
     "The school attendance order for {child_name} is revoked", REVOKED),
    ("sao_revocation_refused", "Refusal to revoke a school attendance order",
     "Your application to revoke the school attendance order for {child_first_name}", REVOCATION_REFUSED),
]


def create(apps, schema_editor):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    LetterTemplateVersion = apps.get_model("letters", "LetterTemplateVersion")
    for kind, name, subject, body in TEMPLATES:
        if LetterTemplate.objects.filter(kind=kind).exists():
            continue
        template = LetterTemplate.objects.create(kind=kind, name=name, subject=subject, body=body,
                                                 version=1)
        LetterTemplateVersion.objects.create(template=template, number=1, subject=subject, body=body)


def remove(apps, schema_editor):
    apps.get_model("letters", "LetterTemplate").objects.filter(
        kind__in=[kind for kind, _, _, _ in TEMPLATES], letters__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("statutory", "0001_cases_and_steps"), ("letters", "0003_kinds_in_code")]
    operations = [migrations.RunPython(create, remove)]

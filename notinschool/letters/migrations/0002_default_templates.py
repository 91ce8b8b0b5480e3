"""The letters every authority starts with, in plain, respectful English; its editors change them
on the letter templates page. Each is saved as version 1, by nobody (the installation)."""

from django.db import migrations

FIRST_CONTACT = """We understand that {child_first_name} is being educated at home. Home education is lawful in England, and parents have the right to educate their children at home. We are writing to explain what we do and how we can help.

## The register of children not in school
The law asks every council to keep a register of the children in its area who are not in school. {child_first_name} is now on {authority_name}'s register. It helps us make sure every child gets a suitable education and knows where to turn for support. We keep the information safely and use it only for this purpose.

## What we would like from you
To keep the register right and to understand {child_first_name}'s education, please tell us:
- who is educating {child_first_name}, and roughly how many hours a week
- a short description of the education: what {child_first_name} learns and how
- any other person or organisation who teaches {child_first_name}
- how you would like to stay in touch with us (a meeting, a phone call, or in writing)

You can reply by email, by phone or by post, whichever suits you. If you can, please reply within 15 working days.

## {child_first_name}'s views, and health services
We would like to hear from {child_first_name} too. The next page is written for {child_first_name}: it explains who we are and how to contact us directly. Please share it with {child_first_name} if you are happy to. The last page explains the health services children educated at home can use.

If you have any questions, please contact me on {team_phone} or at {team_email}."""

CHILD_PAGE = """Hello {child_first_name},

We are the {team_name} at {authority_name}. We help children who learn at home, not at school.

## What we do
We talk with families about how children are learning. We want to make sure you are happy, safe and learning things that are right for you.

## Your views matter
We would like to know what you think about your learning. What do you enjoy? What is hard? Is there anything you would like to change? You can tell us in any way you like: write to us, draw a picture, send an email or ask a grown-up to help you phone us.

## How to contact us yourself
You can contact us yourself. You do not need to ask anyone first.
- Phone: {team_phone}
- Email: {team_email}
- Write to: {team_address}

## You can ask for help
If something is worrying you, or you do not feel safe, please tell us or another adult you trust. You can also call Childline free on 0800 1111, at any time of the day or night."""

HEALTH_OFFER = """Children who are educated at home can use the same health services as children in school. These services are free. To ask for any of them, contact the school nursing team through your GP surgery, or ask us on {team_phone} and we will put you in touch.

## School nursing
School nurses can help with health and wellbeing: growing up, sleep, feelings and worries, eating well and long-term health conditions. Parents and young people can contact them directly.

## Immunisations
Children are offered vaccinations at set ages, such as the nasal flu vaccine every year and the HPV, tetanus, diphtheria, polio and MenACWY vaccines in their teenage years. Home-educated children can have these at a community clinic or at their GP surgery.

## Vision and hearing screening
Children are offered vision and hearing checks when they are 4 to 5 years old. If you think your child has a problem with their eyes or ears at any age, ask your GP or an optician.

## Dental care
NHS dental care is free for children under 18. If your child does not have a dentist, you can find one on the NHS website or ask us for help.

## Height and weight
Children are offered a height and weight check at 4 to 5 and at 10 to 11 years old, with advice if you would like it."""

INFORMATION_REQUEST = """Thank you for your help so far with {child_first_name}'s education at home.

We are writing to ask for some information about {child_first_name}'s education, so that we can keep the register right and understand how {child_first_name} is learning. Please tell us:
- who is educating {child_first_name}, and roughly how many hours a week
- what {child_first_name} is learning at the moment, and how
- any other person or organisation who teaches {child_first_name}

You can send this in any form you like: a short report, a few examples of work, or a conversation with us. If you can, please reply within 15 working days.

If you have any questions, please contact me on {team_phone} or at {team_email}."""

VISIT_REQUEST = """We would like to meet you and {child_first_name} to talk about {child_first_name}'s education at home. Meeting helps us understand how {child_first_name} is learning and whether there is anything we can help with.

We can meet at your home, at a library or another place that suits you, or online. {child_first_name} is welcome to show us some of their work and tell us what they enjoy.

Please contact me on {team_phone} or at {team_email} to arrange a time that suits you. If you would rather not meet, please tell us how you would prefer to share information about {child_first_name}'s education.

Thank you for your help."""

ANNUAL_REVIEW = """It is now about a year since we were last in touch about {child_first_name}'s education at home, and we are writing as we do each year with every family on the register.

Please let us know:
- how {child_first_name}'s education has gone over the past year, and your plans for the year ahead
- who is educating {child_first_name}, and roughly how many hours a week
- any change to your address or contact details
- if {child_first_name} has started at a school, or if you would like help to find a school place

We would also be glad to hear from {child_first_name}. Children can contact us directly on {team_phone} or at {team_email}.

You can reply by email, by phone or by post. If you can, please reply within 15 working days. Thank you for your help."""

GENERAL = """We are writing about {child_first_name}'s education.

If you have any questions, please contact me on {team_phone} or at {team_email}."""

TEMPLATES = [
    ("first_contact", "First letter to a family", "Your child's education at home", FIRST_CONTACT),
    ("child_page", "Page for the child", "A page for {child_first_name}", CHILD_PAGE),
    ("health_offer", "Health services page", "Health services for children educated at home",
     HEALTH_OFFER),
    ("information_request", "Request for information", "Information about {child_first_name}'s education",
     INFORMATION_REQUEST),
    ("visit_request", "Request to meet", "Meeting to talk about {child_first_name}'s education",
     VISIT_REQUEST),
    ("annual_review", "Review letter", "{child_first_name}'s education: our yearly review", ANNUAL_REVIEW),
    ("general", "General letter", "{child_first_name}'s education", GENERAL),
]


def create(apps, schema_editor):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    LetterTemplateVersion = apps.get_model("letters", "LetterTemplateVersion")
    for kind, name, subject, body in TEMPLATES:
        template = LetterTemplate.objects.create(kind=kind, name=name, subject=subject, body=body,
                                                 version=1)
        LetterTemplateVersion.objects.create(template=template, number=1, subject=subject, body=body)


def remove(apps, schema_editor):
    apps.get_model("letters", "LetterTemplate").objects.filter(
        name__in=[name for _, name, _, _ in TEMPLATES], letters__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_letters_and_templates")]
    operations = [migrations.RunPython(create, remove)]

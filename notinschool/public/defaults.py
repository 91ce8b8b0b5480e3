# ruff: noqa: E501  (the pages' words: one paragraph a line, as the administrator edits them)
"""The words the public pages start with, loaded by migration 0002 (the administrator changes
them afterwards on /public-pages/). Plain English after GOV.UK's style: short sentences, "you"
for the reader, no jargon. `young-people` is written for readers of 9 to 11 (tests check its
reading level). Contact details are placeholders filled from settings (`public.markup`)."""

PAGES: list[dict[str, str | int]] = [
    {"slug": "home-education", "order": 10, "title": "Educating your child at home",
     "summary": "Your rights and duties, the register of children not in school, and what happens to the information you give us.",
     "body": """\
Parents can choose to educate their child at home instead of sending them to school. This is called elective home education. Your child must get a suitable, full-time education from the age of 5 to 16.

## Your rights

- You do not need permission from us to educate your child at home, unless your child goes to a special school because of a decision by the council.
- You do not have to follow the national curriculum, keep school hours or have teaching qualifications.
- You can use tutors, online lessons, clubs and other providers.
- Your child can go back to school at any time. Ask us or apply for a school place.

## Your duties

- You must make sure your child gets an education that suits their age, ability and any special educational needs.
- The law says you must give us the information the register needs, and tell us when it changes.
- If your child is on a school roll, write to the head teacher to say you are taking your child out to educate them at home.

## The register of children not in school

We keep a register of children in our area who are not in school. By law we must keep it, and you must give us its information. The register holds:

- your child's name, date of birth and address, and their previous address if you moved in the last 12 months
- the name and contact details of every parent, and who educates your child
- roughly how many hours a week your child is taught by you and by other people
- the names of any tutors, online schools or other providers your child uses
- your reason for home education, if you want to tell us

[Register your child online](/register-a-child/). It takes about 15 minutes.

## What happens to the information

We use it to check that every child gets a suitable education and is safe. We may share it with other services that help children, such as health services and social care, when the law allows it. We keep it safe and only people who need it can see it. Read the [privacy notice](/privacy/) to find out more.

## Telling us about a change

Every letter we send has a one-time code. Use it to [tell us about a change](/tell-us-about-a-change/), such as a new address.
"""},
    {"slug": "support", "order": 20, "title": "Support for home-educating families",
     "summary": "Advice, visits, exams and help going back to school.",
     "body": """\
Our home education team can help you plan your child's education.

## What we offer

- Advice on planning and recording learning, and on resources.
- A meeting or home visit each year, and at other times if you ask.
- Help finding exam centres for GCSEs and other qualifications.
- Advice if your child has special educational needs or disabilities.
- Help if you decide your child should go back to school.

## Talking to your child

We like to hear from children and young people themselves. Your child can [tell us what they think](/young-people/) at any time.

## Contact us

Phone {team_phone} or email [{team_email}](mailto:{team_email}).
"""},
    {"slug": "health-services", "order": 30, "title": "Health services for children educated at home",
     "summary": "School nursing, vaccinations, health checks, dentists and registering with a GP.",
     "body": """\
Children who are educated at home can use the same health services as children in school.

## School nursing

The school nursing team can give advice on health, growth, sleep, emotional wellbeing and puberty. You can contact them yourself, or ask us to put you in touch.

## Vaccinations

Children are offered vaccinations at school, for example against flu, HPV, tetanus, diphtheria, polio and meningitis. Children educated at home can have them too, at a clinic or at your GP surgery. Ask the school nursing team or your GP.

## Health checks

Children in reception year are offered a vision and hearing check, and children are weighed and measured in reception and year 6. Home-educated children can have these checks too.

## Dental care

NHS dental care is free for children. Take your child to a dentist at least once a year.

## Registering with a GP

Every child should be registered with a GP surgery. You do not need proof of address or ID to register. Ask at your local surgery.
"""},
    {"slug": "children-missing-education", "order": 40, "title": "Children missing education: tell us about a child",
     "summary": "What to do if you think a child is not in school and not getting an education.",
     "body": """\
A child missing education is a child of compulsory school age who is not on a school roll and is not getting a suitable education somewhere else.

## Tell us about a child

If you know or think a child is not in school and not being educated, please tell us. You do not need to be sure. You can tell us without giving your name.

- Phone {team_phone}
- Email [{team_email}](mailto:{team_email})
- Write to {team_name}, {team_address}

Tell us the child's name, age and address if you know them, and why you are worried.

! If a child is in danger now, call 999. If you are worried a child is being harmed, contact the council's children's services straight away.

## What happens next

We check our records and other services' records, and we try to find the child and make sure they are safe and learning.
"""},
    {"slug": "privacy", "order": 50, "title": "Privacy notice",
     "summary": "How we use the information on the register of children not in school.",
     "body": """\
{authority_name} is the data controller for the register of children not in school.

## Why we use your information

The law says we must keep a register of children in our area who are not in school, and make sure they get a suitable education. We use the information to do this and to keep children safe. Our lawful basis is a public task and legal duty. For information about health or safety, it is substantial public interest.

## What we hold

- The child's name, date of birth, address and previous address.
- The names and contact details of parents, and who educates the child.
- Details of the child's education, such as hours and providers.
- Letters, visits, notes of meetings and the child's own views.
- Information other services share with us to keep the child safe.

## Who we share it with

We share information only when the law allows it, for example with health services, social care, schools, other councils when a family moves, and the Department for Education (as numbers, not names).

## How long we keep it

We keep a child's record until they are 25, then delete it, unless the law says we must keep it longer.

## Your rights

You can ask to see the information we hold, ask us to correct it, or object to how we use it. Contact our data protection officer through {team_email}. You can also complain to the Information Commissioner's Office.
"""},
    {"slug": "accessibility", "order": 60, "title": "Accessibility statement",
     "summary": "How accessible these pages are and how to tell us about a problem.",
     "body": """\
We want as many people as possible to be able to use these pages. You should be able to:

- change colours, contrast and fonts in your browser
- zoom in up to 400% without the text spilling off the screen
- use every page and form with a keyboard only
- use every page with a screen reader
- use every page without JavaScript

## How accessible these pages are

We test every page with automated checks and by using each form with a keyboard only. We aim to meet the Web Content Accessibility Guidelines version 2.2 at level AA.

## If you find a problem

Phone {team_phone} or email [{team_email}](mailto:{team_email}). Tell us the page and what went wrong. We will reply within 5 working days. We can send you information in another format, such as large print or easy read.
"""},
    {"slug": "contact", "order": 70, "title": "Contact the home education team",
     "summary": "Phone, email and address.",
     "body": """\
## {team_name}

- Phone: {team_phone}
- Email: [{team_email}](mailto:{team_email})
- Address: {team_address}

We are open Monday to Friday, 9am to 5pm.

! If a child is in danger now, call 999.
"""},
    {"slug": "young-people", "order": 80, "title": "Learning at home: for young people",
     "summary": "For children and young people: what learning at home means, and how to talk to us.",
     "body": """\
This page is for you if you learn at home and not at school.

## What it means to learn at home

Some children learn at home with their family. Lots of things can help you learn. You might learn with a parent, a tutor, a club or a website. You do not have to do the same things as a school.

## We want to hear from you

We work for the council. Our job is to check that every child is learning and is safe. We want to know what you think about learning at home. What do you like? Is there anything you would change?

You can [tell us what you think](/young-people/your-views/) on this website. You need the code from our letter. Ask the grown-up who got the letter. You can also phone us on {team_phone}, or email [{team_email}](mailto:{team_email}). You can talk to us on your own if you want to.

## What happens to what you tell us

We read it and keep it safe with your name. The person who looks after you in our team will read it too. We will not tell lots of people.

If you tell us something that makes us worried about you, we will try to help you. We may need to talk to other people who can keep you safe. We will tell you first if we can.

## Other places to get help

- Childline: call 0800 1111 for free. It will not show on the phone bill. You can talk about anything.
- If you are in danger now, call 999.
- You can also talk to a grown-up you trust, or your doctor.
"""},
]

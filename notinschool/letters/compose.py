"""A letter's words for one child: the template's text filled in with the child's details, the
council's from settings, and the envelope window's name and address.

The address rule (docs/product.md, letters): the window shows the parent's name and the child's
current address, unless the child's address must not be disclosed; then no address is printed
anywhere on the letter (the window says it is delivered by hand), and no placeholder can print
one.
"""

import datetime as dt
from collections.abc import Mapping

from django.conf import settings

from notinschool.accounts.actor import Actor
from notinschool.accounts.models import User
from notinschool.letters.access_codes import SAMPLE_CODE, access_code_days
from notinschool.letters.models import LetterKind, LetterTemplateVersion
from notinschool.letters.placeholders import fill, placeholder_samples
from notinschool.letters.rendering import LetterContent, LetterPage, Team
from notinschool.people.models import Address, Child

OFFICER_TITLE = "Elective Home Education Officer"


def team() -> Team:
    lines = tuple(line.strip() for line in settings.NOTINSCHOOL_TEAM_ADDRESS.split("|") if line.strip())
    return Team(authority_name=settings.NOTINSCHOOL_AUTHORITY_NAME, team_name=settings.NOTINSCHOOL_TEAM_NAME,
                address_lines=lines, phone=settings.NOTINSCHOOL_TEAM_PHONE,
                email=settings.NOTINSCHOOL_TEAM_EMAIL)


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _person_name(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def parent_names(child: Child) -> list[str]:
    """The parents who live with the child, by name, at most two."""
    links = sorted(child.parent_links.all(), key=lambda link: link.created_at)
    return [link.parent.name for link in links if link.lives_with_child and link.parent.name][:2]


def addressed_to(child: Child) -> str:
    return " and ".join(parent_names(child)) or f"The parent or carer of {child.full_name}"


def window_address(child: Child) -> tuple[str, ...]:
    """The child's current address, as lines; nothing when it must not be disclosed."""
    if child.do_not_disclose_address:
        return ()
    current: list[Address] = [a for a in child.addresses.all() if a.is_current and not a.moved_out_date]
    if not current:
        return ()
    address = max(current, key=lambda a: a.moved_in_date or dt.date.min)
    return tuple(part for part in (address.line_1, address.line_2, address.town, address.postcode) if part)


def values(*, child: Child, actor: Actor, on: dt.date, team: Team) -> dict[str, str]:
    """What each placeholder stands for in this child's letter."""
    officer = child.officer or (actor if isinstance(actor, User) else None)
    return {
        "child_name": child.full_name,
        "child_first_name": child.forename or child.full_name,
        "child_date_of_birth": long_date(child.date_of_birth) if child.date_of_birth else "",
        "parent_name": addressed_to(child),
        "officer_name": _person_name(officer) or team.team_name,
        "authority_name": team.authority_name,
        "team_name": team.team_name,
        "team_phone": team.phone,
        "team_email": team.email,
        "team_address": ", ".join(team.address_lines),
        "date": long_date(on),
        "reference": child.child_ref,
    }


def access_code_lines(code: str, on: dt.date) -> dict[str, str]:
    """What the letter says of its one-time code (letters.access_codes): the code, the page to
    use it on, and the last day it works."""
    if not code:
        return {}
    return {"access_code": code,
            "access_code_url": f"{settings.NOTINSCHOOL_BASE_URL}/tell-us-about-a-change/",
            "access_code_expires": long_date(on + dt.timedelta(days=access_code_days()))}


def letter_content(*, child: Child, actor: Actor, on: dt.date, version: LetterTemplateVersion,
                   inserts: list[LetterTemplateVersion], team: Team,
                   extra: Mapping[str, str] | None = None, access_code: str = "") -> LetterContent:
    """The letter printed from `version`, followed by the `inserts` pages (the child's page and
    the health services page of a first letter). `extra` fills a registered kind's own
    placeholders (a notice's deadline, the school an order names). A letter sent carries its
    one-time code (`access_code`), printed under the reference with where to use it."""
    filled = {**values(child=child, actor=actor, on=on, team=team), **(extra or {})}
    subject = fill(version.subject, filled)
    salutation = f"Dear {' and '.join(parent_names(child)) or 'parent or carer'},\n\n"
    pages = [LetterPage(subject, salutation + fill(version.body, filled))]
    for insert in inserts:
        css = "child-page" if insert.template.kind == LetterKind.CHILD_PAGE else "health"
        pages.append(LetterPage(fill(insert.subject, filled), fill(insert.body, filled), css))
    has_officer = filled["officer_name"] != team.team_name
    return LetterContent(
        subject=subject, child_name=child.full_name, addressed_to=filled["parent_name"],
        address_lines=window_address(child), by_hand=child.do_not_disclose_address,
        date=filled["date"], reference=child.child_ref,
        officer_name=filled["officer_name"] if has_officer else "",
        officer_title=OFFICER_TITLE if has_officer else "", pages=tuple(pages),
        **access_code_lines(access_code, on))


def sample_values(*, actor: Actor, on: dt.date, team: Team) -> dict[str, str]:
    """Made-up details for previewing a template: no real child's data on the editors' page."""
    officer = _person_name(actor) if isinstance(actor, User) else ""
    return {
        "child_name": "Sam Example", "child_first_name": "Sam", "child_date_of_birth": "4 May 2015",
        "parent_name": "Alex Example", "officer_name": officer or team.team_name,
        "authority_name": team.authority_name, "team_name": team.team_name, "team_phone": team.phone,
        "team_email": team.email, "team_address": ", ".join(team.address_lines),
        "date": long_date(on), "reference": "C0000000",
    }


def sample_letter(*, actor: Actor, on: dt.date, subject: str, body: str, kind: str,
                  team: Team) -> LetterContent:
    """A template's text (saved or not) as a letter to a made-up family."""
    filled = {**sample_values(actor=actor, on=on, team=team), **placeholder_samples(kind)}
    is_page = kind in (LetterKind.CHILD_PAGE, LetterKind.HEALTH_OFFER)
    text = fill(body, filled) if is_page else f"Dear {filled['parent_name']},\n\n" + fill(body, filled)
    has_officer = filled["officer_name"] != team.team_name
    return LetterContent(
        subject=fill(subject, filled), child_name=filled["child_name"], addressed_to=filled["parent_name"],
        address_lines=("1 Example Street", "Example Town", "EX1 1AA"), by_hand=False, date=filled["date"],
        reference=filled["reference"], officer_name=filled["officer_name"] if has_officer else "",
        officer_title=OFFICER_TITLE if has_officer else "",
        pages=(LetterPage(fill(subject, filled), text),), **access_code_lines(SAMPLE_CODE, on))

"""What the public pages write: the information pages' words (the administrator's edits), a
parent's online registration (taken in through the same import as a file: `public.views` runs
`workflow.doors.form_import`, then records it here), a change a parent reports and the views a
child gives with a letter's one-time code. Every write is audited; the actor for a member of the
public is the system, labelled with the page ("public: registration").

Nothing a member of the public sees tells them whether a child is known: a registration is
answered the same way whether it matched a record or made one, and a code that is wrong, used,
expired or given with another date of birth is refused with the same words."""

import datetime as dt
import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.roles import Cap
from notinschool.accounts.system import SystemActor
from notinschool.audit.services import audit_record
from notinschool.casework.work_items import work_item_open
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.core.workdays import add_working_days
from notinschool.letters.access_codes import (
    access_code_find,
    access_code_hash,
    access_code_spend,
    access_code_usable,
)
from notinschool.letters.models import AccessCode
from notinschool.mail.models import SentEmail
from notinschool.mail.services import EmailNotSent, email_send
from notinschool.people.models import Child
from notinschool.public import defaults, limits
from notinschool.public.markup import fill, plain_text
from notinschool.public.models import PageText, PageTextVersion, Submission

REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
DUPLICATE_DAYS = 7  # the same answers within a week are the same registration
CHILD_VIEWS_DAYS = 5  # working days the officer has to read a child's views
CHANGE_DAYS = 10  # working days to check and apply a change a parent reported

# Words in a child's message that send it to the officer the same day. Broad on purpose: a
# message read a day early does no harm; one read a week late might.
WORRYING_WORDS = (
    "hurt", "hurts", "hit", "hits", "hitting", "kick", "punch", "slap", "scared", "afraid",
    "frightened", "unsafe", "not safe", "abuse", "abused", "touch", "touched", "secret",
    "kill", "die", "suicide", "self harm", "self-harm", "cut myself", "cutting", "hungry",
    "no food", "locked", "lock me", "beat", "beaten", "bruise", "police", "run away",
    "don't want to live", "dont want to live", "help me", "worried", "worry", "sad all the time",
)
_WORD = re.compile(r"[a-z']+(?:[ -][a-z']+)*")


def public_actor(page: str) -> SystemActor:
    """Who acts when a member of the public sends something: the system, named by the page."""
    return SystemActor(f"public: {page}")


# -- the information pages --------------------------------------------------------------------

def page_text_get(slug: str) -> PageText:
    """The page's words as saved, or as shipped (when a database was emptied since)."""
    page = PageText.objects.filter(slug=slug).first()
    if page is not None:
        return page
    for entry in defaults.PAGES:
        if entry["slug"] == slug:
            return PageText(slug=slug, title=str(entry["title"]), summary=str(entry["summary"]),
                            body=str(entry["body"]), order=int(entry["order"]))
    raise PageText.DoesNotExist(slug)


def page_texts() -> list[PageText]:
    """Every information page, in order (saved words, else the shipped ones)."""
    return sorted((page_text_get(str(entry["slug"])) for entry in defaults.PAGES),
                  key=lambda p: (p.order, p.title))


def page_text_save(*, actor: Actor, slug: str, title: str, summary: str, body: str,
                   version: int) -> PageText:
    """Saves new words for a page, keeping every version; refused if someone saved it since
    `version` was read."""
    if not actor.can(Cap.EDIT_PUBLIC_PAGES):
        raise NotPermitted("your role cannot change the public pages")
    if not title.strip() or not body.strip():
        raise DomainError("A page needs a title and some words")
    user = actor_user(actor)
    with transaction.atomic():
        page = PageText.objects.select_for_update().filter(slug=slug).first()
        if page is None:
            page = page_text_get(slug)
            page.version = 0
        elif page.version != version:
            raise DomainError("Someone else saved this page while you were editing it. Your changes "
                              "were not saved: open the page again to see theirs")
        page.title, page.summary, page.body = title.strip(), summary.strip(), body
        page.version += 1
        page.modified_by = user
        if page.created_by is None:
            page.created_by = user
        page.save()
        PageTextVersion.objects.create(page=page, number=page.version, title=page.title, body=body,
                                       created_by=user, modified_by=user)
        audit_record(actor=actor, action="update", object_type="public_page", object_ids=[page.pk],
                     detail={"slug": slug, "version": page.version})
    return page


def reading_grade(text: str) -> float:
    """The Flesch-Kincaid grade of a page's words (US school grade; add 5 for a reading age):
    0.39 words per sentence + 11.8 syllables per word - 15.59. Headings are left out; a list
    item without a full stop counts as a sentence."""
    lines = [line for line in fill(text).splitlines() if line.strip() and not line.startswith("#")]
    prose = " ".join(line.rstrip() + ("" if line.rstrip()[-1:] in ".!?" else ".")
                     for line in plain_text("\n".join(lines)).splitlines() if line.strip())
    sentences = [s for s in re.split(r"[.!?]+(?:\s|$)", prose) if re.search(r"[A-Za-z]", s)]
    words = re.findall(r"[A-Za-z][A-Za-z']*", prose)
    if not words or not sentences:
        return 0.0
    syllables = sum(syllable_count(w) for w in words)
    return 0.39 * len(words) / len(sentences) + 11.8 * syllables / len(words) - 15.59


def syllable_count(word: str) -> int:
    """Syllables in an English word, by vowel groups (good enough for a reading-level check)."""
    word = word.lower().strip("'")
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", word)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", word)))


# -- references and duplicates ----------------------------------------------------------------

def _reference(prefix: str) -> str:
    while True:
        candidate = prefix + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(7))
        if not Submission.objects.filter(reference=candidate).exists():
            return candidate


def fingerprint(kind: str, answers: dict[str, Any]) -> str:
    """What identifies the same submission sent twice: its kind and its answers, normalised."""
    text = json.dumps(answers, sort_keys=True, default=str).lower()
    return hashlib.sha256(f"{kind}:{' '.join(text.split())}".encode()).hexdigest()


def duplicate_of(kind: str, print_: str) -> Submission | None:
    """The same answers sent in the last week: recognised, so nothing is taken in twice."""
    since = clock.now() - dt.timedelta(days=DUPLICATE_DAYS)
    return (Submission.objects.filter(kind=kind, fingerprint=print_, created_at__gte=since)
            .order_by("created_at").first())


# -- a parent's registration ------------------------------------------------------------------

def _yes_no(value: Any) -> str:
    return "" if value is None else ("Y" if value else "N")


def registration_cells(answers: dict[str, Any], *, on: dt.date) -> dict[str, str]:
    """A registration's answers as a parent-registrations row (docs/data-contract.md)."""
    cells = {key: str(answers.get(key) or "") for key in (
        "forename", "middle_names", "surname", "sex", "date_of_birth", "address_line_1",
        "address_line_2", "town", "postcode", "moved_in_date", "previous_address_line_1",
        "previous_postcode", "reason")}
    for n, parent in enumerate(answers.get("parents", [])[:2], start=1):
        elsewhere = not parent.get("lives_with_child", True)
        cells |= {f"parent{n}_name": parent.get("name", ""), f"parent{n}_phone": parent.get("phone", ""),
                  f"parent{n}_email": parent.get("email", ""),
                  f"parent{n}_educates": _yes_no(parent.get("educates")),
                  f"parent{n}_address_line_1": parent.get("address_line_1", "") if elsewhere else "",
                  f"parent{n}_postcode": parent.get("postcode", "") if elsewhere else ""}
    cells["hours_parent_per_week"] = str(answers.get("hours_parent") or "")
    cells["hours_other_per_week"] = str(answers.get("hours_other") or "")
    cells["providers"] = ";".join(
        "|".join((p["name"].replace("|", "/").replace(";", ","), p.get("type", "").replace("|", "/")
                  .replace(";", ","), str(p.get("hours") or "")))
        for p in answers.get("providers", []) if p.get("name"))
    cells["date_received"] = on.isoformat()
    return cells


def registration_record(*, answers: dict[str, Any], print_: str, child_id: Any,
                        batch_id: Any, address: str) -> Submission:
    """Keeps a registration the import took in, with its reference, and sends the parent the
    confirmation (the same words whatever the import found)."""
    actor = public_actor("registration")
    child = Child.objects.filter(pk=child_id).first() if child_id else None
    with transaction.atomic():
        submission = Submission.objects.create(
            kind=Submission.Kind.REGISTRATION, reference=_reference("R"), fingerprint=print_,
            child=child, import_batch_id=batch_id)
        audit_record(actor=actor, action="create", object_type="public_registration",
                     object_ids=[submission.pk], child_ids=[child.pk] if child else [],
                     detail={"reference": submission.reference, "address": address})
    email = str(answers.get("confirmation_email") or "")
    if email:
        submission.email_sent = _send(actor, [email], child, *registration_email(answers, submission))
        submission.save(update_fields=["email_sent", "modified_at"])
    return submission


def registration_email(answers: dict[str, Any], submission: Submission) -> tuple[str, str]:
    name = answers.get("forename", "your child")
    return (f"Home education registration received: reference {submission.reference}",
            f"Thank you for registering {name}'s home education with "
            f"{settings.NOTINSCHOOL_AUTHORITY_NAME}.\n\n"
            f"Your reference is {submission.reference}. Please quote it if you contact us.\n\n"
            "What happens next\n\n"
            "We will write to you within 4 weeks. We will tell you who your home education officer is "
            "and how to contact them. We may ask to meet you and your child.\n\n"
            "Every letter we send has a one-time code. Use it to tell us about a change, such as a new "
            "address.\n\n"
            f"{settings.NOTINSCHOOL_TEAM_NAME}\nPhone: {settings.NOTINSCHOOL_TEAM_PHONE}\n"
            f"Email: {settings.NOTINSCHOOL_TEAM_EMAIL}\n")


def _send(actor: Actor, to: list[str], child: Child | None, subject: str, body: str) -> bool:
    try:
        email_send(actor=actor, to=to, subject=subject, body=body, kind=SentEmail.Kind.FAMILY, child=child)
    except (EmailNotSent, DomainError):
        return False
    return True


# -- a letter's code --------------------------------------------------------------------------

class CodeRefused(DomainError):
    """The code cannot be used. `limited` when too many tries were made; otherwise the same
    answer for a wrong code, a used one, an expired one and a wrong date of birth."""

    def __init__(self, limited: bool = False):
        self.limited = limited
        super().__init__("too many tries" if limited else "wrong or expired")


@dataclass(frozen=True)
class CodeAccepted:
    code_id: Any
    child_id: Any
    first_name: str


def code_check(*, typed: str, date_of_birth: dt.date | None, address: str, purpose: str) -> CodeAccepted:
    """Checks a code typed with the child's date of birth, counting the try against the address
    and the code; audited either way. CodeRefused when it cannot be used."""
    actor = public_actor(purpose)
    code_key = access_code_hash(typed)
    over = limits.limit_count("code_per_address", address)
    over = limits.limit_count("code_per_code", code_key) or over
    code = None if over else access_code_find(typed)
    accepted = (code is not None and access_code_usable(code) and date_of_birth is not None
                and code.child.date_of_birth == date_of_birth)
    if not accepted or code is None:
        audit_record(actor=actor, action="refuse", object_type="access_code",
                     object_ids=[code.pk] if code is not None else [],
                     detail={"purpose": purpose, "address": address,
                             "refused": "too many tries" if over else _why(code, date_of_birth)})
        raise CodeRefused(limited=over)
    audit_record(actor=actor, action="view", object_type="access_code", object_ids=[code.pk],
                 child_ids=[code.child_id], detail={"purpose": purpose, "address": address})
    return CodeAccepted(code.pk, code.child_id, code.child.forename)


def _why(code: AccessCode | None, date_of_birth: dt.date | None) -> str:
    """For the audit only: never shown."""
    if code is None:
        return "no such code"
    if code.used_at is not None:
        return "used"
    if code.expires_on < clock.today():
        return "expired"
    return "wrong date of birth"


def _spend(accepted: CodeAccepted, used_for: str) -> AccessCode:
    code = AccessCode.objects.select_related("child", "child__officer").get(pk=accepted.code_id)
    if not access_code_usable(code) or not access_code_spend(code=code, used_for=used_for):
        raise CodeRefused()
    return code


def _child_link(child: Child) -> str:
    return reverse("child_detail", kwargs={"child_id": child.pk})


CHANGE_TOPICS = {"address": "address", "education": "education arrangements", "providers": "providers"}


def change_record(*, accepted: CodeAccepted, topics: list[str], details: dict[str, str],
                  address: str) -> Submission:
    """A change a parent reported with a letter's code: kept on the child, and put in the
    officer's work queue to check and apply to the record (nothing a code-holder types changes
    the register by itself)."""
    actor = public_actor("change")
    print_ = fingerprint("change", {"code": str(accepted.code_id), "topics": topics, **details})
    with transaction.atomic():
        code = _spend(accepted, "change")
        child = code.child
        submission = Submission.objects.create(
            kind=Submission.Kind.CHANGE, reference=_reference("C"), fingerprint=print_, child=child,
            topics=topics, details=details)
        what = ", ".join(CHANGE_TOPICS[t] for t in topics)
        work_item_open(child=child, kind="public_change",
                       title=f"Check the change a parent reported online: {what}",
                       due_date=add_working_days(clock.today(), CHANGE_DAYS), source="public",
                       source_id=submission.pk, link=_child_link(child) + "#public-messages", actor=actor)
        audit_record(actor=actor, action="create", object_type="public_change", object_ids=[submission.pk],
                     child_ids=[child.pk], detail={"reference": submission.reference, "topics": topics,
                                                   "address": address})
    return submission


def is_worrying(words: str) -> bool:
    """Whether a child's words hold any of the worrying words (`WORRYING_WORDS`)."""
    text = " ".join(re.findall(r"[a-z']+", words.lower().replace("’", "'")))
    padded = f" {text} "
    return any(f" {word.replace('-', ' ')} " in padded for word in WORRYING_WORDS)


def child_views_record(*, accepted: CodeAccepted, words: str, wants_to_talk: bool,
                       address: str) -> Submission:
    """A child's own views, given with a letter's code: kept on their record as their words, and
    put in their officer's queue; something worrying (their choice, or the words) is due the
    same day and emailed to the officer (or the team, when nobody holds the child)."""
    actor = public_actor("young person's views")
    worrying = wants_to_talk or is_worrying(words)
    with transaction.atomic():
        code = _spend(accepted, "child_views")
        child = code.child
        submission = Submission.objects.create(
            kind=Submission.Kind.CHILD_VIEWS, reference=_reference("V"),
            fingerprint=fingerprint("child_views", {"code": str(code.pk), "words": words}), child=child,
            words=words, worrying=worrying, wants_to_talk=wants_to_talk)
        today = clock.today()
        if worrying:
            title, due, kind = ("Today: the child sent their views and may have something worrying to "
                                "talk about", today, "child_views_worrying")
        else:
            title, due, kind = ("Read the views the child sent online",
                                add_working_days(today, CHILD_VIEWS_DAYS), "child_views")
        work_item_open(child=child, kind=kind, title=title, due_date=due, source="public",
                       source_id=submission.pk, link=_child_link(child) + "#public-messages", actor=actor)
        audit_record(actor=actor, action="create", object_type="public_child_views",
                     object_ids=[submission.pk], child_ids=[child.pk],
                     detail={"reference": submission.reference, "worrying": worrying, "address": address})
    if worrying:
        officer = child.officer
        to = [officer.email] if officer is not None and officer.email else [settings.NOTINSCHOOL_TEAM_EMAIL]
        submission.email_sent = _send(
            actor, to, child, f"Today: a child's message may need you ({child.child_ref})",
            f"{child.full_name} ({child.child_ref}) sent their views online and "
            + ("asked to talk to someone about something worrying" if wants_to_talk
               else "used words that may mean something is worrying them")
            + ".\n\nRead their words on their record today and decide what to do, following the "
              "safeguarding procedures:\n"
            f"{settings.NOTINSCHOOL_BASE_URL}{_child_link(child)}\n\n"
              "The words are on the record only, not in this email.\n")
        submission.save(update_fields=["email_sent", "modified_at"])
    return submission

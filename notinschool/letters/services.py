"""Writing letters: saving a template (every version kept), sending a letter to a child's family
(printed, kept on the child, recorded as a contact) and the month's letters in bulk.

The first letter to a family carries a page for the child and the health services page (Elective
home education: guidance for local authorities, on seeking the child's views and on the health
offer: school nursing, immunisations, vision and hearing screening, dental care).
"""

import datetime as dt
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.casework.contacts import contact_letter_record
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.letters.access_codes import SAMPLE_CODE, access_code_new, access_code_store
from notinschool.letters.compose import letter_content, team
from notinschool.letters.models import (
    FIRST_LETTER_PAGES,
    Letter,
    LetterKind,
    LetterTemplate,
    LetterTemplateVersion,
    letter_kind_label,
)
from notinschool.letters.placeholders import placeholder_problems
from notinschool.letters.rendering import LetterContent, PdfJoin, letter_pdf, letters_print
from notinschool.letters.selectors import children_due_letters
from notinschool.people.models import Child


class TemplateProblems(DomainError):
    """A template's text was refused; `problems` maps each field to its messages."""

    def __init__(self, problems: dict[str, list[str]]):
        self.problems = problems
        super().__init__("; ".join(m for messages in problems.values() for m in messages))


def letter_template_save(*, actor: Actor, template: LetterTemplate, name: str, subject: str,
                         body: str, version: int) -> LetterTemplate:
    """Saves a new version of a template, keeping the one before. Refused if anyone saved it
    since `version` was read, or if a placeholder is unknown or a brace is left unpaired."""
    if not actor.can(Cap.EDIT_LETTER_TEMPLATES):
        raise NotPermitted("your role cannot edit letter templates")
    problems = {key: found for key, text in (("subject", subject), ("body", body))
                if (found := placeholder_problems(text, template.kind))}
    if not body.strip():
        problems.setdefault("body", []).append("Enter the text of the letter")
    if problems:
        raise TemplateProblems(problems)
    user = actor_user(actor)
    with transaction.atomic():
        current = LetterTemplate.objects.select_for_update().get(pk=template.pk)
        if current.version != version:
            raise DomainError("Someone else saved this template while you were editing it. "
                              "Your changes were not saved: open the template again to see theirs")
        current.name, current.subject, current.body = name.strip(), subject.strip(), body
        current.version += 1
        current.modified_by = user
        current.save()
        LetterTemplateVersion.objects.create(template=current, number=current.version,
                                             subject=current.subject, body=body,
                                             created_by=user, modified_by=user)
        audit_record(actor=actor, action="update", object_type="letter_template",
                     object_ids=[current.pk], detail={"version": current.version})
    return current


@dataclass(frozen=True)
class _Plan:
    """A template as it prints today: its current version, and the pages that follow it."""

    template: LetterTemplate
    version: LetterTemplateVersion
    inserts: list[LetterTemplateVersion]


def _version(template: LetterTemplate) -> LetterTemplateVersion:
    return template.versions.get(number=template.version)


def _plan(template: LetterTemplate) -> _Plan:
    """The first letter is followed by the child's page, then the health services page."""
    if template.kind in FIRST_LETTER_PAGES:
        raise DomainError("This template is a page of the first letter: choose a letter to send")
    inserts = []
    if template.kind == LetterKind.FIRST_CONTACT:
        pages = {t.kind: t for t in LetterTemplate.objects.filter(kind__in=FIRST_LETTER_PAGES)}
        inserts = [_version(pages[kind]) for kind in FIRST_LETTER_PAGES if kind in pages]
    return _Plan(template, _version(template), inserts)


def _content(*, actor: Actor, child: Child, plan: _Plan, on: dt.date,
             extra: Mapping[str, str] | None = None, sent: bool = True) -> LetterContent:
    """A letter to be sent carries a fresh one-time code (kept by `_record`); a preview, a
    made-up one."""
    return letter_content(child=child, actor=actor, on=on, version=plan.version, inserts=plan.inserts,
                          team=team(), extra=extra, access_code=access_code_new() if sent else SAMPLE_CODE)


def letter_preview(*, actor: Actor, child: Child, template: LetterTemplate) -> bytes:
    """The letter as it would be printed today, sent to nobody and kept nowhere."""
    if not actor.can(Cap.RECORD_CASEWORK) and not actor.can(Cap.EDIT_LETTER_TEMPLATES):
        raise NotPermitted("your role cannot prepare letters")
    return letter_pdf(_content(actor=actor, child=child, plan=_plan(template), on=clock.today(), sent=False),
                      team())


def _record(*, actor: Actor, child: Child, plan: _Plan, content: LetterContent, pdf: bytes, pages: int,
            on: dt.date, round_month: dt.date | None = None) -> Letter:
    user = actor_user(actor)
    contact = contact_letter_record(actor=actor, child=child, sent_on=on,
                                    summary=f"Letter sent: {content.subject}")
    letter = Letter.objects.create(
        child=child, template=plan.template, template_version=plan.version, kind=plan.template.kind,
        subject=content.subject, addressed_to=content.addressed_to,
        address_printed=bool(content.address_lines), sent_on=on, pages=pages, pdf=pdf,
        contact=contact, sender_name=_sender(actor), round_month=round_month, created_by=user,
        modified_by=user)
    if content.access_code:
        access_code_store(child=child, code=content.access_code, letter=letter, on=on)
    return letter


def _sender(actor: Actor) -> str:
    user = actor_user(actor)
    return (user.get_full_name() or user.get_username()) if user else actor.get_username()


def letter_send(*, actor: Actor, child: Child, template: LetterTemplate) -> Letter:
    """Prints the letter, keeps it on the child and records it as a contact with the family."""
    if not actor.can(Cap.RECORD_CASEWORK):
        raise NotPermitted("your role cannot send letters")
    on, plan = clock.today(), _plan(template)
    content = _content(actor=actor, child=child, plan=plan, on=on)
    [(pdf, pages)] = letters_print([content], team())
    with transaction.atomic():
        letter = _record(actor=actor, child=child, plan=plan, content=content, pdf=pdf, pages=pages, on=on)
        audit_record(actor=actor, action="create", object_type="letter", object_ids=[letter.pk],
                     child_ids=[child.pk], detail={"kind": template.kind, "pages": pages})
    return letter


def letter_issue(*, actor: Actor, child: Child, kind: str, extra: Mapping[str, str]) -> Letter:
    """Prints the authority's template of a registered kind (a statutory notice, an order) for
    the child, dated today, with the step's own details filled in (`extra`, the kind's own
    placeholders: `letter_placeholder_register`); keeps it on the child and records it as a
    contact, like a letter sent from the child's page. The app that issues it decides who may
    and audits its own step; the letter is audited here."""
    if not actor.can(Cap.RECORD_CASEWORK):
        raise NotPermitted("your role cannot send letters")
    template = LetterTemplate.objects.filter(kind=kind).order_by("created_at").first()
    if template is None:
        raise DomainError(f"There is no letter template for {letter_kind_label(kind).lower()}: "
                          "add one on the letter templates page")
    on, plan = clock.today(), _plan(template)
    content = _content(actor=actor, child=child, plan=plan, on=on, extra=extra)
    [(pdf, pages)] = letters_print([content], team())
    with transaction.atomic():
        letter = _record(actor=actor, child=child, plan=plan, content=content, pdf=pdf, pages=pages, on=on)
        audit_record(actor=actor, action="create", object_type="letter", object_ids=[letter.pk],
                     child_ids=[child.pk], detail={"kind": kind, "pages": pages})
    return letter


@dataclass
class BulkLetters:
    """A month's letters: one PDF to print, and the letters kept on the children."""

    pdf: bytes = b""
    letters: list[Letter] = field(default_factory=list)
    by_hand: int = 0  # letters without an address (not to be disclosed): deliver by hand

    @property
    def pages(self) -> int:
        return sum(letter.pages for letter in self.letters)


def _workers() -> int:
    return settings.NOTINSCHOOL_LETTER_WORKERS or os.cpu_count() or 1


def _round_plans() -> dict[str, _Plan]:
    plans: dict[str, _Plan] = {}
    for kind in (LetterKind.FIRST_CONTACT, LetterKind.ANNUAL_REVIEW):
        template = LetterTemplate.objects.filter(kind=kind).order_by("created_at").first()
        if template is None:
            raise DomainError("The first letter and the review letter templates are both needed")
        plans[kind] = _plan(template)
    return plans


def letters_due_bulk(*, actor: Actor, month: dt.date, progress: Callable[[int], None] | None = None,
                     on_count: Callable[[int], None] | None = None) -> BulkLetters:
    """Everyone due a contact in `month`: the first letter for a child who never had one,
    else the review letter; one PDF (letters without an address last, for delivery by hand),
    each letter kept on its child and recorded as a contact, all in one transaction. Letters
    are laid out in worker processes and recorded here as they arrive."""
    if not actor.can(Cap.RECORD_CASEWORK):
        raise NotPermitted("your role cannot send letters")
    on, plans = clock.today(), _round_plans()
    children = sorted(children_due_letters(actor=actor, month=month), key=lambda c: c.do_not_disclose_address)
    if on_count:
        on_count(len(children))
    chosen = [plans[LetterKind.ANNUAL_REVIEW if getattr(c, "had_first_letter", False)
                    else LetterKind.FIRST_CONTACT] for c in children]
    contents = [_content(actor=actor, child=c, plan=p, on=on) for c, p in zip(children, chosen, strict=True)]
    result, joined = BulkLetters(by_hand=sum(1 for c in children if c.do_not_disclose_address)), PdfJoin()
    with transaction.atomic():
        printed = letters_print(contents, team(), workers=_workers())
        for child, plan, content, (pdf, pages) in zip(children, chosen, contents, printed, strict=True):
            result.letters.append(_record(actor=actor, child=child, plan=plan, content=content, pdf=pdf,
                                          pages=pages, on=on, round_month=month.replace(day=1)))
            joined.add(pdf)
            if progress:
                progress(1)
        audit_record(actor=actor, action="create", object_type="letter",
                     object_ids=[letter.pk for letter in result.letters], child_ids=[c.pk for c in children],
                     detail={"month": f"{month:%Y-%m}", "letters": len(result.letters)})
    result.pdf = joined.pdf() if result.letters else b""
    return result

"""Statutory path test data: a family on the register, the steps taken in order up to a
point, and reading a letter's text."""

import datetime as dt
import importlib

from notinschool.accounts.models import User
from notinschool.core import clock
from notinschool.letters.models import LetterTemplate
from notinschool.letters.tests.factories import family, pdf_text
from notinschool.people.models import Child
from notinschool.statutory.models import StatutoryStep
from notinschool.statutory.services import K, step_decide, step_take

MONDAY = dt.date(2026, 12, 7)
__all__ = ["MONDAY", "family", "letter_text", "statutory_templates", "to_preliminary_notice"]


def statutory_templates() -> None:
    """The templates data migration 0002 creates, again, if a flush removed them."""
    from django.apps import apps

    if LetterTemplate.objects.filter(kind="preliminary_notice").exists():
        return
    importlib.import_module("notinschool.statutory.migrations.0002_letter_templates").create(apps, None)


def letter_text(step: StatutoryStep) -> str:
    assert step.letter is not None
    return pdf_text(bytes(step.letter.pdf))


def to_preliminary_notice(child: Child, officer: User, manager: User, *,
                          service: str = "hand") -> StatutoryStep:
    """The informal enquiry today, then the preliminary notice proposed and approved today."""
    step_take(actor=officer, child=child, kind=K.INFORMAL_ENQUIRY)
    proposed = step_take(actor=officer, child=child, kind=K.PRELIMINARY_NOTICE, service=service)
    return step_decide(actor=manager, step=proposed, approve=True)


def on(day: dt.date) -> object:
    return clock.as_of(day)

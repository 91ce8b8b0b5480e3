"""Letters test data: a family on the register (a child with a current address and a parent
who lives with them), due a contact on a given day, and reading a PDF's text."""

import datetime as dt
import importlib
import re
import zlib

import pypdfium2 as pdfium  # type: ignore[import-untyped]

from notinschool.letters.models import LetterKind, LetterTemplate
from notinschool.people.models import Child
from notinschool.people.tests.factories import AddressFactory, ChildFactory, ChildParentFactory, ParentFactory
from notinschool.risk.tests.factories import AssessmentFactory

TODAY = dt.date(2026, 12, 7)


def family(*, forename: str = "Ava", surname: str = "Okafor", parent: str = "Grace Okafor",
           line_1: str = "12 Acacia Avenue", town: str = "Headingley", postcode: str = "LS6 2AB",
           due: dt.date | None = None,
           **child: object) -> Child:
    """A child at `line_1`, `postcode`, with `parent` living with them; due a contact on `due`."""
    kid = ChildFactory.create(forename=forename, surname=surname, postcode=postcode, **child)
    AddressFactory.create(child=kid, line_1=line_1, town=town, postcode=postcode)
    ChildParentFactory.create(child=kid, parent=ParentFactory.create(
        name=parent, address_line_1=line_1, postcode=postcode))
    if due is not None:
        AssessmentFactory.create(child=kid, next_contact_due=due)
    return kid


def template(kind: str) -> LetterTemplate:
    """The template of that kind the service starts with (data migration 0002)."""
    return LetterTemplate.objects.get(kind=kind)


def first_letter() -> LetterTemplate:
    return template(LetterKind.FIRST_CONTACT)


def pdf_pages(pdf: bytes) -> list[str]:
    """Each page's text, as a reader (or a screen reader) gets it."""
    document = pdfium.PdfDocument(pdf)
    return [document[i].get_textpage().get_text_bounded() for i in range(len(document))]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pdf_pages(pdf))


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's bytes with every compressed stream inflated (where the catalogue and the
    structure tree of a tagged PDF live)."""
    inflated = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            inflated.append(zlib.decompressobj().decompress(pdf[match.end():]))
        except zlib.error:
            continue
    return b"\n".join(inflated)


def default_templates() -> None:
    """The templates data migration 0002 creates, again, if a flush (a transactional test)
    removed them."""
    if LetterTemplate.objects.exists():
        return
    from django.apps import apps

    migration = importlib.import_module("notinschool.letters.migrations.0002_default_templates")
    migration.create(apps, None)

"""A do-not-disclose address never travels in a handover: no address of the child's, the new
one or a parent's is in the JSON file or the PDF; both say to phone the sending team for it,
and the receiving authority's import keeps the marker on the child."""

import datetime as dt
import io
import json

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.intake.tests.helpers import run_import
from notinschool.moves.models import MoveIn
from notinschool.moves.pdf import handover_pdf
from notinschool.moves.services import handover_create
from notinschool.moves.tests.factories import moving_child
from notinschool.people.models import Child

pytestmark = pytest.mark.django_db
ADDRESS_WORDS = ("Mill Road", "LS6 1AB", "Harbour Street", "NP1 2AB")


def _pdf_text(content: bytes) -> str:
    document = pdfium.PdfDocument(io.BytesIO(content))
    return "\n".join(page.get_textpage().get_text_range() for page in document)


@pytest.fixture
def withheld():
    officer = UserFactory.create(role=Role.EHE_OFFICER)
    child = moving_child(do_not_disclose=True)
    return handover_create(actor=officer, child=child, to_authority="Northshire County Council",
                           moved_on=dt.date(2026, 11, 20), new_line_1="3 Harbour Street",
                           new_town="Northport", new_postcode="NP1 2AB")


def test_no_address_is_in_the_file_or_the_pdf(withheld):
    doc = withheld.document
    text = json.dumps(doc)
    assert doc["address_withheld"] is True and doc["addresses"] == []
    assert "Contact the Elective Home Education Team" in doc["address_note"]
    assert "by phone on 0300 123 4567" in doc["address_note"]
    assert [(p["address_line_1"], p["postcode"]) for p in doc["parents"]] == [(None, None)]
    pdf = " ".join(_pdf_text(handover_pdf(doc)).split())
    assert "by phone on 0300 123 4567" in pdf
    for words in ADDRESS_WORDS:
        assert words not in text and words not in pdf


def test_the_receiving_authority_keeps_the_marker(withheld, tmp_path):
    path = tmp_path / "handover.json"
    path.write_text(json.dumps(withheld.document))
    Child.objects.all().delete()
    code, _, err = run_import("handover", path)
    assert (code, err) == (0, "")
    child = Child.objects.get()
    assert child.do_not_disclose_address is True
    assert not child.addresses.exists() and child.postcode == ""
    assert MoveIn.objects.get().address_withheld is True


def test_a_withheld_file_that_carries_an_address_is_refused(withheld, tmp_path):
    doc = withheld.document | {"addresses": [{"role": "new", "postcode": "NP1 2AB"}]}
    path = tmp_path / "handover.json"
    path.write_text(json.dumps(doc))
    code, _, err = run_import("handover", path)
    assert code == 2 and f"{path}:1:addresses: the address is withheld" in err

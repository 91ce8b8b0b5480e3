"""A child's address that must not be disclosed, everywhere it could leak: each page, file and
answer below is produced for a family whose address is marked, and the address (its first
line, its town or its postcode) must not be in it. The education team's own pages still show
it (the last test), so the check is not empty. Setting or removing the marker needs a reason
(people.editing), kept in the history and the audit."""

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from notinschool.accounts.models import Agency
from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import AgencyFactory
from notinschool.api.tests.test_api import keyed_client
from notinschool.audit.models import AuditEvent
from notinschool.intake.models import Notification
from notinschool.letters.services import letter_send
from notinschool.letters.tests.factories import first_letter, pdf_text
from notinschool.people.edit_save import ADDRESS_FIELDS, Seen, snapshot
from notinschool.people.editing import child_address_update
from notinschool.people.models import Child, FieldChange
from notinschool.records import subject_access as sa
from notinschool.records.tests.factories import REFUGE, REFUGE_POSTCODE, whole_family

pytestmark = pytest.mark.django_db

ADDRESS_PARTS = (REFUGE, "Refuge", "Chapeltown", REFUGE_POSTCODE, "LS7 9")


class Family:
    """The marked family and the people who look at it."""

    def __init__(self, client_for: Callable[..., Client], make_user: Callable[..., object],
                 health_agency: Agency, tmp_path: Path):
        self.child = whole_family(do_not_disclose=True)
        self.officer = make_user(Role.EHE_OFFICER)
        self.dpo = make_user(Role.DPO)
        self.social_worker = client_for(Role.SOCIAL_WORKER)
        self.health = client_for(Role.HEALTH_PRACTITIONER, agency=health_agency)
        self.tmp_path = tmp_path
        address = self.child.addresses.get()  # an officer corrects it: the history holds it
        child_address_update(actor=self.officer, child=self.child, address=address,  # type: ignore[arg-type]
                             seen=Seen(self.child.version, snapshot(address, ADDRESS_FIELDS)),
                             line_1=REFUGE, town="Chapeltown", postcode=REFUGE_POSTCODE,
                             moved_in_date=dt.date(2025, 3, 1))
        self.child.refresh_from_db()

    def page(self, client: Client, path: str) -> str:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.content.decode()

    def export(self, fmt: str) -> str:
        out = self.tmp_path / f"register.{fmt}"
        call_command("export", "register", "--format", fmt, "-o", str(out), stdout=io.StringIO())
        if fmt == "csv":
            rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
            mine = next(r for r in rows if r["child_ref"] == self.child.child_ref)
            assert mine["postcode"] == "" and mine["surname"] == "Okafor"
            return out.read_text(encoding="utf-8-sig")
        with zipfile.ZipFile(out) as book:  # every cell's text is in the parts of the workbook
            return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())

    def bundle(self, kind: str) -> str:
        request = sa.subject_access_create(actor=self.dpo, child=self.child, requester_name="",  # type: ignore[arg-type]
                                           purpose="test", received_date=dt.date(2026, 12, 1))
        for item in request.items.exclude(held_because=""):
            sa.item_decide(actor=self.dpo, item=item, release=True, reason="all released, for the test")  # type: ignore[arg-type]
        request = sa.subject_access_release(actor=self.dpo, request=request)  # type: ignore[arg-type]
        if kind == "review":
            client = Client()
            client.force_login(self.dpo)  # type: ignore[arg-type]
            return self.page(client, f"/records/subject-access/{request.pk}/")
        if kind == "pdf":
            return pdf_text(bytes(request.pdf or b""))
        return json.dumps(request.json)

    def api(self) -> str:
        school = AgencyFactory.create(name="Demo Academy", kind=Agency.Kind.EDUCATION)
        batch = Notification.objects.get(child=self.child).batch
        batch.agency = school
        batch.save(update_fields=["agency"])
        client = keyed_client(school)
        listing = client.get("/api/v1/imports")
        detail = client.get(f"/api/v1/imports/{batch.pk}")
        assert listing.status_code == detail.status_code == 200
        return listing.content.decode() + detail.content.decode()

    def health_list(self, path: str) -> str:
        from notinschool.accounts.system import SystemActor
        from notinschool.plans.services import health_share_run

        team = self.health.user.agency  # type: ignore[attr-defined]
        assert health_share_run(actor=SystemActor("weekly health list"), agency=team) == 1
        return self.page(self.health, path)

    def handover(self) -> str:
        document = pytest.importorskip("notinschool.moves.document")  # the handovers' own room
        handover_document, handover_pdf = document.handover_document, pytest.importorskip(
            "notinschool.moves.pdf").handover_pdf
        doc = handover_document(child=Child.objects.get(pk=self.child.pk), handover_id=self.child.pk,
                                produced_on=dt.date(2026, 12, 7), to_authority="Northshire County Council",
                                to_la_code="999", moved_on=dt.date(2026, 12, 1), new_address={})
        return json.dumps(doc) + pdf_text(handover_pdf(doc))


PLACES: dict[str, Callable[[Family], str]] = {
    "child page and timeline, social worker": lambda f: f.page(f.social_worker, f"/children/{f.child.pk}/"),
    "child page and timeline, health practitioner": lambda f: f.page(f.health, f"/children/{f.child.pk}/"),
    "record's history of changes, social worker": lambda f: f.page(
        f.social_worker, f"/children/{f.child.pk}/history/"),
    "register list, social worker": lambda f: f.page(f.social_worker, "/register/"),
    "register list, health practitioner (the health team's list)": lambda f: f.page(f.health, "/register/"),
    "register search by name, social worker": lambda f: f.page(f.social_worker, "/register/?name=Okafor"),
    "health team's list of home-educated children": lambda f: f.health_list("/health/"),
    "health team's list as CSV": lambda f: f.health_list("/health/children.csv"),
    "letter and its envelope window": lambda f: pdf_text(bytes(letter_send(
        actor=f.officer, child=f.child, template=first_letter()).pdf)),  # type: ignore[arg-type]
    "register export CSV": lambda f: f.export("csv"),
    "register export XLSX": lambda f: f.export("xlsx"),
    "API: the school's imports": lambda f: f.api(),
    "subject access bundle PDF": lambda f: f.bundle("pdf"),
    "subject access bundle JSON": lambda f: f.bundle("json"),
    "subject access review page": lambda f: f.bundle("review"),
    "handover to another authority (JSON and PDF)": lambda f: f.handover(),
}


@pytest.fixture
def marked(client_for, make_user, health_agency, tmp_path) -> Family:
    return Family(client_for, make_user, health_agency, tmp_path)


@pytest.mark.parametrize("place", PLACES)
def test_the_address_is_nowhere(marked: Family, place: str):
    body = PLACES[place](marked)
    assert "Okafor" in body or "R000123" in body or "imports" in place.lower() or "API" in place, \
        "the output is about the family"
    leaked = [part for part in ADDRESS_PARTS if part in body]
    assert not leaked, f"{place} shows {leaked}"


def test_searching_by_the_postcode_does_not_find_the_child(marked: Family):
    body = marked.page(marked.social_worker, f"/register/?postcode={REFUGE_POSTCODE}")
    assert "Okafor" not in body


def test_the_education_team_still_sees_it(marked: Family, client_for):
    officer = client_for(Role.EHE_OFFICER)
    html = marked.page(officer, f"/children/{marked.child.pk}/")
    assert REFUGE in html and "Do not disclose" in html
    assert "Okafor" in marked.page(officer, f"/register/?postcode={REFUGE_POSTCODE}")


def test_setting_and_removing_the_marker_needs_a_reason_kept_and_audited(client_for):
    child = whole_family()
    manager = client_for(Role.TEAM_MANAGER)
    url = f"/children/{child.pk}/change/details/?part=address-marker"
    form = manager.get(url).content.decode()
    assert "Why the address must be withheld, or need no longer be" in form
    seen = {"seen_version": str(child.version), "seen_values": json.dumps({"do_not_disclose_address": "No"})}
    refused = manager.post(url, {**seen, "do_not_disclose_address": "yes", "reason": ""})
    assert refused.status_code == 200 and "Enter why the address must be withheld" in refused.content.decode()
    assert not Child.objects.get(pk=child.pk).do_not_disclose_address
    done = manager.post(url, {**seen, "do_not_disclose_address": "yes", "reason": "Refuge placement"})
    assert done.status_code == 302
    assert Child.objects.get(pk=child.pk).do_not_disclose_address
    change = FieldChange.objects.get(child=child, field="do_not_disclose_address")
    assert change.reason == "Refuge placement" and change.value_after == "Yes"
    event = AuditEvent.objects.filter(action="update", detail__address_marker="set").get()
    assert event.reason == "Refuge placement"
    child.refresh_from_db()
    seen = {"seen_version": str(child.version), "seen_values": json.dumps({"do_not_disclose_address": "Yes"})}
    assert manager.post(url, {**seen, "do_not_disclose_address": "no",
                              "reason": "Family moved, risk assessed as over"}).status_code == 302
    assert not Child.objects.get(pk=child.pk).do_not_disclose_address
    assert AuditEvent.objects.filter(action="update", detail__address_marker="removed",
                                     reason="Family moved, risk assessed as over").exists()

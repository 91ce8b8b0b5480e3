"""The letters pages: templates (list, edit, preview, errors), sending from the child's page
(choose, preview, send, download), the child's page section and timeline, who may do what."""

import pytest
from django.urls import reverse

from notinschool.accounts.roles import Role
from notinschool.audit.models import AuditEvent
from notinschool.letters.models import Letter, LetterKind
from notinschool.letters.tests.factories import family, first_letter, pdf_text, template
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db


def test_managers_list_and_edit_templates_and_officers_may_not(client_for):
    manager = client_for(Role.TEAM_MANAGER)
    page = manager.get(reverse("letter_template_list"))
    assert page.status_code == 200
    assert_govuk_page(page.content)
    assert "First letter to a family" in page.content.decode()
    general = template(LetterKind.GENERAL)
    assert client_for(Role.EHE_OFFICER).get(reverse("letter_template_list")).status_code == 403
    assert client_for(Role.EHE_OFFICER).get(
        reverse("letter_template_edit", kwargs={"template_id": general.pk})).status_code == 403


def test_saving_a_template_keeps_a_version_and_returns_to_the_list(client_for):
    admin = client_for(Role.ADMIN)
    general = template(LetterKind.GENERAL)
    url = reverse("letter_template_edit", kwargs={"template_id": general.pk})
    page = admin.get(url)
    assert_govuk_page(page.content)
    response = admin.post(url, {"name": "General letter", "subject": "About {child_first_name}",
                                "body": "Dear friends of {child_first_name}.", "version": "1",
                                "action": "save"})
    assert response.status_code == 302 and response["Location"] == reverse("letter_template_list")
    general.refresh_from_db()
    assert general.version == 2 and general.versions.count() == 2


def test_unknown_placeholders_show_in_the_error_summary_and_nothing_is_saved(client_for):
    manager = client_for(Role.TEAM_MANAGER)
    general = template(LetterKind.GENERAL)
    url = reverse("letter_template_edit", kwargs={"template_id": general.pk})
    for action in ("save", "preview"):
        page = manager.post(url, {"name": "General letter", "subject": "Hi", "version": "1",
                                  "body": "Dear {parnt_name}, see {child_first_name", "action": action})
        assert page.status_code == 200
        html = page.content.decode()
        assert_govuk_page(html)
        assert "govuk-error-summary" in html and "{parnt_name}" in html and 'href="#body"' in html
    general.refresh_from_db()
    assert general.version == 1


def test_preview_shows_the_unsaved_text_filled_in(client_for):
    manager = client_for(Role.TEAM_MANAGER)
    general = template(LetterKind.GENERAL)
    url = reverse("letter_template_edit", kwargs={"template_id": general.pk})
    page = manager.post(url, {"name": "General letter", "subject": "About {child_first_name}", "version": "1",
                              "body": "Hello {parent_name}.\n\n- one\n- two", "action": "preview"})
    html = page.content.decode()
    assert_govuk_page(html)
    assert "Preview (not saved)" in html and "Hello Alex Example." in html and "<li>two</li>" in html
    general.refresh_from_db()
    assert general.version == 1
    pdf = manager.get(reverse("letter_template_preview", kwargs={"template_id": general.pk}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_second_editor_is_told_their_changes_were_not_saved(client_for):
    first, second = client_for(Role.TEAM_MANAGER), client_for(Role.ADMIN)
    general = template(LetterKind.GENERAL)
    url = reverse("letter_template_edit", kwargs={"template_id": general.pk})
    data = {"name": "General letter", "subject": "S", "body": "B", "version": "1", "action": "save"}
    assert first.post(url, data).status_code == 302
    page = second.post(url, {**data, "body": "Mine"})
    assert page.status_code == 200 and "Someone else saved this template" in page.content.decode()


def test_an_officer_chooses_previews_sends_and_downloads_a_letter(client_for):
    officer = client_for(Role.EHE_OFFICER)
    child = family()
    child_page = officer.get(reverse("child_detail", kwargs={"child_id": child.pk})).content.decode()
    assert reverse("letter_new", kwargs={"child_id": child.pk}) in child_page
    url = reverse("letter_new", kwargs={"child_id": child.pk})
    page = officer.get(url)
    assert page.status_code == 200
    assert_govuk_page(page.content)
    empty = officer.post(url, {"action": "preview"})
    assert "Select the letter to send" in empty.content.decode()
    assert_govuk_page(empty.content)
    preview = officer.post(url, {"template": str(first_letter().pk), "action": "preview"})
    html = preview.content.decode()
    assert_govuk_page(html)
    assert "Check the letter" in html and "Grace Okafor" in html and not Letter.objects.exists()
    pdf_url = reverse("letter_preview", kwargs={"child_id": child.pk, "template_id": first_letter().pk})
    assert pdf_url in html
    assert "A page for Ava" in pdf_text(officer.get(pdf_url).content)
    sent = officer.post(url, {"template": str(first_letter().pk), "action": "send"})
    letter = Letter.objects.get()
    assert sent["Location"] == reverse("letter_sent", kwargs={"child_id": child.pk, "letter_id": letter.pk})
    assert child.assessments.filter(is_latest=True).exists()  # assessed again: the next contact follows
    confirmation = officer.get(sent["Location"])
    assert_govuk_page(confirmation.content)
    download_url = reverse("letter_download", kwargs={"letter_id": letter.pk})
    assert download_url in confirmation.content.decode()
    download = officer.get(download_url)
    assert download["Content-Type"] == "application/pdf" and "attachment" in download["Content-Disposition"]
    assert bytes(download.content) == bytes(letter.pdf)
    assert AuditEvent.objects.filter(action="download", object_type="letter").exists()


def test_the_childs_page_and_timeline_show_the_letter_with_its_pdf_and_sender(client_for):
    officer = client_for(Role.EHE_OFFICER, first_name="Sam", last_name="Patel")
    child = family()
    officer.post(reverse("letter_new", kwargs={"child_id": child.pk}),
                 {"template": str(first_letter().pk), "action": "send"})
    letter = Letter.objects.get()
    page = officer.get(reverse("child_detail", kwargs={"child_id": child.pk}))
    html = page.content.decode()
    assert_govuk_page(html)
    assert 'id="letters-heading"' in html and "1 letter sent" in html
    download = reverse("letter_download", kwargs={"letter_id": letter.pk})
    assert html.count(download) >= 2  # the section and the timeline
    assert "Letter: Your child&#39;s education at home" in html and "Sam Patel" in html


def test_roles_without_casework_neither_send_nor_download(client_for):
    child = family()
    officer = client_for(Role.EHE_OFFICER)
    officer.post(reverse("letter_new", kwargs={"child_id": child.pk}),
                 {"template": str(first_letter().pk), "action": "send"})
    letter = Letter.objects.get()
    for role in (Role.SOCIAL_WORKER, Role.HEALTH_PRACTITIONER, Role.ADMIN):
        client = client_for(role)
        download = reverse("letter_download", kwargs={"letter_id": letter.pk})
        assert client.get(download).status_code in (403, 404)
        assert client.post(reverse("letter_new", kwargs={"child_id": child.pk}),
                           {"template": str(first_letter().pk), "action": "send"}).status_code in (403, 404)
    assert Letter.objects.count() == 1

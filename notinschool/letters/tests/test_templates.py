"""Saving a template: a new version each time, the previous kept with who and when; placeholders
checked; two editors at once; only those who may edit templates."""

import pytest

from notinschool.accounts.roles import Role
from notinschool.audit.models import AuditEvent
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.letters.models import LetterKind, LetterTemplate
from notinschool.letters.placeholders import placeholder_problems
from notinschool.letters.services import TemplateProblems, letter_template_save
from notinschool.letters.tests.factories import template

pytestmark = pytest.mark.django_db


def test_the_service_starts_with_a_template_of_every_kind_each_with_good_placeholders():
    templates = LetterTemplate.objects.all()
    # the apps above add templates of their own kinds (statutory notices) from their migrations
    assert {t.kind for t in templates} >= set(LetterKind.values)
    for t in templates:
        assert placeholder_problems(t.subject + t.body, t.kind) == [], t.name
        assert t.versions.get().number == 1


def test_the_first_letter_says_home_education_is_lawful_and_asks_for_the_childs_views():
    body = template(LetterKind.FIRST_CONTACT).body
    assert "Home education is lawful" in body
    assert "register" in body and "views" in body and "health services" in body


def test_saving_keeps_every_version_with_who_and_when(make_user):
    manager = make_user(Role.TEAM_MANAGER, first_name="Mo", last_name="Manager")
    general = template(LetterKind.GENERAL)
    old_body = general.body
    saved = letter_template_save(actor=manager, template=general, name="General letter",
                                 subject="About {child_first_name}", body="New words for {parent_name}.",
                                 version=1)
    assert saved.version == 2
    latest, first = saved.versions.all()
    assert (latest.number, latest.body, latest.created_by) == (2, "New words for {parent_name}.", manager)
    assert (first.number, first.body) == (1, old_body)
    assert AuditEvent.objects.filter(object_type="letter_template", action="update").exists()


def test_unknown_placeholders_and_stray_braces_are_refused_naming_them(make_user):
    admin = make_user(Role.ADMIN)
    general = template(LetterKind.GENERAL)
    with pytest.raises(TemplateProblems) as refused:
        letter_template_save(actor=admin, template=general, name="General letter",
                             subject="About {child_frist_name}", body="Dear {parent}, see { here", version=1)
    assert "{child_frist_name}" in refused.value.problems["subject"][0]
    assert "{parent}" in refused.value.problems["body"][0]
    assert "brace" in refused.value.problems["body"][1]
    general.refresh_from_db()
    assert general.version == 1 and general.versions.count() == 1


def test_the_second_of_two_editors_is_told_and_nothing_is_lost(make_user):
    first, second = make_user(Role.TEAM_MANAGER), make_user(Role.ADMIN)
    general = template(LetterKind.GENERAL)
    letter_template_save(actor=first, template=general, name="General letter", subject="A",
                         body="First editor's words.", version=1)
    with pytest.raises(DomainError, match="Someone else saved this template"):
        letter_template_save(actor=second, template=general, name="General letter", subject="B",
                             body="Second editor's words.", version=1)
    general.refresh_from_db()
    assert general.body == "First editor's words."


@pytest.mark.parametrize("role", [Role.EHE_OFFICER, Role.SOCIAL_WORKER, Role.ANALYST])
def test_only_managers_and_administrators_edit_templates(make_user, role):
    with pytest.raises(NotPermitted):
        letter_template_save(actor=make_user(role), template=template(LetterKind.GENERAL), name="x",
                             subject="x", body="x", version=1)

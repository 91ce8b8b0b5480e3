"""At most one latest assessment per child, kept by the database (issue 21): readers take "the"
latest assessment of a child, and counts of the register by tier count each child once. A run
retires a child's previous latest row before it stores the new one; a database that already has
two latest rows for a child is repaired by the migration that adds the constraint."""

import datetime as dt
import importlib
import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from notinschool.accounts.system import COMMAND_LINE
from notinschool.people.tests.factories import ChildFactory
from notinschool.risk.models import Assessment
from notinschool.risk.tests.factories import AssessmentFactory
from notinschool.risk.tests.helpers import ordinary_child, with_fact
from notinschool.workflow.assessment import risk_assessment_run_recorded

pytestmark = pytest.mark.django_db

CONSTRAINT = "one_latest_assessment_per_child"
repair = importlib.import_module("notinschool.risk.migrations.0004_one_latest_assessment_per_child")


def test_the_database_refuses_a_second_latest_assessment_for_a_child():
    first = AssessmentFactory.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory.create(child=first.child)
    with pytest.raises(IntegrityError), transaction.atomic():  # nor by an update
        AssessmentFactory.create(child=first.child, is_latest=False)
        Assessment.objects.filter(child=first.child).update(is_latest=True)
    AssessmentFactory.create(child=first.child, is_latest=False, tier=2)  # history is kept
    AssessmentFactory.create(is_latest=True)  # another child's latest
    assert Assessment.objects.get(child=first.child, is_latest=True) == first
    assert Assessment.objects.filter(child=first.child).count() == 2


def test_re_running_retires_the_previous_latest_before_storing_the_new(as_of):
    """Each re-run stores a new latest row per child; the database takes it because the
    previous one is retired first, and the summary compares against that previous one."""
    child = with_fact(ordinary_child(), "child_in_need")
    other = ordinary_child()
    runs = [risk_assessment_run_recorded(actor=COMMAND_LINE, child_ids=None) for _ in range(3)]
    selected = risk_assessment_run_recorded(actor=COMMAND_LINE, child_ids=[child.pk, child.pk])
    assert [r.children for r in runs] == [2, 2, 2] and selected.children == 1
    assert runs[0].summary["first_assessed"] == 2
    assert runs[2].summary["tier_unchanged"] == 2 and "first_assessed" not in runs[2].summary
    assert Assessment.objects.get(child=child, is_latest=True).run == selected
    assert Assessment.objects.get(child=other, is_latest=True).run == runs[2]
    assert Assessment.objects.filter(child=child).count() == 4
    assert Assessment.objects.filter(is_latest=True).count() == 2


def _drop_constraint() -> None:
    """As a database from before the constraint (rolled back with the test's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(CONSTRAINT)}")


def _add_constraint() -> None:
    constraint = next(c for c in Assessment._meta.constraints if c.name == CONSTRAINT)
    if connection.vendor == "postgresql":  # as a migration does: the test's rows checked now
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    editor = connection.schema_editor()
    editor.execute(constraint.create_sql(Assessment, editor))


def test_the_migration_keeps_the_newest_latest_assessment_of_each_child():
    """Two runs at once left children with two or three latest rows: the newest (by created_at,
    then id) stays latest, the others become history, and the constraint can then be added."""
    _drop_constraint()
    day = timezone.now()
    twice, thrice, once = ChildFactory.create(), ChildFactory.create(), ChildFactory.create()
    rows = {
        "twice old": AssessmentFactory.create(child=twice, tier=2),
        "twice new": AssessmentFactory.create(child=twice, tier=3),
        "thrice low id": AssessmentFactory.create(child=thrice, id=uuid.UUID(int=1)),
        "thrice high id": AssessmentFactory.create(child=thrice, id=uuid.UUID(int=2)),
        "thrice oldest": AssessmentFactory.create(child=thrice, id=uuid.UUID(int=3)),
        "once": AssessmentFactory.create(child=once),
        "once retired": AssessmentFactory.create(child=once, is_latest=False),
    }
    for name, at in (("twice old", day - dt.timedelta(days=1)), ("twice new", day),
                     ("thrice low id", day), ("thrice high id", day),
                     ("thrice oldest", day - dt.timedelta(days=2))):
        Assessment.objects.filter(pk=rows[name].pk).update(created_at=at)
    assert Assessment.objects.filter(is_latest=True).count() == 6

    assert repair.keep_newest_latest(Assessment) == 3
    latest = {a.pk for a in Assessment.objects.filter(is_latest=True)}
    assert latest == {rows["twice new"].pk, rows["thrice high id"].pk, rows["once"].pk}
    assert Assessment.objects.count() == 7  # nothing deleted
    assert repair.keep_newest_latest(Assessment) == 0  # nothing left to repair
    _add_constraint()
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory.create(child=once)

"""The monthly cross-reference trains the matching model on the month's records first (issue 20,
item 1: learn from the data in front of it), stores it, audited as the schedule's, and links
with it; switched off (NOTINSCHOOL_LINKAGE_TRAIN_MONTHLY), or with too few records, it links
with the model it had and stores nothing."""

import pytest

from notinschool.audit.models import AuditEvent
from notinschool.linkage.engine.model import ModelSpec
from notinschool.linkage.linking import register_model
from notinschool.linkage.models import LinkageModel, PersonMatch
from notinschool.linkage.tests.factories import generated_records
from notinschool.workflow import tasks as workflow_tasks

pytestmark = pytest.mark.django_db


def test_the_monthly_run_trains_on_the_register_and_links_with_the_model_it_stored(settings):
    settings.NOTINSCHOOL_LINKAGE_TRAINING_MIN_RECORDS = 400
    generated_records(420, 600)
    workflow_tasks.link_monthly.enqueue()
    stored = LinkageModel.objects.get()
    assert (stored.register_records, stored.agency_records) == (420, 600)
    assert stored.actor_label == "system: monthly cross-referencing (system)"
    event = AuditEvent.objects.get(object_type="linkage_model")
    assert event.action == "create" and event.object_ids == [str(stored.pk)]
    # this run linked with it: the evidence on its links carries the trained weights
    trained = ModelSpec.from_json(stored.model).level_weights()["surname"]
    weights = {e["label"]: e["weight"] for m in PersonMatch.objects.all() for e in m.evidence
               if e["field"] == "surname" and e["label"] in trained}
    assert weights and all(abs(w - trained[label]) < 1e-6 for label, w in weights.items())
    assert register_model().note.startswith(ModelSpec.from_json(stored.model).note)


def test_switched_off_or_with_too_few_records_the_month_keeps_the_model_it_had(settings):
    generated_records(420, 600)
    settings.NOTINSCHOOL_LINKAGE_TRAINING_MIN_RECORDS = 10_000  # the default: too few here
    workflow_tasks.link_monthly.enqueue()
    assert not LinkageModel.objects.exists()
    assert PersonMatch.objects.exists()  # linked all the same, with the default model
    settings.NOTINSCHOOL_LINKAGE_TRAINING_MIN_RECORDS = 400
    settings.NOTINSCHOOL_LINKAGE_TRAIN_MONTHLY = False
    workflow_tasks.link_monthly.enqueue()
    assert not LinkageModel.objects.exists()
    assert not AuditEvent.objects.filter(object_type="linkage_model").exists()

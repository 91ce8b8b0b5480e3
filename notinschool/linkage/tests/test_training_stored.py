"""The model learnt from the authority's own records (issue 20, item 1): `notinschool link --train`
trains it on the whole register and every agency person and stores it, audited, and every
linking run after it scores with it; with too few records it says so, links with the model it
had and stores nothing. The command line needs 10,000 records a side; the service function takes
a smaller minimum (NOTINSCHOOL_LINKAGE_TRAINING_MIN_RECORDS), so the data here stays small (the
engine's test generator)."""

import datetime as dt
import math

import pytest
from django.core.management import call_command

from notinschool.accounts.system import COMMAND_LINE
from notinschool.audit.models import AuditEvent
from notinschool.linkage.engine import default_model
from notinschool.linkage.engine.model import (
    REPLACED_BIRTHDAY_LEVEL,
    REPLACED_FORENAME_LEVEL,
    ModelSpec,
)
from notinschool.linkage.linking import register_model
from notinschool.linkage.models import LinkageModel, PersonMatch
from notinschool.linkage.services import link_all
from notinschool.linkage.tests.factories import AgencyPersonFactory, generated_records
from notinschool.linkage.training import model_train
from notinschool.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

MIN = 400  # the minimum these tests train with (NOTINSCHOOL_LINKAGE_TRAINING_MIN_RECORDS)


@pytest.fixture(autouse=True)
def _small_minimum(settings):
    settings.NOTINSCHOOL_LINKAGE_TRAINING_MIN_RECORDS = MIN


def test_training_stores_the_model_and_the_next_link_scores_with_it():
    generated_records(600, 1200)
    training = model_train(actor=COMMAND_LINE)
    stored = LinkageModel.objects.get()
    assert training.stored == stored
    assert (stored.register_records, stored.agency_records) == (600, 1200)
    assert "model trained on 600 register and 1,200 agency records" in training.words
    model = ModelSpec.from_json(stored.model)
    assert model.trained and stored.prior == model.settings["probability_two_random_records_match"]
    event = AuditEvent.objects.get(object_type="linkage_model")
    assert event.action == "create" and event.object_ids == [str(stored.pk)]
    assert event.detail["register_records"] == 600

    link_all(actor=COMMAND_LINE)
    trained, default = model.level_weights(), default_model().level_weights()
    compared = 0
    for match in PersonMatch.objects.filter(kind=PersonMatch.Kind.SAME_PERSON):
        for e in match.evidence:
            # (the replaced-field levels are weighed by the register's twins on top)
            if (e["field"] in ("surname", "date_of_birth") and e["label"] in trained[e["field"]]
                    and e["label"] not in (REPLACED_FORENAME_LEVEL, REPLACED_BIRTHDAY_LEVEL)):
                assert math.isclose(e["weight"], trained[e["field"]][e["label"]], abs_tol=1e-6)
                compared += 1
    assert compared > 100
    # the trained weights are not the shipped ones: u was learnt from these records
    assert any(not math.isclose(trained["surname"][label], default["surname"][label])
               for label in trained["surname"] if label in default["surname"])


def test_every_linking_run_starts_from_the_latest_model_stored():
    generated_records(450, 600)
    assert register_model().settings == default_model().settings
    model_train(actor=COMMAND_LINE)
    first = LinkageModel.objects.get()
    assert register_model().settings == ModelSpec.from_json(first.model).settings
    assert "trained on 450 register" in register_model().note
    # too few records for a training asked for later: the model trained before stays in use
    training = model_train(actor=COMMAND_LINE, min_records=10_000)
    assert training.stored is None and LinkageModel.objects.count() == 1
    trained_at = f"{first.created_at:%Y-%m-%d %H:%M}"
    assert training.words == (f"too few records to train (450 register, 600 agency; 10,000 "
                              f"each needed): the model trained on {trained_at} is used")
    ChildFactory.create_batch(100)  # the register grows, and the model is trained again
    model_train(actor=COMMAND_LINE)
    latest = LinkageModel.objects.latest("created_at")
    assert latest != first and latest.register_records == 550
    assert register_model().note.startswith(ModelSpec.from_json(latest.model).note)


def test_too_few_records_say_so_store_nothing_and_link_with_the_default(capsys, settings):
    child = ChildFactory.create(forename="Amelia", surname="Okafor", sex="F",
                                date_of_birth=dt.date(2014, 3, 9), postcode="LS6 2AB")
    AgencyPersonFactory.create(forename="Amelia", surname="Okafor", sex="F",
                               date_of_birth=child.date_of_birth, postcode="LS6 2AB")
    settings.NOTINSCHOOL_LINKAGE_TRAINING_MIN_RECORDS = 10_000  # the default
    call_command("link", "--train")
    out = capsys.readouterr().out.splitlines()
    assert out == ["too few records to train (1 register, 1 agency; 10,000 each needed): the "
                   "default model is used", "links changed for 1 children"]
    assert not LinkageModel.objects.exists()
    assert not AuditEvent.objects.filter(object_type="linkage_model").exists()
    match = PersonMatch.objects.get()
    default = default_model().level_weights()
    surname = next(e for e in match.evidence if e["field"] == "surname")
    assert math.isclose(surname["weight"], default["surname"][surname["label"]], abs_tol=1e-6)


"""The matching model learnt from the authority's own records (`notinschool link --train`), and
the latest one stored, which every linking run starts from (linking.register_model).

Training reads the whole register and every agency person (the tables linking reads), and
trains the engine's model on them (engine.model.train_model: u from random pairs, the address
m by expectation maximisation, the prior learnt). It takes about 40 s of CPU at a million
records, too much for every run: it is asked for, and the model kept as a LinkageModel row."""

from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from django.conf import settings
from django.db import transaction

from notinschool.accounts.actor import Actor, actor_user
from notinschool.audit.services import actor_label, audit_record
from notinschool.linkage.engine.model import ModelSpec, train_model
from notinschool.linkage.linking import agency_table, linking_check, register_table
from notinschool.linkage.models import AgencyPerson, LinkageModel


@dataclass(frozen=True)
class Training:
    """What `model_train` did: ``stored`` is the new model's row, or None when there were too
    few records (fewer than ``min_records`` on a side) and linking keeps the model it had."""

    stored: LinkageModel | None
    register_records: int
    agency_records: int
    min_records: int
    in_use: str = ""
    """Without a new model: the one linking keeps using, in words."""

    @property
    def words(self) -> str:
        """One line for the person who asked."""
        r, a = f"{self.register_records:,}", f"{self.agency_records:,}"
        if self.stored is None:
            return (f"too few records to train ({r} register, {a} agency; "
                    f"{self.min_records:,} each needed): {self.in_use} is used")
        return (f"model trained on {r} register and {a} agency records and stored "
                f"(prior {self.stored.prior:.3g}): linking uses it from now on")


def model_train(*, actor: Actor, register: pa.Table | None = None,
                min_records: int | None = None) -> Training:
    """Train the engine's model on the whole register (open children) and every agency person,
    and store it (audited) for every linking run after it. With fewer than ``min_records``
    records on either side (by default NOTINSCHOOL_LINKAGE_TRAINING_MIN_RECORDS) nothing is
    trained or stored. Who may: `linking_check`. ``register``: `register_table(None)` when
    the caller has read it already."""
    linking_check(actor)
    if min_records is None:
        min_records = int(settings.NOTINSCHOOL_LINKAGE_TRAINING_MIN_RECORDS)
    register = register_table(None) if register is None else register
    # counted first: with too few records (a small authority's monthly run) nobody's records
    # are read for nothing
    counts = {"register_records": register.num_rows,
              "agency_records": AgencyPerson.objects.count()}
    if min(counts.values()) < min_records:
        latest = _latest().values_list("created_at", flat=True).first()
        in_use = (f"the model trained on {latest:%Y-%m-%d %H:%M}" if latest is not None
                  else "the default model")
        return Training(stored=None, min_records=min_records, in_use=in_use, **counts)
    agency = agency_table(None)
    model = train_model(register, agency, min_records=min_records)
    del agency  # a million agency rows are not held while the row is written
    prior = float(model.settings["probability_two_random_records_match"])
    with transaction.atomic():
        row = LinkageModel.objects.create(model=model.to_json(), actor_label=actor_label(actor),
                                          created_by=actor_user(actor), prior=prior,
                                          note=model.note, **counts)
        audit_record(actor=actor, action="create", object_type="linkage_model",
                     object_ids=[row.pk], detail={**counts, "prior": prior})
    return Training(stored=row, min_records=min_records, **counts)


def _latest() -> Any:
    """Stored models, the latest first."""
    return LinkageModel.objects.order_by("-created_at")


def trained_model() -> ModelSpec | None:
    """The latest model `model_train` stored (one query), or None: none was."""
    text: Any = _latest().values_list("model", flat=True).first()
    return ModelSpec.from_json(text) if text is not None else None

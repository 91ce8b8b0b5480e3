"""Partner agencies' records and their links to register children.

No identifier is shared: a person in an agency's file is linked to a child by the linkage
engine, with evidence; uncertain links wait for a person; a rejected link never returns.
"""

from typing import Any

from django.conf import settings
from django.db import models

from notinschool.core.models import BaseModel


def _made_by_light() -> Any:
    """Who made or changed an agency row, without an index or a database constraint: agency
    rows come by the million from files (the import batch says who sent them, and is
    constrained), nobody looks them up by user, and each index and each deferred constraint
    check costs a bulk load time. Django still sets the field to NULL when the user goes."""
    return models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+", db_index=False,
                             db_constraint=False)


class AgencyPerson(BaseModel):
    """A person as one agency knows them; identity fields are the latest the agency sent."""

    created_by = _made_by_light()
    modified_by = _made_by_light()

    source = models.CharField(max_length=40)
    record_id = models.CharField(max_length=100)
    forename = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=100)
    sex = models.CharField(max_length=1, blank=True)
    date_of_birth = models.DateField()
    address_line_1 = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    upn = models.CharField(max_length=13, blank=True)
    parent1_name = models.CharField(max_length=200, blank=True)
    parent2_name = models.CharField(max_length=200, blank=True)
    # The engine's blocking keys (empty when not known), kept so that linking a few register
    # children picks out, by index, only the people who could pair with them.
    key_fn = models.CharField(max_length=100, blank=True)
    key_fn_sx = models.CharField(max_length=4, blank=True)
    key_sn_sx = models.CharField(max_length=4, blank=True)
    key_pc = models.CharField(max_length=10, blank=True)
    key_nhs = models.CharField(max_length=10, blank=True)
    key_upn = models.CharField(max_length=13, blank=True)
    keys_version = models.CharField(max_length=16, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "record_id"], name="agency_person_once")
        ]
        indexes = [
            models.Index(fields=["key_nhs"], name="agency_person_key_nhs"),
            models.Index(fields=["key_upn"], name="agency_person_key_upn"),
            models.Index(fields=["key_pc"], name="agency_person_key_pc"),
            models.Index(fields=["date_of_birth"], name="agency_person_dob"),
            models.Index(fields=["key_fn", "key_sn_sx"], name="agency_person_key_names"),
            models.Index(fields=["key_fn_sx", "key_sn_sx", "date_of_birth"],
                         name="agency_person_key_swapped"),
            models.Index(fields=["keys_version"], name="agency_person_keys_version"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.record_id}"


class AgencyFact(BaseModel):
    """One fact about one person: an indicator with its dates. Recognised by
    (source, record_id, indicator, start_date)."""

    created_by = _made_by_light()
    modified_by = _made_by_light()

    # indexed by the unique constraint below, which starts with the person: no second index
    person = models.ForeignKey(AgencyPerson, on_delete=models.CASCADE, related_name="facts",
                               db_index=False)
    source = models.CharField(max_length=40)
    indicator = models.CharField(max_length=40)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    ended_by_snapshot = models.BooleanField(default=False)
    detail = models.TextField(blank=True)
    # No database constraint: the batch is made in the same transaction by the same load, and
    # Django keeps PROTECT; a constraint would be checked once a fact at the commit (a million
    # checks for a large file).
    batch = models.ForeignKey("intake.ImportBatch", on_delete=models.PROTECT, related_name="+",
                              db_constraint=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "indicator", "start_date"],
                                    name="agency_fact_once")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.indicator} from {self.start_date}"


class PersonMatch(BaseModel):
    """A link between a register child and an agency person: the same person, or a member of
    the child's household."""

    class Kind(models.TextChoices):
        SAME_PERSON = "same_person", "Same person"
        HOUSEHOLD = "household", "Household member"

    class State(models.TextChoices):
        AUTOMATIC = "automatic", "Applied automatically"
        PENDING = "pending", "Waiting for review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="matches")
    person = models.ForeignKey(AgencyPerson, on_delete=models.CASCADE, related_name="matches")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    state = models.CharField(max_length=20, choices=State.choices)
    probability = models.FloatField(default=1.0)
    weight = models.FloatField(default=0.0)
    basis = models.CharField(max_length=40, blank=True)
    evidence = models.JSONField(default=list)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "person", "kind"], name="person_match_once")
        ]
        indexes = [models.Index(fields=["state"]),
                   models.Index(fields=["state", "-probability"], name="person_match_queue")]

    def __str__(self) -> str:
        return f"{self.child_id} ~ {self.person_id} ({self.kind}, {self.state})"

    @property
    def is_effective(self) -> bool:
        return self.state in (self.State.AUTOMATIC, self.State.ACCEPTED)

    @property
    def score_words(self) -> str:
        """The score as a reviewer reads it: '99.8%', 'over 99.9%'; household links are not scored."""
        from notinschool.linkage.evidence import score_words

        if self.kind == self.Kind.HOUSEHOLD:
            return "Household link"
        if self.basis == "same_home":  # linkage.households: the engine scored it below review
            return "Not scored: at the child's home"
        return score_words(self.probability)


class MatchDecision(BaseModel):
    """One person's decision on a match, kept for good: who, when, what and why. The match holds
    only its current state; its history is these rows, oldest first."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        UNDONE = "undone", "Undone"

    match = models.ForeignKey(PersonMatch, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    from_state = models.CharField(max_length=20, choices=PersonMatch.State.choices)
    to_state = models.CharField(max_length=20, choices=PersonMatch.State.choices)
    reason = models.TextField()
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_label = models.CharField(max_length=200)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "created_at"]

    def __str__(self) -> str:
        return f"{self.match_id} {self.decision} by {self.actor_label}"


class DuplicatePair(BaseModel):
    """Two register records the linkage engine found may be the same child: a duplicate the
    intake matcher could not be sure of (two misspellings, a date with day and month swapped
    and the year wrong). Twins and siblings score high too, so a pair is never merged without
    a person. ``child_a`` is the record that reached the register first (the lower reference).

    A pair is decided once, for good: the same child (the records were merged; ``kept`` carries
    on) or different children (the pair is never suggested again, nor for a record either of
    them is later merged into)."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        MERGED = "merged", "Same child: merged"
        DIFFERENT = "different", "Different children"

    child_a = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="+")
    child_b = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    probability = models.FloatField()
    weight = models.FloatField(default=0.0)
    evidence = models.JSONField(default=list)
    kept = models.ForeignKey("people.Child", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_by_label = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child_a", "child_b"], name="duplicate_pair_once"),
            models.CheckConstraint(condition=~models.Q(child_a=models.F("child_b")),
                                   name="duplicate_pair_two_records"),
        ]
        indexes = [models.Index(fields=["state", "-probability"], name="duplicate_pair_queue"),
                   models.Index(fields=["child_b"], name="duplicate_pair_child_b")]

    def __str__(self) -> str:
        return f"{self.child_a_id} ~ {self.child_b_id} ({self.state})"

    @property
    def score_words(self) -> str:
        from notinschool.linkage.evidence import score_words

        return score_words(self.probability)


class LinkageModel(BaseModel):
    """A matching model trained on the register and agency records in hand (`notinschool link
    --train`): every linking run after it starts from the latest one (linkage.training), weighed
    by the register's twins as the shipped default is. Kept, not replaced, so that what scored a
    past link can be found; ``created_at`` is when it was trained, ``actor_label`` by whom."""

    model = models.TextField()
    """The engine's model as JSON (engine.model.ModelSpec.to_json), read back unchanged."""
    actor_label = models.CharField(max_length=200)
    register_records = models.PositiveIntegerField()
    agency_records = models.PositiveIntegerField()
    prior = models.FloatField()
    """The prior the training learnt (or kept): probability that two records are one person."""
    note = models.TextField(blank=True)
    """The engine's account of the training (what it sampled, what it found)."""

    class Meta:
        indexes = [models.Index(fields=["-created_at"], name="linkage_model_latest")]

    def __str__(self) -> str:
        return f"model trained {self.created_at:%Y-%m-%d %H:%M} by {self.actor_label}"

"""Moves between authorities.

A family that moves away: the officer records the authority the child moves to (a `Handover`),
which produces the handover in two forms made from one document (a PDF for people, a JSON
file for the receiving authority's system; docs/data-contract.md, section 9), records how and
when it was sent, and, once the receiving authority acknowledges receipt, the record closes as
`left_area`. Until then the handover chases in the work queue.

A child who moves in: the previous authority's handover file is imported like any notification
(the intake kind `handover`); the history it brings is kept on a `MoveIn`, shown on the child's
page as the previous authority's."""

from django.db import models

from notinschool.core.models import BaseModel


class Handover(BaseModel):
    """A child's record handed over to the authority the family moved to.

    `document` is what was produced, kept as produced: the PDF and the JSON file are both made
    from it, so what is downloaded again later is what was sent."""

    class Method(models.TextChoices):
        SECURE_EMAIL = "secure_email", "Secure email"
        S2S = "s2s", "School-to-school service (Lost Pupil Database)"
        POST = "post", "Post"
        BY_HAND = "by_hand", "By hand"

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="handovers")
    to_authority = models.CharField(max_length=200)
    to_la_code = models.CharField(max_length=3, blank=True)
    moved_on = models.DateField(null=True, blank=True)
    new_line_1 = models.CharField(max_length=200, blank=True)
    new_line_2 = models.CharField(max_length=200, blank=True)
    new_town = models.CharField(max_length=100, blank=True)
    new_postcode = models.CharField(max_length=8, blank=True)
    produced_on = models.DateField()
    document = models.JSONField(default=dict)
    sent_method = models.CharField(max_length=20, choices=Method.choices, blank=True)
    sent_on = models.DateField(null=True, blank=True)
    sent_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    acknowledged_by_name = models.CharField(max_length=200, blank=True)
    acknowledged_on = models.DateField(null=True, blank=True)
    acknowledgement_recorded_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                                    on_delete=models.SET_NULL, related_name="+")
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-produced_on", "-created_at"]

    def __str__(self) -> str:
        return f"handover of {self.child_id} to {self.to_authority}"

    @property
    def state(self) -> str:
        """`withdrawn`, `acknowledged`, `sent` (awaiting acknowledgement) or `produced`."""
        if self.withdrawn_on:
            return "withdrawn"
        if self.acknowledged_on:
            return "acknowledged"
        return "sent" if self.sent_on else "produced"

    @property
    def state_label(self) -> str:
        return {"withdrawn": "Withdrawn", "acknowledged": "Receipt acknowledged",
                "sent": "Sent, awaiting acknowledgement", "produced": "Produced, not sent yet"}[self.state]

    @property
    def is_open(self) -> bool:
        return self.state in ("produced", "sent")


class MoveIn(BaseModel):
    """A handover from the previous authority, imported: the notification it became, and the
    history it brought (kept whole in `document`, as the previous authority sent it)."""

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="moves_in")
    notification = models.ForeignKey("intake.Notification", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    batch = models.ForeignKey("intake.ImportBatch", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    handover_id = models.UUIDField()
    from_authority = models.CharField(max_length=200)
    from_la_code = models.CharField(max_length=3, blank=True)
    from_reference = models.CharField(max_length=40, blank=True)
    moved_on = models.DateField(null=True, blank=True)
    produced_on = models.DateField()
    received_on = models.DateField()
    address_withheld = models.BooleanField(default=False)
    document = models.JSONField(default=dict)

    class Meta:
        ordering = ["-received_on", "-created_at"]

    def __str__(self) -> str:
        return f"move in of {self.child_id} from {self.from_authority}"

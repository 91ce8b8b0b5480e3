"""Anonymous facts kept for the returns after the retention job deletes a child's record.

The DfE return counts, for each census date, the children on the register that day by sex,
year group, reason, special needs, social care and time missing, and the in-year starts and
returns. A record deleted once its retention date has passed (records.retention) would take
its child out of the historic figures; so, before deleting, the job keeps here exactly what the
return reads of that child, and nothing that names them: no name, reference, address, parent
or link to the deleted record (a new random id), and the month of birth, not the date (every
boundary the return uses, compulsory school age and the year group, falls at a month's end)."""

import uuid

from django.db import models


class RetiredChild(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sex = models.CharField(max_length=1, blank=True)
    birth_month = models.DateField()  # the first day of the month of birth
    ehe_reason = models.CharField(max_length=40, blank=True)
    sen_provision = models.CharField(max_length=1, blank=True)
    missing_since = models.DateField(null=True, blank=True)
    # [[date, status], ...] in the order the register had them (the status history's dates)
    history = models.JSONField(default=list)
    # [[indicator, start, end or null], ...]: social care on the child's own linked records
    social_care = models.JSONField(default=list)
    previous_school_type = models.CharField(max_length=30, blank=True)  # "" when no deletion
    # [[missing since, closed on or null, primary reason], ...]: the missing education cases
    cme_cases = models.JSONField(default=list)
    # [[kind, outcome, taken on], ...]: the preliminary notices, orders and revocations taken
    statutory_steps = models.JSONField(default=list)
    retired_on = models.DateField()

    def __str__(self) -> str:
        return f"retired child {self.id}"

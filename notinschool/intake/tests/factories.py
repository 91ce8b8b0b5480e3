"""Import batches for tests: the file a notification or an agency record came in."""

import datetime as dt

import factory

from notinschool.intake.models import ImportBatch


class ImportBatchFactory(factory.django.DjangoModelFactory[ImportBatch]):
    class Meta:
        model = ImportBatch

    kind = "agency"
    file_name = "agency.csv"
    sha256 = "0" * 64
    as_of = dt.date(2026, 11, 23)

"""An import that clashes with another writing the same records (imports are serialised, so
this should not happen) ends with one plain line and exit status 1, not a traceback."""

import pytest
from django.db import IntegrityError

from notinschool.intake.tests.helpers import DELETION_HEADER, deletion, run_import

pytestmark = pytest.mark.django_db


def test_an_integrity_error_escaping_an_import_is_a_message_not_a_traceback(as_of, write_csv,
                                                                           monkeypatch):
    def clash(**_: object) -> None:
        raise IntegrityError('duplicate key value violates unique constraint "x"\nDETAIL: ...')

    monkeypatch.setattr("notinschool.workflow.management.commands.import.import_file", clash)
    path = write_csv("d.csv", DELETION_HEADER, deletion())
    code, out, err = run_import("roll-deletions", path)
    assert code == 1 and out == "" and "Traceback" not in err
    assert err == (f"{path}: nothing was imported: another import changed the same records at the "
                   "same time. Import the file again. (The database said: duplicate key value "
                   "violates unique constraint \"x\")\n")

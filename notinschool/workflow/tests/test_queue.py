"""The queue of files that waited for the register (workflow.queue): whoever holds the imports
lock imports them before letting go, oldest first, each as its sender; one that cannot go in
says why, and the rest still go in. Both databases (the queue is rows, the lock is taken)."""

from pathlib import Path

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.audit.models import AuditEvent
from notinschool.core.errors import NotPermitted
from notinschool.intake.models import ImportBatch, QueuedImport
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion
from notinschool.people.models import Child
from notinschool.web.tests.conftest import make_user  # noqa: F401
from notinschool.workflow.imports import import_file
from notinschool.workflow.queue import import_queue, queued_import_get, queued_position

pytestmark = pytest.mark.django_db


def _queue(write_csv, user, name: str, *rows: list[str]) -> QueuedImport:
    path = write_csv(name, DELETION_HEADER, *rows)
    return import_queue(actor=user, agency=None, kind="roll-deletions", path=path, display=name,
                        channel="upload")


def test_the_next_import_takes_in_the_queue_after_its_own_file(as_of, write_csv, make_user):  # noqa: F811
    officer = make_user(Role.EHE_OFFICER)
    first = _queue(write_csv, officer, "first.csv", deletion(forename="Ada"))
    second = _queue(write_csv, officer, "second.csv", deletion(forename="Grace", dob="2014-01-02"))
    assert (queued_position(first), queued_position(second)) == (1, 2)
    assert not Child.objects.exists()

    own = write_csv("own.csv", DELETION_HEADER, deletion(forename="Mary", dob="2013-02-03"))
    import_file(actor=COMMAND_LINE, kind="roll-deletions", path=own)

    assert sorted(Child.objects.values_list("forename", flat=True)) == ["Ada", "Grace", "Mary"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == second.state == QueuedImport.State.DONE
    assert first.batch is not None and second.batch is not None
    assert first.batch.created_by == officer and first.batch.channel == "upload"
    assert first.batch.created_at < second.batch.created_at  # oldest first
    assert bytes(first.content) == b""  # the file's copy is not kept once it went in
    assert AuditEvent.objects.filter(object_type="queued_import").count() == 2


def test_a_sender_who_can_no_longer_import_is_refused_and_the_rest_go_in(as_of, write_csv, make_user):  # noqa: F811
    leaver, officer = make_user(Role.EHE_OFFICER), make_user(Role.EHE_OFFICER)
    refused = _queue(write_csv, leaver, "leaver.csv", deletion(forename="Ada"))
    kept = _queue(write_csv, officer, "kept.csv", deletion(forename="Grace", dob="2014-01-02"))
    leaver.is_active = False
    leaver.save()

    assert queued_import_get(actor=officer, queued_id=kept.pk).state == QueuedImport.State.DONE
    refused.refresh_from_db()
    assert refused.state == QueuedImport.State.REFUSED
    assert "can no longer import" in refused.message
    assert list(Child.objects.values_list("forename", flat=True)) == ["Grace"]
    assert ImportBatch.objects.count() == 1


def test_only_the_sender_follows_a_queued_file(as_of, write_csv, make_user):  # noqa: F811
    item = _queue(write_csv, make_user(Role.EHE_OFFICER), "mine.csv", deletion())
    with pytest.raises(NotPermitted):
        queued_import_get(actor=make_user(Role.EHE_OFFICER), queued_id=item.pk)


def test_the_copy_is_the_file_as_sent(as_of, write_csv, make_user, tmp_path: Path):  # noqa: F811
    item = _queue(write_csv, make_user(Role.EHE_OFFICER), "exact.csv", deletion())
    assert bytes(item.content) == (tmp_path / "exact.csv").read_bytes()

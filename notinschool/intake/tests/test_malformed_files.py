"""Malformed files of every kind: no crash, and either a clean import or nothing written."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notinschool.intake.models import ImportBatch
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion, run_import
from notinschool.people.models import Child

pytestmark = pytest.mark.django_db

_cells = st.one_of(
    st.text(max_size=30), st.just(""), st.just("=HYPERLINK(\"http://x\")"),
    st.just("2015-02-30"), st.just("31/12/2015"), st.just("x" * 6000),
    st.sampled_from(["elective_home_education", "moved_away", "LS6 1AB", "123456", "Y"]),
)


def _csv_cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


@settings(max_examples=40, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(rows=st.lists(st.lists(_cells, min_size=len(DELETION_HEADER), max_size=len(DELETION_HEADER)),
                     min_size=1, max_size=4),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
def test_malformed_deletions_never_crash_or_half_import(as_of, tmp_path: Path, rows, encoding):
    lines = [",".join(DELETION_HEADER), ",".join(deletion())]
    lines += [",".join(_csv_cell(c) for c in row) for row in rows]
    path = tmp_path / "fuzz.csv"
    path.write_bytes("\n".join(lines).encode(encoding, errors="replace"))
    children, batches = Child.objects.count(), ImportBatch.objects.count()
    code, _, err = run_import("roll-deletions", path)
    assert code in (0, 2)
    if code == 2:
        assert Child.objects.count() == children and ImportBatch.objects.count() == batches
        assert all(line.startswith(str(path)) or line[0].isdigit() or line.startswith("...")
                   for line in err.splitlines())


def test_a_binary_file_is_refused(as_of, tmp_path: Path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, _, err = run_import("roll-deletions", path)
    assert code == 2 and err.startswith(f"{path}:")

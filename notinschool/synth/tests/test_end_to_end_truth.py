"""Proportionality, end to end: a generated authority's files go through the real import,
linking and assessment, and the register export is compared with the generator's truth.
Children with planted patterns reach at least their floor tier and actions; ordinary
children (including those sharing a name with a child on a plan) stay at tier 4 with no
action; twins are never merged."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from notinschool.core import clock
from notinschool.synth import generate_authority
from notinschool.synth.truth_check import truth_check

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.mark.parametrize("seed", [11])
def test_a_generated_authority_matches_its_truth(tmp_path: Path, as_of, seed):
    folder = tmp_path / "authority"
    generate_authority(children=400, seed=seed, out=folder, as_of=as_of)
    call_command("demo_load", str(folder), stdout=io.StringIO())
    report = truth_check(folder, as_of=clock.today())
    print("\n".join(report.lines()))
    assert report.planted >= 40, "the authority has planted patterns to find"
    assert report.found == report.expected
    assert report.planted_met == report.planted, report.problems
    assert report.false_alarms == 0, report.problems
    assert report.wrong_merges == 0 and report.twins_merged == 0, report.problems
    assert report.status_right == report.expected, report.problems

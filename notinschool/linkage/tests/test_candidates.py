"""Linking a few register children against the agency people picked out by index gives the same
matches and household links as linking them against every agency person."""

from pathlib import Path

import pytest

from notinschool.accounts.system import COMMAND_LINE
from notinschool.core import clock
from notinschool.linkage import candidates, engine
from notinschool.linkage.linking import agency_candidates, agency_table, register_table
from notinschool.linkage.models import AgencyPerson, PersonMatch
from notinschool.linkage.services import link_children
from notinschool.people.models import OPEN_STATUSES, Child
from notinschool.synth import generate_authority
from notinschool.workflow.imports import import_file

pytestmark = pytest.mark.django_db

INTAKE = ("roll-deletions", "parent-registrations", "referrals", "school-admissions")


def _load_authority(folder: Path) -> None:
    generate_authority(children=300, seed=5, out=folder, as_of=clock.today())
    files = [(k, folder / f"{k}.csv", "") for k in INTAKE if (folder / f"{k}.csv").exists()]
    files += [("agency", p, p.stem.removeprefix("agency-"))
              for p in sorted(folder.glob("agency-*.csv"))]
    for kind, path, source in files:
        import_file(actor=COMMAND_LINE, kind=kind, path=path, source=source, skip_invalid=True,
                    follow_up=False)


def _links(child_ids: set) -> set[tuple]:
    return {(m.child_id, m.person_id, m.kind, m.state, round(m.probability, 9), m.basis,
             repr(m.evidence))
            for m in PersonMatch.objects.filter(child_id__in=child_ids)}


def _link_both_ways(monkeypatch: pytest.MonkeyPatch, child_ids: set) -> tuple[set, set]:
    PersonMatch.objects.all().delete()
    link_children(actor=COMMAND_LINE, child_ids=child_ids)
    by_index = _links(child_ids)
    PersonMatch.objects.all().delete()
    with monkeypatch.context() as m:
        m.setattr(candidates, "keys_usable", lambda: False)  # every agency person
        link_children(actor=COMMAND_LINE, child_ids=child_ids)
    return by_index, _links(child_ids)


def test_few_children_link_the_same_against_candidates_as_against_everyone(
        tmp_path, as_of, monkeypatch):
    _load_authority(tmp_path / "authority")
    assert AgencyPerson.objects.exclude(keys_version=engine.keys_version()).count() == 0
    _candidates_hold_every_blocked_pair()
    # People written without keys (or keyed by an older engine) are keyed when needed.
    AgencyPerson.objects.filter(source="health").update(keys_version="", key_fn="", key_pc="")
    open_children = set(Child.objects.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True))
    assert len(open_children) > 50

    by_index, everyone = _link_both_ways(monkeypatch, open_children)

    assert not AgencyPerson.objects.exclude(keys_version=engine.keys_version()).exists()
    kinds = {link[2] for link in everyone}
    assert len(everyone) > 50 and kinds == {"same_person", "household"}, "a real test"
    assert by_index == everyone
    linked = sorted({link[0] for link in everyone})
    for child in linked[:6]:  # one child at a time, as an import of one notification links
        one, all_people = _link_both_ways(monkeypatch, {child})
        assert one == all_people and one


def _candidates_hold_every_blocked_pair() -> None:
    # three children an agency knows by the same date of birth and surname (so some pairs are
    # blocked whatever ids the run drew), taken in register order
    known = {(p.date_of_birth, p.surname) for p in AgencyPerson.objects.only("date_of_birth", "surname")}
    children = [c.pk for c in Child.objects.filter(status__in=OPEN_STATUSES).order_by("child_ref")
                if (c.date_of_birth, c.surname) in known]
    register = register_table(set(children[:3]))
    everyone, chosen = agency_table(None), agency_candidates(register)
    stats, stats_chosen = engine.LinkStats(), engine.LinkStats()
    engine.link_people_table(register, everyone, stats=stats)
    engine.link_people_table(register, chosen, stats=stats_chosen)
    assert chosen.num_rows < everyone.num_rows / 20
    assert stats_chosen.blocked_pairs == stats.blocked_pairs > 0

"""The return on a generated authority (200 children): its census counts equal counts worked
out from the generator's truth file, without the return's code: each child's expected status,
sex and date of birth, a child of compulsory school age on a November census date being one
aged 5 to 15 on the 31 August before (years 1 to 11; no reception child is yet of compulsory
school age in the autumn term)."""

import contextlib
import csv
import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from notinschool.synth import generate_authority
from notinschool.synth.truth import norm

pytestmark = pytest.mark.django_db(transaction=False)


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def test_the_census_counts_equal_the_truth(tmp_path: Path, as_of):
    assert as_of.month == 11, "the rule for compulsory school age below is for the autumn term"
    folder = tmp_path / "authority"
    generate_authority(children=200, seed=5, out=folder, as_of=as_of)
    call_command("demo_load", str(folder), stdout=io.StringIO())
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        call_command("export", "dfe-return", "--census-date", as_of.isoformat())
    figures = {(r[0], r[1], r[2], r[3]): int(r[4]) for r in list(csv.reader(io.StringIO(out.getvalue())))[1:]}

    told_birth: set[tuple[str, str]] = set()
    told_sex: dict[tuple[str, str], str] = {}
    for name in ("roll-deletions.csv", "parent-registrations.csv", "referrals.csv"):
        with open(folder / name, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                who = (norm(row["forename"]), norm(row["surname"]))
                if row["date_of_birth"]:
                    told_birth.add(who)
                if row.get("sex"):
                    told_sex[who] = row["sex"]
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))["children"]
    august = dt.date(as_of.year, 8, 31)
    expected: dict[tuple[str, str, str, str], int] = Counter()
    for child in truth:
        status = child["expected_status"]
        who = (norm(child["forename"]), norm(child["surname"]))
        if status not in ("ehe", "cme") or who not in told_birth:
            continue
        age = age_on(dt.date.fromisoformat(child["date_of_birth"]), august)
        if not 5 <= age <= 15:
            continue
        section = f"{status}_census"
        expected[section, "children", "total", ""] += 1
        expected[section, "children", "sex", told_sex.get(who, "U")] += 1
        expected[section, "children", "year_group", str(age - 4)] += 1
    assert expected["ehe_census", "children", "total", ""] > 100
    assert expected["cme_census", "children", "total", ""] > 5
    compared = {k: figures[k] for k in figures
                if k[0].endswith("census") and k[2] in ("total", "sex", "year_group")}
    assert compared == {k: expected.get(k, 0) for k in compared}

"""`notinschool link` chooses what scores the people: DuckDB by default, `--engine spark` on
request. Without options it does what it always did; the Spark options without the engine are bad
input (exit 2); a Spark run that cannot start (no pyspark, no Java) says what is missing, exits 1
and writes nothing. The Spark runs themselves are slow (a JVM): test_link_spark.py."""

import datetime as dt
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from notinschool.linkage.models import PersonMatch
from notinschool.linkage.tests.factories import AgencyPersonFactory
from notinschool.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def same_child() -> None:
    """A child on the register and an agency's record of the same child."""
    child = ChildFactory.create(forename="Amelia", surname="Okafor", date_of_birth=dt.date(2014, 3, 9),
                                postcode="LS6 2AB", sex="F", upn="A123456789012")
    AgencyPersonFactory.create(forename="Amelia", surname="Okafor", date_of_birth=child.date_of_birth,
                               postcode="LS6 2AB", sex="F", upn="A123456789012")


def test_link_without_options_links_on_duckdb_as_before(same_child, capsys):
    call_command("link")
    assert capsys.readouterr().out.strip() == "links changed for 1 children"
    match = PersonMatch.objects.get()
    assert match.state == PersonMatch.State.AUTOMATIC
    assert "surname" in {e["field"] for e in match.evidence}


@pytest.mark.parametrize("option", [["--spark-master", "spark://127.0.0.1:7077"],
                                    ["--spark-dir", "/tmp"]])
def test_spark_options_without_the_spark_engine_are_bad_input(same_child, capsys, option):
    with pytest.raises(SystemExit) as exit:
        call_command("link", *option)
    assert exit.value.code == 2
    assert "go with --engine spark" in capsys.readouterr().err
    assert not PersonMatch.objects.exists()


def test_without_pyspark_the_spark_engine_says_so_and_links_nothing(same_child, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # as if it were not installed
    with pytest.raises(SystemExit) as exit:
        call_command("link", "--engine", "spark")
    assert exit.value.code == 1
    err = capsys.readouterr().err
    assert "needs pyspark" in err and "notinschool[spark]" in err and "nothing was linked" in err
    assert not PersonMatch.objects.exists()


def test_without_java_the_spark_engine_says_so_and_links_nothing(same_child, capsys, monkeypatch,
                                                                  tmp_path: Path):
    pytest.importorskip("pyspark")
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))  # a Java home with no java in it
    with pytest.raises(SystemExit) as exit:
        call_command("link", "--engine", "spark", "--spark-master", "local[1]")
    assert exit.value.code == 1
    err = capsys.readouterr().err
    assert "needs a Java runtime" in err and "nothing was linked" in err
    assert not PersonMatch.objects.exists()

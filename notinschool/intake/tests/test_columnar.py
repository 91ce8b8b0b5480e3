"""The column-wise check of agency files against the row path it stands in for: the same rows,
values, problems (FILE:ROW:COLUMN: message), rejected rows and warnings, on valid files,
broken ones and fuzzed ones."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notinschool.intake.columnar import WHITESPACE, ColumnarRows, arrow_records
from notinschool.intake.parsing import ParsedFile, parse_file
from notinschool.intake.tests.helpers import run_import
from notinschool.linkage.models import AgencyFact, AgencyPerson

HEADER = ["record_id", "forename", "middle_names", "surname", "sex", "date_of_birth",
          "address_line_1", "postcode", "nhs_number", "upn", "parent1_name", "parent2_name",
          "indicator", "start_date", "end_date", "detail"]


def agency_row(record: str = "H1", **kw: str) -> list[str]:
    values = {"record_id": record, "forename": "Amira", "middle_names": "", "surname": "Khan",
              "sex": "F", "date_of_birth": "2014-02-03", "address_line_1": "4 Oak Lane",
              "postcode": "LS6 1AB", "nhs_number": "9434765919", "upn": "",
              "parent1_name": "Sara Khan", "parent2_name": "", "indicator": "was_not_brought",
              "start_date": "2026-09-01", "end_date": "", "detail": "Missed appointment"} | kw
    return [values[c] for c in HEADER]


def write(path: Path, header: list[str], rows: list[list[str]], end: str = "\n") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator=end).writerows([header, *rows])
    return path


def assert_same(path: Path) -> ParsedFile:
    fast = parse_file("agency", path, "f.csv")
    slow = parse_file("agency", path, "f.csv", columnar=False)
    assert [(r.number, r.values, r.raw) for r in fast.rows] == \
        [(r.number, r.values, r.raw) for r in slow.rows]
    assert fast.problems == slow.problems
    assert [(r.number, r.values, r.raw, why) for r, why in fast.rejected] == \
        [(r.number, r.values, r.raw, why) for r, why in slow.rejected]
    assert (fast.header, fast.warnings) == (slow.header, slow.warnings)
    return fast


def test_strip_removes_what_python_strips():
    assert "".join(chr(c) for c in range(0x110000) if chr(c).isspace()) == WHITESPACE


def test_a_valid_file_is_read_column_wise_with_the_row_paths_values(as_of, tmp_path):
    rows = [agency_row("H1"), agency_row("H2", sex="m", postcode="ls61ab", upn="l12345678901b",
                                         nhs_number="943 476 5919", indicator="HEALTH_CONCERN",
                                         end_date="2026-10-01", date_of_birth="03/02/2014"),
            ["", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
            agency_row("H3", forename="Zoë", surname="Łukasz", middle_names=" Ann ",
                       start_date="2024-02-29", postcode=" WV10 2QQ ")]
    parsed = assert_same(write(tmp_path / "a.csv", HEADER, rows))
    assert isinstance(parsed.rows, ColumnarRows)
    assert [r.number for r in parsed.rows] == [2, 3, 5]
    assert [parsed.rows[i].number for i in (0, 2, -1)] == [2, 5, 5]
    assert [r.number for r in parsed.rows[1:]] == [3, 5]
    with pytest.raises(IndexError):
        parsed.rows[3]
    second = parsed.rows[1].values
    assert (second["sex"], second["postcode"], second["upn"], second["nhs_number"],
            second["indicator"], second["date_of_birth"]) == (
        "M", "LS6 1AB", "L12345678901B", "9434765919", "health_concern", dt.date(2014, 2, 3))


@pytest.mark.parametrize("cells", [
    {"date_of_birth": "2015-02-30"}, {"date_of_birth": "2030-01-01"}, {"date_of_birth": "1899-12-31"},
    {"start_date": "2015-13-01"}, {"start_date": "٢٠١٥-01-01"}, {"end_date": "2026-08-01"},
    {"postcode": "LS6 1A"}, {"postcode": "LS6\t1AB"}, {"nhs_number": "94347659"},
    {"nhs_number": "94347659²9"}, {"nhs_number": "9434765918"}, {"upn": "A1234"},
    {"upn": "B801200005002"}, {"upn": "A12345678901B"}, {"sex": "X"}, {"sex": "ｆ"},
    {"indicator": "nope"}, {"indicator": "\u212aooked_after"}, {"forename": "123"},
    {"forename": ""}, {"record_id": "x" * 101}, {"detail": "bell\x07"}, {"detail": "y" * 6000},
    {"surname": "ÉÀ"}, {"middle_names": "a\x0bb"},
])
def test_a_broken_cell_gets_the_row_paths_message(as_of, tmp_path, cells):
    path = write(tmp_path / "b.csv", HEADER, [agency_row("H1"), agency_row("H2", **cells),
                                               agency_row("H3")])
    assert_same(path)


def test_unknown_missing_and_unnamed_columns_and_ragged_rows(as_of, tmp_path):
    header = [c for c in HEADER if c not in ("upn", "detail")] + ["extra", ""]
    rows = [[*agency_row("H1")[:9], *agency_row("H1")[10:15], "x", "y"]]
    assert_same(write(tmp_path / "c.csv", header, rows))
    ragged = [agency_row("H1"), agency_row("H2")[:5], [*agency_row("H3"), "more"]]
    parsed = assert_same(write(tmp_path / "d.csv", HEADER, ragged))
    assert not isinstance(parsed.rows, ColumnarRows)  # the row path read it
    assert_same(write(tmp_path / "e.csv", [*HEADER[:3], "surname", *HEADER[3:]], [agency_row()]))


_cells = st.one_of(
    st.text(max_size=12), st.just(""), st.just(" "), st.just("2015-02-30"), st.just("31/12/2015"),
    st.just("2024-02-29"), st.just("x" * 120), st.just("ls6 1ab"), st.just("9434765919"),
    st.sampled_from(["looked_after", "F", "m", "Y", "2026-09-01", "L12345678901B", "Amira",
                     "A12345678901B", "B801200005001", "9434765918"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(rows=st.lists(st.lists(_cells, min_size=len(HEADER), max_size=len(HEADER)), min_size=1,
                     max_size=5),
       valid=st.integers(min_value=0, max_value=3), end=st.sampled_from(["\n", "\r\n"]))
def test_fuzzed_files_give_the_same_result_both_ways(as_of, tmp_path_factory, rows, valid, end):
    path = tmp_path_factory.mktemp("fuzz") / "f.csv"
    write(path, HEADER, [agency_row(f"V{i}") for i in range(valid)] + rows, end)
    assert_same(path)


_raw_cells = st.one_of(st.text(alphabet='ab ,"\n\r', max_size=6), st.sampled_from(
    ['"a""b"', 'a"b', '"ab"c', '"a,b"', '""', '"', ' "x"', '"x" ', "2026-09-01"]))


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(lines=st.lists(st.lists(_raw_cells, min_size=1, max_size=len(HEADER) + 1), min_size=1,
                      max_size=5),
       end=st.sampled_from(["\n", "\r\n", ""]))
def test_hand_made_quoting_is_read_as_the_csv_module_reads_it(as_of, tmp_path_factory, lines, end):
    """Quotes where they should not be, lines of any width: Arrow's records are used only when
    they are the csv module's."""
    text = "\n".join([",".join(HEADER), ",".join(agency_row()),
                      *(",".join(cells) for cells in lines)]) + end
    path = tmp_path_factory.mktemp("raw") / "r.csv"
    path.write_bytes(text.encode())
    records = arrow_records(text.encode())
    if records is not None:
        expected = list(csv.reader(io.StringIO(text, newline="")))
        assert [list(r) for r in zip(*(a.to_pylist() for a in records), strict=True)] == expected
    assert_same(path)


def test_windows_line_ends_are_read_by_arrow_and_a_lone_carriage_return_by_the_csv_module(tmp_path):
    rows = [agency_row("H1"), agency_row("H2", detail='said "no", twice')]
    plain = write(tmp_path / "p.csv", HEADER, rows).read_bytes()
    windows = write(tmp_path / "w.csv", HEADER, rows, "\r\n").read_bytes()
    as_columns = [a.to_pylist() for a in arrow_records(plain) or []]
    assert as_columns and [a.to_pylist() for a in arrow_records(windows) or []] == as_columns
    assert_same(tmp_path / "w.csv")
    lone = write(tmp_path / "l.csv", HEADER, [agency_row("H1", detail="one\rtwo")], "\r\n")
    assert arrow_records(lone.read_bytes()) is None
    assert_same(lone)


@pytest.mark.django_db
def test_an_agency_file_with_a_bad_row_is_refused_with_the_row_paths_messages(as_of, tmp_path):
    path = write(tmp_path / "g.csv", HEADER, [agency_row("H1"), agency_row("H2", postcode="nope"),
                                               agency_row("H3", start_date="2026-13-01")])
    code, _, err = run_import("agency", path, "--source", "health")
    assert code == 2
    assert f"{path}:3:postcode: 'nope' is not a UK postcode" in err
    assert f"{path}:4:start_date: '2026-13-01' is not a real date" in err
    assert AgencyPerson.objects.count() == 0 and AgencyFact.objects.count() == 0
    code, _, _ = run_import("agency", path, "--source", "health", "--skip-invalid")
    assert code == 0
    assert AgencyPerson.objects.count() == 1 and AgencyFact.objects.count() == 1


def test_a_number_failing_its_check_keeps_the_row_without_it_and_warns_with_file_row_column(
        as_of, tmp_path):
    rows = [agency_row("H1", nhs_number="9434765918"), agency_row("H2", upn="B801200005002"),
            agency_row("H3", upn="B801200005001", nhs_number="9434765919")]
    parsed = assert_same(write(tmp_path / "n.csv", HEADER, rows))
    assert not parsed.problems and [r.number for r in parsed.rows] == [2, 3, 4]
    assert [(r.values["nhs_number"], r.values["upn"]) for r in parsed.rows] == [
        (None, None), ("9434765919", None), ("9434765919", "B801200005001")]
    assert parsed.warnings[0].startswith("f.csv:2:nhs_number: 9434765918 fails the NHS number's check digit")
    assert parsed.warnings[1].startswith("f.csv:3:upn: B801200005002 fails the UPN's check letter")


def test_past_a_hundred_warnings_one_line_counts_the_rest(as_of, tmp_path):
    rows = [agency_row(f"H{i}", nhs_number="9434765918") for i in range(130)]
    parsed = assert_same(write(tmp_path / "m.csv", HEADER, rows))
    assert len(parsed.rows) == 130 and len(parsed.warnings) == 101
    assert parsed.warnings[-1] == ("f.csv: 30 more rows with a number that fails its check "
                                   "(not used to match them)")

"""The matching engine on its own: Arrow in, matches out, no Django database.

Data is the engine's synthetic generator (known truth) or a few hand-written people."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pyarrow as pa
import pytest

from notinschool.linkage.engine import (
    PERSON_COLUMNS,
    REVIEW_THRESHOLD,
    STAGES,
    LinkStats,
    Match,
    ModelSpec,
    default_model,
    household_pairs,
    link_people,
    link_people_table,
    train_model,
)
from notinschool.linkage.engine.linking import AGENCY_TABLE, REGISTER_TABLE, _score, _Workspace
from notinschool.linkage.engine.model import BLOCKING_RULES
from notinschool.linkage.engine.prepare import BLOCKING_COLUMNS, prepare
from notinschool.linkage.engine.tests.synthetic import Synthetic, generate


def people(*rows: dict[str, object]) -> pa.Table:
    """A people table from dictionaries (missing columns are empty)."""
    columns = {c: [row.get(c) for row in rows] for c in PERSON_COLUMNS}
    return pa.table({
        c: pa.array(v, pa.date32() if c == "date_of_birth" else pa.string())
        for c, v in columns.items()
    })  # fmt: skip


def child(id: str, forename: str, surname: str, dob: str, **more: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": id, "forename": forename, "surname": surname, "sex": "F",
        "date_of_birth": dt.date.fromisoformat(dob), "postcode": "WV3 4YW",
        "address_line_1": "16 Silver Crescent", "parent1_name": "Theresa Okafor",
    }  # fmt: skip
    row.update(more)
    return row


def pairs_of(matches: list[Match]) -> set[tuple[str, str]]:
    return {(m.left_id, m.right_id) for m in matches}


@pytest.fixture(scope="module")
def synthetic() -> Synthetic:
    return generate(1000, 5000, seed=11)


@pytest.fixture(scope="module")
def synthetic_matches(synthetic: Synthetic) -> list[Match]:
    return link_people(synthetic.register, synthetic.agency)


def test_automatic_matches_are_precise_and_review_band_finds_nearly_all(
    synthetic: Synthetic, synthetic_matches: list[Match]
) -> None:
    truth = synthetic.truth
    assert len(truth) > 300
    auto = {(m.left_id, m.right_id) for m in synthetic_matches if m.is_automatic}
    review = pairs_of(synthetic_matches)
    assert all(m.probability >= REVIEW_THRESHOLD for m in synthetic_matches)
    assert len(auto & truth) / len(auto) >= 0.999
    assert len(review & truth) / len(truth) >= 0.99
    # Most true pairs need no person at all.
    assert len(auto & truth) / len(truth) >= 0.9


def test_twins_in_generated_data_never_take_each_others_records(
    synthetic: Synthetic, synthetic_matches: list[Match]
) -> None:
    reg = synthetic.register.to_pylist()
    household: dict[tuple[object, ...], list[dict[str, object]]] = {}
    for row in reg:
        key = (row["surname"], row["date_of_birth"], row["postcode"], row["address_line_1"])
        household.setdefault(key, []).append(row)
    twin_of = {str(a["id"]): str(b["id"]) for group in household.values() if len(group) == 2
               for a, b in (group, group[::-1]) if a["forename"] != b["forename"]}  # fmt: skip
    assert twin_of, "the generator makes twins"
    own: dict[str, set[str]] = {}
    for left, right in synthetic.truth:
        own.setdefault(left, set()).add(right)
    for m in synthetic_matches:
        twin = twin_of.get(m.left_id)
        if twin is not None:
            assert m.right_id not in own.get(twin, set()), (m.left_id, twin, m.right_id)


def test_twins_are_told_apart_by_forename() -> None:
    register = people(
        child("R1", "Amelia", "Okafor", "2016-05-09"),
        child("R2", "Grace", "Okafor", "2016-05-09"),
    )
    agency = people(
        child("A1", "Amelia", "Okafor", "2016-05-09", nhs_number="9990000018"),
        child("A2", "Gracie", "Okafor", "2016-05-09"),
    )
    matches = link_people(register, agency)
    assert pairs_of(matches) == {("R1", "A1"), ("R2", "A2")}
    assert all(m.is_automatic for m in matches)


def test_nhs_numbers_valid_invalid_and_one_digit_apart() -> None:
    """The same child with the same valid NHS number, with a number whose check digit is wrong
    (not used: not known), and with a valid number one digit apart (a mistyped number that
    passes its check: weak evidence against, never proof, so the match still applies)."""
    register = people(child("R1", "Amelia", "Okafor", "2016-05-09", nhs_number="9434765919"))
    agency = people(
        child("A1", "Amelia", "Okafor", "2016-05-09", nhs_number="9434765919"),
        child("A2", "Amelia", "Okafor", "2016-05-09", nhs_number="9434765918"),
        child("A3", "Amelia", "Okafor", "2016-05-09", nhs_number="9434765811"),
        child("A4", "Amelia", "Okafor", "2016-05-09", nhs_number="4010232137"),
    )
    by_id = {m.right_id: m for m in link_people(register, agency, best_only=False)}
    labels = {a: {e.field: (e.label, e.weight) for e in m.evidence}["identifiers"]
              for a, m in by_id.items()}  # fmt: skip
    assert labels["A1"][0] == "NHS number matches" and labels["A1"][1] > 0
    assert labels["A2"] == ("not known", 0.0)
    assert labels["A3"][0] == "one digit apart"
    assert labels["A4"][0] == "different"
    assert labels["A4"][1] < labels["A3"][1] < 0
    assert by_id["A1"].is_automatic and by_id["A2"].is_automatic and by_id["A3"].is_automatic


def test_slips_in_the_name_postcode_and_address_keep_their_evidence() -> None:
    """A typo at the start of a forename, a postcode with two characters exchanged, a typo in
    the first line, the same house and street under another postcode: each has its level."""
    register = people(child("R1", "Oliver", "Brennan", "2014-03-07", sex="M"))
    agency = people(
        child("A1", "Oliver", "Brennan", "2014-03-07", sex="M", postcode="WV3 4WY"),
        child("A2", "Oliver", "Brennan", "2014-03-07", sex="M",
              address_line_1="16 Silvr Crescent"),
        child("A3", "Loiver", "Brennan", "2014-03-07", sex="M"),
        child("A4", "Oliver", "Brennan", "2014-03-07", sex="M", postcode="WV9 1AB"),
    )  # fmt: skip
    by_id = {m.right_id: {e.field: e.label for e in m.evidence}
             for m in link_people(register, agency, best_only=False)}  # fmt: skip
    assert by_id["A1"]["address"] == "same address, one slip"
    assert by_id["A2"]["address"] == "same address, one slip"
    assert by_id["A3"]["forename"] == "typo"
    assert by_id["A4"]["address"] == "same house and street"
    matches = {m.right_id: m for m in link_people(register, agency, best_only=False)}
    assert not matches["A3"].is_automatic, "a letter apart at the start: twins' rhyming names"
    assert matches["A1"].is_automatic and matches["A2"].is_automatic


def test_a_twin_with_an_alike_name_is_never_linked_without_a_person() -> None:
    register = people(child("R1", "Ella", "Okafor", "2016-05-09"))
    agency = people(child("A1", "Ellie", "Okafor", "2016-05-09"))
    matches = link_people(register, agency)
    assert matches, "alike names at one address and birthday are worth a look"
    for m in matches:
        assert not m.is_automatic
        assert {e.field: e.label for e in m.evidence}["forename"] == "similar"


def test_nickname_and_swapped_day_and_month_still_link_with_that_evidence() -> None:
    register = people(child("R1", "Alexander", "Brennan", "2014-03-07", sex="M"))
    agency = people(
        child("A1", "Alex", "Brennan", "2014-07-03", sex="M"),
        child("A2", "Alex", "Brennan", "2011-10-21", sex="M", postcode="WV9 1AB",
              address_line_1="2 Mill Lane"),
    )  # fmt: skip
    [match] = link_people(register, agency)
    assert (match.left_id, match.right_id) == ("R1", "A1")
    evidence = {e.field: e.label for e in match.evidence}
    assert evidence["forename"] == "nickname match"
    assert evidence["date_of_birth"] == "day/month swapped"
    assert evidence["address"] == "same address"
    assert match.is_automatic


def test_five_rows_link_with_the_shipped_default_model() -> None:
    register = people(
        child("R1", "Olivia", "Hughes", "2015-01-12"),
        child("R2", "Noah", "Patel", "2013-06-30", sex="M", postcode="WV1 2CD",
              address_line_1="8 Station Road", parent1_name="Priya Patel"),
        child("R3", "Isla", "Nowak", "2017-11-02", postcode="WV5 6EF",
              address_line_1="3 Oak Close", parent1_name="Anna Nowak"),
    )  # fmt: skip
    agency = people(
        child("A1", "Olivia", "Hughes", "2015-01-12"),
        child("A2", "Noah", "Patel", "2013-06-30", sex="M", postcode="WV1 2CD",
              address_line_1="8 Station Rd", parent1_name="Priya Patel"),
    )  # fmt: skip
    assert register.num_rows + agency.num_rows == 5
    model = train_model(register, agency)
    assert model.trained is False
    assert model.settings == default_model().settings
    matches = link_people(register, agency, model=model)
    assert pairs_of(matches) == {("R1", "A1"), ("R2", "A2")}
    assert all(m.is_automatic for m in matches)


def test_household_pairs_find_a_sibling_by_surname_and_by_a_parent_in_common() -> None:
    home = {"postcode": "WV12 8PZ", "address_line_1": "36 Abbey Grove",
            "parent1_name": "Stacey Baranowski", "parent2_name": "Marius Wisniewski"}  # fmt: skip
    register = people(child("R1", "Elena", "Wisniewski", "2015-07-25", **home))
    agency = people(
        child("A_self", "Elena", "Wisniewski", "2015-07-25", **home),
        child("A_sister", "Natalia", "Wisniewski", "2011-11-06", **home),
        child("A_half_brother", "Jakub", "Baranowski", "2019-02-14", sex="M",
              postcode="wv12 8pz", address_line_1="36, Abbey Grove",
              parent1_name="Mrs Stacey Baranowski"),
        child("A_lodger", "Tom", "Hardy", "2012-01-01", sex="M", postcode="WV12 8PZ",
              address_line_1="36 Abbey Grove", parent1_name="Jane Hardy"),
        child("A_cousin", "Maja", "Wisniewski", "2014-04-04", postcode="WV2 1AA",
              address_line_1="1 Other Street"),
    )  # fmt: skip
    assert household_pairs(register, agency) == [
        ("R1", "A_half_brother", "parent_in_common"),
        ("R1", "A_sister", "same_surname"),
    ]


def test_trained_model_round_trips_through_json_and_scores_the_same(
    synthetic: Synthetic,
) -> None:
    model = train_model(synthetic.register, synthetic.agency, min_records=500,
                        max_u_pairs=2e5, max_em_pairs=2e5, max_iterations=4)  # fmt: skip
    assert model.trained
    again = ModelSpec.from_json(model.to_json())
    assert again == model
    assert again.settings != default_model().settings
    first = link_people_table(synthetic.register, synthetic.agency, model=model)
    second = link_people_table(synthetic.register, synthetic.agency, model=again)
    assert first.num_rows > 300
    assert first.equals(second)


def test_stages_and_counts_are_reported(synthetic: Synthetic) -> None:
    seen: list[str] = []
    stats = LinkStats()
    truth = sorted(synthetic.truth)
    check = pa.table({"left_id": [a for a, _ in truth], "right_id": [b for _, b in truth]})
    table = link_people_table(synthetic.register, synthetic.agency, on_stage=seen.append,
                              stats=stats, check_pairs=check)  # fmt: skip
    assert seen == ["prepare", "blocking", "check", "scoring", "selection", "done"]
    assert [s for s in seen if s in STAGES] == list(STAGES)
    assert stats.register_records == 1000 and stats.agency_records == 5000
    assert stats.blocked_pairs >= stats.scored_pairs >= stats.selected_pairs == table.num_rows
    assert stats.checked_pairs == len(truth)
    assert stats.checked_pairs_blocked / stats.checked_pairs >= 0.99


@pytest.fixture
def workspace() -> Iterator[_Workspace]:
    with _Workspace() as ws:
        yield ws


def test_duckdb_never_installs_or_loads_extensions_from_the_network(
    workspace: _Workspace,
) -> None:
    con = workspace.con
    settings = dict(con.execute(
        "SELECT name, value FROM duckdb_settings() WHERE name IN "
        "('autoinstall_known_extensions', 'autoload_known_extensions', "
        "'allow_community_extensions')"
    ).fetchall())  # fmt: skip
    assert settings == {"autoinstall_known_extensions": "false",
                        "autoload_known_extensions": "false",
                        "allow_community_extensions": "false"}  # fmt: skip
    register = people(child("R1", "Alexander", "Brennan", "2014-03-07"))
    agency = people(child("A1", "Alex", "Brennan", "2014-07-03"))
    workspace.load(register, agency)
    assert workspace.count(REGISTER_TABLE) == 1 and workspace.count(AGENCY_TABLE) == 1
    scored = _score(workspace, default_model(), "link_only", REVIEW_THRESHOLD)
    assert scored.num_rows == 1
    loaded = con.execute(
        "SELECT extension_name, install_mode FROM duckdb_extensions() WHERE loaded"
    ).fetchall()
    assert loaded and all(mode == "STATICALLY_LINKED" for _, mode in loaded), loaded



def test_blocking_rules_join_only_on_the_keys_a_staged_load_prepares() -> None:
    used = {c for rule in BLOCKING_RULES for c in re.findall(r"\b[lr]\.(\w+)", rule)}
    assert used and used <= set(BLOCKING_COLUMNS), used - set(BLOCKING_COLUMNS)


def test_a_staged_load_links_exactly_as_preparing_everyone(synthetic: Synthetic) -> None:
    staged = link_people_table(synthetic.register, synthetic.agency, per_child=False)
    with _Workspace() as ws:
        ws.load(synthetic.register, synthetic.agency)
        everyone = _score(ws, default_model(), "link_only", REVIEW_THRESHOLD,
                          population=synthetic.agency.num_rows, best_only=True)  # fmt: skip
    assert staged.num_rows > 300
    assert staged.equals(everyone)


def test_keys_then_the_records_in_pairs_are_prepared_as_in_one_go(
    synthetic: Synthetic, workspace: _Workspace
) -> None:
    con = workspace.con
    prepare(con, synthetic.agency, "everyone")
    prepare(con, synthetic.agency, "keys", keys_only=True)
    keys = ", ".join(BLOCKING_COLUMNS)
    assert con.execute(f"SELECT count(*) FROM (SELECT {keys} FROM everyone "
                       f"EXCEPT ALL SELECT {keys} FROM keys)").fetchall() == [(0,)]  # fmt: skip
    assert con.execute("SELECT count(*) FROM keys WHERE addr IS NOT NULL OR fn IS NOT NULL "
                       "OR parents IS NOT NULL").fetchall() == [(0,)]  # fmt: skip
    some = "SELECT unique_id FROM everyone WHERE dob_m = 3"
    rows = prepare(con, synthetic.agency, "part", only_ids=some)
    assert 0 < rows < synthetic.agency.num_rows
    assert con.execute(f"SELECT count(*) FROM ((SELECT * FROM everyone WHERE unique_id IN ({some}))"
                       " EXCEPT ALL SELECT * FROM part)").fetchall() == [(0,)]  # fmt: skip
    assert workspace.count("part") == rows


def test_agency_records_in_chunks_or_as_a_stream_link_as_in_one_go(synthetic: Synthetic) -> None:
    whole = link_people_table(synthetic.register, synthetic.agency)
    seen: list[str] = []
    stats = LinkStats()
    chunked = link_people_table(synthetic.register, synthetic.agency, chunk_rows=1200,
                                on_stage=seen.append, stats=stats)  # fmt: skip
    assert whole.num_rows > 300
    assert chunked.equals(whole)
    assert seen == ["prepare", "blocking", "scoring", "selection"] * 5 + ["done"]
    assert stats.agency_records == 5000 and stats.selected_pairs == whole.num_rows
    batches = synthetic.agency.to_batches(max_chunksize=700)
    with pytest.raises(ValueError, match="population"):
        link_people_table(synthetic.register, iter(batches))
    streamed = link_people_table(synthetic.register, iter(batches), chunk_rows=2000,
                                 population=synthetic.agency.num_rows)  # fmt: skip
    assert streamed.equals(whole)
    empty = link_people_table(synthetic.register, iter([]), population=5000)
    assert empty.num_rows == 0 and empty.column_names == whole.column_names


def test_a_child_found_for_certain_is_not_also_offered_a_namesake_elsewhere() -> None:
    register = people(child("R1", "Alice", "Brennan", "2014-03-07"))
    agency = people(
        child("A1", "Alice", "Brennan", "2014-03-07"),  # her own record, at her home
        child("A2", "Alice", "Brennan", "2014-03-07", postcode="LS1 2AB",
              address_line_1="3 Oak Close", parent1_name=None),  # a namesake elsewhere
        child("A3", "Elice", "Brennan", "2014-03-07"),  # at her home, a typo: waits
    )
    every = link_people_table(register, agency, population=10_000_000, per_child=False)
    scores = dict(zip(every["right_id"].to_pylist(), every["probability"].to_pylist(),
                      strict=True))  # fmt: skip
    assert scores["A1"] >= 0.999 and 0.8 <= scores["A2"] < 0.999, scores
    assert 0.8 <= scores["A3"] < 0.999, scores
    chosen = link_people_table(register, agency, population=10_000_000)
    # A pair waiting for review at the home of an automatic match stays.
    assert set(chosen["right_id"].to_pylist()) == {"A1", "A3"}
    # Without an automatic match, the namesake waits for a person as before.
    alone = link_people_table(register, agency.slice(1, 1), population=10_000_000)
    assert alone["right_id"].to_pylist() == ["A2"]

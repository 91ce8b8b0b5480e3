"""The evidence of a match in words a reviewer reads: a strength, and 'times more likely'."""

from notinschool.linkage.evidence import explain, prior_weight, prior_words, score_words, strength, times


def test_weights_read_as_times_more_or_less_likely_to_two_figures():
    assert times(6.06) == "about 67 times"
    assert times(-2.26) == "about 4.8 times"
    assert times(12.5) == "about 5,800 times"
    assert times(25) == "about 33.6 million times"


def test_strength_has_a_side_and_a_size():
    assert strength(0.0) == "Did not count"
    assert strength(1.0) == "Weak evidence for"
    assert strength(-2.26) == "Moderate evidence against"
    assert strength(6.06) == "Strong evidence for"
    assert strength(12.5) == "Very strong evidence for"


def test_the_evidence_is_listed_strongest_first_with_field_names_in_words():
    lines = explain([{"field": "sex", "label": "not known", "weight": 0.0},
                     {"field": "date_of_birth", "label": "year off by one", "weight": 6.06},
                     {"field": "address", "label": "different", "weight": -2.26}])
    assert [(line.field, line.direction) for line in lines] == [
        ("Date of birth", "for"), ("Address", "against"), ("Sex", "none")]
    assert lines[0].words == "about 67 times more likely to be the same person"


def test_the_prior_is_what_the_fields_do_not_explain():
    evidence = [{"field": "forename", "weight": 6.79}, {"field": "surname", "weight": 9.18}]
    assert round(prior_weight(2.68, evidence), 2) == -13.29
    assert "about 1 time in 10,000" in prior_words(-13.29)


def test_scores_near_certain_do_not_claim_certainty():
    assert score_words(0.99999) == "over 99.9%"
    assert score_words(0.9977) == "99.8%"

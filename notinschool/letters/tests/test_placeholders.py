"""Placeholders: what may be written in a template, checked before it is saved."""

from notinschool.letters.placeholders import PLACEHOLDERS, fill, placeholder_problems


def test_known_placeholders_and_doubled_braces_pass():
    assert placeholder_problems("Dear {parent_name}, about {child_first_name} {{not a placeholder}}") == []


def test_an_unknown_placeholder_is_named():
    [problem] = placeholder_problems("Dear {parent_name}, about {chld_name} and {chld_name} and {school}")
    assert problem.startswith("Unknown placeholders: {chld_name}, {school}.")


def test_an_unbalanced_brace_is_refused_with_where_it_is():
    problems = placeholder_problems("Hello {child_first_name\n\nBye } now")
    assert len(problems) == 2
    assert "line 1" in problems[0] and "'{'" in problems[0]
    assert "line 3" in problems[1] and "'}'" in problems[1]


def test_fill_replaces_placeholders_and_prints_doubled_braces_once():
    assert fill("{child_first_name} {{x}}", {"child_first_name": "Ava"}) == "Ava {x}"


def test_no_placeholder_prints_the_familys_address():
    assert not {"address", "child_address", "parent_address", "postcode"} & set(PLACEHOLDERS)

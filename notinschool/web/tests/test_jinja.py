"""The pages' Jinja2 environment answers `a.b` exactly as Jinja2's own does, only sooner."""

from collections import OrderedDict
from types import SimpleNamespace

import pytest
from jinja2 import ChainableUndefined, Environment

from notinschool.web.jinja import PageEnvironment

TEMPLATE = ("{{ d.text }}|{{ d.missing }}|{{ d.missing.deeper }}|{{ d.items() | list }}|"
            "{{ d.get('text') }}|{{ d.keys | string | truncate(10) }}|{{ 'yes' if d.absent else 'no' }}")


@pytest.mark.parametrize("value", [
    {"text": "Tier 1"},
    {"text": "Tier 1", "items": "a key named like a method"},
    OrderedDict(text="ordered"),
    {},
])
def test_dict_lookups_are_the_same_as_jinjas(value):
    ours = PageEnvironment(undefined=ChainableUndefined, autoescape=True).from_string(TEMPLATE)
    theirs = Environment(undefined=ChainableUndefined, autoescape=True).from_string(TEMPLATE)
    assert ours.render(d=value) == theirs.render(d=value)


def test_objects_and_missing_keys():
    env = PageEnvironment(undefined=ChainableUndefined)
    assert env.from_string("{{ o.name }}{{ o.nothing }}").render(o=SimpleNamespace(name="Ada")) == "Ada"
    assert env.from_string("{{ d.a is defined }} {{ d.b is defined }}").render(d={"a": None}) == "True False"

"""The pages' Jinja2 environment answers `a.b` exactly as Jinja2's own does, only sooner."""

from collections import OrderedDict
from types import SimpleNamespace

import pytest
from jinja2 import ChainableUndefined, Environment, PrefixLoader
from markupsafe import Markup

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


COMPONENTS = [
    ("table/macro.html", "govukTable", {
        "caption": "Children",
        "attributes": {"aria-describedby": "h", "data-x": {"value": True, "optional": True}},
        "head": [{"text": "A", "attributes": 'data-sort="none"'}, {"text": "B", "format": "numeric"}],
        "rows": [[{"text": "<b>1</b>"}, {"html": Markup("<b>2</b>"), "attributes": {"data-y": None}}],
                 [{"text": "3", "colspan": 2, "attributes": {}}]]}),
    ("input/macro.html", "govukInput", {
        "id": "name", "name": "name", "label": {"text": "Name"}, "value": "Ada", "spellcheck": False,
        "attributes": {"data-a": "x", "data-b": {"value": False, "optional": True},
                       "data-c": {"value": "", "optional": True}, "data-d": True}}),
    ("date-input/macro.html", "govukDateInput", {
        "id": "dob", "fieldset": {"legend": {"text": "Date of birth"}},
        "items": [{"name": "day", "attributes": {"data-z": 1}}, {"name": "month"}]}),
    ("select/macro.html", "govukSelect", {
        "id": "s", "name": "s", "label": {"text": "S"}, "attributes": 'data-raw="1"',
        "items": [{"value": "1", "text": "One", "selected": True, "attributes": {"data-o": "x"}}]}),
]


@pytest.mark.parametrize(("path", "macro", "params"), COMPONENTS, ids=[c[1] for c in COMPONENTS])
def test_govuk_components_write_the_same_html_with_the_quick_attributes(path, macro, params):
    """govukAttributes answered in Python (notinschool.web.jinja._SHADOWED) changes nothing."""
    from django.template import engines
    from jinja2 import PackageLoader

    source = f'{{% from "govuk_frontend_jinja/components/{path}" import {macro} %}}{{{{ {macro}(p) }}}}'
    ours = engines["jinja2"].env.from_string(source)  # type: ignore[attr-defined]
    package = Environment(loader=PrefixLoader({"govuk_frontend_jinja": PackageLoader(
        "govuk_frontend_jinja", "templates")}), undefined=ChainableUndefined, autoescape=True)
    assert ours.render(p=params) == package.from_string(source).render(p=params)


def test_the_pages_use_the_quick_attributes():
    from django.template import engines
    from jinja2.runtime import Macro

    module = engines["jinja2"].env.get_template(  # type: ignore[attr-defined]
        "govuk_frontend_jinja/macros/attributes.html").module
    assert not isinstance(module.govukAttributes, Macro)
    assert module.govukAttributes(None) == "" and module.govukAttributes('data-a="1"') == 'data-a="1"'
    assert module.govukAttributes({"a": "<"}).strip() == 'a="&lt;"'

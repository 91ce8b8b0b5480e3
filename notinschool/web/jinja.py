"""The Jinja2 environment for our pages: GOV.UK Frontend macros, static files and URLs.

govuk-frontend-jinja's templates are reachable as "govuk_frontend_jinja/components/...".
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    DictLoader,
    Environment,
    PackageLoader,
    PrefixLoader,
    Undefined,
)
from markupsafe import Markup

from notinschool.accounts.roles import Cap
from notinschool.audit.break_glass import break_glass_active
from notinschool.audit.models import BreakGlassGrant
from notinschool.web import formatting

SERVICE_NAME = "Children not in school register"


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


_DICT_ATTRIBUTES = frozenset(dir(dict))
_MISSING = object()


class PageEnvironment(Environment):
    """Jinja2's environment with a quicker `a.b` on plain dicts, which is how every GOV.UK macro
    reads its parameters (`cell.text`, `params.rows`, and `cell.colspan` that is usually not
    there). Jinja tries the attribute first and the key second, so a missing key cost two
    exceptions; a 50-row register table makes about 4,000 such lookups. Same answers: a dict's
    own attributes (`items`, `get`) still win, then the key, else undefined."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            value = obj.get(attribute, _MISSING)
            return self.undefined(obj=obj, name=attribute) if value is _MISSING else value
        return super().getattr(obj, attribute)


# Every GOV.UK macro calls govukAttributes for each element it writes (each table cell, each
# input), nearly always with no attributes at all; a Jinja macro call costs about as much as
# the rest of the cell. These templates are served in place of govuk-frontend-jinja's
# macros/attributes.html: the same macro, answered in Python when there is nothing to write or
# the attributes are already a string, and by govuk-frontend-jinja's own macro otherwise.
_SHADOWED = {
    "govuk_frontend_jinja/macros/attributes.html": (
        '{%- from "govuk_frontend_jinja_package/macros/attributes.html" import govukAttributes'
        " as _package -%}{%- set govukAttributes = govuk_attributes_quick(_package) -%}"),
}
_NOTHING = Markup("")


def govuk_attributes_quick(package_macro: Callable[[Any], Any]) -> Callable[..., Any]:
    def govuk_attributes(attributes: Any = None) -> Any:
        if attributes is None or isinstance(attributes, Undefined):
            return _NOTHING
        if isinstance(attributes, str):
            return Markup(attributes)  # noqa: S704 (as the package's macro: a string is markup)
        return package_macro(attributes)

    return govuk_attributes


def break_glass_now(request: Any) -> list[BreakGlassGrant]:
    """The signed-in person's break-glass grants still running, for the banner on every page
    (one query a page, and only for the roles that may break glass)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.can(Cap.BREAK_GLASS):
        return []
    if not hasattr(request, "_break_glass_now"):
        request._break_glass_now = list(break_glass_active(user))
    return request._break_glass_now  # type: ignore[no-any-return]


def environment(**options: Any) -> Environment:
    options["undefined"] = ChainableUndefined
    package = PackageLoader("govuk_frontend_jinja", "templates")
    options["loader"] = ChoiceLoader([
        DictLoader(_SHADOWED),
        options["loader"],
        PrefixLoader({"govuk_frontend_jinja": package, "govuk_frontend_jinja_package": package}),
    ])
    options.setdefault("autoescape", True)
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.do"]
    env = PageEnvironment(**options)
    env.globals.update({
        "static": static,
        "url": url,
        "authority_name": settings.NOTINSCHOOL_AUTHORITY_NAME,
        "service_name": SERVICE_NAME,
        "Cap": Cap,
        "get_messages": get_messages,
        "govuk_attributes_quick": govuk_attributes_quick,
        "break_glass_now": break_glass_now,
    })
    env.filters.update({
        "govuk_date": formatting.govuk_date,
        "govuk_datetime": formatting.govuk_datetime,
        "humanise": formatting.humanise,
        "yes_no": formatting.yes_no,
        "choice_item": formatting.choice_item,
    })
    env.globals["tier_classes"] = formatting.tier_classes
    return env

"""The Jinja2 environment for our pages: GOV.UK Frontend macros, static files and URLs.

govuk-frontend-jinja's templates are reachable as "govuk_frontend_jinja/components/...".
"""

from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader, PrefixLoader

from notinschool.accounts.roles import Cap
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


def environment(**options: Any) -> Environment:
    options["undefined"] = ChainableUndefined
    options["loader"] = ChoiceLoader([
        options["loader"],
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}),
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

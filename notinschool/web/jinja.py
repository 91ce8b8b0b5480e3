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


def environment(**options: Any) -> Environment:
    options["undefined"] = ChainableUndefined
    options["loader"] = ChoiceLoader([
        options["loader"],
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}),
    ])
    options.setdefault("autoescape", True)
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.do"]
    env = Environment(**options)  # noqa: S701 (autoescape is set above)
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

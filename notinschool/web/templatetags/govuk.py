"""GOV.UK markup for allauth's Django templates (docs/adr/0002-allauth-templates-beside-jinja2.md).

The head, header, messages and footer are the Jinja2 pages' own partials, so the service's
chrome is written once; the rest turns Django form fields into GOV.UK Frontend's markup.
"""

from typing import Any

from django import forms, template
from django.conf import settings
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

from notinschool.web.jinja import SERVICE_NAME

register = template.Library()

_BUTTON_VARIANTS = {
    "danger": "govuk-button--warning",
    "secondary": "govuk-button--secondary",
    "outline": "govuk-button--secondary",
    "link": "govuk-button--secondary",
}


@register.simple_tag(takes_context=True)
def govuk_partial(context: Any, name: str) -> SafeString:
    """Render one of web/jinja2/partials/ with the current request."""
    jinja = engines["jinja2"].get_template(f"partials/{name}")
    return mark_safe(jinja.render({}, context.get("request")))  # noqa: S308 (Jinja2 autoescapes)


@register.simple_tag
def service_name() -> str:
    return SERVICE_NAME


@register.simple_tag
def authority_name() -> str:
    return str(settings.NOTINSCHOOL_AUTHORITY_NAME)


@register.simple_tag
def govuk_button_classes(tags: list[str] | None) -> str:
    variants = {_BUTTON_VARIANTS[t] for t in tags or [] if t in _BUTTON_VARIANTS}
    return " ".join(["govuk-button", *sorted(variants)[:1]])


@register.filter
def govuk_error_list(form: forms.BaseForm) -> list[dict[str, str]]:
    """The error summary's items: each field's errors link to the field; errors about the whole
    form link to its first visible field."""
    visible = [f for f in form.visible_fields() if f.auto_id]
    first_href = f"#{visible[0].id_for_label}" if visible else ""
    items = [{"text": str(e), "href": first_href} for e in form.non_field_errors()]
    for field in visible:
        items += [{"text": str(e), "href": f"#{field.id_for_label}"} for e in field.errors]
    return items


@register.simple_tag
def govuk_widget(field: forms.BoundField, css_class: str = "govuk-input",
                 hide_help: bool = False) -> SafeString:
    """The field's own widget with GOV.UK classes, its hint and error described, and no
    placeholder (GOV.UK asks for labels, not placeholders)."""
    classes = css_class
    if field.errors and css_class == "govuk-input":
        classes += " govuk-input--error"
    described = [f"{field.auto_id}-hint"] if field.help_text and not hide_help else []
    described += [f"{field.auto_id}-error"] if field.errors else []
    attrs: dict[str, Any] = {"class": classes, "placeholder": False}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.name == "code":
        attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code", "spellcheck": "false"})
    return field.as_widget(attrs=attrs)

"""The family's files of a released subject access bundle: a tagged PDF/UA document (laid out
like the letters, by WeasyPrint) and a structured JSON file, both from the released items only.
Neither holds anything withheld, not even its title: the covering page says how many items
were withheld, as the law asks the authority to tell the family it withheld some."""

import datetime as dt
import functools
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from django.conf import settings
from django.utils import timezone

if TYPE_CHECKING:  # WeasyPrint takes seconds to import: only a process that prints pays for it
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

from notinschool.records.models import SubjectAccessItem, SubjectAccessRequest

HERE = Path(__file__).parent / "pdf"
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


def _sections(items: list[SubjectAccessItem]) -> list[dict[str, Any]]:
    return [{"section": section, "items": [{"title": i.title, "fields": [list(f) for f in i.fields]}
                                           for i in group]}
            for section, group in groupby(sorted(items, key=lambda i: i.position), key=lambda i: i.section)]


def bundle_json(request: SubjectAccessRequest, released: list[SubjectAccessItem],
                withheld: int) -> dict[str, Any]:
    return {
        "format": "notinschool subject access bundle, version 1",
        "authority": settings.NOTINSCHOOL_AUTHORITY_NAME,
        "request": {"reference": str(request.pk), "subject": request.subject,
                    "requester": request.requester_name, "received": request.received_date.isoformat(),
                    "released": timezone.localdate().isoformat()},
        "child": {"name": request.child.full_name, "reference": request.child.child_ref},
        "items_released": len(released),
        "items_withheld": withheld,
        "sections": _sections(released),
    }


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(HERE), autoescape=True,
                              undefined=jinja2.StrictUndefined)


@functools.cache
def _printing() -> "tuple[FontConfiguration, CSS, URLFetcher]":
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    fonts = FontConfiguration()
    fetcher = URLFetcher(allowed_protocols=["file"])
    return fonts, CSS(filename=str(HERE / "bundle.css"), font_config=fonts, url_fetcher=fetcher), fetcher


def bundle_html(request: SubjectAccessRequest, released: list[SubjectAccessItem], withheld: int) -> str:
    return _environment().get_template("bundle.html").render(
        request=request, child=request.child, sections=_sections(released), withheld=withheld,
        released=len(released), authority=settings.NOTINSCHOOL_AUTHORITY_NAME,
        team=settings.NOTINSCHOOL_TEAM_NAME, today=dt.date.today().strftime("%-d %B %Y"),
        received=request.received_date.strftime("%-d %B %Y"))


def bundle_pdf(request: SubjectAccessRequest, released: list[SubjectAccessItem], withheld: int) -> bytes:
    from weasyprint import HTML

    fonts, css, fetcher = _printing()
    html = HTML(string=bundle_html(request, released, withheld), base_url=str(HERE), url_fetcher=fetcher)
    return bytes(html.write_pdf(stylesheets=[css], font_config=fonts, **PDF_OPTIONS))

"""What the report pages show, put together from the scorecard: its charts with their words,
and the PDF (tagged, WeasyPrint) of the same content."""

import functools
from dataclasses import dataclass
from pathlib import Path

import jinja2
from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from notinschool.letters.rendering import PDF_OPTIONS
from notinschool.reports.charts import Chart, bar_chart, line_chart
from notinschool.reports.scorecard import Scorecard
from notinschool.reports.suppression import SMALLEST_SHOWN, suppress_one

HERE = Path(__file__).parent / "pdf"


@dataclass(frozen=True)
class ScorecardCharts:
    register: Chart
    tiers: Chart


def scorecard_charts(card: Scorecard, *, published: bool = False) -> ScorecardCharts:
    """The charts; for publication, counts from 1 to 4 are not drawn (a gap in a line, no bar)."""
    def shown(value: int | None) -> int | None:
        return None if value is None or (published and 0 < value < SMALLEST_SHOWN) else value

    months = [m.month_end.strftime("%b %Y") for m in card.months]
    values = [shown(m.on_register) for m in card.months]
    first, last = card.months[0], card.months[-1]
    change = f", {last.change:+.0%} on a year before" if last.change is not None else ""
    register = line_chart(
        months, values, compare=[shown(m.year_before) for m in card.months],
        title="Children on the register at each month's end",
        description=(f"Line chart: children on the register at the end of each month from "
                     f"{months[0]} to {months[-1]}, from {_words(first.on_register, published)} "
                     f"to {_words(last.on_register, published)}"
                     f"{change}. The figures are in the table below the chart."))
    tiers = card.table("tier")
    cells = tiers.published() if published else tiers.rows
    tier_words = "; ".join(f"{label}: {count:,}" if isinstance(count, int) else f"{label}: fewer than 5"
                           for label, count in cells)
    return ScorecardCharts(register=register, tiers=bar_chart(
        [label for label, _ in cells], [count for _, count in cells],
        title="Children by risk tier", description=f"Bar chart of children by risk tier. {tier_words}."))


def _words(count: int, published: bool) -> str:
    return "fewer than 5" if published and 0 < count < SMALLEST_SHOWN else f"{count:,}"


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["count"] = lambda v: f"{v:,}" if isinstance(v, int) else v
    env.filters["suppressed"] = lambda v, published: (
        suppress_one(v) if published and isinstance(v, int) else v)
    return env


@functools.cache
def _printing() -> tuple[FontConfiguration, CSS, URLFetcher]:
    fonts = FontConfiguration()
    fetcher = URLFetcher(allowed_protocols=["file", "data"])
    return fonts, CSS(filename=str(HERE / "report.css"), font_config=fonts, url_fetcher=fetcher), fetcher


def scorecard_pdf(card: Scorecard, *, published: bool) -> bytes:
    """The scorecard as a tagged PDF: the charts, each with its table, small numbers hidden when
    it is for publication."""
    charts = scorecard_charts(card, published=published)
    html = _environment().get_template("scorecard.html").render(
        card=card, charts=charts, published=published,
        authority=getattr(settings, "NOTINSCHOOL_AUTHORITY_NAME", ""))
    fonts, css, fetcher = _printing()
    document = HTML(string=html, base_url=str(HERE), url_fetcher=fetcher).render(
        stylesheets=[css], font_config=fonts, **PDF_OPTIONS)
    return bytes(document.write_pdf(**PDF_OPTIONS))

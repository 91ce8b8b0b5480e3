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
from notinschool.reports.annual import AnnualReport
from notinschool.reports.assurance import Assurance
from notinschool.reports.charts import Chart, bar_chart, line_chart
from notinschool.reports.scorecard import Scorecard
from notinschool.reports.suppression import SMALLEST_SHOWN, SUPPRESSED, suppress_one

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
    env.filters["published"] = lambda v: suppress_one(v) if isinstance(v, int) else v
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


@dataclass(frozen=True)
class AnnualCharts:
    register: Chart
    starts: Chart
    returns: Chart


def _rate(now: int | None, before: int | None) -> str:
    """The change on a year before as a percentage; hidden ([c]) where either count is 1 to 4."""
    if now is None or not before:
        return ""
    if 0 < now < SMALLEST_SHOWN or before < SMALLEST_SHOWN:
        return SUPPRESSED
    return f"{(now - before) / before:+.0%}"


def annual_pdf(report: AnnualReport) -> bytes:
    """The annual report as a tagged PDF, for publication: every count from 1 to 4 hidden (a
    marker in the tables, nothing drawn in the charts), each chart with its table."""
    def shown(value: int | None) -> int | None:
        return None if value is None or 0 < value < SMALLEST_SHOWN else value

    labels = [f"{m.month_end:%b}" + (f"\n{m.month_end.year}" if i == 0 or m.month_end.month == 1 else "")
              for i, m in enumerate(report.months)]
    before = {"starts": report.month_starts_before, "returns": report.month_returns_before}
    first, last = report.months[0], report.months[-1]
    charts = AnnualCharts(
        register=line_chart(
            labels, [shown(m.on_register) for m in report.months],
            compare=[shown(m.year_before) for m in report.months],
            title="Children on the register at each month's end",
            description=(f"Line chart: children on the register at the end of each month from "
                         f"{first.month_end:%B %Y} to {last.month_end:%B %Y}, from "
                         f"{_words(first.on_register, True)} to "
                         f"{_words(last.on_register, True)}, against the same months a year before. "
                         f"The figures are in the table below the chart.")),
        **{key: line_chart(
            labels, [shown(getattr(m, key)) for m in report.months],
            compare=[shown(v) for v in before[key]], title=title,
            description=(f"Line chart: {words} each month from {first.month_end:%B %Y} to "
                         f"{last.month_end:%B %Y}, "
                         f"{_words(sum(getattr(m, key) for m in report.months), True)} in all, "
                         f"against the same months a year before. The figures are in the table "
                         f"below the charts."))
           for key, title, words in (
               ("starts", "Children joining the register each month", "children joining the register"),
               ("returns", "Children returning to school each month", "children returning to school"))})
    characteristics = []
    for table in report.tables:
        cells = table.published()
        words = "; ".join(f"{label}: {count:,}" if isinstance(count, int) else f"{label}: fewer than 5"
                          for label, count in cells)
        characteristics.append((table, bar_chart(
            [label for label, _ in cells], [count for _, count in cells], title=table.title,
            description=f"Bar chart: {table.title.lower()}. {words}.")))
    brief = [
        ("On the register at the start of the year", report.on_register_start,
         report.on_register_start_year_before),
        ("On the register at the end" if report.complete else "On the register now",
         report.on_register_end, last.year_before or 0),
        ("Joined the register", report.starts, report.starts_year_before),
        ("Returned to school", report.returns, report.returns_year_before),
    ]
    env = _environment()
    html = env.get_template("annual.html").render(
        report=report, charts=charts, characteristics=characteristics, brief=brief,
        movement=list(zip(report.months, report.month_starts_before, report.month_returns_before,
                          strict=True)),
        rate=_rate, authority=getattr(settings, "NOTINSCHOOL_AUTHORITY_NAME", ""))
    fonts, css, fetcher = _printing()
    document = HTML(string=html, base_url=str(HERE), url_fetcher=fetcher).render(
        stylesheets=[css], font_config=fonts, **PDF_OPTIONS)
    return bytes(document.write_pdf(**PDF_OPTIONS))


def assurance_pdf(report: Assurance, questions: dict[int, str]) -> bytes:
    """The assurance report as a tagged PDF: each question's measures and the characteristics,
    the figures of the page (not for publication: the partnership's record)."""
    html = _environment().get_template("assurance.html").render(
        report=report, questions=questions,
        authority=getattr(settings, "NOTINSCHOOL_AUTHORITY_NAME", ""))
    fonts, css, fetcher = _printing()
    document = HTML(string=html, base_url=str(HERE), url_fetcher=fetcher).render(
        stylesheets=[css], font_config=fonts, **PDF_OPTIONS)
    return bytes(document.write_pdf(**PDF_OPTIONS))

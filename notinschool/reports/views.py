"""Report pages: where the partnership's analyst and the managers start (the reports), and the
scorecard as a page, a CSV and a PDF. Aggregates only: no child is named on them. Every run is
audited with the day it was for and whether it was marked for publication."""

import csv
import datetime as dt
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.core import clock
from notinschool.reports.annual import annual_report, reporting_years, year_words
from notinschool.reports.pages import annual_pdf, scorecard_charts, scorecard_pdf
from notinschool.reports.scorecard import scorecard
from notinschool.web.access import actor, requires


def _as_of(request: HttpRequest) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return clock.today()
    return min(day, clock.today())


def _published(request: HttpRequest) -> bool:
    return request.GET.get("published") == "1"


@requires(Cap.VIEW_REPORTS)
def reports_home(request: HttpRequest) -> HttpResponse:
    links = []
    for name, title, words in (
            ("dfe_return", "Termly return",
             "the census date's figures for the Department for Education, as tables, a CSV and a PDF"),
            ("assurance", "Assurance report",
             "the seven questions the safeguarding partnership answers, each measured, with the "
             "children missing from each"),
            ("scorecard", "Scorecard",
             "the register over time and as it stands, as charts and tables, a CSV and a PDF"),
            ("annual_report", "Annual report",
             "the scorecard's measures over a school year, as a PDF for publication"),
            ("rules", "Risk rules", "the rules that set each child's tier and actions")):
        try:
            links.append({"href": reverse(name), "title": title, "words": words})
        except NoReverseMatch:
            continue
    return render(request, "reports/home.html", {"links": links})


@requires(Cap.VIEW_REPORTS)
def scorecard_page(request: HttpRequest) -> HttpResponse:
    as_of = _as_of(request)
    card = scorecard(as_of=as_of)
    audit_record(actor=actor(request), action="view", object_type="scorecard",
                 detail={"as_of": as_of.isoformat()})
    return render(request, "reports/scorecard.html", {
        "card": card, "charts": scorecard_charts(card), "as_of": as_of})


@requires(Cap.VIEW_REPORTS)
def scorecard_csv(request: HttpRequest) -> HttpResponse:
    as_of, published = _as_of(request), _published(request)
    card = scorecard(as_of=as_of)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "measure", "value", "count"])
    writer.writerows(card.csv_rows(published=published))
    audit_record(actor=actor(request), action="export", object_type="scorecard",
                 detail={"as_of": as_of.isoformat(), "published": published, "format": "csv"})
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    suffix = "-for-publication" if published else ""
    response["Content-Disposition"] = f'attachment; filename="scorecard-{as_of}{suffix}.csv"'
    return response


@requires(Cap.VIEW_REPORTS)
def scorecard_download_pdf(request: HttpRequest) -> HttpResponse:
    as_of, published = _as_of(request), _published(request)
    pdf = scorecard_pdf(scorecard(as_of=as_of), published=published)
    audit_record(actor=actor(request), action="export", object_type="scorecard",
                 detail={"as_of": as_of.isoformat(), "published": published, "format": "pdf"})
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = "-for-publication" if published else ""
    response["Content-Disposition"] = f'attachment; filename="scorecard-{as_of}{suffix}.pdf"'
    return response


def _year(request: HttpRequest, years: list[int]) -> tuple[int | None, str]:
    """The school year asked for (by the year it began) and the error, if it cannot be run."""
    given = request.GET.get("year", "").strip()
    if not given:
        return None, ""
    if not given.isdigit() or int(given) not in years:
        return None, "Choose a school year from the list"
    return int(given), ""


@requires(Cap.VIEW_REPORTS)
def annual_page(request: HttpRequest) -> HttpResponse:
    """Choose a school year and download its annual report. Nothing is counted here."""
    years = reporting_years(clock.today())
    year, error = _year(request, years)
    return render(request, "reports/annual.html", {
        "years": [(y, year_words(y)) for y in years], "year": year, "error": error,
        "year_words": year_words(year) if year is not None else ""})


@requires(Cap.VIEW_REPORTS)
def annual_download_pdf(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    year, error = _year(request, reporting_years(today))
    if year is None:
        raise Http404(error or "no year chosen")
    report = annual_report(first_year=year, today=today)
    pdf = annual_pdf(report)
    # a report run counts children and opens no record; aggregates only, so it names none
    audit_record(actor=actor(request), action="report", object_type="annual_report",
                 detail={"year": year_words(year), "as_of": report.as_of.isoformat(),
                         "children": report.during, "published": True, "format": "pdf"})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="annual-report-{year}-{year + 1}.pdf"'
    return response

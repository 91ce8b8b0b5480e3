"""Report pages: where the partnership's analyst and the managers start (the reports), and the
scorecard as a page, a CSV and a PDF. Aggregates only: no child is named on them. Every run is
audited with the day it was for and whether it was marked for publication."""

import csv
import datetime as dt
import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.core import clock
from notinschool.reports.pages import scorecard_charts, scorecard_pdf
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

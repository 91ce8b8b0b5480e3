"""The termly return on a page (`/reports/return/`), beside the CLI export: the same figures by
the same computation (`dfe_return_figures`), in tables with the collection's labels, the
warnings where the data cannot support a figure, a CSV identical to the export and a PDF for the
record. Everyone who reads reports sees the numbers; those who may export the register
(officers, managers) also open the children behind each figure and each warning. Every run is
audited with the children it counted; every list with the children it showed."""

import datetime as dt
import io
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse

from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.core import clock
from notinschool.core.rows import db_uuid, scratch_drop, scratch_table
from notinschool.people.models import Child
from notinschool.people.selectors import child_queryset_for
from notinschool.reports import codes
from notinschool.reports.assurance import QUESTIONS, Assurance, assurance
from notinschool.reports.dfe_return import (
    COLUMNS,
    Run,
    dfe_return_figures,
    dfe_return_rows,
    figure_children,
    warning_children,
)
from notinschool.reports.pages import assurance_pdf
from notinschool.reports.return_page import (
    MEASURES,
    SECTIONS,
    return_census_day,
    return_pdf,
    return_sections,
)
from notinschool.reports.writers import write_csv
from notinschool.web.access import actor, requires
from notinschool.web.pagination import Page, paginate


def _census_date(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("census_date", ""))
    except ValueError:
        return return_census_day(clock.today())


@requires(Cap.VIEW_REPORTS)
def return_page(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    census_date = _census_date(request)
    # `report`, not `view`: counting a child opens no record (a `view` naming 200,000 children
    # would flag the reader for unusual access)
    figures = dfe_return_figures(census_date, audit=Run(user, "report", {"format": "page"}))
    return render(request, "reports/dfe_return.html", {
        "figures": figures, "sections": return_sections(figures), "census_date": census_date,
        "may_list": user.can(Cap.EXPORT_REGISTER) and user.can(Cap.VIEW_REGISTER),
        "may_export": user.can(Cap.EXPORT_REGISTER),
        "list_url": reverse("dfe_return_children")})


@requires(Cap.EXPORT_REGISTER)
def return_csv(request: HttpRequest) -> HttpResponse:
    """The CSV the CLI writes, byte for byte (the same rows through the same writer)."""
    census_date = _census_date(request)
    out = io.StringIO()
    write_csv(out, COLUMNS, dfe_return_rows(actor=actor(request), census_date=census_date))
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dfe-return-{census_date}.csv"'
    return response


@requires(Cap.VIEW_REPORTS)
def return_download_pdf(request: HttpRequest) -> HttpResponse:
    census_date = _census_date(request)
    figures = dfe_return_figures(census_date, audit=Run(actor(request), "export", {"format": "pdf"}))
    response = HttpResponse(return_pdf(figures), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dfe-return-{census_date}.pdf"'
    return response


@requires(Cap.EXPORT_REGISTER)
def return_children(request: HttpRequest) -> HttpResponse:
    """The children behind one figure (section, measure, breakdown, value) or one warning."""
    user = actor(request)
    if not user.can(Cap.VIEW_REGISTER):
        raise PermissionDenied("your role cannot open children's records")
    census_date = _census_date(request)
    params = request.GET
    warning = params.get("warning", "")
    if warning:
        found = warning_children(census_date, warning)  # that check's children only
        if found is None:
            raise Http404("no such warning")
        ids, title = found.children, found.title
        retired = 0
    else:
        key = (params.get("section", ""), params.get("measure", ""), params.get("breakdown", ""),
               params.get("value", ""))
        behind = figure_children(census_date, key)  # that figure's children only
        if behind is None:
            raise Http404("no such figure")
        ids, retired = behind
        title = _figure_title(key)
    page = _page_of(child_queryset_for(user), ids, params)
    audit_record(actor=user, action="view", object_type="dfe_return_children",
                 child_ids=[c.pk for c in page.rows],
                 detail={"census_date": census_date.isoformat(), "list": warning or "/".join(key),
                         "children": len(ids)})
    return render(request, "reports/dfe_return_children.html", {
        "page": page, "title": title, "census_date": census_date, "total": len(ids),
        "retired": retired})


_LISTED = "reports_listed_children"


def _page_of(children: QuerySet[Child], ids: list[UUID], params: QueryDict) -> Page:
    """A page of `children` among `ids`, by name. Thousands of ids go into a temporary table
    the page's query joins, not into an IN list (77,000 ids took seconds to send)."""
    if len(ids) <= 1000:
        return paginate(children.filter(pk__in=ids).order_by("surname", "forename", "pk"), params=params)
    as_db = db_uuid()
    scratch_table(_LISTED, [("child_id", "uuid")], ((as_db(pk),) for pk in ids))
    try:
        return paginate(children.filter(pk__in=RawSQL("SELECT child_id FROM reports_listed_children", ()))
                        .order_by("surname", "forename", "pk"), params=params)
    finally:
        scratch_drop(_LISTED)


def _figure_title(key: tuple[str, str, str, str]) -> str:
    section, measure, breakdown, value = key
    words = f"{SECTIONS[section]}: {MEASURES[measure].lower()}"
    if breakdown != "total":
        code_list = codes.CODE_LISTS[breakdown]
        words += f", {code_list.title.lower()}: {code_list.label(value)}"
    return words


@requires(Cap.VIEW_REPORTS)
def assurance_page(request: HttpRequest) -> HttpResponse:
    """The partnership's assurance report: the seven questions, each measured."""
    user = actor(request)
    report = assurance(as_of=clock.today())
    audit_record(actor=user, action="view", object_type="assurance_report",
                 detail={"as_of": report.as_of.isoformat(), "children": report.children})
    return render(request, "reports/assurance.html", {
        "report": report, "questions": QUESTIONS,
        "may_list": user.can(Cap.EXPORT_REGISTER) and user.can(Cap.VIEW_REGISTER)})


@requires(Cap.EXPORT_REGISTER)
def assurance_children(request: HttpRequest) -> HttpResponse:
    """The children missing from one measure of the assurance report, to follow up."""
    user = actor(request)
    if not user.can(Cap.VIEW_REGISTER):
        raise PermissionDenied("your role cannot open children's records")
    report = assurance(as_of=clock.today())
    found = [m for m in report.measures if m.code == request.GET.get("measure", "")]
    if not found:
        raise Http404("no such measure")
    measure = found[0]
    page = paginate(child_queryset_for(user).filter(pk__in=measure.missing)
                    .order_by("surname", "forename", "pk"), params=request.GET)
    audit_record(actor=user, action="view", object_type="assurance_children",
                 child_ids=[c.pk for c in page.rows],
                 detail={"as_of": report.as_of.isoformat(), "measure": measure.code,
                         "children": len(measure.missing)})
    return render(request, "reports/assurance_children.html", {
        "page": page, "measure": measure, "question": QUESTIONS[measure.question],
        "as_of": report.as_of})


ASSURANCE_COLUMNS = ("section", "question", "measure", "value", "count")


def assurance_rows(report: Assurance) -> list[list[Any]]:
    """The assurance report's figures as the page shows them, tidy: for each measure the
    children it applies to, met, missing and the share met (a percentage), and its detail; then
    the characteristics of question 1."""
    rows: list[list[Any]] = []
    for m in report.measures:
        rows += [["measures", m.question, m.code, "applies", m.applies],
                 ["measures", m.question, m.code, "met", len(m.met)],
                 ["measures", m.question, m.code, "missing", len(m.missing)],
                 ["measures", m.question, m.code, "share_percent",
                  "" if m.share is None else round(100 * m.share)]]
        if m.detail:
            rows.append(["measures", m.question, m.code, m.detail, ""])
    for title, counts in report.characteristics:
        rows += [["characteristics", 1, title, label, count] for label, count in counts]
    return rows


def _assurance_export(request: HttpRequest, fmt: str) -> tuple[Assurance, str]:
    report = assurance(as_of=clock.today())
    audit_record(actor=actor(request), action="export", object_type="assurance_report",
                 detail={"as_of": report.as_of.isoformat(), "children": report.children,
                         "format": fmt})
    return report, f"assurance-report-{report.as_of}.{fmt}"


@requires(Cap.VIEW_REPORTS)
def assurance_csv(request: HttpRequest) -> HttpResponse:
    """The assurance report's figures as a CSV, for the partnership's record (no child named)."""
    report, name = _assurance_export(request, "csv")
    out = io.StringIO()
    write_csv(out, ASSURANCE_COLUMNS, assurance_rows(report))
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(Cap.VIEW_REPORTS)
def assurance_download_pdf(request: HttpRequest) -> HttpResponse:
    """The assurance report as a tagged PDF, the page's figures, for the partnership's record."""
    report, name = _assurance_export(request, "pdf")
    response = HttpResponse(assurance_pdf(report, QUESTIONS), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

"""The termly return on a page (`/reports/return/`), beside the CLI export: the same figures by
the same computation (`dfe_return_figures`), in tables with the collection's labels, the
warnings where the data cannot support a figure, a CSV identical to the export and a PDF for the
record. Everyone who reads reports sees the numbers; those who may export the register
(officers, managers) also open the children behind each figure and each warning. Every run is
audited with the children it counted; every list with the children it showed."""

import datetime as dt
import io

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.core import clock
from notinschool.people.selectors import child_queryset_for
from notinschool.reports import codes
from notinschool.reports.assurance import QUESTIONS, assurance
from notinschool.reports.dfe_return import (
    COLUMNS,
    dfe_return_audit,
    dfe_return_figures,
    dfe_return_rows,
)
from notinschool.reports.return_page import (
    MEASURES,
    SECTIONS,
    return_census_day,
    return_pdf,
    return_sections,
)
from notinschool.reports.writers import write_csv
from notinschool.web.access import actor, requires
from notinschool.web.pagination import paginate


def _census_date(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("census_date", ""))
    except ValueError:
        return return_census_day(clock.today())


@requires(Cap.VIEW_REPORTS)
def return_page(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    census_date = _census_date(request)
    figures = dfe_return_figures(census_date)
    # `report`, not `view`: counting a child opens no record (a `view` naming 200,000 children
    # would flag the reader for unusual access)
    dfe_return_audit(user, figures, action="report", format="page")
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
    figures = dfe_return_figures(census_date)
    dfe_return_audit(actor(request), figures, action="export", format="pdf")
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
    figures = dfe_return_figures(census_date)
    params = request.GET
    warning = params.get("warning", "")
    if warning:
        found = [w for w in figures.warnings if w.code == warning]
        if not found:
            raise Http404("no such warning")
        ids, title = found[0].children, found[0].title
        retired = 0
    else:
        key = (params.get("section", ""), params.get("measure", ""), params.get("breakdown", ""),
               params.get("value", ""))
        if key not in figures.members:
            raise Http404("no such figure")
        ids = figures.children(key)
        retired = len(figures.members[key]) - len(ids)
        title = _figure_title(key)
    page = paginate(child_queryset_for(user).filter(pk__in=ids).order_by("surname", "forename", "pk"),
                    params=params)
    audit_record(actor=user, action="view", object_type="dfe_return_children",
                 child_ids=[c.pk for c in page.rows],
                 detail={"census_date": census_date.isoformat(), "list": warning or "/".join(key),
                         "children": len(ids)})
    return render(request, "reports/dfe_return_children.html", {
        "page": page, "title": title, "census_date": census_date, "total": len(ids),
        "retired": retired})


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

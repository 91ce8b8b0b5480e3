"""The termly return as people read it: its figures laid out in tables (one per section and
breakdown, a column per measure) with the labels of the collection's code lists, and the same
tables as a tagged PDF for the record. The figures are `dfe_return_figures`' rows, the ones the
CSV export writes: nothing here counts."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from weasyprint import HTML

from notinschool.letters.rendering import PDF_OPTIONS
from notinschool.reports import codes
from notinschool.reports.dfe_return import IN_YEAR_MEASURES, Figures, Key
from notinschool.reports.pages import HERE, _environment, _printing

SECTIONS = {
    "ehe_census": "Home educated on the census date",
    "ehe_in_year": "Home educated during the school year",
    "cme_census": "Missing education on the census date",
    "cme_in_year": "Missing education during the school year",
}
MEASURES = {
    "children": "Children",
    "starts": "Started",
    "returns_to_school": "Returned to school",
    "preliminary_notices": "Preliminary notices",
    "school_attendance_orders_issued": "Orders issued",
    "school_attendance_orders_revoked": "Orders revoked",
}


@dataclass
class Cell:
    count: int | None
    key: Key | None = None


@dataclass
class Row:
    label: str
    confirmed: bool
    cells: list[Cell]


@dataclass
class Table:
    id: str
    caption: str
    head: list[str]
    rows: list[Row] = field(default_factory=list)


@dataclass
class Section:
    id: str
    title: str
    tables: list[Table]


def return_census_day(on: dt.date) -> dt.date:
    """The latest census day on or before `on`: the school census days (the first Thursday
    of October, the third Thursday of January and of May), the day a return is prepared for."""
    def thursday(year: int, month: int, nth: int) -> dt.date:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 7 * (nth - 1))

    days = [thursday(y, m, n) for y in (on.year - 1, on.year)
            for m, n in ((1, 3), (5, 3), (10, 1))]
    return max(d for d in days if d <= on)


def return_sections(figures: Figures) -> list[Section]:
    counts: dict[Key, int] = {(r[0], r[1], r[2], r[3]): r[4] for r in figures.rows}
    out: list[Section] = []
    for section, title in SECTIONS.items():
        measures = ["children"] if section.endswith("census") else list(IN_YEAR_MEASURES)
        breakdowns = list(dict.fromkeys(r[2] for r in figures.rows if r[0] == section))
        tables = []
        for breakdown in breakdowns:
            code_list = codes.CODE_LISTS.get(breakdown)
            caption = code_list.title if code_list else "All children"
            values = code_list.values if code_list else ("",)
            table = Table(f"{section}-{breakdown}".replace("_", "-"), caption,
                          [caption if code_list else "", *(MEASURES[m] for m in measures)])
            for value in values:
                cells = []
                for measure in measures:
                    key = (section, measure, breakdown, value)
                    cells.append(Cell(counts[key], key) if key in counts else Cell(None))
                table.rows.append(Row(code_list.label(value) if code_list else "Total",
                                      code_list.confirmed(value) if code_list else True, cells))
            tables.append(table)
        out.append(Section(section.replace("_", "-"), title, tables))
    return out


def return_pdf(figures: Figures) -> bytes:
    """The return as a tagged PDF for the record: every table, as on the page, with the
    warnings' counts (no child is named)."""
    html = _environment().get_template("dfe_return.html").render(
        figures=figures, sections=return_sections(figures),
        authority=getattr(settings, "NOTINSCHOOL_AUTHORITY_NAME", ""))
    fonts, css, fetcher = _printing()
    document = HTML(string=html, base_url=str(HERE), url_fetcher=fetcher).render(
        stylesheets=[css], font_config=fonts, **PDF_OPTIONS)
    return bytes(document.write_pdf(**PDF_OPTIONS))


"""Letters as PDF: the letter's words (a template filled in for one child) laid out as a council
letter in HTML, then printed by WeasyPrint as tagged PDF/UA-1 (English, Arial metrics from
Liberation Sans).

This module knows nothing of the database: it takes a `LetterContent` and gives bytes, so the
bulk run can lay out letters in worker processes. The font configuration and the stylesheet are
made once a process and shared by every letter it prints.
"""

import functools
import io
import itertools
import multiprocessing
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import pypdfium2 as pdfium  # type: ignore[import-untyped]
from markupsafe import Markup, escape

if TYPE_CHECKING:  # WeasyPrint takes seconds to import: only a process that prints pays for it
    from weasyprint import CSS, Document
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

HERE = Path(__file__).parent / "pdf"
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


@dataclass(frozen=True)
class Team:
    """Who the letter is from: the council and its team (settings)."""

    authority_name: str
    team_name: str
    address_lines: tuple[str, ...]
    phone: str
    email: str

    @property
    def footer_css(self) -> str:
        """The footer's words as a CSS string: only characters that need no escaping."""
        return re.sub(r"[^\w\s,.()-]", "", f"{self.authority_name}, {self.team_name}")


@dataclass(frozen=True)
class LetterPage:
    """A page (or more) of a letter: its heading and its words, filled in."""

    heading: str
    text: str
    css_class: str = ""

    @property
    def body(self) -> Markup:
        return text_html(self.text)


@dataclass(frozen=True)
class LetterContent:
    """Everything printed on one letter. `address_lines` is empty when the address must not be
    disclosed (`by_hand` then says so in the window instead)."""

    subject: str
    child_name: str
    addressed_to: str
    address_lines: tuple[str, ...]
    by_hand: bool
    date: str
    reference: str
    officer_name: str
    officer_title: str
    pages: tuple[LetterPage, ...] = field(default_factory=tuple)
    # the one-time code for the public pages (letters.access_codes), and where to use it
    access_code: str = ""
    access_code_url: str = ""
    access_code_expires: str = ""


def text_html(text: str) -> Markup:
    """A template's text as HTML: blank lines part paragraphs, lines starting "- " are a list,
    a line starting "## " is a heading. Everything is escaped; email addresses and phone
    numbers are kept on one line."""
    parts: list[str] = []
    for block in (b.strip() for b in text.replace("\r\n", "\n").split("\n\n")):
        if block:
            parts.extend(_block_html(block.split("\n")))
    return Markup("\n".join(parts))  # noqa: S704 (every part escaped in _block_html)


def _block_html(lines: list[str]) -> list[str]:
    parts: list[str] = []
    if lines[0].startswith("## "):
        parts.append(f"<h2>{_inline(lines[0][3:])}</h2>")
        lines = lines[1:]
    for is_item, run in itertools.groupby(lines, key=lambda line: line.lstrip().startswith("- ")):
        group = list(run)
        if is_item:
            items = "".join(f"<li>{_inline(line.lstrip()[2:])}</li>" for line in group)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append("<p>" + "<br>".join(_inline(line) for line in group) + "</p>")
    return parts


_UNBROKEN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+?\d[\d ]{6,}\d")


def _inline(text: str) -> str:
    """A line escaped, with email addresses and phone numbers in unbreakable spans."""
    out, at = [], 0
    for match in _UNBROKEN.finditer(text):
        out += [str(escape(text[at:match.start()])),
                f'<span class="unbroken">{escape(match.group(0))}</span>']
        at = match.end()
    out.append(str(escape(text[at:])))
    return "".join(out).strip()


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(HERE), autoescape=True,
                              undefined=jinja2.StrictUndefined)


@functools.cache
def _printing() -> "tuple[FontConfiguration, CSS, URLFetcher]":
    """Made once a process: the fonts, the stylesheet, and a fetcher of local files only (a
    letter loads nothing from the network; making a fetcher per letter cost a TLS context)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    fonts = FontConfiguration()
    fetcher = URLFetcher(allowed_protocols=["file"])
    return fonts, CSS(filename=str(HERE / "letter.css"), font_config=fonts, url_fetcher=fetcher), fetcher


def letter_html(letter: LetterContent, team: Team) -> str:
    return _environment().get_template("letter.html").render(letter=letter, team=team)


def letter_document(letter: LetterContent, team: Team) -> "Document":
    """The letter laid out in pages (not yet written as PDF)."""
    from weasyprint import HTML

    fonts, css, fetcher = _printing()
    return HTML(string=letter_html(letter, team), base_url=str(HERE), url_fetcher=fetcher).render(
        stylesheets=[css], font_config=fonts, **PDF_OPTIONS)


def document_pdf(document: "Document") -> bytes:
    return document.write_pdf(**PDF_OPTIONS)


def letter_pdf(letter: LetterContent, team: Team) -> bytes:
    return document_pdf(letter_document(letter, team))


def _print_one(item: tuple[LetterContent, Team]) -> tuple[bytes, int]:
    document = letter_document(*item)
    return document_pdf(document), len(document.pages)


def letters_print(letters: Sequence[LetterContent], team: Team, *,
                  workers: int = 1) -> Iterator[tuple[bytes, int]]:
    """Each letter as its own PDF with its number of pages, in order, as each is ready. With
    more than one worker the letters are laid out in that many processes (spawned: they need no
    database), which is where the time goes."""
    items = [(letter, team) for letter in letters]
    if workers <= 1 or len(items) < 8:
        yield from map(_print_one, items)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(_print_one, items, chunksize=4)


class PdfJoin:
    """One PDF of many, page after page (for the print room: each letter keeps its own page
    numbers, and stays a PDF/UA file of its own on the child's record)."""

    def __init__(self) -> None:
        self._joined = pdfium.PdfDocument.new()
        self._parts: list[Any] = []  # pdfium reads a part's pages lazily: keep them open

    def add(self, pdf: bytes) -> None:
        part = pdfium.PdfDocument(pdf)
        self._joined.import_pages(part)
        self._parts.append(part)

    def pdf(self) -> bytes:
        out = io.BytesIO()
        self._joined.save(out)
        return out.getvalue()

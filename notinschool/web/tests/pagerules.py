"""Rules every page of the service keeps (after GOV.UK Notify's whole-application tests):

- exactly one h1;
- the <title> starts with the h1's text (after GOV.UK's "Error: " when the page shows errors);
- no two elements share an id;
- every form has an action, or posts to itself (no action attribute at all);
- a page that shows a field error has the error summary; a page with errors has a title that
  starts "Error: ".
"""

import re
from collections import Counter
from html.parser import HTMLParser

_SPACE = re.compile(r"\s+")


def _text(value: str) -> str:
    return _SPACE.sub(" ", value).strip()


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()
        self.h1s: list[str] = []
        self.title = ""
        self.forms: list[dict[str, str | None]] = []
        self.classes: Counter[str] = Counter()
        self._capture: str | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids[str(attributes["id"])] += 1
        for css in (attributes.get("class") or "").split():
            self.classes[css] += 1
        if tag == "form":
            self.forms.append(attributes)
        if tag in ("h1", "title"):
            self._capture, self._buffer = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == self._capture:
            text = _text("".join(self._buffer))
            if tag == "h1":
                self.h1s.append(text)
            else:
                self.title = text
            self._capture = None

    def handle_data(self, data: str) -> None:
        if self._capture:
            self._buffer.append(data)


def assert_govuk_page(html: str | bytes) -> None:
    page = _PageParser()
    page.feed(html.decode() if isinstance(html, bytes) else html)
    assert len(page.h1s) == 1, f"a page has exactly one h1, this one has {page.h1s}"
    field_errors = page.classes["govuk-error-message"] > 0 or page.classes["govuk-form-group--error"] > 0
    has_errors = field_errors or page.classes["govuk-error-summary"] > 0
    title = page.title.removeprefix("Error: ") if has_errors else page.title
    assert title.startswith(page.h1s[0]), f"title {page.title!r} does not start with h1 {page.h1s[0]!r}"
    duplicates = sorted(i for i, n in page.ids.items() if n > 1)
    assert not duplicates, f"duplicate ids: {duplicates}"
    for form in page.forms:
        assert form.get("action") is None or form["action"], f"form with an empty action: {form}"
    if field_errors:
        assert page.classes["govuk-error-summary"] == 1, "a page with field errors has one error summary"
    if has_errors:
        assert page.title.startswith("Error: "), f"title must start 'Error: ' here: {page.title!r}"

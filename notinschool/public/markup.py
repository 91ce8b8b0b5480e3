"""The public pages' words as the administrator writes them: a small Markdown subset, rendered
with GOV.UK classes and never as raw HTML (everything typed is escaped).

- a blank line starts a new paragraph;
- `## ` and `### ` start a heading;
- lines starting `- ` are a bulleted list, lines starting `1. ` a numbered one;
- `[words](/path)` is a link to a page of this service, `[words](mailto:...)` or `[words](tel:...)`
  one to write or call; a link anywhere else is shown as its words only;
- `**words**` is bold; a line starting `! ` is inset text (something to notice);
- `{team_phone}`, `{team_email}`, `{team_address}`, `{team_name}`, `{authority_name}` are the
  contact details from settings.
"""

import itertools
import re
from collections.abc import Mapping

from django.conf import settings
from markupsafe import Markup, escape

_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*([^*\n]+)\*\*")
_SAFE_HREF = re.compile(r"^(/[A-Za-z0-9/_\-#.?=&]*|mailto:[^\s\"'<>]+|tel:[0-9+ ]+)$")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_NUMBERED = re.compile(r"^\d+\. ")


def contact_values() -> dict[str, str]:
    """The team's contact details, from settings."""
    lines = [line.strip() for line in settings.NOTINSCHOOL_TEAM_ADDRESS.split("|") if line.strip()]
    return {"team_phone": settings.NOTINSCHOOL_TEAM_PHONE, "team_email": settings.NOTINSCHOOL_TEAM_EMAIL,
            "team_address": ", ".join(lines), "team_name": settings.NOTINSCHOOL_TEAM_NAME,
            "authority_name": settings.NOTINSCHOOL_AUTHORITY_NAME}


def fill(text: str, values: Mapping[str, str] | None = None) -> str:
    known = contact_values() if values is None else values
    return _PLACEHOLDER.sub(lambda m: known.get(m.group(1), m.group(0)), text)


def plain_text(text: str) -> str:
    """The words only, as a reader hears them: for the reading-age check."""
    text = _LINK.sub(lambda m: m.group(1), fill(text))
    text = _BOLD.sub(lambda m: m.group(1), text)
    return "\n".join(re.sub(r"^(#+ |- |! |\d+\. )", "", line) for line in text.splitlines())


def render(text: str) -> Markup:
    """The text as GOV.UK-styled HTML."""
    parts: list[str] = []
    for block in (b.strip("\n") for b in re.split(r"\n\s*\n", fill(text).replace("\r\n", "\n"))):
        if block.strip():
            parts.extend(_block([line.rstrip() for line in block.split("\n") if line.strip()]))
    return Markup("\n".join(parts))  # noqa: S704 (every part escaped in _inline)


def _kind(line: str) -> str:
    stripped = line.lstrip()
    if stripped.startswith("- "):
        return "ul"
    if _NUMBERED.match(stripped):
        return "ol"
    return "p"


def _block(lines: list[str]) -> list[str]:
    parts: list[str] = []
    while lines and lines[0].startswith(("## ", "### ")):
        level = 2 if lines[0].startswith("## ") else 3
        size = "m" if level == 2 else "s"
        parts.append(f'<h{level} class="govuk-heading-{size}">{_inline(lines[0][level + 1:])}</h{level}>')
        lines = lines[1:]
    if lines and all(line.startswith("! ") for line in lines):
        body = "<br>".join(_inline(line[2:]) for line in lines)
        return [*parts, f'<div class="govuk-inset-text">{body}</div>']
    for kind, run in itertools.groupby(lines, key=_kind):
        group = list(run)
        if kind == "ul":
            items = "".join(f"<li>{_inline(line.lstrip()[2:])}</li>" for line in group)
            parts.append(f'<ul class="govuk-list govuk-list--bullet">{items}</ul>')
        elif kind == "ol":
            items = "".join(f"<li>{_inline(_NUMBERED.sub('', line.lstrip()))}</li>" for line in group)
            parts.append(f'<ol class="govuk-list govuk-list--number">{items}</ol>')
        else:
            parts.append('<p class="govuk-body">' + "<br>".join(_inline(line) for line in group) + "</p>")
    return parts


def _inline(text: str) -> str:
    """One line escaped, with its links and bold words."""
    out, at = [], 0
    for match in _LINK.finditer(text):
        out.append(_bold(text[at:match.start()]))
        words, href = match.group(1), match.group(2)
        if _SAFE_HREF.match(href):
            out.append(f'<a class="govuk-link" href="{escape(href)}">{_bold(words)}</a>')
        else:
            out.append(_bold(words))
        at = match.end()
    out.append(_bold(text[at:]))
    return "".join(out).strip()


def _bold(text: str) -> str:
    escaped = str(escape(text))
    return _BOLD.sub(lambda m: f"<strong>{m.group(1)}</strong>", escaped)

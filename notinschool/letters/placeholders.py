"""The placeholders a letter template may use, checking a template's text before it is saved,
and filling it in for one letter.

A placeholder is a name in braces, `{child_name}`. A brace that is not part of a placeholder is
written twice (`{{`, `}}`) to print one. Anything else (an unknown name, a brace left open or
closed without opening) is refused before saving, naming what is wrong, so a letter never goes
out with `{chld_name}` or a stray brace in it.

The family's address is deliberately not a placeholder: it is printed only in the envelope
window, and never for a child whose address must not be disclosed.
"""

import re
from collections.abc import Mapping

# The placeholders, each with what it stands for (shown on the edit page).
PLACEHOLDERS: dict[str, str] = {
    "child_name": "the child's full name",
    "child_first_name": "the child's first name",
    "child_date_of_birth": "the child's date of birth, as 4 May 2015",
    "parent_name": "the parent or parents the letter is addressed to",
    "officer_name": "the child's officer (or the person sending the letter)",
    "authority_name": "the council's name",
    "team_name": "the team's name",
    "team_phone": "the team's phone number",
    "team_email": "the team's email address",
    "team_address": "the team's postal address, on one line",
    "date": "the date of the letter, as 7 December 2026",
    "reference": "the child's reference number",
}

# A registered kind's own placeholders (a statutory notice's deadline, the school it names):
# kind -> name -> (what it stands for, a made-up value for previewing the template).
_KIND_PLACEHOLDERS: dict[str, dict[str, tuple[str, str]]] = {}


def letter_placeholder_register(kind: str, name: str, description: str, sample: str) -> None:
    """Adds a placeholder that only templates of `kind` may use, filled in from the details the
    app gives when it issues the letter (`letters.services.letter_issue`); `sample` is shown in
    the template's preview."""
    _KIND_PLACEHOLDERS.setdefault(kind, {})[name] = (description, sample)


def placeholders_for(kind: str | None) -> dict[str, str]:
    """The placeholders a template of `kind` may use, each with what it stands for."""
    own = {name: description for name, (description, _) in _KIND_PLACEHOLDERS.get(kind or "", {}).items()}
    return {**PLACEHOLDERS, **own}


def placeholder_samples(kind: str | None) -> dict[str, str]:
    """Made-up values of a kind's own placeholders, for previewing its template."""
    return {name: sample for name, (_, sample) in _KIND_PLACEHOLDERS.get(kind or "", {}).items()}


_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")


def placeholder_problems(text: str, kind: str | None = None) -> list[str]:
    """What is wrong with the placeholders in `text` (a template of `kind`), one message each;
    empty when all is well."""
    known = placeholders_for(kind)
    unknown: list[str] = []
    stray: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        name = match.group(1)
        if name is None:
            stray.append(_where(text, match.start(), token))
        elif name.strip() not in known and name not in unknown:
            unknown.append(name)
    problems = []
    if unknown:
        names = ", ".join("{" + name + "}" for name in unknown)
        problems.append(f"Unknown placeholder{'s' if len(unknown) > 1 else ''}: {names}. "
                        "Use only the placeholders listed on this page")
    for where in stray:
        problems.append(f"A brace is not closed or not opened {where}. Write {{{{ or }}}} to print a brace")
    return problems


def _where(text: str, at: int, token: str) -> str:
    line = text.count("\n", 0, at) + 1
    start = max(text.rfind("\n", 0, at) + 1, at - 20)
    snippet = text[start:at + 20].split("\n")[0].strip()
    return f"('{token}' on line {line}, near \"{snippet}\")"


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with each placeholder replaced by its value (a checked text: unknown names are
    left as they are rather than failing, so an older version still prints)."""
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1)
        if name is None:
            return token
        return values.get(name.strip(), token)

    return _TOKEN.sub(replace, text)

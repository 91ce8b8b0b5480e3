"""The one list of intake kinds: every kind of file the register takes in, what its columns
are, what its rows do, and who may send it. The command line, the upload page, the forms and
the API all read this list, so a new kind is one module that registers itself (see
docs/how-to/add-an-intake-kind.md).

Intake registers the notification kinds (`intake.notification_kinds`); casework registers
`contacts` and linkage registers `agency`, each from its app's `ready()`."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

from notinschool.accounts.actor import Actor
from notinschool.accounts.models import Agency
from notinschool.accounts.roles import Cap, Role
from notinschool.core.errors import InputProblem
from notinschool.intake.columns import Column

if TYPE_CHECKING:  # types only: these modules read the registry themselves
    from notinschool.intake.parsing import ParsedFile, ParsedRow
    from notinschool.intake.workspace import Workspace

SLUG_MAX_LENGTH = 40  # ImportBatch.kind and Notification.kind hold the slug


@dataclass(frozen=True)
class IntakeKind:
    """One kind of intake file.

    - `slug`: its name in the data contract and on the command line (`import SLUG FILE`).
    - `label`: what a person calls such a file ("School roll deletions").
    - `columns`: its columns, by name (intake/columns.py has the parsers).
    - `apply`: what its rows do to the register, given an import's workspace; returns the rows'
      problems. Or `load`, for a kind with its own store (agency records): it takes the
      checked file and writes it, and returns the import's result.
    - `seen_hashes`: which of these row hashes were imported before (a re-import changes
      nothing); by default the notifications of this kind.
    - `parse`: a reader of its own for large files (agency files are checked column-wise).
    - `schools`, `partners`: whether a school, or another agency than the authority, may send
      it (the authority's own officers may send every kind).
    - `form`: the address and heading of the page where an officer types one in, if any.
    """

    slug: str
    label: str
    columns: Mapping[str, Column]
    apply: "Callable[[Workspace, list[ParsedRow]], list[InputProblem]] | None" = None
    load: Callable[..., Any] | None = None
    seen_hashes: Callable[[str, set[str]], set[str]] | None = None
    parse: "Callable[[Path, str], ParsedFile] | None" = None
    schools: bool = False
    partners: bool = False
    form: tuple[str, str] | None = None  # (URL slug, page heading)
    options: dict[str, Any] = field(default_factory=dict)


_KINDS: dict[str, IntakeKind] = {}


def intake_kind_register(kind: IntakeKind) -> IntakeKind:
    """Add a kind to the list (once; from its app's `ready()`)."""
    if len(kind.slug) > SLUG_MAX_LENGTH:
        raise ImproperlyConfigured(f"intake kind {kind.slug!r} is longer than {SLUG_MAX_LENGTH} "
                                   "characters, which the register's kind fields hold")
    if (kind.apply is None) == (kind.load is None):
        raise ImproperlyConfigured(f"intake kind {kind.slug!r} needs exactly one of apply, load")
    if kind.slug in _KINDS and _KINDS[kind.slug] != kind:
        raise ImproperlyConfigured(f"intake kind {kind.slug!r} is registered twice")
    _KINDS[kind.slug] = kind
    return kind


def intake_kind(slug: str) -> IntakeKind:
    """The kind called `slug`; KeyError for a name not in the list."""
    return _KINDS[slug]


def intake_kinds() -> tuple[IntakeKind, ...]:
    """Every kind, in the order they were registered."""
    return tuple(_KINDS.values())


def intake_kind_slugs() -> tuple[str, ...]:
    return tuple(_KINDS)


_AUTHORITY = (Agency.Kind.EDUCATION, Agency.Kind.AUTHORITY)


def import_kinds_for(*, actor: Actor, agency: Agency | None) -> tuple[str, ...]:
    """The kinds `actor`, sending for `agency`, may import (docs/product.md, "Who uses it"): a
    school's safeguarding lead, or a school's key, the kinds schools send; the authority's
    officers every kind; another agency's key the kinds partners send."""
    if not actor.can(Cap.IMPORT_FILES):
        return ()
    if actor.role == Role.SCHOOL_LEAD or (agency and agency.kind == Agency.Kind.SCHOOL):
        return tuple(k.slug for k in _KINDS.values() if k.schools)
    if agency is None or agency.kind in _AUTHORITY:
        return intake_kind_slugs()
    return tuple(k.slug for k in _KINDS.values() if k.partners)

"""The access matrix: who gets what from every URL the project serves.

`access_matrix.csv` (beside this file) has one row per URL pattern and object, and one column per
caller: nobody signed in, each of the eight roles signed in (two factors passed), and two API keys
(a school's, and the council's education team's). Each cell is the HTTP status a GET answers
(200, 302 to sign in, 403 for a role without the capability, 404 for a record outside the
caller's scope or one that does not exist, 401 from the API without a key, 405 for a URL that
takes only POST). The objects:

- `none`: the pattern has no parameters;
- `in` / `out`: the pattern names a child; `in` is a child inside the social worker's scope
  (allocated to them) and the health practitioner's (home educated, in their team's postcode
  district); `out` is a child outside both (officers and managers see every child);
- `school`: the pattern names an import (`batch_id`): one the school sent (its key and its
  safeguarding lead may read it);
- `record`: the pattern names a person (`user_id`: the officer), a break-glass use waiting for
  review (`grant_id`: the social worker's, of the `out` child) or an unusual access flag
  (`flag_id`: the officer's);
- `missing`: any other parameter, filled with an id that names nothing.

The tests walk Django's URL resolver (pages and the API, whose routes are in it) and the API's
OpenAPI document, so a URL added tomorrow without a row fails here, with the row to add. Answers
to a POST that is allowed are each app's own tests' business; here every URL is asked with GET,
and then with POST wherever the GET was refused: the POST must be refused too, and write nothing.

Besides the table, rules that hold whatever it says: no page fails (500); nobody signed out
gets a 200 but from the public pages; an API key opens no page; a role with no children (school
lead, analyst, DPO, administrator) gets no child's page; a social worker or health practitioner
gets no 200 for the `out` child except the break-glass form (the social worker's).

To write the table from what the service answers now (then read the diff before committing):
`NIS_MATRIX_WRITE=1 pytest notinschool/governance/tests/test_access_matrix.py -k write`.
"""

import csv
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, UUIDConverter
from django.urls.exceptions import NoReverseMatch, Resolver404
from django.utils import timezone

from notinschool.accounts.models import Agency
from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import AgencyFactory, UserFactory
from notinschool.api.services import api_key_create
from notinschool.audit.models import BreakGlassGrant
from notinschool.casework.models import SocialWorkerAllocation
from notinschool.governance.models import AccessFlag
from notinschool.intake.tests.factories import ImportBatchFactory
from notinschool.people.tests.factories import ChildFactory
from notinschool.web.tests.test_url_access import PUBLIC

pytestmark = pytest.mark.django_db

MATRIX = Path(__file__).with_name("access_matrix.csv")
ROLES = [r.value for r in Role]
CALLERS = ["anonymous", *ROLES, "key_school", "key_council"]
HEADER = ["route", "object", *CALLERS]
MISSING_UUID = uuid.UUID("00000000-0000-4000-8000-00000000dead")
MISSING_INT = 999999
_CANDIDATES = ("x", "1", "1-x")
# The break-glass form is for a child outside the social worker's scope: that is its point.
OUT_OF_SCOPE_ALLOWED = {("social_worker", "break_glass_open")}
# Parameters filled with a real record (the `record` object), by the World's attribute.
RECORDS = {"user_id": "person", "grant_id": "grant", "flag_id": "flag"}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    converters: dict[str, Any]
    regex: str


def routes(entries: list[Any] | None = None, namespace: str = "", prefix: str = "") -> Iterator[Route]:
    for entry in entries if entries is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routes(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield Route(f"{namespace}{entry.name or ''}", prefix + str(entry.pattern),
                        dict(getattr(entry.pattern, "converters", {}) or {}),
                        str(entry.pattern.regex.pattern))


def all_routes() -> dict[str, Route]:
    found: dict[str, Route] = {}
    for route in routes():
        found.setdefault(route.name, route)  # the first pattern of a name is the one reverse() makes
    return found


def parameters(route: Route) -> list[str]:
    return list(route.converters) or list(re.compile(route.regex).groupindex)


def objects_for(route: Route) -> list[str]:
    names = parameters(route)
    if not names:
        return ["none"]
    if "child_id" in names:
        return ["in", "out"]
    if "batch_id" in names:
        return ["school"]
    if set(names) & set(RECORDS):
        return ["record"]
    return ["missing"]


@dataclass
class World:
    """The records and callers every cell is asked about."""

    child_in: Any
    child_out: Any
    batch: Any
    person: Any
    grant: Any
    flag: Any
    clients: dict[str, Client]


def world() -> World:
    nursing = AgencyFactory.create(name="School nursing north", kind=Agency.Kind.HEALTH,
                                   postcode_districts="LS6")
    school = AgencyFactory.create(name="Mill Road Primary", kind=Agency.Kind.SCHOOL, school_urn="123456")
    council = AgencyFactory.create(name="Demo Borough education", kind=Agency.Kind.EDUCATION)
    # a page that fails answers 500 in the table (and breaks a rule below), not the whole run
    clients: dict[str, Client] = {"anonymous": Client(raise_request_exception=False)}
    users = {}
    for role in Role:
        extra: dict[str, Any] = {}
        if role == Role.HEALTH_PRACTITIONER:
            extra["agency"] = nursing
        if role == Role.SCHOOL_LEAD:
            extra["agency"] = school
        users[role.value] = UserFactory.create(username=f"matrix_{role.value}", role=role, **extra)
        client = Client(raise_request_exception=False)
        client.force_login(users[role.value])
        clients[role.value] = client
    for name, agency in (("key_school", school), ("key_council", council)):
        _key, token = api_key_create(actor=COMMAND_LINE, agency=agency, name=f"matrix {name}")
        clients[name] = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")
    child_in = ChildFactory.create(postcode="LS6 1AB")
    SocialWorkerAllocation.objects.create(child=child_in, worker=users["social_worker"])
    child_out = ChildFactory.create(postcode="WV1 1AA")
    batch = ImportBatchFactory.create(kind="roll_deletions", agency=school, file_name="deletions.csv")
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        user=users["social_worker"], child_id=child_out.pk, child_ref=child_out.child_ref,
        reason="A strategy meeting about the family", granted_at=now, expires_at=now)
    flag = AccessFlag.objects.create(user=users["ehe_officer"], day=now.date(), kind="out_of_hours",
                                     count=9, threshold=5, computed_at=now)
    return World(child_in=child_in, child_out=child_out, batch=batch, person=users["ehe_officer"],
                 grant=grant, flag=flag, clients=clients)


def url_for(route: Route, obj: str, w: World) -> str:
    kwargs: dict[str, Any] = {}
    for name in parameters(route):
        converter = route.converters.get(name)
        if name == "child_id":
            kwargs[name] = (w.child_in if obj == "in" else w.child_out).pk
        elif name == "batch_id":
            kwargs[name] = w.batch.pk
        elif name in RECORDS:
            kwargs[name] = getattr(w, RECORDS[name]).pk
        elif isinstance(converter, UUIDConverter):
            kwargs[name] = MISSING_UUID
        elif isinstance(converter, IntConverter):
            kwargs[name] = MISSING_INT
        else:
            kwargs[name] = None
    for candidate in _CANDIDATES:
        try:
            return reverse(route.name, kwargs={k: candidate if v is None else v for k, v in kwargs.items()}
                           or None)
        except NoReverseMatch:
            continue
    raise AssertionError(f"cannot make a URL for {route.name} ({route.pattern})")


def answer(client: Client, url: str) -> str:
    return str(client.get(url).status_code)


def read_matrix() -> dict[tuple[str, str], dict[str, str]]:
    with MATRIX.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and list(rows[0]) == HEADER, f"{MATRIX.name}'s header must be {','.join(HEADER)}"
    return {(r["route"], r["object"]): r for r in rows}


def wanted_rows() -> list[tuple[Route, str]]:
    return [(route, obj) for route in sorted(all_routes().values(), key=lambda r: r.name)
            for obj in objects_for(route)]


def test_every_url_pattern_has_its_rows_and_every_row_a_pattern() -> None:
    matrix = read_matrix()
    wanted = {(route.name, obj): route for route, obj in wanted_rows()}
    missing = [f"{name},{obj}  (pattern /{wanted[(name, obj)].pattern})"
               for name, obj in wanted if (name, obj) not in matrix]
    assert not missing, (
        f"{len(missing)} URL pattern(s) have no row in {MATRIX.relative_to(Path.cwd())}; add a row "
        "for each (route,object, then the answer for each of " + ",".join(CALLERS) + "):\n  "
        + "\n  ".join(missing)
        + "\nNIS_MATRIX_WRITE=1 pytest " + str(Path(__file__).relative_to(Path.cwd()))
        + " -k write writes them from what the service answers now: check them before committing.")
    stale = sorted(f"{name},{obj}" for name, obj in matrix if (name, obj) not in wanted)
    assert not stale, f"rows in {MATRIX.name} for URL patterns the project no longer has: {stale}"


def test_every_api_operation_in_the_openapi_document_is_a_route_in_the_matrix() -> None:
    document = Client().get(reverse("api-v1:openapi-json")).json()
    matrix_routes = {name for name, _obj in read_matrix()}
    unlisted = []
    for path, operations in document["paths"].items():
        concrete = re.sub(r"\{[^}]+\}", str(MISSING_UUID), path)
        try:
            match = resolve(concrete)
        except Resolver404:
            unlisted.append(f"{path} (does not resolve)")
            continue
        name = f"{':'.join(match.namespaces)}:{match.url_name}" if match.namespaces else match.url_name
        for method in operations:
            if name not in matrix_routes or name == "api-v1:not_found":
                unlisted.append(f"{method.upper()} {path} -> {name}")
    assert not unlisted, f"API operations without a row in {MATRIX.name}: {unlisted}"


@pytest.mark.parametrize("caller", CALLERS)
def test_each_caller_gets_the_answers_the_matrix_says(caller: str) -> None:
    matrix, w = read_matrix(), world()
    client = w.clients[caller]
    wrong = []
    for route, obj in wanted_rows():
        row = matrix.get((route.name, obj))
        if row is None:
            continue  # reported by the test above, with the row to add
        url = url_for(route, obj, w)
        got = answer(client, url)
        if got != row[caller]:
            wrong.append(f"{route.name} [{obj}] {url}: expected {row[caller]}, got {got}")
    assert not wrong, f"{caller}: {len(wrong)} unexpected answers:\n  " + "\n  ".join(wrong)


def test_the_matrix_keeps_the_rules_that_hold_whatever_it_says() -> None:
    broken = []
    for (name, obj), row in read_matrix().items():
        broken += [f"{name} [{obj}]: fails (500) for {caller}" for caller in CALLERS if row[caller] == "500"]
        if row["anonymous"] == "200" and name not in PUBLIC:
            broken.append(f"{name} [{obj}]: 200 for nobody signed in")
        if not name.startswith("api-v1:") and name not in PUBLIC:
            broken += [f"{name} [{obj}]: 200 for {key}" for key in ("key_school", "key_council")
                       if row[key] == "200"]
        if obj in ("in", "out"):
            for role in ("school_lead", "analyst", "dpo", "admin"):
                if row[role] == "200":
                    broken.append(f"{name} [{obj}]: a child's page for the {role}")
        if obj == "out":
            for role in ("social_worker", "health_practitioner"):
                if row[role] == "200" and (role, name) not in OUT_OF_SCOPE_ALLOWED:
                    broken.append(f"{name} [out]: a child outside their scope for the {role}")
    assert not broken, "\n".join(broken)


@pytest.mark.skipif(not os.environ.get("NIS_MATRIX_WRITE"), reason="writes access_matrix.csv on request")
def test_write_the_matrix_from_the_answers_now() -> None:
    w = world()
    rows = []
    for route, obj in wanted_rows():
        url = {caller: url_for(route, obj, w) for caller in CALLERS}
        rows.append([route.name, obj, *(answer(w.clients[c], url[c]) for c in CALLERS)])
    with MATRIX.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    print(f"{len(rows)} rows, {len(rows) * len(CALLERS)} cells")


# What a write leaves in the audit log: none of these may follow a POST the caller was refused.
WRITES = {"create", "update", "delete", "import", "decide", "send", "allocate", "revoke", "redact",
          "retention", "legal_hold", "break_glass", "subject_access"}
REFUSED = {"401", "403", "404"}


def refused_post(client: Client, url: str) -> str:
    """'' when a POST is refused as it should be, else what it answered."""
    response = client.post(url, {})
    status = str(response.status_code)
    if status in REFUSED | {"405"}:
        return ""
    if status == "302" and response["Location"].startswith(reverse("account_login")):
        return ""
    return f"{status} {response.get('Location', '')}".strip()


@pytest.mark.parametrize("caller", CALLERS)
def test_a_post_is_refused_wherever_the_get_is_and_writes_nothing(caller: str) -> None:
    """The table asks GET; a form's POST goes through the same door. Wherever the caller is
    refused the page (401, 403, 404; and signed out, anything but a public page), a POST to it is
    refused too, and nothing is written: no create, change, send or decision in the audit log."""
    from notinschool.audit.models import AuditEvent

    matrix, w = read_matrix(), world()
    client = w.clients[caller]
    wrong = []
    for route, obj in wanted_rows():
        row = matrix.get((route.name, obj))
        if row is None or route.name in PUBLIC:
            continue
        if not (row[caller] in REFUSED or (caller == "anonymous" and row[caller] in {"302", "405"})):
            continue
        url = url_for(route, obj, w)
        before = AuditEvent.objects.filter(action__in=WRITES).count()
        got = refused_post(client, url)
        written = AuditEvent.objects.filter(action__in=WRITES).count() - before
        if got or written:
            wrong.append(f"{route.name} [{obj}] {url}: GET {row[caller]}, POST {got or 'refused'}"
                         f"{f', {written} write(s) audited' if written else ''}")
    assert not wrong, f"{caller}: {len(wrong)} POSTs not refused:\n  " + "\n  ".join(wrong)

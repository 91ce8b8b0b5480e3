"""The HTTP API, version 1: sending intake and agency files, and reading what became of them.

Handlers are thin: a key is recognised (`services.api_key_authenticate`), the file goes through
the same service as the command line and the upload page (`workflow.doors.upload_import`), and
every call, refused or not, is audited. Errors are RFC 9457 problem details (`problems.py`).
OpenAPI 3.1 at /api/v1/openapi.json, its Swagger UI at /api/v1/docs (no inline script)."""

import logging
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from functools import wraps
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from ninja import Field, File, NinjaAPI, Query, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.files import UploadedFile
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from notinschool.accounts.roles import Cap
from notinschool.accounts.system import SystemActor
from notinschool.api.models import ApiKey
from notinschool.api.problems import CONTENT_TYPE, problem
from notinschool.api.services import ApiActor, api_key_authenticate, api_source_check, token_prefix
from notinschool.audit.services import audit_record
from notinschool.core.errors import DomainError, InvalidInput, NotPermitted
from notinschool.intake.kinds import intake_kind_slugs
from notinschool.intake.models import ImportBatch, Notification, QueuedImport
from notinschool.intake.selectors import import_batch_get, import_batch_list
from notinschool.intake.services import ImportResult
from notinschool.web.access import public
from notinschool.workflow.doors import SnapshotRefused, upload_import, upload_limit_bytes
from notinschool.workflow.imports import ImportsBusy
from notinschool.workflow.queue import queued_import_get, queued_position

logger = logging.getLogger(__name__)
DEFAULT_RATE = "120/m"

ImportKindName = StrEnum("ImportKindName", {k.replace("-", "_"): k for k in intake_kind_slugs()})  # type: ignore[misc]


class KeyAuth(HttpBearer):
    """`Authorization: Bearer nis_<prefix>_<secret>`; no cookies, so no CSRF token."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        return api_key_authenticate(token)


class KeyRateThrottle(AuthRateThrottle):
    """At most NOTINSCHOOL_API_RATE calls per key (default 120 a minute; read on each call)."""

    def __init__(self) -> None:
        super().__init__(DEFAULT_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, "NOTINSCHOOL_API_RATE", DEFAULT_RATE)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class RegisterAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Declare error responses as application/problem+json, which is what they are (ninja
        writes application/json for every response)."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status).startswith(("4", "5")) and "application/json" in content:
                        response["content"] = {CONTENT_TYPE: content["application/json"]}
        return schema


api = RegisterAPI(
    title="Children not in school register API",
    version="1",
    description=("Send the data contract's files (school roll deletions and admissions, parent "
                 "registrations, referrals, contacts, agency records) and read what each import "
                 "did. Authenticate with `Authorization: Bearer <API key>`; errors are RFC 9457 "
                 "problem details. See docs/api.md."),
    urls_namespace="api-v1",
    auth=KeyAuth(),
    throttle=[KeyRateThrottle()],
)


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str


class FileProblem(Schema):
    file: str
    row: int
    column: str
    message: str


class SnapshotCounts(Schema):
    source: str
    current_facts: int
    would_end: int
    max_end_share: float
    empty: bool
    can_confirm: bool


class InvalidFileProblem(Problem):
    errors: list[FileProblem]
    errors_total: int
    snapshot: SnapshotCounts | None = None


class ImportSummary(Schema):
    batch_id: UUID
    kind: str
    file_name: str
    channel: str
    source: str
    received_at: datetime
    rows_read: int
    rows_new: int
    rows_already_imported: int
    rows_rejected: int
    children_touched: int | None = None
    warnings: list[str] = []


class QueuedFile(Schema):
    """A file that waits for another import (one import at a time): `queued` with its place
    (1 = next), then `done` with the import, or `refused` with why and the file's problems."""

    queued_id: UUID
    state: str
    position: int
    kind: str
    file_name: str
    received_at: datetime
    status_url: str
    message: str = ""
    errors: list[dict[str, Any]] = []
    import_: ImportSummary | None = Field(None, alias="import")

    model_config = {"populate_by_name": True}


class Caller(SystemActor):
    """Who made a call that no live key vouches for, as the audit names them; may do nothing."""

    role = ""
    is_authenticated = False
    is_active = False

    def __init__(self, prefix: str):
        super().__init__("API caller")
        self.prefix = prefix

    def can(self, capability: Cap) -> bool:
        return False

    def get_username(self) -> str:
        return f"API caller, no valid key (prefix {self.prefix or 'none'})"


def _presented_prefix(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    return token_prefix(header.split(" ", 1)[1].strip()) if " " in header else ""


def audited(operation: str, *, max_bytes: Callable[[], int] | None = None) -> Callable[..., Any]:
    """Audit every call with its outcome; refuse an oversized body before it is read."""

    def decorator(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(run)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
            if max_bytes is not None and length > max_bytes() + 64 * 1024:
                response = problem(413, f"Send files of at most {max_bytes() // 2**20} MB.")
            else:
                response = run(request, *args, **kwargs)
            key = getattr(request, "auth", None)
            actor = ApiActor(key) if isinstance(key, ApiKey) else Caller(_presented_prefix(request))
            audit_record(actor=actor, action="api_call", object_type=f"api:{operation}",
                         object_ids=[i for i in [getattr(request, "nis_batch_id", None)] if i],
                         detail={"method": request.method, "path": request.path,
                                 "status": response.status_code,
                                 "key": key.prefix if isinstance(key, ApiKey) else None})
            return response

        return wrapper

    return decorator


def _summary(batch: ImportBatch, result: ImportResult | None = None) -> ImportSummary:
    touched: int | None
    if result is not None:
        already, touched, warnings = result.rows_already_imported, len(result.children), result.warnings
    else:
        already = max(0, batch.rows_total - batch.rows_new - batch.rows_rejected)
        touched = (None if batch.kind == "agency" else
                   Notification.objects.filter(batch=batch).values("child_id").distinct().count())
        warnings = []
    return ImportSummary(
        batch_id=batch.pk, kind=batch.kind, file_name=batch.file_name, channel=batch.channel,
        source=batch.source, received_at=batch.created_at, rows_read=batch.rows_total,
        rows_new=batch.rows_new, rows_already_imported=already, rows_rejected=batch.rows_rejected,
        children_touched=touched, warnings=warnings)


def _actor(request: HttpRequest) -> ApiActor:
    key = request.auth  # type: ignore[attr-defined]
    assert isinstance(key, ApiKey)
    return ApiActor(key)


@api.get("/imports", response={200: list[ImportSummary], 401: Problem}, url_name="import_list",
         summary="List your imports")
@decorate_view(audited("import_list"))
def import_list(request: HttpRequest) -> Any:
    """The latest 100 imports sent by your agency, newest first."""
    return [_summary(b) for b in import_batch_list(actor=_actor(request))]


@api.get("/imports/{uuid:batch_id}", response={200: ImportSummary, 401: Problem, 404: Problem,
                                               405: Problem},
         url_name="import_detail", summary="What became of one import")
@decorate_view(audited("import_detail"))
def import_detail(request: HttpRequest, batch_id: UUID) -> Any:
    """One import sent by your agency (through any door: API, upload page or form). An id that
    is not a UUID names the path for sending a file, which takes POST only: 405."""
    try:
        batch = import_batch_get(actor=_actor(request), batch_id=batch_id)
    except NotPermitted:
        raise Http404 from None
    request.nis_batch_id = batch.pk  # type: ignore[attr-defined]
    return _summary(batch)


@api.post("/imports/{kind}", response={201: ImportSummary, 202: QueuedFile, 400: Problem,
                                      401: Problem, 403: Problem, 409: Problem, 413: Problem,
                                      422: InvalidFileProblem, 503: Problem},
          url_name="import_create", summary="Send a file")
@decorate_view(audited("import_create", max_bytes=lambda: upload_limit_bytes()))
def import_create(request: HttpRequest, kind: ImportKindName, file: File[UploadedFile],
                  source: Query[str] = "", snapshot: Query[bool] = False,
                  allow_large_end: Query[bool] = False) -> Any:
    """Import one file of `kind` (CSV UTF-8, or XLSX), all or nothing, then link and assess
    the children it touched. For `agency` files give `source` (the agency: `social_care`,
    `health`, `police`, ...) and `snapshot=true` when the file is the agency's whole current
    picture. A snapshot that would end more than a share of the agency's current facts (20%
    by default) is refused with 422 unless `allow_large_end=true`; an empty snapshot always is.
    A school's key may send `roll-deletions` and `school-admissions` only."""
    actor = _actor(request)
    if (file.size or 0) > upload_limit_bytes():
        return problem(413, f"Send files of at most {upload_limit_bytes() // 2**20} MB.")
    if kind == "agency":
        source = api_source_check(actor.key, source)
    result = upload_import(actor=actor, agency=actor.agency, kind=str(kind.value), upload=file,
                           channel="api", source=source if kind == "agency" else "",
                           snapshot=snapshot and kind == "agency",
                           allow_large_end=allow_large_end)
    if isinstance(result, QueuedImport):
        return _queued_response(request, result, status=202)
    assert result.batch_id is not None
    batch = ImportBatch.objects.get(pk=result.batch_id)
    request.nis_batch_id = batch.pk  # type: ignore[attr-defined]
    return Status(201, _summary(batch, result))


@api.get("/imports/queued/{uuid:queued_id}", response={200: QueuedFile, 401: Problem, 404: Problem},
         url_name="import_queued", summary="What became of a queued file")
@decorate_view(audited("import_queued"))
def import_queued(request: HttpRequest, queued_id: UUID) -> Any:
    """A file your agency sent while another import held the register (answered 202 with
    this address in `Location`): `queued` with its place, then `done` with the import (as
    `GET /imports/{batch_id}` gives it), or `refused` with the problems; nothing is lost while
    it waits. Ask again after the seconds in `Retry-After`."""
    try:
        item = queued_import_get(actor=_actor(request), queued_id=queued_id)
    except NotPermitted:
        raise Http404 from None
    return _queued_response(request, item, status=200)


def _queued_response(request: HttpRequest, item: QueuedImport, *, status: int) -> HttpResponse:
    url = reverse("api-v1:import_queued", kwargs={"queued_id": item.pk})
    batch = item.batch if item.state == QueuedImport.State.DONE else None
    if batch is not None:
        request.nis_batch_id = batch.pk  # type: ignore[attr-defined]
    body = QueuedFile(
        queued_id=item.pk, state=item.state, position=queued_position(item), kind=item.kind,
        file_name=item.file_name, received_at=item.created_at, status_url=url,
        message=item.message, errors=item.problems,
        **{"import": _summary(batch) if batch is not None else None})
    response = api.create_response(request, body.model_dump(mode="json", by_alias=True),
                                   status=status)
    if item.state == QueuedImport.State.QUEUED:
        response["Location"], response["Retry-After"] = url, "10"
    return response


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(401, "Send a live API key as 'Authorization: Bearer <key>'.",
                   headers={"WWW-Authenticate": 'Bearer realm="notinschool"'})


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(exc.status_code, str(exc))


@api.exception_handler(NinjaValidationError)
def _bad_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    params = [{"name": ".".join(str(p) for p in e.get("loc", ())[1:]) or "request",
               "reason": str(e.get("msg", ""))} for e in exc.errors]
    names = ", ".join(p["name"] for p in params)
    return problem(400, f"Check these parts of the request: {names}.", params=params)


@api.exception_handler(InvalidInput)
def _invalid_file(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    return problem(422, f"{len(exc.problems)} problem(s) in the file; nothing was imported.",
                   errors=exc.problems)


@api.exception_handler(SnapshotRefused)
def _snapshot_refused(request: HttpRequest, exc: SnapshotRefused) -> HttpResponse:
    if exc.confirmable:
        detail = (f"As a snapshot this file would end {exc.ending} of the {exc.current} current "
                  f"{exc.source} facts; nothing was imported. If {exc.source} really ended them, "
                  f"send it again with allow_large_end=true.")
    else:
        detail = (f"The snapshot has no valid rows: it would end all {exc.current} current "
                  f"{exc.source} facts. An empty snapshot is never taken; nothing was imported.")
    counts = {"source": exc.source, "current_facts": exc.current, "would_end": exc.ending,
              "max_end_share": exc.limit, "empty": exc.empty, "can_confirm": exc.confirmable}
    return problem(422, detail, errors=exc.problems, extra={"snapshot": counts})


@api.exception_handler(MultiPartParserError)
def _not_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return problem(400, "The body cannot be read as multipart/form-data: send the file as "
                        "multipart/form-data, with a boundary, in a part named 'file'.")


@api.exception_handler(IntegrityError)
def _clash(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    logger.warning("An import clashed with another: %s", str(exc).splitlines()[0] if str(exc) else "")
    return problem(409, "Another import changed the same records at the same time; nothing from "
                        "this file was imported. Send it again.")


@api.exception_handler(NotPermitted)
def _forbidden(request: HttpRequest, exc: NotPermitted) -> HttpResponse:
    return problem(403, str(exc))


@api.exception_handler(ImportsBusy)
def _busy(request: HttpRequest, exc: ImportsBusy) -> HttpResponse:
    return problem(503, "Another file is being imported: one import at a time. Nothing from this "
                        "file was imported; send it again in a minute.", headers={"Retry-After": "60"})


@api.exception_handler(DomainError)
def _refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return problem(400, str(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(404, "There is no such import for your agency.")


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    if settings.DEBUG:
        raise exc
    logger.exception("API call failed", exc_info=exc)
    return problem(500, "The call failed. Try again later, or tell the register team.")


def _problem_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ninja answers a method a path does not take with a plain-text 405; say it as a problem,
    keeping the Allow header."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type", "") != CONTENT_TYPE:
            allowed = response.get("Allow", "")
            return problem(405, f"This path takes {allowed or 'other methods'} only.",
                           headers={"Allow": allowed} if allowed else None)
        return response

    return wrapper


@public
def _not_found_anywhere(request: HttpRequest, rest: str) -> HttpResponse:
    return problem(404, "There is no such path in this API: see /api/v1/docs.")


def api_urls() -> tuple[list[Any], str, str]:
    """`api.urls` with every answer a problem: a method a path does not take (405) and a path
    the API does not have (404), which Django would otherwise answer with a web page."""
    from django.urls import re_path

    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if pattern.callback is not None:
            pattern.callback = _problem_errors(pattern.callback)
    return [*patterns, re_path(r"^(?P<rest>.*)$", _not_found_anywhere, name="not_found")], app_name, namespace

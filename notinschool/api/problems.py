"""Errors as RFC 9457 problem details (`application/problem+json`): type, title, status,
detail, and for a rejected file `errors`, one entry per FILE:ROW:COLUMN problem (and, for a
refused snapshot, `snapshot`: the counts)."""

import json
from typing import Any

from django.http import HttpResponse

from notinschool.core.errors import InputProblem

CONTENT_TYPE = "application/problem+json"
MAX_ERRORS = 1000
TYPE_BASE = "urn:notinschool:problem:"

TITLES = {
    400: ("bad-request", "The request is not valid"),
    401: ("unauthorised", "A live API key is needed"),
    403: ("forbidden", "This key cannot do that"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("conflict", "Another import changed the same records: nothing was imported"),
    413: ("too-large", "The file is too large"),
    422: ("invalid-file", "The file has problems: nothing was imported"),
    429: ("too-many-requests", "Too many requests"),
    500: ("server-error", "Something went wrong on our side"),
    503: ("busy", "Another import is running: send the file again in a minute"),
}


def problem(status: int, detail: str, *, errors: list[InputProblem] | None = None,
            params: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None,
            extra: dict[str, Any] | None = None) -> HttpResponse:
    slug, title = TITLES.get(status, ("error", "Error"))
    body: dict[str, Any] = {"type": f"{TYPE_BASE}{slug}", "title": title, "status": status,
                            "detail": detail}
    if errors is not None:
        body["errors"] = [{"file": p.file, "row": p.row, "column": p.column, "message": p.message}
                          for p in errors[:MAX_ERRORS]]
        body["errors_total"] = len(errors)
    if params is not None:
        body["invalid_params"] = params
    body.update(extra or {})
    response = HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response

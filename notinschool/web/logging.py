"""Logs an operator can search: one JSON object a line, each carrying the id of the request it
belongs to, and an optional hook that sends errors somewhere a person will see them.

- `RequestIdMiddleware` (first in the middleware) takes the proxy's `X-Request-ID` when it is
  a plain token, else makes one, keeps it for the request's lines and returns it as
  `X-Request-ID`, so a complaint ("the page failed at 10:14") finds its lines.
- `RequestIdFilter` puts `request_id` on every record ("-" outside a request: the worker, the
  scheduler, a command).
- `JsonFormatter`: time, level, logger, message, request id, the exception's traceback, and
  any `extra={...}` fields. `LOG_FORMAT=json` (production's default) chooses it.
- `ErrorWebhookHandler`: with `NOTINSCHOOL_ERROR_WEBHOOK` set, every ERROR line is also
  POSTed as that JSON to the URL (a chat channel's incoming hook, an error tracker's intake),
  at most one a second so a storm of errors does not become a storm of posts. A hook that
  does not answer costs at most two seconds and never fails the request.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the settings import this module: it imports nothing of Django's at run time
    from django.http import HttpRequest, HttpResponse

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_TOKEN = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
# LogRecord's own attributes: anything else on a record came from `extra=` and is logged too.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        rid = given if _TOKEN.match(given) else uuid.uuid4().hex
        # kept until the response is closed (request_finished, below), so the line Django writes
        # for a 4xx or 5xx after the middleware has returned carries it too
        request_id.set(rid)
        response = self.get_response(request)
        response["X-Request-ID"] = rid
        return response


def _request_finished(**kwargs: object) -> None:
    request_id.set("-")


def request_finished_connect() -> None:
    """Called from the web app's ready(): the id ends with its response."""
    from django.core.signals import request_finished

    request_finished.connect(_request_finished, dispatch_uid="notinschool.web.logging")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class ErrorWebhookHandler(logging.Handler):
    """POSTs each ERROR record as JSON to `url`; nothing when `url` is empty."""

    def __init__(self, url: str = "", timeout: float = 2.0, min_interval: float = 1.0):
        super().__init__(level=logging.ERROR)
        if url and not url.startswith(("https://", "http://")):
            raise ValueError("NOTINSCHOOL_ERROR_WEBHOOK must be an http(s) URL")
        self.url, self.timeout, self.min_interval = url, timeout, min_interval
        self.setFormatter(JsonFormatter())
        self._last = 0.0
        self._lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        if not self.url:
            return
        with self._lock:
            now = time.monotonic()
            if now - self._last < self.min_interval:
                return
            self._last = now
        try:
            body = self.format(record).encode()
            post = urllib.request.Request(self.url, data=body, method="POST",  # noqa: S310
                                          headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(post, timeout=self.timeout):  # noqa: S310 (the operator's URL)
                pass
        except Exception:  # the hook must never take the request down with it
            self.handleError(record)


def logging_config(*, level: str, fmt: str, error_webhook: str) -> dict[str, Any]:
    """The LOGGING setting: every line to standard error (systemd's journal, the container's
    log), as JSON (`fmt="json"`) or text, each with the request id; ERRORs to the hook too."""
    text = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "notinschool.web.logging.RequestIdFilter"}},
        "formatters": {"json": {"()": "notinschool.web.logging.JsonFormatter"},
                       "text": {"format": text}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                        "formatter": "json" if fmt == "json" else "text"},
            "error_webhook": {"()": "notinschool.web.logging.ErrorWebhookHandler", "url": error_webhook,
                              "filters": ["request_id"]},
        },
        "root": {"handlers": ["console", "error_webhook"], "level": level},
        # PDF layout says each step it takes at INFO: only its warnings are news
        "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
    }

"""The mail tests: the pages' signed-in clients and the shell's autouse fixtures (a clean
cache, TOTP tolerance) come from the shell's conftest; `notify_server` is a stand-in for
GOV.UK Notify's API on this machine, which the real Notify client talks to."""

import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from notinschool.web.tests.conftest import (  # noqa: F401 (fixtures)
    clear_cache,
    client_for,
    make_user,
    totp_tolerance,
)

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"test_key-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


@dataclass
class NotifyServer:
    """What it was sent (path, headers, JSON body), and what it answers next."""

    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    status: int = 201
    ids: list[str] = field(default_factory=list)


def _handler(server: NotifyServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            server.requests.append({"path": self.path, "headers": dict(self.headers), "json": body})
            if server.status == 201:
                server.ids.append(str(uuid.uuid4()))
                reply: dict[str, Any] = {
                    "id": server.ids[-1], "reference": None, "uri": f"{server.url}/v2/notifications/x",
                    "template": {"id": body["template_id"], "version": 1, "uri": ""},
                    "content": {"subject": body["personalisation"]["subject"],
                                "body": body["personalisation"]["body"], "from_email": "register@notify"}}
            else:
                reply = {"status_code": server.status, "errors": [
                    {"error": "BadRequestError",
                     "message": "Can't send to this recipient using a team-only API key"}]}
            data = json.dumps(reply).encode()
            self.send_response(server.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def notify_server(settings: Any) -> Iterator[NotifyServer]:
    """A local HTTP server answering POST /v2/notifications/email as Notify does, with the
    settings pointing the Notify backend at it."""
    state = NotifyServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    settings.MAILERS = {"default": {"BACKEND": "notinschool.mail.notify.NotifyEmailBackend"}}
    settings.NOTINSCHOOL_NOTIFY_API_KEY = API_KEY
    settings.NOTINSCHOOL_NOTIFY_TEMPLATE_ID = TEMPLATE_ID
    settings.NOTINSCHOOL_NOTIFY_BASE_URL = state.url
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)

"""The production settings: every environment variable documented, nothing secret defaulted, a
clean `check --deploy`, the health checks, JSON logs with the request id, and one scheduler."""

import ast
import json
import logging
import os
import re
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.db import connection

from notinschool.web.logging import ErrorWebhookHandler, JsonFormatter, RequestIdFilter

ROOT = Path(__file__).resolve().parents[3]
NOTINSCHOOL = Path(sys.executable).parent / "notinschool"
ENV_READERS = {"get", "require", "flag", "integer"}


def _names_read() -> set[str]:
    """Every variable name the settings modules, the WSGI entry and the command line read."""
    names = set()
    files = [*sorted((ROOT / "config").rglob("*.py")), ROOT / "notinschool" / "cli.py"]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                continue
            owner = node.func.value
            if (isinstance(owner, ast.Name) and owner.id == "env" and node.func.attr in ENV_READERS) or \
                    (isinstance(owner, ast.Attribute) and owner.attr == "environ"):
                names.add(node.args[0].value)
    return names


def _names_documented() -> set[str]:
    text = (ROOT / "docs" / "operations.md").read_text()
    section = text.split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z0-9_]+)` \|", section, flags=re.MULTILINE))  # S437: digits too


def test_every_environment_variable_is_in_the_operations_table_and_nothing_else_is():
    read, documented = _names_read(), _names_documented()
    assert len(read) > 40
    assert sorted(read - documented) == [], "read by the settings but not in docs/operations.md"
    assert sorted(documented - read) == [], "in docs/operations.md but read by no setting"


def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "NOTINSCHOOL_", "DATABASE_URL"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "production-check-secret-made-up-for-this-test-only",
        "DJANGO_ALLOWED_HOSTS": "register.example.gov.uk",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:5432/never_connected",
        "NOTINSCHOOL_STATIC_ROOT": "/tmp/notinschool-static",
        "NOTINSCHOOL_BASE_URL": "https://register.example.gov.uk",
        "NOTINSCHOOL_EMAIL_BACKEND": "smtp", "EMAIL_HOST": "smtp.example.gov.uk",
    })
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, text=True,
                          capture_output=True, timeout=120)


def test_check_deploy_is_clean_with_the_production_settings():
    result = _run("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)" in result.stdout or \
        "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL",
                                     "NOTINSCHOOL_STATIC_ROOT", "NOTINSCHOOL_BASE_URL", "EMAIL_HOST"])
def test_production_refuses_to_start_without_a_secret_a_host_or_the_database(missing):
    env = _production_env()
    del env[missing]
    result = _run("check", env=env)
    assert result.returncode != 0
    assert "MissingSetting" in result.stderr and missing in result.stderr


def test_production_refuses_the_outbox_and_a_cache_of_one_process():
    outbox = _run("check", env=_production_env(NOTINSCHOOL_EMAIL_BACKEND="outbox"))
    assert outbox.returncode != 0 and "must be notify or smtp" in outbox.stderr
    locmem = _run("check", env=_production_env(NOTINSCHOOL_CACHE="locmem"))
    assert locmem.returncode != 0 and "one process's memory" in locmem.stderr


def test_the_wsgi_entry_runs_production_settings_so_has_no_made_up_secret():
    env = {k: v for k, v in _production_env().items()
           if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY")}
    result = subprocess.run([sys.executable, "-c", "import config.wsgi"], cwd=ROOT, env=env, text=True,
                            capture_output=True, timeout=120)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY must be set" in result.stderr


def test_the_local_settings_keep_their_made_up_secret_to_this_machine():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.local",
                "DJANGO_ALLOWED_HOSTS": "register.example.gov.uk"})
    result = _run("check", env=env)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_healthz_and_readyz_answer_without_signing_in(client):
    assert client.get("/healthz").content == b"ok"
    ready = client.get("/readyz")
    body = ready.json()
    assert ready.status_code == 200, body
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "migrations", "worker", "scheduler"}
    assert ready["X-Request-ID"]


@pytest.mark.django_db
def test_readyz_is_not_ready_when_the_worker_and_scheduler_are_silent(client, settings):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    body = client.get("/readyz").json()
    assert body["status"] == "not ready"
    assert not body["checks"]["worker"]["ok"] and not body["checks"]["scheduler"]["ok"]
    now = timezone.now()
    DBTaskResult.objects.create(task_path="crontask.tasks.heartbeat", args_kwargs={"args": [], "kwargs": {}},
                                backend_name="default", run_after=now, status="SUCCESSFUL",
                                finished_at=now - __import__("datetime").timedelta(minutes=6))
    body = client.get("/readyz").json()
    assert body["checks"]["scheduler"]["ok"]  # queued just now
    assert not body["checks"]["worker"]["ok"]  # but the last finished 6 minutes ago
    assert "over 300 s" in body["checks"]["worker"]["detail"]
    DBTaskResult.objects.update(finished_at=now)
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json()["status"] == "ready"


def test_a_log_line_is_json_with_the_request_id_the_proxy_gave(client, caplog):
    from notinschool.web.logging import request_id

    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    keep = Keep()
    keep.setFormatter(JsonFormatter())
    keep.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(keep)
    try:
        response = client.get("/no-such-page", headers={"X-Request-ID": "abc123"})
    finally:
        logger.removeHandler(keep)
    assert response.status_code == 404 and response["X-Request-ID"] == "abc123"
    line = json.loads(lines[-1])
    assert line["request_id"] == "abc123" and line["level"] == "WARNING"
    assert line["message"] == "Not Found: /no-such-page"
    assert request_id.get() == "-"  # outside the request again
    other = client.get("/no-such-page", headers={"X-Request-ID": "not a token; drop table"})
    assert re.fullmatch(r"[0-9a-f]{32}", other["X-Request-ID"])


def test_the_error_hook_posts_each_error_as_json():
    received: list[dict[str, object]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    handler = ErrorWebhookHandler(f"http://127.0.0.1:{server.server_port}/hook", min_interval=0)
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("notinschool.test.hook")
    logger.addHandler(handler)
    try:
        logger.warning("only a warning")
        try:
            raise ValueError("the letter would not lay out")
        except ValueError:
            logger.exception("bulk letters failed")
    finally:
        logger.removeHandler(handler)
        server.shutdown()
    assert [r["message"] for r in received] == ["bulk letters failed"]
    assert "ValueError: the letter would not lay out" in str(received[0]["exception"])


SCHEDULER_WAIT = 60


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_a_second_scheduler_waits_while_the_first_runs_then_takes_over(tmp_path):
    """Two `notinschool scheduler` processes on PostgreSQL: one holds the lock and runs, the
    other says it waits; when the first is stopped, the second runs."""
    if connection.vendor != "postgresql":
        pytest.skip("the scheduler's lock is PostgreSQL's advisory lock")
    db = connection.settings_dict
    url = (f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
           f"{db['PORT'] or 5432}/{db['NAME']}")
    env = {**{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NOTINSCHOOL_AS_OF")},
           "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local", "PYTHONUNBUFFERED": "1"}

    def start() -> subprocess.Popen[str]:
        return subprocess.Popen([str(NOTINSCHOOL), "scheduler"], cwd=tmp_path, env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def read_until(process: subprocess.Popen[str], wanted: str) -> list[str]:
        seen: list[str] = []
        deadline = time.monotonic() + SCHEDULER_WAIT
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            seen.append(line.strip())
            if wanted in line:
                return seen
        raise AssertionError(f"no {wanted!r} in {seen}")

    first = start()
    second = None
    try:
        read_until(first, "Starting scheduler")
        second = start()
        read_until(second, "waiting: another scheduler is running")
        time.sleep(2)
        assert second.poll() is None
        first.terminate()
        first.wait(timeout=30)
        read_until(second, "Starting scheduler")
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)

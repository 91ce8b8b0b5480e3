"""Officers at work, for `python -m bench load` (bench/load.py starts locust with this file).

Each simulated officer signs in once through the real pages (username and password, then the
code from their authenticator app, computed from the TOTP secret), then, with a pause of 3 to
10 seconds between pages (LOAD_THINK), browses the register's list pages, searches it by name, opens a child
found on a list or a search, and looks at the work queue. Every request goes as the council's
TLS proxy would pass it on: `X-Forwarded-Proto: https` and the officer's own address in
`X-Forwarded-For` (each officer at a desk of their own).

Read from the environment (load.py sets them):
    LOAD_ACCOUNTS   a JSON file: [{"username", "password", "secret"}, ...], one per officer
    LOAD_NAMES      a JSON file: ["Surname", "Forename Surname", "Sur", ...] to search for
    LOAD_LOG        a file to append one line per request to: start (Unix s), kind, ms, error
A page counts as an error when its status is not 200, or when a page that needs a signed-in
officer does not show "Sign out" (sent back to the sign-in page, say)."""

import base64
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from http.cookiejar import DefaultCookiePolicy
from typing import Any
from urllib.parse import urlencode

from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8").read())  # noqa: SIM115
NAMES = json.loads(open(os.environ["LOAD_NAMES"], encoding="utf-8").read())  # noqa: SIM115
PAGES = int(os.environ.get("LOAD_PAGES", "40"))  # list pages an officer leafs through
_next_account = itertools.count()
_log = open(os.environ["LOAD_LOG"], "a", encoding="utf-8", buffering=1)  # noqa: SIM115
CHILD_LINK = re.compile(r'href="(/children/[0-9a-f-]{36}/)"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.request.add_listener
def _record(request_type: str, name: str, response_time: float, response_length: int,
            exception: Any, start_time: float | None = None, **kwargs: Any) -> None:
    started = start_time if start_time is not None else time.time() - response_time / 1000
    error = "" if exception is None else str(exception).replace("\t", " ").replace("\n", " ")[:200]
    _log.write(f"{started:.3f}\t{name}\t{response_time:.1f}\t{error}\n")


def _secure_over_loopback(self: DefaultCookiePolicy, cookie: Any, request: Any) -> bool:
    """Send the session's Secure cookies over the plain loopback connection, as the browser
    does to the TLS proxy in front of gunicorn. Set on the policy class itself: requests builds
    a fresh cookie jar (with a fresh policy) for every request it sends."""
    return True


DefaultCookiePolicy.return_ok_secure = _secure_over_loopback  # type: ignore[method-assign]


def totp(secret: str, at: float) -> str:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


_THINK = [float(x) for x in os.environ.get("LOAD_THINK", "3,10").split(",")]


class Officer(HttpUser):
    wait_time = between(_THINK[0], _THINK[1])  # reading the page before the next one

    def on_start(self) -> None:
        number = next(_next_account)
        self.account = ACCOUNTS[number % len(ACCOUNTS)]
        self.rng = random.Random(number)
        self.children: list[str] = []
        origin = "https://" + str(self.host).split("://", 1)[1].rstrip("/")
        self.client.headers.update({
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": f"10.20.{number // 250}.{number % 250 + 1}",
            "Origin": origin,
            "User-Agent": "notinschool-bench-load",
        })
        self.origin = origin
        self.sign_in()

    def _post(self, path: str, fields: dict[str, str], body: str, name: str) -> Any:
        token = TOKEN.search(body)
        data = {"csrfmiddlewaretoken": token.group(1) if token else "", **fields}
        return self.client.post(path, data=data, name=name, catch_response=True,
                                headers={"Referer": self.origin + path})

    def sign_in(self) -> None:
        with self.client.get("/accounts/login/", name="sign in", catch_response=True) as page:
            if page.status_code != 200:
                page.failure(f"sign-in page: {page.status_code}")
                return
        with self._post("/accounts/login/", {"login": self.account["username"],
                                             "password": self.account["password"]},
                        page.text, "sign in") as answer:
            path = answer.url.split("://", 1)[-1].split("/", 1)[-1]
            if answer.status_code != 200 or not path.startswith("accounts/2fa/authenticate"):
                answer.failure(f"password not taken: {answer.status_code} /{path}")
                return
        if 30 - time.time() % 30 < 2:  # not a code about to expire
            time.sleep(30 - time.time() % 30 + 0.5)
        with self._post("/" + path, {"code": totp(self.account["secret"], time.time())},
                        answer.text, "sign in") as done:
            if done.status_code != 200 or "Sign out" not in done.text:
                done.failure(f"code not taken: {done.status_code} {done.url}")

    def _page(self, path: str, name: str) -> str:
        with self.client.get(path, name=name, catch_response=True) as page:
            if page.status_code != 200:
                page.failure(f"HTTP {page.status_code}")
                return ""
            if "Sign out" not in page.text:
                page.failure(f"not signed in ({page.url})")
                return ""
            return page.text

    def _remember_children(self, body: str) -> None:
        found = CHILD_LINK.findall(body)
        if found:
            self.children = (found + self.children)[:200]

    @task(3)
    def register_list(self) -> None:
        page = 1 if self.rng.random() < 0.3 else self.rng.randint(2, PAGES)
        self._remember_children(self._page(f"/register/?page={page}", "register list"))

    @task(3)
    def search(self) -> None:
        name = self.rng.choice(NAMES)
        self._remember_children(self._page("/register/?" + urlencode({"name": name}),
                                           "register search"))

    @task(3)
    def child(self) -> None:
        if not self.children:
            self.register_list()
            return
        self._page(self.rng.choice(self.children), "child")

    @task(1)
    def work_queue(self) -> None:
        self._page("/work/", "work queue")

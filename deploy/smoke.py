"""A smoke test of an installed register, through its real pages, as a person would: signs in
(username, password, then the code from the authenticator app: TOTP from the secret), opens the
register, uploads a file of school roll deletions and reads the import's page. Standard library
only, so it runs with any python3 on the server.

    python3 deploy/smoke.py URL USERNAME PASSWORD TOTP_SECRET [--forwarded-proto https]

With `--forwarded-proto https` every request carries `X-Forwarded-Proto: https`, as the TLS proxy
in front of gunicorn adds it: the production settings then see HTTPS (no redirect; secure
cookies; the form token's origin check against https://HOST). Exit status 0 when every step
did what a person would expect, else 1 with the step that failed."""

import argparse
import base64
import hashlib
import hmac
import re
import struct
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookies import SimpleCookie

ROWS = """school_urn,school_name,school_type,upn,forename,middle_names,surname,sex,date_of_birth,\
address_line_1,address_line_2,town,postcode,parent1_name,parent1_phone,parent2_name,parent2_phone,\
deletion_ground,deletion_date,destination_school_urn,destination_school_name,future_address_line_1,\
future_postcode,sen_provision,ethnicity,la_arranged_special_placement,notes
990262,Hollins Cross School,mainstream,,Smoke,,Testchild,F,2014-03-02,1 Test Street,,Ashcombe,WV10 0SD,\
Pat Testparent,07700 900001,,,elective_home_education,2026-11-02,,,,,N,WBRI,,
990262,Hollins Cross School,mainstream,,Second,,Testchild,M,2015-05-06,2 Test Street,,Ashcombe,WV10 0SD,\
Sam Testparent,07700 900002,,,elective_home_education,2026-11-03,,,,,N,WBRI,,
"""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    """Cookies by hand (secure cookies travel over this plain loopback connection as they would
    behind the proxy), redirects followed by hand, Referer and Origin as a browser sends them."""

    def __init__(self, base: str, proto: str | None):
        self.base, self.proto = base.rstrip("/"), proto
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)
        parts = urllib.parse.urlsplit(self.base)
        self.origin = f"{proto or parts.scheme}://{parts.netloc}"

    def request(self, path: str, data: bytes | None = None, content_type: str = "",
                referer: str = "") -> tuple[int, str, str]:
        """Returns (status, final path, body), following redirects."""
        for _ in range(10):
            headers = {"User-Agent": "notinschool-smoke"}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if self.proto:
                headers["X-Forwarded-Proto"] = self.proto
            if data is not None:
                headers.update({"Content-Type": content_type, "Origin": self.origin,
                                "Referer": self.origin + (referer or path)})
            req = urllib.request.Request(self.base + path, data=data, headers=headers,  # noqa: S310
                                         method="POST" if data is not None else "GET")
            try:
                response = self.opener.open(req, timeout=60)
                status, body, head = response.status, response.read().decode(), response.headers
            except urllib.error.HTTPError as error:
                status, body, head = error.code, error.read().decode(errors="replace"), error.headers
            for line in head.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(line)
                for name, morsel in cookie.items():
                    self.cookies[name] = morsel.value
            if status in (301, 302, 303) and head.get("Location"):
                location = urllib.parse.urlsplit(head["Location"])
                if location.netloc and f"{location.scheme}://{location.netloc}" != self.origin:
                    raise SystemExit(f"redirected off the site to {head['Location']}")
                path = location.path + (f"?{location.query}" if location.query else "")
                data = None
                continue
            return status, path, body
        raise SystemExit("too many redirects")

    def form(self, path: str, fields: dict[str, str]) -> tuple[int, str, str]:
        status, path, body = self.request(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or token is None:
            raise SystemExit(f"{path}: no form ({status})")
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
        return self.request(path, data, "application/x-www-form-urlencoded")

    def upload(self, path: str, fields: dict[str, str], name: str, content: bytes) -> tuple[int, str, str]:
        status, path, body = self.request(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or token is None:
            raise SystemExit(f"{path}: no upload form ({status})")
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in {"csrfmiddlewaretoken": token.group(1), **fields}.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                     f"Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n")
        data = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(path, data, f"multipart/form-data; boundary={boundary}")


def totp(secret: str, at: float) -> str:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def step(what: str, ok: bool, detail: str = "") -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {what}" + (f": {detail}" if detail and not ok else ""), flush=True)
    if not ok:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("username")
    parser.add_argument("password")
    parser.add_argument("totp_secret")
    parser.add_argument("--forwarded-proto", default=None)
    args = parser.parse_args()
    browser = Browser(args.url, args.forwarded_proto)
    status, path, body = browser.request("/accounts/login/")
    step("the sign-in page", status == 200 and "csrfmiddlewaretoken" in body, f"{status} {path}")
    status, path, body = browser.form("/accounts/login/", {"login": args.username, "password": args.password})
    step("the password is taken and the code asked for", path.startswith("/accounts/2fa/authenticate"),
         f"{status} {path}")
    if 30 - time.time() % 30 < 3:  # not a code about to expire
        time.sleep(30 - time.time() % 30 + 0.5)
    status, path, body = browser.form(path, {"code": totp(args.totp_secret, time.time())})
    step("signed in with the code", status == 200 and "Sign out" in body, f"{status} {path}")
    status, path, body = browser.request("/register/")
    step("the register opens", status == 200 and path == "/register/" and "govuk-heading-l" in body
         and "Sign out" in body, f"{status} {path}")
    status, path, body = browser.upload("/imports/", {"kind": "roll-deletions", "source": ""},
                                        "roll-deletions.csv", ROWS.encode())
    errors = re.findall(r"govuk-error-message[^<]*<[^>]*>([^<]*)", body)
    step("a file of roll deletions is imported", status == 200 and path.startswith("/imports/")
         and path != "/imports/", f"{status} {path} {errors}")
    step("the import's page counts its 2 rows", re.search(r"\b2\b", body) is not None and "Smoke" not in path)
    print(f"smoke test passed: {args.url} ({path})")


if __name__ == "__main__":
    main()

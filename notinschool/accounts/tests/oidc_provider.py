"""A small OpenID Connect identity provider for the tests, served on loopback in a thread: the
discovery document, the authorization endpoint (authorization code flow, PKCE with S256), the
token endpoint (client secret by POST or HTTP Basic; an ID token signed RS256 with PyJWT), the
userinfo endpoint and the signing keys (JWKS). It signs in whoever `person` names (a real provider
would ask them for their password and second factor first).

Only what the register's sign-in uses, but each step checked the way a provider checks it: the
client and its registered redirect address, the code used once and only by the client it was
issued to, the PKCE verifier, the access token on userinfo."""

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass
class Person:
    sub: str
    email: str
    email_verified: bool = True
    name: str = "A council officer"


@dataclass
class Provider:
    client_id: str = "notinschool"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    redirect_uris: list[str] = field(default_factory=list)
    person: Person | None = None
    # test knobs: an ID token carrying a nonce other than the one asked for; one signed with a
    # key other than the published one (under the published key's id)
    wrong_nonce: bool = False
    wrong_key: bool = False
    port: int = 0
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(8)
        self._server: ThreadingHTTPServer | None = None

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Provider":
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def do_GET(self) -> None:
                provider._handle(self, "GET")

            def do_POST(self) -> None:
                provider._handle(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # the endpoints

    def _handle(self, http: BaseHTTPRequestHandler, method: str) -> None:
        url = urlsplit(http.path)
        self.requests.append(f"{method} {url.path}")
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        form: dict[str, str] = {}
        if method == "POST":
            length = int(http.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(http.rfile.read(length).decode()).items()}
        route = {
            ("GET", "/.well-known/openid-configuration"): self._discovery,
            ("GET", "/authorize"): self._authorize,
            ("POST", "/token"): self._token,
            ("GET", "/userinfo"): self._userinfo,
            ("GET", "/jwks"): self._jwks,
        }.get((method, url.path))
        if route is None:
            return self._send(http, 404, {"error": "not_found"})
        status, body, headers = route(http, query, form)
        self._send(http, status, body, headers)

    def _send(self, http: BaseHTTPRequestHandler, status: int, body: dict[str, Any] | None,
              headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        http.send_response(status)
        for name, value in (headers or {}).items():
            http.send_header(name, value)
        if body is not None:
            http.send_header("Content-Type", "application/json")
        http.send_header("Content-Length", str(len(data)))
        http.end_headers()
        http.wfile.write(data)

    Answer = tuple[int, dict[str, Any] | None, dict[str, str] | None]

    def _discovery(self, http: Any, query: dict[str, str], form: dict[str, str]) -> Answer:
        return 200, {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile", "email"],
        }, None

    def _jwks(self, http: Any, query: dict[str, str], form: dict[str, str]) -> Answer:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return 200, {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}]}, None

    def _authorize(self, http: Any, query: dict[str, str], form: dict[str, str]) -> Answer:
        if query.get("client_id") != self.client_id or query.get("redirect_uri") not in self.redirect_uris:
            return 400, {"error": "invalid_request", "error_description": "unknown client or redirect"}, None
        redirect = query["redirect_uri"]
        if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
            return 302, None, {"Location": f"{redirect}?{urlencode({'error': 'invalid_request',
                                                                    'state': query.get('state', '')})}"}
        if self.person is None:
            return 302, None, {"Location": f"{redirect}?{urlencode({'error': 'access_denied',
                                                                    'state': query.get('state', '')})}"}
        code = secrets.token_urlsafe(24)
        self.codes[code] = {"redirect_uri": redirect, "nonce": query.get("nonce"), "person": self.person,
                            "challenge": query.get("code_challenge"),
                            "challenge_method": query.get("code_challenge_method")}
        answer = urlencode({"code": code, "state": query.get("state", "")})
        return 302, None, {"Location": f"{redirect}?{answer}"}

    def _client(self, http: Any, form: dict[str, str]) -> str | None:
        auth = http.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if client_id == self.client_id and secrets.compare_digest(secret, self.client_secret):
            return client_id
        return None

    def _token(self, http: Any, query: dict[str, str], form: dict[str, str]) -> Answer:
        if self._client(http, form) is None:
            return 401, {"error": "invalid_client"}, None
        grant = self.codes.pop(form.get("code", ""), None)  # a code is used once
        if form.get("grant_type") != "authorization_code" or grant is None \
                or form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant"}, None
        if grant["challenge"]:
            verifier = form.get("code_verifier", "")
            hashed = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            digest = hashed.rstrip(b"=").decode()
            if grant["challenge_method"] != "S256" or digest != grant["challenge"]:
                return 400, {"error": "invalid_grant", "error_description": "PKCE"}, None
        person: Person = grant["person"]
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": person.sub, "aud": self.client_id, "iat": now, "exp": now + 300,
                  "email": person.email, "email_verified": person.email_verified, "name": person.name}
        nonce = secrets.token_urlsafe(16) if self.wrong_nonce else grant["nonce"]
        if nonce:
            claims["nonce"] = nonce
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if self.wrong_key else self.key
        id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = {"sub": person.sub, "email": person.email,
                                     "email_verified": person.email_verified, "name": person.name}
        return 200, {"access_token": access_token, "token_type": "Bearer", "expires_in": 300,
                     "id_token": id_token, "scope": "openid profile email"}, {"Cache-Control": "no-store"}

    def _userinfo(self, http: Any, query: dict[str, str], form: dict[str, str]) -> Answer:
        auth = http.headers.get("Authorization", "")
        info = self.tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        if info is None:
            return 401, {"error": "invalid_token"}, {"WWW-Authenticate": "Bearer"}
        return 200, info, None

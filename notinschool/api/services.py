"""API keys: making, revoking and recognising them, and the actor a key stands for.

A token reads `nis_<prefix>_<secret>`; the prefix (8 characters) names the key in lists and
audit events, the secret (32 random bytes) is never stored, only the SHA-256 of the whole token."""

import hashlib
import hmac
import secrets

from django.db import transaction

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.models import Agency
from notinschool.accounts.roles import Cap
from notinschool.accounts.system import SystemActor
from notinschool.api.models import ApiKey
from notinschool.audit.services import audit_record
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.intake.columns import CellError, source_name

TOKEN_START = "nis_"  # noqa: S105 (the tokens' marker, not a secret)


class ApiActor(SystemActor):
    """A sending system acting for one agency through its key: it may send files (which kinds
    depends on the agency, `intake.kinds.import_kinds_for`) and read its agency's imports."""

    role = "api"

    def __init__(self, key: ApiKey):
        super().__init__(f"API key {key.prefix} {key.name} ({key.agency.name})")
        self.key = key
        self.agency = key.agency
        self.agency_id: int | None = key.agency_id  # type: ignore[assignment]

    def can(self, capability: Cap) -> bool:
        return capability == Cap.IMPORT_FILES


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_key_create(*, actor: Actor, agency: Agency, name: str, sources: list[str] | None = None
                   ) -> tuple[ApiKey, str]:
    """Make a key for `agency`; returns the key and its token, which is shown only now. Keys
    are the administrator's (`MANAGE_USERS`): a key acts for its agency, like a user does."""
    if not actor.can(Cap.MANAGE_USERS):
        raise NotPermitted("your role cannot make API keys")
    name = name.strip()
    if not name:
        raise DomainError("give the key a name, such as the system that will use it")
    try:
        checked = [source_name(s) for s in sources or []]
    except CellError as error:
        raise DomainError(str(error)) from None
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        key = ApiKey.objects.create(
            agency=agency, name=name[:200], prefix=prefix, secret_sha256=_digest(token),
            sources=" ".join(checked), created_by=actor_user(actor))
        audit_record(actor=actor, action="create", object_type="api_key", object_ids=[key.pk],
                     detail={"prefix": prefix, "agency": agency.name, "sources": checked})
    return key, token


def api_key_revoke(*, actor: Actor, prefix: str) -> ApiKey:
    """Stop a key working at once; it stays listed, with when it was revoked."""
    if not actor.can(Cap.MANAGE_USERS):
        raise NotPermitted("your role cannot revoke API keys")
    key = ApiKey.objects.filter(prefix=prefix).first()
    if key is None:
        raise DomainError(f"no API key has the prefix {prefix!r}")
    if key.revoked_at is None:
        with transaction.atomic():
            key.revoked_at = clock.now()
            key.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action="revoke", object_type="api_key", object_ids=[key.pk],
                         detail={"prefix": prefix})
    return key


def api_key_authenticate(token: str) -> ApiKey | None:
    """The live key this token belongs to, or None (unknown, wrong secret or revoked)."""
    if not token.startswith(TOKEN_START):
        return None
    prefix = token[len(TOKEN_START):].split("_", 1)[0]
    key = ApiKey.objects.select_related("agency").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.secret_sha256, _digest(token)):
        return None
    if key.revoked_at is not None:
        return None
    key.last_used_at = clock.now()
    key.save(update_fields=["last_used_at"])
    return key


def api_source_check(key: ApiKey, source: str) -> str:
    """The agency-record source a key may send: the authority's own keys any, other agencies'
    keys only the sources named on the key (so a police key cannot send health records)."""
    try:
        checked = source_name(source)
    except CellError as error:
        raise DomainError(f"source: {error}" if source else "give the source of the agency file") from None
    if key.agency.kind not in (Agency.Kind.EDUCATION, Agency.Kind.AUTHORITY) \
            and checked not in key.source_list:
        raise NotPermitted(f"this key cannot send {checked} records")
    return checked


def token_prefix(token: str) -> str:
    """The prefix a presented token claims, for the audit of a refused call (never the secret)."""
    if not token.startswith(TOKEN_START):
        return ""
    return token[len(TOKEN_START):].split("_", 1)[0][:16]

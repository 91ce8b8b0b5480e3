"""Keys for the HTTP API: one per sending system, each acting for one agency.

The token is shown once when the key is made; only its SHA-256 is kept (the token is 32 random
bytes, so a slow password hash adds nothing). The prefix finds the key without the secret."""

from django.conf import settings
from django.db import models


class ApiKey(models.Model):
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="api_keys")
    name = models.CharField(max_length=200)
    prefix = models.CharField(max_length=16, unique=True)
    secret_sha256 = models.CharField(max_length=64)
    # Agency-record sources (`import agency --source NAME`) this key may send, space-separated.
    # Keys of the local authority (education, corporate) may send any source.
    sources = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.agency}, {self.prefix})"

    @property
    def source_list(self) -> list[str]:
        return self.sources.split()

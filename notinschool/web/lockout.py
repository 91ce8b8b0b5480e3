"""The page shown when an account is locked after repeated failed sign-ins (django-axes calls
`lockout_response`). It says what happened and when the account opens again. The same page is
shown whether or not the username exists: axes counts failures for any username tried, so an
unknown username is locked just the same, and the page confirms nothing about who has an account."""

from datetime import datetime
from typing import Any

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def unlock_at(username: str, request: HttpRequest) -> datetime | None:
    """When the account opens again: its latest counted failure plus the cool-off (attempts made
    while it is locked are not counted, so this does not move)."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    latest = AccessAttempt.objects.filter(username=username).aggregate(at=Max("attempt_time"))["at"]
    return timezone.localtime((latest or timezone.now()) + cool_off)


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict[str, Any] | None = None) -> HttpResponse:
    username = get_client_username(request, credentials) or ""
    at = unlock_at(username, request)
    when = None
    if at is not None:
        when = f"{at:%H:%M}" if at.date() == timezone.localdate() else f"{at:%H:%M} on {at.day} {at:%B %Y}"
    context = {"failure_limit": get_failure_limit(request, credentials), "unlock_at": when}
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context,
                  status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429))

"""No page is kept by a browser or a proxy: every response but static files carries
`Cache-Control: no-store` (and `Pragma: no-cache` for old proxies), so a child's record, the
register, the work queue or an API answer is not left in a shared computer's cache or history
after signing out. The sign-in pages are included: they carry a form token."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.static_prefix = settings.STATIC_URL or "/static/"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(self.static_prefix):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response

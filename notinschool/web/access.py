"""Who may open a page. Every view says so with one of these decorators, and a meta-test
(tests/test_url_access.py) proves that every URL refuses anonymous people and people without
the capability, except the explicit allow-list.

- `public`: anyone, signed in or not (health checks).
- `signed_in`: anyone signed in with two factors, whatever their role (their own account).
- `requires(cap)`: signed in, and the role has `cap`; otherwise 403.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from notinschool.accounts.models import User
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record

View = Callable[..., HttpResponse]


def public(view: View) -> View:
    view.access = "public"  # type: ignore[attr-defined]
    return view


def signed_in(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.access = "signed_in"  # type: ignore[attr-defined]
    return wrapper


def requires(capability: Cap) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.can(capability):
                refusal_record(request, reason=f"needs {capability.value}")
                raise PermissionDenied(f"your role cannot {capability.value.replace('_', ' ')}")
            return view(request, *args, **kwargs)

        wrapper.access = capability  # type: ignore[attr-defined]
        return wrapper

    return decorator


def refusal_record(request: HttpRequest, *, reason: str, object_ids: tuple[Any, ...] = ()) -> None:
    """Audit a signed-in person refused a page (a capability their role lacks, or a child outside
    their scope), so the DPO can see who tried to open what. A refused child is named among the
    event's objects, not as a child whose data was seen (nothing of theirs was shown)."""
    audit_record(actor=actor(request), action="refuse", object_type="page", object_ids=object_ids,
                 detail={"path": request.path, "method": request.method or "", "refused": reason})


def refused(request: HttpRequest, message: str, object_id: Any) -> Http404:
    """The 404 for a record the person may not open (another team's, or outside their scope),
    with the refusal audited: raise what this returns. The page says only that there is no
    such record for them."""
    refusal_record(request, reason=message, object_ids=(object_id,))
    return Http404(message)


def actor(request: HttpRequest) -> User:
    """The signed-in person making the request, in a view that `signed_in` or `requires` guards."""
    user = request.user
    assert isinstance(user, User), "the view is not guarded by signed_in or requires"
    return user


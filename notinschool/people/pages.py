"""Page helpers for every page about one child, whichever app it belongs to."""

from django.http import Http404, HttpRequest

from notinschool.core.errors import NotPermitted
from notinschool.people.models import Child
from notinschool.people.selectors import child_get
from notinschool.web.access import actor, refusal_record


def child_or_404(request: HttpRequest, child_id: object) -> Child:
    """The child the signed-in person may read (an audited view), or 404: a child outside
    their scope is not confirmed to exist."""
    try:
        return child_get(actor=actor(request), child_id=child_id)
    except NotPermitted:
        known = Child.objects.filter(pk=str(child_id)).values_list("pk", flat=True)[:1]
        refusal_record(request, reason="child outside scope", object_ids=tuple(known))
        raise Http404("No such child on your register") from None

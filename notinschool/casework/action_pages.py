"""Required actions that a domain's own pages work, not the generic "Mark as done" page: the
`cme_enquiries` action is answered by a missing education case (cme, above casework), which
marks it done with the case as evidence when the case closes. A note typed on the generic page
would close the action while no enquiry was made. A domain registers the code, the words for
its link, and where to go for a child's action; the work queue links there and the generic page
sends the officer there."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ActionPage:
    code: str
    link_text: str  # "Open the missing education case"
    url: Callable[[uuid.UUID, uuid.UUID], str]  # (child id, action id) -> the page


_PAGES: dict[str, ActionPage] = {}


def action_page_register(page: ActionPage) -> None:
    _PAGES[page.code] = page


def action_page(code: str) -> ActionPage | None:
    return _PAGES.get(code)

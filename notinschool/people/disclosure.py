"""What a role may see on a child's page beyond the record itself (docs/product.md, 'Who uses it').

These are need-to-know rules of presentation on top of the selectors' scoping: the selectors
decide which children an actor sees; these decide which parts of a visible record are shown.
"""

from typing import Any

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap, Role

# A family fleeing abuse: only the education team that keeps the register sees where they live.
ADDRESS_ROLES = frozenset({Role.EHE_OFFICER, Role.TEAM_MANAGER})

# Whose detail text each agency's facts need; a source not listed needs casework access.
DETAIL_CAPABILITY = {
    "social_care": Cap.VIEW_AGENCY_DETAIL_SOCIAL_CARE,
    "health": Cap.VIEW_AGENCY_DETAIL_HEALTH,
    "police": Cap.VIEW_AGENCY_DETAIL_POLICE,
    "domestic_abuse": Cap.VIEW_AGENCY_DETAIL_POLICE,
    "exploitation": Cap.VIEW_AGENCY_DETAIL_POLICE,
    "youth_justice": Cap.VIEW_AGENCY_DETAIL_POLICE,
}


def address_visible(actor: Actor, child: Any) -> bool:
    return not child.do_not_disclose_address or actor.role in ADDRESS_ROLES


def agency_detail_visible(actor: Actor, source: str) -> bool:
    return bool(actor.can(DETAIL_CAPABILITY.get(source, Cap.VIEW_CASEWORK)))


def casework_visible(actor: Actor) -> bool:
    """The assessment's reasons and required actions are education casework."""
    return bool(actor.can(Cap.VIEW_CASEWORK))

"""People and records for the plans tests: professionals of three agencies, a health team
that covers LS6, and a meeting held with actions for two owners."""

import datetime as dt

from notinschool.accounts.models import Agency, User
from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import AgencyFactory, UserFactory
from notinschool.people.models import Child
from notinschool.plans.models import Meeting
from notinschool.plans.services import ActionIn, Named, meeting_hold

MINUTES = "Decided: the school nurse visits with the officer; strategy discussion if refused"


def officer(**kwargs: object) -> User:
    return UserFactory.create(role=Role.EHE_OFFICER, first_name="Olu", last_name="Officer", **kwargs)


def social_worker(**kwargs: object) -> User:
    team = AgencyFactory.create(name="North social work team", kind=Agency.Kind.SOCIAL_CARE)
    return UserFactory.create(role=Role.SOCIAL_WORKER, first_name="Sam", last_name="Social",
                              agency=team, **kwargs)


def health_team(name: str = "Leeds North school nursing", districts: str = "LS6 LS7") -> Agency:
    return AgencyFactory.create(name=name, kind=Agency.Kind.HEALTH, postcode_districts=districts)


def nurse(team: Agency | None = None, **kwargs: object) -> User:
    return UserFactory.create(role=Role.HEALTH_PRACTITIONER, first_name="Nia", last_name="Nurse",
                              agency=team or health_team(), **kwargs)


def held_meeting(child: Child, chair: User, worker: User, on: dt.date) -> Meeting:
    return meeting_hold(
        actor=chair, child=child, held_on=on, question="Is the child safe and receiving an education?",
        contributions="Education: no contact since September\nSocial care: closed in 2025",
        decisions=MINUTES, attendee_users=[worker], others=[Named("Dr Patel", "Oakwood Surgery")],
        actions=[ActionIn("Visit with the school nurse", chair, on + dt.timedelta(days=10)),
                 ActionIn("Check the social care history", worker, on + dt.timedelta(days=5))])

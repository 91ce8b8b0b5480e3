"""The emails casework sends, as a subject and a body for `mail.services.email_send`: the
minimum necessary. No child's name anywhere, and nothing about the child in the subject; a
link to the page where a signed-in person reads the rest."""

import datetime as dt

from django.conf import settings
from django.urls import reverse

from notinschool.casework.models import Alert

ALERT_SUBJECT = "Children not in school register: new alert for children's social care"
SUMMARY_SUBJECT = "Children not in school register: your work today"


def day_words(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def link(name: str, **kwargs: object) -> str:
    return f"{settings.NOTINSCHOOL_BASE_URL}{reverse(name, kwargs=kwargs or None)}"


def alert_email(alert: Alert) -> tuple[str, str]:
    due = f" by {day_words(alert.due_date)}" if alert.due_date else ""
    body = (
        "A child known to, or linked to, children's social care has been recorded on the "
        "register of children not in school.\n\n"
        f"Register reference: {alert.child.child_ref}\n\n"
        f"Please read the record and acknowledge this alert{due}:\n"
        f"{link('child_detail', child_id=alert.child_id)}\n\n"
        f"Your alerts: {link('work_queue')}\n\n"
        "You need to sign in to see the record. Do not forward this email.\n"
    )
    return ALERT_SUBJECT, body


def summary_email(counts: dict[str, int]) -> tuple[str, str]:
    lines = [f"{label}: {counts[key]}" for key, label in SUMMARY_LINES if key in counts]
    body = ("Your work on the register of children not in school today:\n\n"
            + "\n".join(lines)
            + f"\n\nSee the details: {link('work_queue')}\n\n"
            "You need to sign in to see them.\n")
    return SUMMARY_SUBJECT, body


SUMMARY_LINES = (
    ("overdue", "Overdue"),
    ("due", "Due in the next 5 working days"),
    ("decisions", "Waiting for a consent decision"),
    ("alerts", "Alerts not acknowledged"),
    ("own", "Your actions from meetings and plans"),
)

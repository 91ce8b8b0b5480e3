"""GOV.UK Notify as a Django email backend (NOTINSCHOOL_EMAIL_BACKEND = "notify").

Notify sends from templates, not free text: the service has one email template whose subject
is `((subject))` and whose body is `((body))` (docs/operations.md, "Email"), and each message
is sent through it, one notification an address, with the message's subject and body as the
personalisation. Notify's id for each notification is kept on the message
(`message.provider_reference`, space-separated when there are several) for the record of it.
Notify takes no attachments through this template: a message with one is refused."""

from collections.abc import Sequence

import requests
from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client import NotificationsAPIClient
from notifications_python_client.errors import APIError


class NotifyError(Exception):
    """Notify did not take a message; the message says why, in words for the log and page."""


def _reason(error: APIError | requests.RequestException) -> str:
    if not isinstance(error, APIError):
        return f"GOV.UK Notify could not be reached ({error.__class__.__name__})"
    detail = error.message
    if isinstance(detail, list):
        detail = "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in detail)
    return f"GOV.UK Notify refused the email ({error.status_code}: {detail})"


class NotifyEmailBackend(BaseEmailBackend):
    """Sends each message through GOV.UK Notify's one template; raises NotifyError when Notify
    refuses one or cannot be reached (the messages before it were sent)."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        client = self._client()
        for message in email_messages:
            self._send(client, message)
        return len(email_messages)

    def _client(self) -> NotificationsAPIClient:
        if not settings.NOTINSCHOOL_NOTIFY_API_KEY or not settings.NOTINSCHOOL_NOTIFY_TEMPLATE_ID:
            raise NotifyError("GOV.UK Notify is not set up: NOTINSCHOOL_NOTIFY_API_KEY and "
                              "NOTINSCHOOL_NOTIFY_TEMPLATE_ID must both be set")
        return NotificationsAPIClient(settings.NOTINSCHOOL_NOTIFY_API_KEY,
                                      base_url=settings.NOTINSCHOOL_NOTIFY_BASE_URL, timeout=30)

    def _send(self, client: NotificationsAPIClient, message: EmailMessage) -> None:
        if message.attachments:
            raise NotifyError("GOV.UK Notify cannot send attachments through the register's template")
        ids: list[str] = []
        for address in message.recipients():
            try:
                reply = client.send_email_notification(
                    email_address=address, template_id=settings.NOTINSCHOOL_NOTIFY_TEMPLATE_ID,
                    personalisation={"subject": message.subject, "body": message.body})
            except (APIError, requests.RequestException) as error:
                sent = f" (sent to {len(ids)} of the addresses first)" if ids else ""
                raise NotifyError(_reason(error) + sent) from error
            ids.append(str(reply["id"]))
        message.provider_reference = " ".join(ids)  # type: ignore[attr-defined]

"""``EMAIL_BACKEND = "zdrave.base.outbox.backends.OutboxBackend"``: Django's mail API, never inline.

``send_mail()``, ``EmailMessage.send()`` and ``send_templated()`` all land here; the request (or
action) only writes rows, the worker talks to the SMTP server.
"""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend

from zdrave.base.outbox.actions import store_message
from zdrave.base.outbox.consent import drop_unconsented


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        stored = 0
        for email in email_messages:
            # A marketing message built without send_templated is checked here too.
            if drop_unconsented(email) and email.recipients():
                email.outbox_message = store_message(email)
                stored += 1
        return stored

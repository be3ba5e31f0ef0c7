"""Demo personal data, so the "My data" pages and the data protection officer's queue show
something (issue 14):

- Maria's marketing consent history: given on the portal, withdrawn by phone, given again on
  paper (recorded by the data protection officer), so she can withdraw it on the page;
- Ivan's correction request waiting in the officer's queue;
- the adjuster's look at Maria's MRI claim, in her "who opened my documents" list.

Built through the same actions as the pages; idempotent.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zdrave.base.audit.models import AuditEvent, record
from zdrave.claims.models import Claim
from zdrave.member_rights.privacy import actions
from zdrave.member_rights.privacy.models import ConsentChannel, ConsentEvent

CORRECTION_KEY = "demo-privacy-correction"


def build_demo_privacy(users) -> None:
    maria, dpo = users["maria"], users["dpo"]
    if not ConsentEvent.objects.filter(member=maria).exists():
        now = timezone.now()
        history = [
            (True, maria, ConsentChannel.PORTAL, 60),
            (False, dpo, ConsentChannel.PHONE, 30),
            (True, dpo, ConsentChannel.PAPER, 5),
        ]
        for given, actor, channel, days_ago in history:
            event = actions.set_marketing_consent(maria, given, actor=actor, channel=channel)
            ConsentEvent.objects.filter(pk=event.pk).update(at=now - dt.timedelta(days=days_ago))
    actions.request_correction(
        users["ivan"],
        text="Моля, коригирайте имейла ми на ivan.dimitrov@example.bg.",
        key=CORRECTION_KEY,
    )
    claim = Claim.objects.filter(idempotency_key="demo-claim-mri").first()
    adjuster = users["adjuster"]
    if (
        claim
        and not AuditEvent.objects.filter(
            actor=adjuster, verb="claim_viewed", object_id=str(claim.pk)
        ).exists()
    ):
        record(
            actor=adjuster,
            verb="claim_viewed",
            obj=claim,
            ip_address="10.0.0.12",
            path=f"/claims/queue/{claim.number}/",
        )

"""The e-mail that tells an insured person of a change of the network (004 Чл.24 т.4:
"ЗАСТРАХОВАТЕЛЯТ уведомява ЗАСТРАХОВАНИЯ за всички промени, настъпили в списъка с лечебните
заведения"): the institution, what changed and from when, its address and phone (the list's own
fields), and where the whole list is. The people told are those whose health cover includes a
package the institution serves, on a contract in force; each person once per change."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from zdrave.base.outbox.mail import send_templated
from zdrave.claims.catalogue import HEALTH
from zdrave.contracts.models import ContractStatus, Cover, InsuredPerson
from zdrave.providers.network.models import ChangeKind, NetworkChange

SUBJECTS = {
    ChangeKind.JOINED: _("A new medical institution in our network: %(name)s"),
    ChangeKind.LEFT: _("A medical institution leaves our network: %(name)s"),
}


def affected_people(change: NetworkChange):
    """The insured people on a health contract in force today with a cover of a package the
    institution serves (the contract's shared covers and their own)."""
    today = timezone.localdate()
    packages = sorted(change.institution.packages_of(HEALTH))
    covers = Cover.objects.filter(
        product_code=HEALTH,
        package__in=packages,
        contract__status=ContractStatus.IN_FORCE,
        contract__start__lte=today,
        contract__end__gte=today,
    )
    shared = covers.filter(member__isnull=True).values("contract_id")
    own = covers.filter(member__isnull=False).values("member__person_id")
    return (
        InsuredPerson.objects.filter(Q(memberships__contract_id__in=shared) | Q(pk__in=own))
        .select_related("user")
        .distinct()
        .order_by("pk")
    )


def notify_network_change(change_id: int) -> int:
    """Write the e-mail of the change to every affected person with an address; returns how
    many were written. Done once: a change already notified is left alone."""
    with transaction.atomic():
        change = (
            NetworkChange.objects.select_for_update()
            .select_related("institution")
            .get(pk=change_id)
        )
        if change.notified_at is not None:
            return 0
        link = f"{change.site_url.rstrip('/')}{reverse('network:search')}"
        sent = 0
        for person in affected_people(change).iterator(chunk_size=2000):
            user = person.user
            to = user if user is not None and user.email else (person.email or None)
            if to is None:
                continue
            language = getattr(to, "language", "") or settings.LANGUAGE_CODE
            with translation.override(language):
                subject = str(SUBJECTS[change.kind]) % {"name": change.institution.name}
            send_templated(
                to,
                subject,
                "network/email/network_change",
                {
                    "change": change,
                    "institution": change.institution,
                    "name": person.full_name,
                    "link": link,
                },  # fmt: skip
                language=language,
                health_data=False,
            )
            sent += 1
        change.notified = sent
        change.notified_at = timezone.now()
        change.save(update_fields=["notified", "notified_at"])
    return sent

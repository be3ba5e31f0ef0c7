"""Who is asking: the provider user's API key of the front desk (``Authorization: Bearer
zdp_…``, made on the front-desk page), checked by the eligibility API's own ``ProviderKey`` —
one authentication for both APIs. The key's user acts for their own institution only
(``base.identity.permissions.can_act_for_institution``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from zdrave.interfaces.fhir.outcome import FhirError
from zdrave.providers.network.api import ProviderKey

_KEY = ProviderKey()


def authenticate(request: HttpRequest):
    """The institution the key acts for (``request.user`` becomes the key's user); 401 without a
    valid, unrevoked key of a provider user linked to an institution."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise FhirError(
            401,
            "login",
            _("Authorization: send the institution's API key as 'Authorization: Bearer <key>'."),
        )
    if _KEY.authenticate(request, token.strip()) is None:
        raise FhirError(
            401, "login", _("Authorization: the API key is unknown, revoked or not a provider's.")
        )
    return request.institution

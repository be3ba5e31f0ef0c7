"""A request in words: the service row's name in the reader's language."""

from __future__ import annotations

from zdrave.claims.catalogue import HEALTH, language, service_label
from zdrave.engine.adjudication.index import index_for
from zdrave.products.terms import terms


def service_name(request) -> str:
    index = index_for(terms(HEALTH, request.member.contract.product_version))
    info = index.services.get(request.service)
    if info is None:
        return request.service
    return f"{service_label(info, language())} ({request.service})"

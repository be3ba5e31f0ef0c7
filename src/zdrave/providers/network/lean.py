"""The lean path of ``GET /api/v1/eligibility/`` (issue 12, performance: 1 000 checks a second
on two cores leave about a millisecond of CPU per check, and Django's request cycle alone took
2–6 ms; docs/performance.md, docs/decisions.md).

``dispatcher(django_app)`` wraps the WSGI application (``zdrave.wsgi``): a plain ``GET`` of
exactly this path goes to ``eligibility`` below, everything else — and any request the
middleware would treat specially (a host not allowed, plain HTTP where HTTPS is required, NUL
bytes, a body) — to Django, which answers as before. The lean handler keeps what the API
promises (``api.py``):

- the provider key (``Authorization: Bearer zdp_…``), looked up by its SHA-256 at every
  request (no cache: a revoked key is refused at once), the key's user acting for its own
  institution only (``can_act_for_institution``);
- the same answer, word for word (``actions.desk_answer``, ``api.answer_body``), in the
  language of ``Accept-Language`` (or the language cookie) as ``LocaleMiddleware`` picks it;
- the same log: one ``EligibilityCheck`` and the audit row of the view of the person's data
  ("every view of health data is logged"; ``actions.log_values``, ``actions.log_record``);
- the security headers the middleware sends (computed once from the middleware itself);
- bad input answered 422 naming the field, a missing or unknown key 401, never a 500.

On PostgreSQL the reads are ONE prepared statement (``fetch.desk_statement``: key, user,
institution, membership, covers, schedule, paid lines, price, held amounts, person) and the
log one more (prepared too), on Django's own per-thread connection through libpq's own
prepare/execute calls (``base.prepared``). On SQLite the same handler reads through the ORM
(``actions.check_eligibility``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
from decimal import Decimal
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

import psycopg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port, validate_host
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from ninja.responses import NinjaJSONEncoder

from zdrave.base import prepared
from zdrave.base.identity.permissions import can_act_for_institution
from zdrave.providers.network import actions
from zdrave.providers.network.api import answer_body
from zdrave.providers.network.fetch import desk_key, desk_statement, key_holder
from zdrave.providers.network.models import token_digest

logger = logging.getLogger(__name__)

PATH = "/api/v1/eligibility/"
JSON = "application/json; charset=utf-8"
STATUS = {
    200: "200 OK",
    401: "401 Unauthorized",
    422: "422 Unprocessable Entity",
    500: "500 Internal Server Error",
    503: "503 Service Unavailable",
}


def dispatcher(django_app):
    """The WSGI application: the lean handler for a plain ``GET`` of ``PATH``, Django for the
    rest."""

    def application(environ, start_response):
        if (
            environ.get("PATH_INFO") == PATH
            and environ.get("REQUEST_METHOD") == "GET"
            and _plain(environ)
        ):
            return eligibility(environ, start_response)
        return django_app(environ, start_response)

    return application


def _secure(environ) -> bool:
    header = settings.SECURE_PROXY_SSL_HEADER
    if header:
        name, value = header
        forwarded = environ.get(name)
        if forwarded is not None:
            return forwarded.split(",", 1)[0].strip() == value
    return environ.get("wsgi.url_scheme") == "https"


def _plain(environ) -> bool:
    """Nothing here that Django's middleware would answer itself (SecurityMiddleware's redirect
    to HTTPS, ``ALLOWED_HOSTS``' 400, RejectNulBytesMiddleware's 400, a request body)."""
    if settings.SECURE_SSL_REDIRECT and not _secure(environ):
        return False
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
        host = environ["HTTP_X_FORWARDED_HOST"]
    else:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    domain, _port = split_domain_port(host)
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    if not domain or not validate_host(domain, allowed):
        return False
    query = environ.get("QUERY_STRING", "")
    if "\x00" in query or "%00" in query:
        return False
    return environ.get("CONTENT_LENGTH", "") in ("", "0")


# -- the answer --------------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, status: int, body: dict):
        self.status, self.body = status, body


UNAUTHORIZED = {"detail": "Unauthorized"}  # ninja's HttpBearer answer, as the Django path


def eligibility(environ, start_response):
    language = _language(environ)
    with translation.override(language):
        try:
            status, body = 200, _answer(environ)
        except _Refused as refused:
            status, body = refused.status, refused.body
        except ValidationError as exc:
            status, body = 422, {"errors": exc.message_dict}
        except psycopg.OperationalError:
            logger.exception("eligibility: database unavailable")
            connection.close()
            status, body = 503, {"detail": _("The service is unavailable; try again shortly.")}
        except Exception:  # a bug: logged, answered as JSON like ninja's 500
            logger.exception("eligibility: unexpected error")
            status, body = 500, {"detail": "Internal Server Error"}
        content = json.dumps(body, default=_json_default).encode()
    headers = [
        ("Content-Type", JSON),
        ("Content-Length", str(len(content))),
        *_security_headers(_secure(environ)),
        ("Content-Language", language),
    ]
    start_response(STATUS[status], headers)
    return [content]


_NINJA = NinjaJSONEncoder()


def _json_default(value):
    """``NinjaJSONEncoder``'s ``default`` (so the bytes are the Django view's), with the two
    types of every answer first: a Decimal as its text, a date as ISO 8601 (what
    ``DjangoJSONEncoder`` makes of them, none of ninja's own types being either)."""
    kind = type(value)
    if kind is Decimal:
        return str(value)
    if kind is dt.date:
        return value.isoformat()
    return _NINJA.default(value)


def _answer(environ) -> dict:
    token = _bearer(environ.get("HTTP_AUTHORIZATION", ""))
    if not token:
        raise _Refused(401, UNAUTHORIZED)
    digest = token_digest(token)
    asked = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", ""), True).items()}
    egn, card = asked.get("egn", "").strip(), asked.get("card", "").strip()
    service = asked.get("service", "")
    errors: dict[str, list[str]] = {}
    if not service:
        errors["service"] = [_("Service: give the code of a service row of 002.")]
    elif len(service) > 32:
        errors["service"] = [_("Service: at most 32 characters.")]
    # The default zone is the current one: nothing in the project activates another, and
    # asking for the current one is a context-local lookup per call.
    day = timezone.localdate(timezone=timezone.get_default_timezone())
    if asked.get("date"):
        try:
            day = dt.date.fromisoformat(asked["date"])
        except ValueError:
            errors["date"] = [_("Date: write it as YYYY-MM-DD.")]
    if egn:
        try:
            egn = actions.desk_egn(egn)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    elif len(card) > 40:
        errors["card"] = [_("Card number: at most 40 characters.")]
    elif not card:
        errors["egn"] = [_("Personal number (ЕГН): type it, or a card number.")]
    if errors or not egn or connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        user, institution = _key(digest)
        if errors:
            raise ValidationError(errors)
        answer = actions.check_eligibility(
            actor=user,
            institution=institution,
            service=service,
            day=day,
            egn=egn,
            card=card,
            via_api=True,
            ip_address=environ.get("REMOTE_ADDR", ""),
            path=PATH,
        )
        return answer_body(answer)
    # PostgreSQL, by ЕГН: one statement to read, one to log.
    statement = desk_statement()
    _connect()
    row = _run(statement.sql, statement.values(digest=digest, day=day, egn=egn, service=service))
    if row is None:
        raise _Refused(401, UNAUTHORIZED)
    key, member, person = statement.read(row)
    user, institution = _acting(key)
    if member is not None:
        person = member.person
    answer = actions.desk_answer(institution, service, day, person=person, member=member)
    check, seen = actions.log_values(
        answer,
        actor=user,
        institution=institution,
        person=person,
        looked_up_by="egn",
        via_api=True,
        ip_address=environ.get("REMOTE_ADDR", ""),
        path=PATH,
    )
    _run(*actions.log_record(check, seen), rows=False)
    return answer_body(answer)


def _bearer(header: str) -> str:
    """The key of ``Authorization: Bearer <key>`` (ninja's ``HttpBearer`` rule)."""
    parts = header.split(" ")
    if not parts or parts[0].lower() != "bearer":
        return ""
    return " ".join(parts[1:])


def _acting(key):
    """The key's user and institution, if the user may act for it; else 401."""
    if key is None:
        raise _Refused(401, UNAUTHORIZED)
    link = getattr(key.user, "provider_link", None)
    institution = link.institution if link is not None else None
    if not can_act_for_institution(key.user, institution):
        raise _Refused(401, UNAUTHORIZED)
    return key.user, institution


def _key(digest: str):
    if connection.vendor == "postgresql":
        statement = desk_key()
        _connect()
        row = _run(statement.sql, statement.values(digest=digest))
        return _acting(statement.instance(row) if row is not None else None)
    return _acting(key_holder(digest))


def _connect() -> None:
    """This thread's database connection (Django's, so the same settings, time zone and
    adapters), closed first when too old or broken as Django does at each request's start
    (``close_old_connections``; not inside a transaction, as in tests)."""
    db = connections[DEFAULT_DB_ALIAS]  # once: each ``connection.…`` looks the thread's up
    if not db.in_atomic_block:
        db.close_if_unusable_or_obsolete()
    db.ensure_connection()


def _run(sql: str, params: list, *, rows: bool = True):
    """Run ``sql`` as a prepared statement (prepared once per connection, through libpq's own
    calls: ``base.prepared``) and return its first row (``rows``)."""
    return prepared.first_row(sql, params, rows=rows)


# -- the language and the headers --------------------------------------------------------------


class _Asked:
    """What ``translation.get_language_from_request`` reads of a request."""

    def __init__(self, environ):
        cookies = SimpleCookie()
        try:
            cookies.load(environ.get("HTTP_COOKIE", ""))
        except Exception:  # noqa: BLE001  (a malformed cookie header counts as none, as Django)
            cookies = SimpleCookie()
        self.COOKIES = {name: morsel.value for name, morsel in cookies.items()}
        self.META = environ
        self.path_info = PATH


def _language(environ) -> str:
    """``LocaleMiddleware``'s choice: the language cookie, then ``Accept-Language``, then
    ``LANGUAGE_CODE`` (the API has no language prefix in its path)."""
    if environ.get("HTTP_COOKIE"):  # not kept: a cookie header may carry a session
        return translation.get_language_from_request(_Asked(environ), check_path=False)
    return _language_of(environ.get("HTTP_ACCEPT_LANGUAGE", ""))


@functools.lru_cache(maxsize=256)
def _language_of(accept: str) -> str:
    """The choice for a request without cookies (a hospital system's), once per header."""
    asked = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    return translation.get_language_from_request(_Asked(asked), check_path=False)


@functools.cache
def _security_headers(secure: bool) -> tuple[tuple[str, str], ...]:
    """The headers SecurityMiddleware, CSPMiddleware, XFrameOptionsMiddleware and
    LocaleMiddleware add to the Django path's JSON answer, made once per process by the
    middleware themselves on an empty answer (so a change of settings changes both paths)."""
    from csp.middleware import CSPMiddleware

    request = HttpRequest()
    request.path = request.path_info = PATH
    request.META = {"SERVER_NAME": "localhost", "SERVER_PORT": "443" if secure else "80"}
    request._get_scheme = lambda: "https" if secure else "http"
    response = HttpResponse(content_type=JSON)

    def passed(_request):
        return response

    csp = CSPMiddleware(passed)
    csp.process_request(request)
    for middleware in (SecurityMiddleware(passed), csp, XFrameOptionsMiddleware(passed)):
        response = middleware.process_response(request, response)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))  # Locale, Session
    return tuple(
        (name, value)
        for name, value in response.items()
        if name.lower() not in ("content-type", "content-length", "content-language")
    )

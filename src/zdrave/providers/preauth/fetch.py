"""Reads: the requests a user may see, one request with a 404 for anyone else, and what valid
guarantee letters hold against a person's limits (fed into the claims engine's history through
``claims.fetch.register_held_usage``)."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from psycopg import sql

from zdrave.base.identity.permissions import (
    can_act_for_institution,
    can_decide_preauth_requests,
    can_view_preauth_request,
    has_role,
)
from zdrave.base.identity.roles import Role
from zdrave.engine.adjudication.facts import HistoryLine
from zdrave.engine.adjudication.plan import SUBSCRIPTION
from zdrave.providers.network.fetch import institution_of
from zdrave.providers.preauth.models import GuaranteeLetter, LetterStatus, PreauthRequest

_not_held: contextvars.ContextVar[frozenset[int]] = contextvars.ContextVar(
    "preauth_not_held", default=frozenset()
)


def held_lines(member_id: int) -> tuple[HistoryLine, ...]:
    """The unused part of each valid guarantee letter of the person, as a history line on the
    planned day (its insurance year): counted against the row's money, package and aggregate
    limits like a paid line (004 Чл.26 т.1), and as one use of a counted row until a claim
    uses it. Letters inside ``without_hold`` are left out."""
    if connection.vendor == "postgresql":
        # The same letters read with ``held_query``'s text: every re-decision of a claim asks
        # (``claims.fetch.history_for``), and compiling the ORM query was about a tenth of the
        # CPU of deciding a stored claim (docs/performance.md).
        return _held_lines_sql(member_id)
    return _held_lines_orm(member_id)


def _held_lines_sql(member_id: int) -> tuple[HistoryLine, ...]:
    text, params = held_query(member_id)
    with connection.cursor() as cursor:
        cursor.execute(text, params)
        found = sorted(cursor.fetchall(), key=lambda row: (row[0], row[6]))
    return tuple(
        HistoryLine(
            date=day, service=service, form=form, diagnosis=diagnosis, quantity=quantity,
            paid=held,
        )
        for day, service, form, diagnosis, quantity, held, _pk in found
    )  # fmt: skip


def _held_lines_orm(member_id: int) -> tuple[HistoryLine, ...]:
    skip = _not_held.get()
    letters = GuaranteeLetter.objects.filter(request__member_id=member_id, status=LetterStatus.HELD)
    if skip:
        letters = letters.exclude(pk__in=skip)
    letters = letters.select_related("request").order_by("request__planned_date", "pk")
    return tuple(
        HistoryLine(
            date=letter.request.planned_date,
            service=letter.request.service,
            form=SUBSCRIPTION,
            diagnosis=letter.request.diagnosis,
            quantity=0 if letter.used_amount else 1,
            paid=letter.held,
        )
        for letter in letters
        if letter.held > 0
    )


# ``held_lines`` as a column of the front desk's one statement on PostgreSQL
# (``network.fetch.register_desk_held_sql``): the same letters in the same order. The desk never
# decides inside ``without_hold`` (a settlement's step), so no letter is left out here.
HELD_SQL = """
    SELECT COALESCE(json_agg(json_build_array(r.planned_date, r.service, r.diagnosis,
                                              CASE WHEN g.used_amount <> 0 THEN 0 ELSE 1 END,
                                              (g.amount - g.used_amount)::text)
                             ORDER BY r.planned_date, g.id), '[]')
    FROM preauth_guaranteeletter g JOIN preauth_preauthrequest r ON r.id = g.request_id
    WHERE r.member_id = contracts_contractmember.id AND g.status = 'held'
      AND g.amount - g.used_amount > 0"""


def held_query(member_id: int) -> tuple[str, list]:
    """``held_lines`` in SQL, for the read a claim's submission makes under the person's lock
    (``claims.fetch.read_after_lock``): (date, service, form, diagnosis, quantity, paid, id)
    of the same letters, the same amounts (004 Чл.26 т.1)."""
    letter, request = GuaranteeLetter._meta, PreauthRequest._meta
    # Table names from the models' metadata; values are parameters, but the status, a constant
    # written into the text: the statement is prepared (planned once for any values), and with
    # the status as a parameter PostgreSQL would reckon on the person's letters of any status
    # and may plan it again at every claim (as the lock did: docs/performance.md, stop 27).
    held = sql.Literal(LetterStatus.HELD.value).as_string(None)
    text = (
        f"SELECT r.planned_date, r.service, %s::varchar, r.diagnosis,"  # noqa: S608
        f" CASE WHEN g.used_amount <> 0 THEN 0 ELSE 1 END, g.amount - g.used_amount, g.id"
        f' FROM "{letter.db_table}" g JOIN "{request.db_table}" r ON r.id = g.request_id'
        f" WHERE r.member_id = %s AND g.status = {held} AND g.amount - g.used_amount > 0"
        f" AND g.id <> ALL(%s::bigint[])"
    )
    return text, [SUBSCRIPTION, member_id, sorted(_not_held.get())]


@contextlib.contextmanager
def without_hold(letter: GuaranteeLetter) -> Iterator[None]:
    """Decide the claim that uses ``letter`` without its own hold counted against the limits
    (else the guaranteed amount would count twice): the settlement app decides inside this,
    then calls ``actions.use_guarantee`` in the same transaction."""
    token = _not_held.set(_not_held.get() | {letter.pk})
    try:
        yield
    finally:
        _not_held.reset(token)


def visible_requests(user) -> QuerySet[PreauthRequest]:
    """The requests ``user`` may open (``can_view_preauth_request`` as a query)."""
    found = PreauthRequest.objects.select_related("member__person", "institution", "letter")
    if can_decide_preauth_requests(user):
        return found
    if has_role(user, Role.PROVIDER):
        institution = institution_of(user)
        if institution is None or not can_act_for_institution(user, institution):
            return found.none()
        return found.filter(institution=institution)
    if has_role(user, Role.MEMBER):
        return found.filter(member__person__user_id=user.pk)
    return found.none()


def access_request(user, number: str) -> PreauthRequest:
    """The request ``number`` if ``user`` may see it; 404 otherwise (nobody learns it exists)."""
    found = (
        PreauthRequest.objects.select_related(
            "member__person", "member__contract", "institution", "letter"
        )
        .filter(number=number)
        .first()
    )
    if found is None or not can_view_preauth_request(user, found):
        raise Http404(number)
    return found


def letter_of(request: PreauthRequest) -> GuaranteeLetter | None:
    try:
        return request.letter
    except GuaranteeLetter.DoesNotExist:
        return None

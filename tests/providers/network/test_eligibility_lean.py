"""The lean path of ``GET /api/v1/eligibility/`` (issue 12, performance;
``providers.network.lean``): outside Django's request cycle, it keeps the key's rules (only
the SHA-256 stored, a revoked key refused at once, the user's own institution), the answer
word for word (004 Чл.24 т.3–т.5, 004 Чл.26, 002 II as the Django view gives them), the
language, the security headers and the log of every check ("every view of health data is
logged"); bad input is a 422 naming the field, never a 500."""

from __future__ import annotations

import json

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test.utils import CaptureQueriesContext

from providers.network.wsgi_calls import DJANGO, PROJECT, call
from zdrave.base.audit.models import AuditEvent
from zdrave.providers.network import actions, lean
from zdrave.providers.network.models import EligibilityCheck

PG = connection.vendor == "postgresql"


@pytest.fixture
def key(clinic):
    return actions.issue_token(actor=clinic)[1]


def test_the_same_answer_headers_and_log_as_the_django_view(key, person):
    for language in ("bg", "en"):
        for service in ("2.1.b", "2.8.d", "2.2.a"):
            params = {"egn": person.id_number, "service": service}
            slow = call(DJANGO, params, key=key, language=language)
            fast = call(PROJECT, params, key=key, language=language)
            assert slow[0] == fast[0] == 200
            assert slow[2] == fast[2], (language, service)
            assert slow[1] == fast[1]
    body = json.loads(fast[2])
    assert body["insured"] == person.full_name
    assert fast[1]["Content-Language"] == "en"
    # Every check logged, by both paths alike: the check and the view of the person's data.
    checks = list(EligibilityCheck.objects.order_by("id"))
    assert len(checks) == 12
    for slow_check, fast_check in zip(checks[::2], checks[1::2], strict=True):
        for field in ("asked_by", "institution", "person", "looked_up_by", "service", "day",
                      "verdict", "insurer_pays", "member_pays", "reasons", "via_api"):  # fmt: skip
            assert getattr(slow_check, field) == getattr(fast_check, field), field
    seen = AuditEvent.objects.filter(verb="eligibility_check").order_by("id")
    assert seen.count() == 12
    last = seen.last()
    assert last.object_id == str(person.pk)
    assert last.details["check"] == checks[-1].pk
    assert last.details["ip_address"] == "10.0.0.7"
    assert last.details["path"] == "/api/v1/eligibility/"


def test_the_security_headers_over_https_with_hsts(settings, key, person):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    lean._security_headers.cache_clear()
    django = WSGIHandler()  # the middleware read the settings when made
    try:
        params = {"egn": person.id_number, "service": "2.1.b"}
        slow = call(django, params, key=key, https=True)
        fast = call(lean.dispatcher(django), params, key=key, https=True)
    finally:
        lean._security_headers.cache_clear()
    assert fast[1]["Strict-Transport-Security"] == "max-age=3600; includeSubDomains"
    assert slow[1] == fast[1]
    for name in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options",
                 "Referrer-Policy", "Cross-Origin-Opener-Policy"):  # fmt: skip
        assert name in fast[1]


@pytest.mark.parametrize("header", ["", "Bearer nonsense", "Token x", "Bearer "])
def test_without_a_valid_key_401_and_nothing_logged(db, person, header):
    params = {"egn": person.id_number, "service": "2.1.b"}
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    status, _headers, body = call(PROJECT, params, **extra)
    assert status == 401
    assert json.loads(body) == {"detail": "Unauthorized"}
    assert person.full_name not in body.decode()
    assert not EligibilityCheck.objects.exists()


def test_a_revoked_key_is_refused_at_once(clinic, key, person):
    params = {"egn": person.id_number, "service": "2.1.b"}
    assert call(PROJECT, params, key=key)[0] == 200
    actions.revoke_token(clinic.provider_tokens.get(), actor=clinic)
    assert call(PROJECT, params, key=key)[0] == 401
    assert call(PROJECT, {"service": "2.1.b"}, key=key)[0] == 401  # bad input: still 401 first


def test_a_key_of_a_user_moved_off_the_provider_role_is_refused(clinic, key, person):
    clinic.role = "member"
    clinic.save(update_fields=["role"])
    assert call(PROJECT, {"egn": person.id_number, "service": "2.1.b"}, key=key)[0] == 401


def test_a_key_of_a_deactivated_user_is_refused(clinic, key, person):
    clinic.is_active = False
    clinic.save(update_fields=["is_active"])
    assert call(PROJECT, {"egn": person.id_number, "service": "2.1.b"}, key=key)[0] == 401


def test_the_key_acts_for_its_own_institution(other_clinic, other_institution, person):
    other_key = actions.issue_token(actor=other_clinic)[1]
    status, _h, body = call(PROJECT, {"egn": person.id_number, "service": "2.1.b"}, key=other_key)
    assert status == 200
    assert json.loads(body)["agreed_price"] is None
    assert EligibilityCheck.objects.get().institution == other_institution


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("service=2.1.b", "egn"),
        ("egn=&service=2.1.b", "egn"),
        ("egn=1234567890&service=2.1.b", "egn"),
        ("egn=12345678901234&service=2.1.b", "egn"),
        ("egn=%ff%fe&service=2.1.b", "egn"),
        ("egn={egn}", "service"),
        ("egn={egn}&service=", "service"),
        ("egn={egn}&service=" + "x" * 40, "service"),
        ("egn={egn}&service=9.9", "service"),
        ("egn={egn}&service=2.1.b&date=2026-02-30", "date"),
        ("egn={egn}&service=2.1.b&date=yesterday", "date"),
        ("card=" + "9" * 41 + "&service=2.1.b", "card"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_nothing_logged(key, person, query, field):
    status, headers, body = call(PROJECT, key=key, query=query.format(egn=person.id_number))
    assert status == 422, body
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert field in json.loads(body)["errors"]
    assert not EligibilityCheck.objects.exists()
    # The message in the asked language: Bulgarian is not the English text.
    _s, _h, english = call(PROJECT, key=key, query=query.format(egn=person.id_number),
                           language="en")  # fmt: skip
    said = json.loads(body)["errors"][field]
    assert said != json.loads(english)["errors"][field]
    assert any("\u0400" <= letter <= "\u04ff" for letter in "".join(said)), said


@pytest.mark.parametrize("language", ["bg", "en"])
def test_the_errors_of_the_view_word_for_word_in_the_asked_language(key, person, language):
    for query in ("egn=1234567890&service=2.1.b", f"egn={person.id_number}&service=9.9"):
        slow = call(DJANGO, key=key, query=query, language=language)
        fast = call(PROJECT, key=key, query=query, language=language)
        assert slow[0] == fast[0] == 422
        assert slow[2] == fast[2]
        assert fast[1]["Content-Language"] == language


def test_nobody_with_the_egn_is_not_found_and_logged_without_a_person(key, db):
    status, _h, body = call(PROJECT, {"egn": "7501010010", "service": "2.1.b"}, key=key)
    assert status == 200
    assert json.loads(body)["verdict"] == "not_found"
    check = EligibilityCheck.objects.get()
    assert check.person is None
    assert check.via_api
    assert not AuditEvent.objects.filter(verb="eligibility_check").exists()


def test_a_card_number_nobody_has_is_not_found(key, db):
    status, _h, body = call(PROJECT, {"card": "ZD-0000", "service": "2.1.b"}, key=key)
    assert status == 200
    assert json.loads(body)["verdict"] == "not_found"


def test_anything_but_a_plain_get_goes_to_django(settings, key, person):
    params = {"egn": person.id_number, "service": "2.1.b"}
    assert call(PROJECT, params, key=key, method="POST")[0] == 405
    assert call(PROJECT, params, key=key, host="evil.example")[0] == 400
    settings.SECURE_SSL_REDIRECT = True
    project = lean.dispatcher(WSGIHandler())
    status, headers, _body = call(project, params, key=key)
    assert status == 301
    assert headers["Location"].startswith("https://")
    assert not EligibilityCheck.objects.exists()
    # The key check of the Django path is unchanged.
    status, _h, body = call(project, path="/api/v1/eligibility/key", key=key, https=True)
    assert status == 200
    assert json.loads(body)["user"] == "desk"


@pytest.mark.skipif(not PG, reason="the one-statement read is PostgreSQL's")
def test_one_statement_to_read_and_one_to_log_nothing_through_the_orm(
    monkeypatch, key, person, django_assert_num_queries
):
    ran = []
    real = lean._run

    def counted(sql, params, **kwargs):
        ran.append(sql)
        return real(sql, params, **kwargs)

    monkeypatch.setattr(lean, "_run", counted)
    call(PROJECT, {"egn": person.id_number, "service": "2.1.b"}, key=key)  # warm the caches
    ran.clear()
    with CaptureQueriesContext(connection) as orm:
        status, _h, _body = call(PROJECT, {"egn": person.id_number, "service": "2.1.b"}, key=key)
    assert status == 200
    assert len(ran) == 2, ran
    assert ran[0].startswith("SELECT")
    assert ran[1].startswith("WITH")
    assert not orm.captured_queries, [q["sql"] for q in orm.captured_queries]
    assert EligibilityCheck.objects.count() == 2


@pytest.mark.skipif(not PG, reason="the one-statement read is PostgreSQL's")
def test_the_read_carries_only_what_the_answer_uses_never_the_password_hash(key, contract, person):
    from zdrave.providers.network.fetch import desk_statement
    from zdrave.providers.network.models import token_digest

    statement = desk_statement()
    day = contract.members.get().covered_from
    values = statement.values(digest=token_digest(key), day=day, egn=person.id_number,
                              service="2.1.b")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, values)
        names = [column.name for column in cursor.description]
        row = cursor.fetchone()
    assert "password" not in names
    assert "email" not in names
    assert len(names) < 60  # was 96: every column of user, institution, contract, person ×2
    token, member, found = statement.read(row)
    # What is read is what Django's own from_db gives for the same columns.
    assert member.person.full_name == person.full_name
    assert member.contract.number == contract.number
    assert token.user.provider_link.institution.packages_of("health")


def test_model_instances_built_from_a_row_equal_djangos_own(person):
    from zdrave.base.prepared import from_db
    from zdrave.contracts.models import InsuredPerson

    names = [f.attname for f in InsuredPerson._meta.concrete_fields]
    values = [getattr(person, name) for name in names]
    ours = from_db(InsuredPerson, "default", names, values)
    django = InsuredPerson.from_db("default", names, values)
    assert {k: v for k, v in ours.__dict__.items() if k != "_state"} == {
        k: v for k, v in django.__dict__.items() if k != "_state"
    }
    assert (ours._state.adding, ours._state.db) == (django._state.adding, django._state.db)
    # A partial row leaves the other fields deferred, as Django does: read on first use.
    part = from_db(InsuredPerson, "default", ["id", "first_name"], [person.pk, "Х"])
    assert (
        part.get_deferred_fields()
        == InsuredPerson.from_db(
            "default", ["id", "first_name"], [person.pk, "Х"]
        ).get_deferred_fields()
    )
    assert part.last_name == person.last_name


@pytest.mark.skipif(not PG, reason="the log as one JSON row per table is PostgreSQL's")
def test_the_log_written_from_json_equals_the_rows_django_saves(
    clinic, institution, contract, person
):
    from zdrave.providers.network.front_desk import answer_for

    member = contract.members.get()
    answer = answer_for(institution, "2.1.b", member.covered_from, person=person, member=member)
    asked = {"actor": clinic, "institution": institution, "person": person, "looked_up_by": "egn",
             "via_api": True, "ip_address": "10.0.0.9", "path": lean.PATH}  # fmt: skip
    check_values, seen_values = actions.log_values(answer, **asked)
    check = EligibilityCheck.objects.create(**check_values)  # the ORM's own save
    AuditEvent.objects.create(
        **{**seen_values, "details": {"check": check.pk, **seen_values["details"]}}
    )
    with connection.cursor() as cursor:
        cursor.execute(*actions.log_record(*actions.log_values(answer, **asked)))
    saved, written = EligibilityCheck.objects.order_by("id")
    fields = [
        f.attname for f in EligibilityCheck._meta.concrete_fields if f.attname not in ("id", "at")
    ]
    assert [getattr(saved, f) for f in fields] == [getattr(written, f) for f in fields]
    assert abs((written.at - saved.at).total_seconds()) < 60
    audit = list(AuditEvent.objects.filter(verb="eligibility_check").order_by("id"))
    assert audit[1].details == {**audit[0].details, "check": written.pk}
    assert (audit[1].actor_id, audit[1].object_type, audit[1].object_id) == (
        audit[0].actor_id, audit[0].object_type, audit[0].object_id)  # fmt: skip


@pytest.mark.skipif(not PG, reason="libpq's own prepare/execute are PostgreSQL's")
def test_a_database_error_of_a_statement_is_psycopgs_own_class_and_the_next_runs(db):
    import psycopg
    from django.db import transaction

    lean._connect()
    with pytest.raises(psycopg.errors.DivisionByZero), transaction.atomic():
        lean._run("SELECT 1 / %s", [0])
    assert lean._run("SELECT 1 / %s", [1]) == (1,)
    assert lean._run("SELECT 1 WHERE %s", [False]) is None  # no row


@pytest.mark.skipif(not PG, reason="libpq's own prepare/execute are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_database_going_away_is_a_503_and_the_next_check_connects_again(key, person):
    import psycopg
    from django.utils import translation
    from django.utils.translation import gettext as _

    call(PROJECT, {"egn": person.id_number, "service": "2.1.b"}, key=key)  # prepared
    backend = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [backend])
    status, _h, body = call(PROJECT, {"egn": person.id_number, "service": "2.1.b"}, key=key)
    assert status == 503
    with translation.override("bg"):
        assert json.loads(body) == {"detail": _("The service is unavailable; try again shortly.")}
    assert json.loads(body)["detail"] != "The service is unavailable; try again shortly."
    status, _h, body = call(PROJECT, {"egn": person.id_number, "service": "2.1.b"}, key=key)
    assert status == 200, body
    assert connection.connection.info.backend_pid != backend
    assert EligibilityCheck.objects.count() == 2


@pytest.mark.skipif(not PG, reason="libpq's own prepare/execute are PostgreSQL's")
@pytest.mark.django_db(transaction=True)  # autocommit, as a served check runs
def test_statements_deallocated_by_someone_else_are_prepared_again(key, person):
    ours = "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'zdrave_%%'"
    call(PROJECT, {"egn": person.id_number, "service": "2.1.b"}, key=key)  # prepared
    with connection.cursor() as cursor:
        cursor.execute(ours)
        assert cursor.fetchone()[0] >= 2  # the read and the log (and others of this worker's)
        cursor.execute("DEALLOCATE ALL")  # as a pooler's DISCARD ALL would
        cursor.execute(ours)
        assert cursor.fetchone()[0] == 0
    status, _h, body = call(PROJECT, {"egn": person.id_number, "service": "2.1.b"}, key=key)
    assert status == 200, body
    assert EligibilityCheck.objects.count() == 2
    with connection.cursor() as cursor:
        cursor.execute(ours)
        assert cursor.fetchone()[0] == 2  # prepared again


@pytest.mark.skipif(not PG, reason="libpq's own prepare/execute are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_statement_inside_a_transaction_not_yet_begun_is_part_of_it(db):
    """Django's ``atomic`` turns autocommit off and psycopg sends ``BEGIN`` before its next
    statement; a statement sent through libpq first must begin the transaction too, or it
    would commit on its own and survive the rollback."""
    from django.db import transaction

    from zdrave.base.audit.models import AuditEvent as Event

    connection.close()  # a fresh connection: nothing sent yet
    with transaction.atomic():
        lean._connect()
        lean._run(
            "INSERT INTO audit_auditevent (at, verb, object_type, object_id, details)"
            " VALUES (now(), %s, '', '', '{}')",
            ["lean-in-transaction"],
            rows=False,
        )
        transaction.set_rollback(True)
    assert not Event.objects.filter(verb="lean-in-transaction").exists()

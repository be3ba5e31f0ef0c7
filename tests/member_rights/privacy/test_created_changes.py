"""auditlog's "created" rows of a claim sent in one statement (``auditing.creation_rows``) are
built from a field list read once per model (``auditing.created_changes``): they must equal
auditlog's own ``model_instance_diff(None, obj)`` for the same objects — in both of auditlog's
storage modes, with a masked field, and for every row of every audited model."""

from __future__ import annotations

import json

import pytest
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder

from claims.builders import submit
from member_rights.privacy.conftest import paid_claim
from zdrave.claims.models import Claim
from zdrave.member_rights.privacy import auditing

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[False, True], ids=["text", "json"])
def store_json(request, settings):
    settings.AUDITLOG_STORE_JSON_CHANGES = request.param
    return request.param


def auditlogs_own(obj, store_json: bool):
    return model_instance_diff(None, obj, use_json_for_changes=store_json)


def test_the_rows_of_a_submission_equal_auditlogs_own(mila, store_json, monkeypatch):
    seen = []
    built = auditing.created_changes

    def record(obj):
        changes = built(obj)
        seen.append((obj, changes))
        return changes

    monkeypatch.setattr(auditing, "created_changes", record)
    member = mila.insured_person.memberships.get()
    claim = submit(member, mila, key="k-diff")
    assert {type(obj).__name__ for obj, _ in seen} >= {"Claim", "DecisionVersion", "Payment"}
    for obj, changes in seen:
        assert changes == auditlogs_own(obj, store_json), type(obj).__name__
    # And what was written is those changes (auditlog's JSON of them).
    row = LogEntry.objects.get(object_pk=str(claim.pk), content_type__model="claim")
    own = auditlogs_own(next(obj for obj, _ in seen if isinstance(obj, Claim)), store_json)
    assert row.changes == json.loads(json.dumps(own, cls=DjangoJSONEncoder))


def test_every_row_of_every_audited_model_gives_auditlogs_changes(mila, staff, store_json):
    paid_claim(mila, staff["claims_adjuster"])
    compared = 0
    for label in auditing.AUDITED:
        for obj in apps.get_model(label).objects.all():
            assert auditing.created_changes(obj) == auditlogs_own(obj, store_json), label
            compared += 1
    assert compared > 10


def test_a_masked_field_is_masked_as_auditlog_masks_it(mila, store_json, monkeypatch):
    member = mila.insured_person.memberships.get()
    claim = submit(member, mila, key="k-mask")
    monkeypatch.setitem(auditlog._registry[Claim], "mask_fields", ["iban"])
    monkeypatch.setattr(auditing, "_plans", {})
    changes = auditing.created_changes(claim)
    assert changes == auditlogs_own(claim, store_json)
    assert changes["iban"][1].startswith("*")


def test_the_change_rows_are_written_column_by_column(mila, store_json):
    """``creation_rows`` gives ``LogEntry``'s values, not instances (``together.insert_rows``):
    every column of the rows written reads back as auditlog's own "created" row would give it —
    the claim's row counting its lines, the decision's and the payment's."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils.encoding import smart_str

    member = mila.insured_person.memberships.get()
    claim = submit(member, mila, key="k-columns")
    version = claim.versions.get()
    payment = claim.payments.get()
    rows = LogEntry.objects.filter(
        action=LogEntry.Action.CREATE,
        content_type__app_label="claims",
        content_type__model__in=["claim", "decisionversion", "payment"],
    ).order_by("id")
    written = [
        (
            row.content_type_id,
            row.object_pk,
            row.object_id,
            row.object_repr,
            row.actor_id,
            row.actor_email,
            row.remote_addr,
            row.remote_port,
            row.cid,
            row.additional_data,
            row.serialized_data,
            row.changes_text,
        )
        for row in rows
    ]
    expected = [
        (
            ContentType.objects.get_for_model(obj).pk,
            str(obj.pk),
            obj.pk,
            smart_str(obj),
            mila.pk,
            mila.email,
            None,
            None,
            None,
            written_with,
            None,
            "",
        )
        for obj, written_with in [
            (claim, {"written_with": {"claims.claimline": 1}}),
            (version, None),
            (payment, None),
        ]
    ]
    assert written == expected
    assert all(row.changes for row in rows)

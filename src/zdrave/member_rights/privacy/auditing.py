"""The change history of contracts, claims, decision versions and payments, kept by
django-auditlog (who, when, what before and after, from which address), beside the platform's
own audit rows (``zdrave.base.audit``: actions' verbs and every view of health data).

Registered here rather than in the apps themselves: the change history is this app's concern
(GDPR Art. 5(2), 30, 32), and the lower layers need not know who watches them.
"""

from __future__ import annotations

import contextlib
import json

from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled, auditlog_value
from auditlog.diff import get_field_value, get_fields_in_model, get_mask_function, is_primitive
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import pre_save
from django.utils.encoding import smart_str
from django.utils.functional import Promise

from zdrave.base.audit.system import SYSTEM_ACTOR, current_system_actor

# What auditlog records per model; binary files (a SEPA file) are left out, they are stored once
# and never change.
AUDITED = {
    "contracts.PolicyHolder": {},
    "contracts.InsuredPerson": {},
    "contracts.Contract": {},
    "contracts.ContractMember": {},
    "contracts.Cover": {},
    "contracts.PremiumInstalment": {},
    "contracts.SpecialConditions": {},
    "claims.Claim": {},
    "claims.ClaimLine": {},
    "claims.ClaimFile": {},
    "claims.DecisionVersion": {},
    "claims.Payment": {},
    "claims.PaymentBatch": {"exclude_fields": ["xml"]},
}

# Fields whose values are health data: the audit search shows that they changed, and their
# values only to the health-data roles (``permissions.sees_all_health_data``).
HEALTH_FIELDS = {
    "claims.claim": {"diagnosis", "diagnosis_text", "circumstances", "condition"},
    "claims.claimline": {"service", "reasons"},
    "claims.decisionversion": {"lines", "engine"},
    "contracts.specialconditions": {"excluded_icd10", "excluded_services", "waiting", "note"},
}


def register_models() -> None:
    for label, options in AUDITED.items():
        model = apps.get_model(label)
        if not auditlog.contains(model):
            auditlog.register(model, **options)
    # Its back-office page would show claim diagnoses to any superuser; the audit search of
    # this app (views/audit.py) is the one way in, by role.
    if admin.site.is_registered(LogEntry):
        admin.site.unregister(LogEntry)


def _active_context() -> dict:
    """auditlog's request context (actor, address). auditlog leaves its context variable set
    after a request; it counts only while its receiver (keyed by the context's id) is
    connected, as for its own rows."""
    try:
        context = auditlog_value.get()
    except LookupError:
        return {}
    key = (context.get("signal_duid"), id(LogEntry))
    if not any(receiver[0] == key for receiver in pre_save.receivers):
        return {}
    return context


def name_system_actor(sender, instance, **kwargs) -> None:
    """A change row with no user (a command, a task of the worker: no request) names the process
    that made it (``base.audit.system``): ``additional_data["system_actor"]``."""
    if instance.actor_id is not None or instance.actor is not None:
        return
    instance.additional_data = _with_system_actor(instance.additional_data)


def _with_system_actor(data: dict | None) -> dict | None:
    """``additional_data`` naming the process (``base.audit.system``) when no request's user
    acts (a request's user: auditlog's own receiver, connected later, names them)."""
    if isinstance(_active_context().get("actor"), get_user_model()):
        return data
    name = current_system_actor()
    return {**(data or {}), SYSTEM_ACTOR: name} if name else data


def connect_system_actor() -> None:
    pre_save.connect(name_system_actor, sender=LogEntry, dispatch_uid="zdrave_system_actor")


def creation_rows(created, *, actor) -> tuple[type[LogEntry], list[dict]] | None:
    """auditlog's "created" rows for what the claims' one-statement intake wrote
    (``claims.actions.together``: no ``save()``, so no signals): the same row auditlog's own
    receiver would write — the new values, who and from where — for each audited model, written
    in the same statement. Rows written without an id (the claim's lines) are counted on the
    claim's row instead. The rows are ``LogEntry``'s values (``together.insert_rows``: no
    instances; ``tests/member_rights/privacy/test_created_changes.py`` reads them back)."""
    if auditlog_disabled.get():
        return None
    context = _active_context()
    if not isinstance(actor, get_user_model()):
        actor = None
    without_id: dict[str, int] = {}
    for obj in created:
        if obj.pk is None:
            label = obj._meta.label_lower
            without_id[label] = without_id.get(label, 0) + 1
    rows = []
    for obj in created:
        if obj.pk is None or not auditlog.contains(type(obj)):
            continue
        row = {
            "content_type_id": ContentType.objects.get_for_model(obj).pk,
            "object_pk": str(obj.pk),
            "object_id": obj.pk,
            "object_repr": smart_str(obj),
            "action": LogEntry.Action.CREATE,
            "changes": created_changes(obj),
            "actor_id": None if actor is None else actor.pk,
            "actor_email": getattr(actor, "email", None),
            "remote_addr": context.get("remote_addr"),
            "remote_port": context.get("remote_port"),
            "cid": get_cid(),
            "additional_data": {"written_with": without_id} if rows == [] and without_id else None,
        }
        if actor is None:
            row["additional_data"] = _with_system_actor(row["additional_data"])
        rows.append(row)
    return LogEntry, rows


# -- auditlog's "created" changes, from a field list built once per model ----------------------

# What ``created_changes`` does per field: the value auditlog's ``get_field_value`` gives a new
# row, by the branch it takes for the field's kind.
_DATETIME, _JSON, _FOREIGN, _PLAIN, _CONSTANT, _ASK = range(6)
_plans: dict[tuple, tuple] = {}


def created_changes(obj) -> dict | None:
    """``auditlog.diff.model_instance_diff(None, obj, use_json_for_changes=…)`` for a row just
    created, without its per-call work (``get_fields`` with reverse relations, a related manager
    made per reverse relation, ``smart_str`` of the missing old value per field): the fields,
    auditlog's include/exclude/mask options and each field's branch of ``get_field_value`` are
    read once per model. The values are converted as that branch converts them; kinds of field
    it does not know (a reverse one-to-one, a generic relation) are asked of auditlog itself.
    ``tests/member_rights/privacy/test_created_changes.py`` compares the two."""
    use_json = settings.AUDITLOG_STORE_JSON_CHANGES
    key = (type(obj), use_json, settings.AUDITLOG_USE_FK_STRING_REPRESENTATION)
    plan = _plans.get(key)
    if plan is None:
        plan = _plans[key] = _plan(obj, use_json)
    fields, mask = plan
    # The old value of every field of a new row: auditlog reads it from ``None``, finds no
    # attribute and falls back to None (``"None"`` as a string).
    old = None if use_json else "None"
    diff = {}
    for name, field, kind, extra in fields:
        if kind == _PLAIN:
            value = getattr(obj, name)
            if not use_json and type(value) is not str:  # ``smart_str`` of a str is itself
                value = _smart_str(value)
                if type(value).__name__ == "__proxy__":
                    value = str(value)
        elif kind == _FOREIGN:
            value = getattr(obj, extra)
            if value is not None and type(value) is not int:  # kept as they are
                value = smart_str(value, strings_only=True)
        elif kind == _CONSTANT:
            value = extra
        elif kind == _DATETIME:
            value = get_field_value(obj, field, use_json)
        elif kind == _JSON:
            value = getattr(obj, name)
            if not use_json:
                with contextlib.suppress(TypeError):
                    value = json.dumps(value, sort_keys=True, cls=field.encoder)
        else:
            value = get_field_value(obj, field, use_json)
        if value == old:
            continue
        if name in mask:
            diff[name] = (mask[name](smart_str(old)), mask[name](smart_str(value)))
        elif not use_json:
            diff[name] = (old, value if type(value) is str else _smart_str(value))
        else:
            diff[name] = (old, value if is_primitive(value) else _smart_str(value))
    return diff or None


def _smart_str(value) -> str:
    """``smart_str(value)`` without its calls for the common values: a text (a ``str`` subclass
    too) is itself, anything but bytes and lazy texts (left to ``smart_str``) is ``str(value)``
    (``force_str``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | Promise):
        return smart_str(value)
    return str(value)


def _plan(obj, use_json: bool) -> tuple[list, dict]:
    """The fields auditlog diffs for ``type(obj)`` (as ``model_instance_diff`` chooses them), each
    with its branch of ``get_field_value``, and the masked ones with their mask function."""
    options = auditlog.get_model_fields(type(obj))
    fields = get_fields_in_model(obj)
    if options["include_fields"]:
        fields = [f for f in fields if f.name in options["include_fields"]]
    if options["exclude_fields"]:
        fields = [f for f in fields if f.name not in options["exclude_fields"]]
    plan = []
    for field in fields:
        extra = None
        if isinstance(field, models.DateTimeField):
            kind = _DATETIME
        elif isinstance(field, models.JSONField):
            # ``Field.to_python`` of a JSONField returns the value itself.
            kind = _JSON if type(field).to_python is models.Field.to_python else _ASK
        elif (field.one_to_one or field.many_to_one) and hasattr(field, "rel_class"):
            if settings.AUDITLOG_USE_FK_STRING_REPRESENTATION:
                kind = _ASK
            else:
                kind, extra = _FOREIGN, field.get_attname()
        elif field.one_to_many and not field.concrete and not hasattr(field, "get_attname"):
            # A reverse foreign key: auditlog reads the related manager, whose text is the
            # related model's label and ``None`` whatever the row — the same for every row.
            kind, extra = _CONSTANT, smart_str(get_field_value(obj, field, use_json))
        elif field.concrete and not field.is_relation:
            kind = _PLAIN
        else:
            kind = _ASK
        plan.append((field.name, field, kind, extra))
    masker = get_mask_function(options.get("mask_callable"))
    return plan, dict.fromkeys(options["mask_fields"], masker)

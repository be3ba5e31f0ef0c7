"""The change history of contracts, claims, decision versions and payments, kept by
django-auditlog (who, when, what before and after, from which address), beside the platform's
own audit rows (``zdrave.base.audit``: actions' verbs and every view of health data).

Registered here rather than in the apps themselves: the change history is this app's concern
(GDPR Art. 5(2), 30, 32), and the lower layers need not know who watches them.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin

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
    from auditlog.models import LogEntry
    from auditlog.registry import auditlog

    for label, options in AUDITED.items():
        model = apps.get_model(label)
        if not auditlog.contains(model):
            auditlog.register(model, **options)
    # Its back-office page would show claim diagnoses to any superuser; the audit search of
    # this app (views/audit.py) is the one way in, by role.
    if admin.site.is_registered(LogEntry):
        admin.site.unregister(LogEntry)

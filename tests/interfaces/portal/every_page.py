"""Every page of the platform that a GET renders, for every demo role: the list the page-wide
checks (translations, 390 px layout, accessibility) walk.

The URLs come from the URL resolver, the ids from the demo data (``zdrave demo`` on the real
products and the partner directory) plus one second-opinion case and one consultation built
through the real actions, so a new page is walked without anyone adding it to a list. A pattern
that cannot be walked (a file download, a POST-only action) is named in ``NOT_PAGES`` with the
reason; a pattern in neither fails ``test_every_url_pattern_is_walked_or_excused``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

# The demo log-ins the walk uses, one per kind of person: every role, a member with Extra Care
# (maria), one without (georgi), one with Best Doctors in English (petya), a specialist and a
# therapist of the partner team, and nobody signed in ("").
USERS = [
    "",
    "admin",
    "underwriter",
    "adjuster",
    "medic",
    "coordinator",
    "billing",
    "casemanager",
    "complaints",
    "dpo",
    "clinic",
    "employer",
    "maria",
    "georgi",
    "petya",
    "partner",
    "specialist",
    "therapist",
    "ivan",  # the demo family's holder: the family annex pages
]

NOT_PAGES = {
    "i18n/setlang/": "POST only (language switch)",
    "accounts/logout/": "POST only",
    "accounts/language/": "POST only",
    "outbox/<int:pk>/attachments/<int:attachment_pk>/": "file download",
    "documents/<uuid:public_id>/download/": "file download",
    "extra-care/specialists/<int:pk>/photo/": "image",
    "extra-care/opinions/sign-in/<str:token>/": "one-time sign-in link (tested in opinions)",
    "extra-care/opinions/account/chat/": "POST only",
    "extra-care/opinions/cases/<int:pk>/forward/": "POST only",
    "extra-care/opinions/cases/<int:pk>/decline/": "POST only",
    "extra-care/opinions/cases/<int:pk>/resend-link/": "POST only",
    "extra-care/opinions/cases/<int:pk>/pass-on/": "POST only",
    "extra-care/opinions/cases/<int:pk>/email-report/": "POST only",
    "extra-care/opinions/cases/<int:pk>/close/": "POST only",
    "extra-care/opinions/cases/<int:pk>/upload/": "POST only",
    "extra-care/opinions/cases/<int:pk>/report/": "POST only",
    "extra-care/consultations/<int:pk>/consultation.ics": "calendar file",
    "extra-care/consultations/<int:pk>/propose/": "POST only",
    "extra-care/consultations/<int:pk>/choose/": "POST only",
    "extra-care/consultations/<int:pk>/other-dates/": "POST only",
    "extra-care/consultations/<int:pk>/move/": "POST only",
    "extra-care/consultations/<int:pk>/cancel/": "POST only",
    "extra-care/consultations/<int:pk>/done/": "POST only",
    "billing/tasks/<int:pk>/letter.pdf": "PDF download (tested in tests/policy_admin/billing)",
    "billing/terminations/<int:pk>/letter.pdf": "PDF download (tested in tests/policy_admin/billing)",
    "complaints/queue/register.csv": "file download (the monthly register)",
    "complaints/queue/register.xlsx": "file download (the monthly register)",
    "complaints/<str:number>/letter.pdf": "file download (the answer letter)",
    "complaints/queue/<str:number>/take/": "POST only",
    "complaints/queue/<str:number>/escalate/": "POST only",
    "complaints/queue/<str:number>/answer/": "POST only",
    "providers/staff/<int:pk>/edit/": "POST only (the institution page shows the form)",
    "providers/staff/<int:pk>/price/": "POST only (the institution page shows the form)",
    "providers/staff/<int:pk>/doctor/": "POST only (the institution page shows the form)",
    "providers/staff/<int:pk>/location/": "POST only (the institution page shows the form)",
    "providers/staff/<int:pk>/account/": "POST only (the institution page shows the form)",
    "providers/staff/<int:pk>/leave/": "POST only (the institution page shows the form)",
    "providers/front-desk/keys/": "POST only (a new API key)",
    "providers/front-desk/keys/<int:pk>/revoke/": "POST only",
    "providers/settlement/statements/<int:pk>/pdf/": "file download",
    "providers/settlement/statements/<int:pk>/csv/": "file download",
    "providers/settlement/staff/close/": "POST only",
    "providers/settlement/staff/batches/": "POST only",
    "providers/settlement/staff/batches/<int:pk>/xml/": "file download",
    "providers/settlement/staff/batches/<int:pk>/paid/": "POST only",
    "providers/settlement/staff/recoveries/<int:pk>/repaid/": "POST only",
    "providers/settlement/staff/recoveries/<int:pk>/letter/": "file download",
    "sales/persons/<int:pk>/remove/": "POST only",
    "sales/persons/<int:pk>/letter.pdf": "file download (tested in policy_admin/sales)",
    "sales/persons/<int:pk>/card.pdf": "file download (tested in policy_admin/sales)",
    "sales/persons/<int:pk>/card.png": "image (tested in policy_admin/sales)",
    "sales/<str:reference>/submit/": "POST only",
    "sales/<str:reference>/conclude/": "POST only",
    "sales/<str:reference>/payment/": "POST only",
    "sales/<str:reference>/policy.pdf": "file download (tested in policy_admin/sales)",
    "treatment-abroad/<str:number>/do/<slug:action>/": "POST only",
    "treatment-abroad/<str:number>/precertificate.pdf": "file download",
    "treatment-abroad/<str:number>/objections/<int:pk>/answer/": "POST only",
    "treatment-abroad/<str:number>/tasks/<int:pk>/done/": "POST only",
    "my-data/archive.zip": "file download (tests/member_rights/privacy/test_export.py)",
    "my-data/consent/": "POST only",
    "groups/<str:number>/census.csv": "file download (tested in groups)",
    "groups/<str:number>/census.xlsx": "file download (tested in groups)",
    "groups/annexes/<str:number>/annex.pdf": "PDF (tested in groups)",
    "groups/family-requests/<int:pk>/letter.pdf": "PDF (tested in groups)",
    "groups/<str:number>/census/<int:pk>/apply/": "POST only",
    "preauth/<str:number>/decide/": "POST only (the request page shows the form)",
    "preauth/<str:number>/release/": "POST only (the request page shows the form)",
    "preauth/<str:number>/letter.pdf": "file download (tests/providers/preauth/test_pages.py)",
    "sales/group/apply/": "POST only",
    "sales/group/applied/": "needs the session of the application just made (tested in groupsales)",
    "sales/group/sign-in/<str:token>/": "secret link e-mailed to an employee (tested in groupsales)",
    "sales/group/sign-in/<str:token>/<int:pk>/": "secret link (tested in groupsales e2e)",
    "sales/group/all/<str:reference>/issue/": "POST only",
    "sales/group/all/<str:reference>/links/<int:pk>/resend/": "POST only",
    "renewal/offers/<int:pk>/letter.pdf": "PDF download (tested in tests/policy_admin/renewal)",
    "renewal/premium/<int:pk>/annex.pdf": "PDF download (tested in tests/policy_admin/renewal)",
}
NOT_PAGE_PREFIXES = ("admin/", "api/", "fhir/")  # the Django admin's own pages; JSON; FHIR JSON


def url_patterns() -> list[str]:
    """Every route of the site as text (``products/<slug:code>/``), admin and API left out."""

    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern)

    return [p for p in walk(get_resolver()) if not p.startswith(NOT_PAGE_PREFIXES)]


# Pages of one claim that take its number (the contracts' numbers elsewhere).
CLAIM_PAGES = (
    "claims/<str:number>/",
    "claims/<str:number>/documents/",
    "claims/<str:number>/withdraw/",
    "claims/<str:number>/account/",
    "claims/queue/<str:number>/",
)
COMPLAINT_PAGES = (
    "complaints/<str:number>/",
    "complaints/<str:number>/letter/",
    "complaints/queue/<str:number>/",
)


def build_site() -> dict[str, list[str]]:
    """The demo world plus one case and one consultation; returns the values each URL
    parameter takes, by parameter name (and by pattern where a name is ambiguous)."""
    from zdrave.base.outbox.models import OutboxMessage
    from zdrave.claims.models import Claim
    from zdrave.contracts.models import Contract, ContractMember
    from zdrave.member_rights.complaints.models import Complaint
    from zdrave.member_rights.privacy.models import DataRequest
    from zdrave.member_services.consultations import actions as consultation_actions
    from zdrave.member_services.consultations.fetch import extra_care_cover as consultation_cover
    from zdrave.member_services.second_opinion import actions as actions_cases
    from zdrave.member_services.second_opinion.fetch import extra_care_cover
    from zdrave.member_services.specialists.models import Specialist
    from zdrave.policy_admin.billing.models import BankStatement, BillingTask
    from zdrave.policy_admin.groups.models import (
        Annex,
        CensusUpload,
        ExaminationRequest,
        FamilyRequest,
    )
    from zdrave.policy_admin.renewal.models import PremiumAnswer, RenewalOffer
    from zdrave.policy_admin.sales.models import Applicant, Application
    from zdrave.products.models import ProductVersion
    from zdrave.providers.network.models import Institution
    from zdrave.providers.preauth.models import PreauthRequest
    from zdrave.providers.settlement.models import ProviderClaim, Statement
    from zdrave.treatment_abroad.models import AbroadCase

    quiet = io.StringIO()
    call_command("products", "load", stdout=quiet)
    call_command("specialists", "load", stdout=quiet)
    call_command("demo", stdout=quiet)
    users = {u.username: u for u in get_user_model().objects.all()}
    maria, partner = users["maria"], users["partner"]
    specialist = Specialist.objects.get(user=users["specialist"])
    therapist = Specialist.objects.get(user=users["therapist"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        case = actions_cases.request_opinion(
            actor=maria,
            cover=extra_care_cover(maria),
            specialist=specialist,
            email=maria.email,
            documents_description="Епикриза, ЕКГ, холтер",
            site_url="https://portal.example.bg/",
        )
        actions_cases.forward_request(case, actor=partner, specialist=specialist)
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    consultation = consultation_actions.book_consultation(
        actor=maria,
        cover=consultation_cover(maria),
        therapist=therapist,
        email=maria.email,
        theme="Тревожност",
        channel="video",
        preferred_times=[start + timedelta(days=3)],
        site_url="https://portal.example.bg/",
    )
    consultation_actions.propose_dates(
        consultation, actor=partner, starts=[start + timedelta(days=2), start + timedelta(days=4)]
    )
    versions = ProductVersion.objects.all()
    claims = list(Claim.objects.order_by("pk").values_list("number", flat=True))
    return {
        "code": sorted({v.product.code for v in versions}),
        "effective_from": sorted({v.effective_from.isoformat() for v in versions})[:1],
        "number": list(Contract.objects.values_list("number", flat=True)),
        "extra-care/specialists/<int:pk>/": [str(specialist.pk), str(therapist.pk)],
        "extra-care/opinions/request/<int:pk>/": [str(specialist.pk)],
        "extra-care/consultations/book/<int:specialist_id>/": [str(therapist.pk)],
        "extra-care/opinions/team/chat/<int:member_id>/": [str(maria.pk)],
        "outbox/<int:pk>/": [
            str(OutboxMessage.objects.order_by("pk").values_list("pk", flat=True)[0])
        ],
        "extra-care/opinions/": [str(case.pk)],
        "extra-care/consultations/": [str(consultation.pk)],
        "step": ["1", "2", "3", "4", "5"],
        # The member's claim form of each kind (claims.catalogue.OFFERED_KINDS), and the demo's
        # claims on the member's pages and the staff's review.
        "claims/new/<str:kind>/": [
            "outpatient",
            "hospital",
            "dental",
            "medicines",
            "aids",
            "best_doctors",
        ],
        **dict.fromkeys(CLAIM_PAGES, claims),
        # The demo's arrears and repricing tasks and its bank statement (interfaces/demo/billing).
        "billing/tasks/<int:pk>/": [
            str(pk) for pk in BillingTask.objects.values_list("pk", flat=True)
        ],
        "billing/statements/<int:pk>/": [
            str(pk) for pk in BankStatement.objects.values_list("pk", flat=True)
        ],
        # The demo's complaints (an open one, an answered one with its letter).
        **dict.fromkeys(
            COMPLAINT_PAGES, list(Complaint.objects.order_by("pk").values_list("number", flat=True))
        ),
        # The demo network (interfaces/demo/providers.py): its pages for members and for staff.
        "providers/": [str(pk) for pk in Institution.objects.values_list("pk", flat=True)[:1]],
        # Provider settlement (interfaces/demo/settlement.py): statements and settled claims.
        "providers/settlement/statements/": [
            str(pk) for pk in Statement.objects.values_list("pk", flat=True)[:1]
        ],
        "providers/settlement/staff/claims/": [
            str(pk) for pk in ProviderClaim.objects.values_list("pk", flat=True)[:1]
        ],
        # Online sales (interfaces/demo/sales.py): Georgi's concluded policy and his parents'
        # application waiting for the underwriter.
        "reference": list(Application.objects.values_list("reference", flat=True)),
        "sales/persons/": [str(pk) for pk in Applicant.objects.values_list("pk", flat=True)],
        "sales/underwriting/": [
            str(pk)
            for pk in Applicant.objects.filter(decision="pending").values_list("pk", flat=True)
        ],
        # The demo group sale (interfaces/demo/groupsale.py): one employee referred.
        "sales/group/all/<str:reference>/": list(
            Application.objects.filter(contract_type="group").values_list("reference", flat=True)
        ),
        "sales/group/mine/<str:reference>/": list(
            Application.objects.filter(contract_type="group").values_list("reference", flat=True)
        ),
        "card": list(
            Applicant.objects.exclude(card_number="").values_list("card_number", flat=True)
        ),
        # The demo's treatment-abroad case (petya's, interfaces/demo/treatment_abroad.py).
        "treatment-abroad/<str:number>/": list(
            AbroadCase.objects.order_by("pk").values_list("number", flat=True)
        ),
        # The demo's correction request (interfaces/demo/privacy.py), for the officer's page.
        "my-data/requests/<int:pk>/": [str(DataRequest.objects.order_by("pk").first().pk)],
        # The demo group's annex, census upload and examination request (demo/groups.py).
        "groups/annexes/<str:number>/": list(Annex.objects.values_list("number", flat=True)),
        "groups/<str:number>/census/<int": [
            str(pk) for pk in CensusUpload.objects.values_list("pk", flat=True)
        ],
        "groups/<str:number>/examinations/<int": [
            str(pk) for pk in ExaminationRequest.objects.values_list("pk", flat=True)
        ],
        # The demo's pre-authorisations (interfaces/demo/preauth.py): open, approved, refused.
        "preauth/<str:number>/": list(PreauthRequest.objects.values_list("number", flat=True)),
        # The demo family's annex pages (its holder Ivan): add, and remove each family member
        # (the contract numbers by "number", the members by "member").
        "groups/family/<str:number>/": ["ZH-DEMO-F001"],
        "groups/family/<str:number>/add/": ["ZH-DEMO-F001"],
        "member": [
            str(pk)
            for pk in ContractMember.objects.filter(contract__number="ZH-DEMO-F001")
            .exclude(role="holder")
            .values_list("pk", flat=True)
        ],
        # The demo family members referred to the underwriter (demo/family_referral.py).
        "groups/family-requests/<int:pk>/": [str(r.pk) for r in FamilyRequest.objects.all()],
        "groups/family-requests/<int:pk>/letter/": [
            str(r.pk) for r in FamilyRequest.objects.exclude(decision="pending")
        ],
        # The demo renewal offer and the refused higher premium (demo/renewal.py).
        "renewal/offers/<int:pk>/": [
            str(pk) for pk in RenewalOffer.objects.values_list("pk", flat=True)
        ],
        "renewal/premium/<int:pk>/": [str(p.task_id) for p in PremiumAnswer.objects.all()],
        "renewal/desk/answers/<int:pk>/": [
            str(pk) for pk in PremiumAnswer.objects.values_list("pk", flat=True)
        ],
    }


PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def expand(pattern: str, values: dict[str, list[str]]) -> list[str]:
    """The concrete paths of ``pattern``: each parameter takes the values named for the whole
    pattern, else for its name, else (``pk``) for the longest matching pattern prefix."""
    names = PARAM.findall(pattern)
    if not names:
        return ["/" + pattern]
    paths = ["/" + pattern]
    for name in names:
        choices = values.get(pattern) or values.get(name)
        if choices is None:
            prefixes = [p for p in values if "/" in p and pattern.startswith(p)]
            choices = values[max(prefixes, key=len)] if prefixes else []
        token = re.compile(r"<(?:\w+:)?" + name + ">")
        paths = [token.sub(choice, path, count=1) for path in paths for choice in choices]
    return paths


@dataclass(frozen=True)
class Page:
    user: str
    path: str


def walkable_patterns() -> list[str]:
    return [p for p in url_patterns() if p not in NOT_PAGES]


def all_paths(values) -> list[str]:
    return [path for pattern in walkable_patterns() for path in expand(pattern, values)]

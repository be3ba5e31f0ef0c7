"""``/fhir/R4/``: one view per interaction. Every answer is ``application/fhir+json``; every
refusal an OperationOutcome with a 4xx (``outcome.FhirError``). Thin: authenticate, read or call
one write (``eligibility.ask``, ``claims.submit``), emit the validated resource."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from zdrave.interfaces.fhir import access, claims, eligibility, resources
from zdrave.interfaces.fhir.auth import authenticate
from zdrave.interfaces.fhir.emit import fhir_response, parse, validated
from zdrave.interfaces.fhir.outcome import FhirError, operation_outcome
from zdrave.providers.network.fetch import health_membership
from zdrave.providers.network.models import Doctor, Institution

SEARCH_LIMIT = 200


def fhir_view(methods: tuple[str, ...]):
    def wrap(view: Callable) -> Callable:
        @csrf_exempt
        @wraps(view)
        def run(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                if request.method not in methods:
                    raise FhirError(
                        405,
                        "not-supported",
                        _("%(method)s is not supported here; use %(allowed)s.")
                        % {"method": request.method, "allowed": ", ".join(methods)},
                    )
                return view(request, *args, **kwargs)
            except FhirError as exc:
                return fhir_response(
                    operation_outcome(exc.code, exc.message, expression=exc.expression),
                    exc.status,
                )

        return run

    return wrap


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/fhir/R4/")


@fhir_view(("GET",))
def metadata(request: HttpRequest) -> HttpResponse:
    """The CapabilityStatement: public, as FHIR servers publish it."""
    return fhir_response(resources.capability_statement(base_url(request)))


# -- reads ------------------------------------------------------------------------------------------


def _patients(institution, params):
    rows = access.patients(institution)
    if params.get("identifier"):
        rows = rows.filter(id_number=params["identifier"].rpartition("|")[2])
    return rows


def _resource(kind: str, institution, pk: str) -> dict:
    if kind == "Patient":
        return resources.patient(access.one(access.patients(institution), kind, pk))
    if kind == "Organization":
        if pk == resources.codes.INSURER_ID:
            return resources.insurer()
        return resources.organization(access.one(Institution.objects.all(), kind, pk))
    if kind == "Practitioner":
        return resources.practitioner(access.one(Doctor.objects.all(), kind, pk))
    if kind == "InsurancePlan":
        version = resources.plan_version(pk)
        if version is None:
            raise FhirError(
                404, "not-found", _("InsurancePlan/%(id)s: no such product version.") % {"id": pk}
            )
        return resources.insurance_plan(version)
    if kind == "Coverage":
        return resources.coverage(access.one(access.coverages(institution), kind, pk))
    if kind in ("CoverageEligibilityRequest", "CoverageEligibilityResponse"):
        check = access.one(access.checks(institution), kind, pk)
        if kind == "CoverageEligibilityRequest":
            return eligibility.request(check)
        return eligibility.response(check, health_membership(check.day, person=check.person))
    exchange = access.one(access.exchanges(institution), kind, pk)
    if kind == "Claim":
        return claims.claim(exchange)
    if kind == "ClaimResponse":
        return claims.claim_response(exchange)
    return claims.explanation_of_benefit(exchange)


def _search(kind: str, institution, params) -> list[dict]:
    patient = params.get("patient", "").removeprefix("Patient/")
    if kind == "Patient":
        return [resources.patient(p) for p in _patients(institution, params=params)[:SEARCH_LIMIT]]
    if kind == "Organization":
        rows = Institution.objects.order_by("pk")
        if params.get("identifier"):
            rows = rows.filter(eik=params["identifier"].rpartition("|")[2])
            return [resources.organization(i) for i in rows[:SEARCH_LIMIT]]
        return [resources.insurer(), *(resources.organization(i) for i in rows[:SEARCH_LIMIT])]
    if kind == "Practitioner":
        rows = Doctor.objects.order_by("pk")
        if params.get("organization"):
            rows = rows.filter(institution_id=params["organization"].removeprefix("Organization/"))
        return [resources.practitioner(d) for d in rows[:SEARCH_LIMIT]]
    if kind == "InsurancePlan":
        return [
            resources.insurance_plan(resources.plan_version(resources.plan_id(p, v)))
            for p, v in resources.plan_versions()
        ]
    if kind == "Coverage":
        rows = access.coverages(institution)
        if patient:
            rows = rows.filter(person_id=patient if patient.isdigit() else 0)
        return [resources.coverage(m) for m in rows[:SEARCH_LIMIT]]
    if kind in ("CoverageEligibilityRequest", "CoverageEligibilityResponse"):
        rows = access.checks(institution).order_by("-id")
        if patient:
            rows = rows.filter(person_id=patient if patient.isdigit() else 0)
        return [_resource(kind, institution, str(c.pk)) for c in rows[:SEARCH_LIMIT]]
    rows = access.exchanges(institution).order_by("-id")
    if patient:
        rows = rows.filter(person_id=patient if patient.isdigit() else 0)
    return [_resource(kind, institution, str(e.pk)) for e in rows[:SEARCH_LIMIT]]


def _known(kind: str) -> None:
    if kind not in resources.RESOURCES:
        raise FhirError(
            404,
            "not-supported",
            _("%(type)s: this server does not serve that resource type (see /fhir/R4/metadata).")
            % {"type": kind},
        )


@fhir_view(("GET", "POST"))
def type_level(request: HttpRequest, kind: str) -> HttpResponse:
    _known(kind)
    institution = authenticate(request)
    if request.method == "GET":
        return fhir_response(
            resources.bundle(_search(kind, institution, request.GET), base_url(request))
        )
    return create(request, kind, institution)


@fhir_view(("GET",))
def instance(request: HttpRequest, kind: str, pk: str) -> HttpResponse:
    _known(kind)
    institution = authenticate(request)
    if kind == "InsurancePlan":
        return fhir_response(_plan(pk, get_language() or ""), check=False)
    return fhir_response(_resource(kind, institution, pk))


@lru_cache(maxsize=32)
def _plan(pk: str, language: str) -> dict:
    """A product version's InsurancePlan, validated once per process and language: the product
    files do not change while it runs (``products.terms`` caches them the same way), and the
    100 kB plan of the health product takes ~45 ms to validate (docs/performance.md)."""
    return validated(_resource("InsurancePlan", None, pk))


# -- writes -----------------------------------------------------------------------------------------


def create(request: HttpRequest, kind: str, institution) -> HttpResponse:
    if kind == "CoverageEligibilityRequest":
        model, _plain = parse(request.body, kind)
        answer = eligibility.ask(
            model,
            actor=request.user,
            institution=institution,
            ip_address=request.META.get("REMOTE_ADDR", ""),
            path=request.path,
        )
        return fhir_response(answer)
    if kind == "Claim":
        model, plain = parse(request.body, kind)
        exchange, new = claims.submit(model, plain, actor=request.user, institution=institution)
        return fhir_response(claims.claim_response(exchange), 201 if new else 200)
    raise FhirError(
        405,
        "not-supported",
        _("%(type)s is read-only here; POST a CoverageEligibilityRequest or a Claim.")
        % {"type": kind},
    )


@fhir_view(("POST",))
def eligibility_submit(request: HttpRequest) -> HttpResponse:
    """``POST /fhir/R4/CoverageEligibilityRequest/$submit``: the operation-style spelling."""
    return create(request, "CoverageEligibilityRequest", authenticate(request))


@fhir_view(("POST",))
def claim_submit(request: HttpRequest) -> HttpResponse:
    """``POST /fhir/R4/Claim/$submit``: the operation-style spelling."""
    return create(request, "Claim", authenticate(request))

"""Pages of online sales: the public quote; the applicant's application, persons, declarations
and documents; the underwriter's queue; the payment staff record; the card check a provider
scans. Thin: a form, one action, a redirect (POST/redirect/GET)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zdrave.base.audit.models import record, record_view
from zdrave.base.identity.permissions import (
    access_required,
    can_check_card_eligibility,
    can_handle_billing,
    can_see_sales_applications,
    can_underwrite_applications,
)
from zdrave.base.ui.forms import submitted
from zdrave.contracts.models import Option
from zdrave.engine.money import format_eur
from zdrave.engine.tariff import QuoteError
from zdrave.policy_admin.sales import actions, documents
from zdrave.policy_admin.sales import tariff as tariffs
from zdrave.policy_admin.sales.fetch import (
    access_applicant,
    access_application,
    applicant_by_card,
    declaration_valid_until,
    is_minor,
    other_queue_rows,
    underwriting_queue,
)
from zdrave.policy_admin.sales.forms import (
    DecisionForm,
    DeclarationForm,
    PaymentForm,
    PersonForm,
    QuoteForm,
    StartForm,
    new_form_key,
)
from zdrave.policy_admin.sales.models import Applicant, Application, ApplicationStatus, Decision
from zdrave.products import terms

LANGUAGES = dict(settings.LANGUAGES)


def _language(request) -> str:
    asked = request.GET.get("lang", "")
    if asked in LANGUAGES:
        return asked
    current = get_language() or settings.LANGUAGE_CODE
    return current if current in LANGUAGES else settings.LANGUAGE_CODE


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, name)
    return _private(response)


def _sale_terms(start=None):
    start = start or timezone.localdate()
    version = tariffs.product_for(start)
    return version, tariffs.tariff_for(version.product, version.effective_from, start)


# ---- the quote (public) ----------------------------------------------------------------------


def quote(request):
    version, tariff = _sale_terms()
    today = timezone.localdate()
    first_of_next_month = dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    form = QuoteForm(
        request.GET or None,
        version=version,
        tariff=tariff,
        initial={"start": first_of_next_month, "instalments": 1},
    )
    result = None
    if request.GET and form.is_valid():
        persons = form.requests()
        if persons and not form.errors:
            start = form.cleaned_data["start"]
            try:
                version, tariff = _sale_terms(start)
                result = _quote_result(
                    version,
                    tariff,
                    tariffs.price(
                        version, tariff, start, persons, form.cleaned_data["instalments"]
                    ),
                    persons,
                )
            except (terms.UnknownTerms, tariffs.NoTariff):
                form.add_error("start", _("Start date: no tariff prices this start date."))
            except QuoteError as exc:
                form.add_error(None, _quote_error(exc))
    return render(
        request,
        "sales/quote.html",
        {
            "form": form,
            "result": result,
            "assumption": tariff.assumption.get(get_language() or "bg"),
            "version": version,
        },
    )


def _quote_error(exc: QuoteError) -> str:
    person = exc.field.split(".")[1] if exc.field.startswith("persons.") else ""
    message = actions.quote_message(exc) or str(exc)
    if person:
        return _("Person %(n)s: %(problem)s (%(clause)s)") % {
            "n": person,
            "problem": message,
            "clause": exc.clause,
        }
    return f"{message} ({exc.clause})"


def _quote_result(version, tariff, price, persons):
    language = get_language() or "bg"
    births = {ident: birth for ident, birth, _c, _l in persons}
    rows = []
    for person in price.persons:
        lines = []
        for line in person.lines:
            package = version.package(line.choice.package)
            lines.append(
                {
                    "package": line.choice.package,
                    "name": package.name.get(language),
                    "option": Option(line.choice.option.value).label,
                    "clause": line.choice.clause.value,
                    "amount": format_eur(line.yearly),
                    "url": reverse(
                        "products:version",
                        args=[version.product, version.effective_from.isoformat()],
                    )
                    + f"#package-{line.choice.package}",
                }
            )
        rows.append(
            {
                "number": person.id,
                "birth": births[person.id],
                "age": person.age,
                "lines": lines,
                "yearly": format_eur(person.yearly),
            }
        )
    return {
        "persons": rows,
        "yearly": format_eur(price.yearly),
        "payable": format_eur(price.payable),
        "count": price.instalment_count,
        "loading": price.instalment_loading_percent,
        "instalment": format_eur(price.instalments[-1]),
        "first": format_eur(price.instalments[0]),
    }


# ---- the applicant ---------------------------------------------------------------------------


@login_required
def mine(request):
    _version, tariff = _sale_terms()
    form = StartForm(
        request.POST or None,
        tariff=tariff,
        initial={"form_key": new_form_key(), "email": request.user.email},
    )
    if application := submitted(
        request, form, lambda data: actions.start_application(actor=request.user, **data)
    ):
        return redirect("sales:detail", application.reference)
    applications = Application.objects.filter(owner=request.user).order_by("-created_at")
    return render(request, "sales/mine.html", {"form": form, "applications": applications})


@login_required
def staff_list(request):
    if not can_see_sales_applications(request.user):
        raise PermissionDenied
    applications = Application.objects.select_related("owner", "contract").order_by("-created_at")[
        :200
    ]
    return render(request, "sales/staff_list.html", {"applications": applications})


def _person_rows(application):
    rows = []
    for person in application.persons.order_by("pk"):
        declaration = getattr(person, "declaration", None)
        rows.append(
            {
                "person": person,
                "covers": documents.cover_lines(application, person),
                "declaration": declaration,
                "valid_until": declaration_valid_until(declaration.signed_on)
                if declaration and declaration.signed_on
                else None,
                "minor": is_minor(person, application.start),
                "premium": format_eur(person.yearly_premium)
                if person.yearly_premium is not None
                else "",
            }
        )
    return rows


@login_required
def detail(request, reference: str):
    application = access_application(request.user, reference)
    version = terms.terms(application.product_code, application.product_version)
    is_owner = application.owner_id == request.user.pk
    contract = application.contract
    first = contract.instalments.order_by("due").first() if contract else None
    context = {
        "application": application,
        "rows": _person_rows(application),
        "is_owner": is_owner,
        "person_form": PersonForm(version=version, initial={"form_key": new_form_key()})
        if is_owner and application.status == ApplicationStatus.DRAFT
        else None,
        "payment_form": PaymentForm(
            initial={
                "paid_on": timezone.localdate(),
                "amount": first.outstanding if first else None,
            }
        )
        if first and first.paid_on is None and can_handle_billing(request.user)
        else None,
        "contract": contract,
        "instalments": list(contract.instalments.order_by("due")) if contract else [],
        "first": first,
        "cover_begins": tariffs.cover_begins(contract.start, first.paid_on) if first else None,
        "assumption": documents.assumption(application),
        "yearly": format_eur(application.yearly_premium) if application.yearly_premium else "",
        "payable": format_eur(application.payable_premium) if application.payable_premium else "",
    }
    return _private(render(request, "sales/detail.html", context))


def _owner_application(request, reference: str) -> Application:
    application = access_application(request.user, reference)
    if application.owner_id != request.user.pk:
        raise PermissionDenied
    return application


@login_required
def add_person(request, reference: str):
    application = _owner_application(request, reference)
    version = terms.terms(application.product_code, application.product_version)
    form = PersonForm(request.POST or None, version=version, initial={"form_key": new_form_key()})
    if submitted(
        request,
        form,
        lambda _data: actions.add_person(application, actor=request.user, **form.action_data()),
    ):
        return redirect("sales:detail", application.reference)
    return render(request, "sales/person.html", {"application": application, "form": form})


@login_required
@require_POST
def remove_person(request, pk: int):
    person = access_applicant(request.user, pk)
    reference = person.application.reference
    if person.application.owner_id != request.user.pk:
        raise PermissionDenied
    try:
        actions.remove_person(person, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("sales:detail", reference)


@login_required
def declaration(request, pk: int):
    person = access_applicant(request.user, pk)
    application = person.application
    reference = application.reference
    owner = application.owner_id == request.user.pk
    if not owner and not can_underwrite_applications(request.user):
        raise Http404(pk)
    existing = getattr(person, "declaration", None)
    initial = {"signed_by": "parent" if is_minor(person, application.start) else "self"}
    if existing is not None:
        initial = {
            "signed_by": existing.signed_by,
            "signer_name": existing.signer_name,
            **{f"q_{k}": "yes" if v else "no" for k, v in existing.answers.items()},
        }
    form = DeclarationForm(
        request.POST or None, questions=actions.questions_of(application), initial=initial
    )
    editable = owner and application.status == ApplicationStatus.DRAFT
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        sign = request.POST.get("action") == "sign"
        if submitted(
            request,
            form,
            lambda data: actions.save_declaration(
                person,
                actor=request.user,
                answers=form.answers(),
                signed_by=data["signed_by"],
                signer_name=data["signer_name"],
                sign=sign,
            ),
        ):
            messages.success(
                request,
                _("The declaration is signed.")
                if sign
                else _("The declaration is saved as a draft."),
            )
            return redirect("sales:detail", reference)
    record_view(request, verb="declaration_viewed", obj=person, application=application.reference)
    return _private(
        render(
            request,
            "sales/declaration.html",
            {
                "application": application,
                "person": person,
                "form": form,
                "declaration": existing,
                "editable": editable,
                "minor": is_minor(person, application.start),
                "valid_until": declaration_valid_until(existing.signed_on)
                if existing and existing.signed_on
                else None,
            },
        )
    )


def _post_action(request, reference: str, run, success: str):
    application = _owner_application(request, reference)
    try:
        run(application)
        messages.success(request, success)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("sales:detail", reference)


@login_required
@require_POST
def submit(request, reference: str):
    return _post_action(
        request,
        reference,
        lambda a: actions.submit_application(a, actor=request.user),
        _("The application is sent."),
    )


@login_required
@require_POST
def conclude(request, reference: str):
    return _post_action(
        request,
        reference,
        lambda a: actions.conclude_contract(a, actor=request.user),
        _("The contract is concluded. It comes into force once the first premium is paid."),
    )


@login_required
@require_POST
def payment(request, reference: str):
    if not can_handle_billing(request.user):
        raise PermissionDenied
    application = access_application(request.user, reference)
    form = PaymentForm(request.POST)
    if submitted(
        request,
        form,
        lambda data: actions.record_first_payment(application, actor=request.user, **data),
    ):
        messages.success(request, _("The payment is recorded."))
    else:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    return redirect("sales:detail", reference)


# ---- documents -------------------------------------------------------------------------------


def _decided(request, pk: int):
    person = access_applicant(request.user, pk)
    if person.decision == Decision.PENDING:
        raise Http404(pk)
    return person


@login_required
def letter(request, pk: int):
    person = _decided(request, pk)
    reference = person.application.reference
    language = _language(request)
    record_view(request, verb="underwriting_letter_viewed", obj=person, language=language)
    links = {
        "back": reverse("sales:detail", args=[reference]),
        "pdf": reverse("sales:letter_pdf", args=[pk]) + f"?lang={language}",
    }
    return _private(HttpResponse(documents.decision_html(person, language, links)))


@login_required
def letter_pdf(request, pk: int):
    person = _decided(request, pk)
    reference = person.application.reference
    language = _language(request)
    record_view(request, verb="underwriting_letter_downloaded", obj=person, language=language)
    return _pdf(documents.decision_pdf(person, language), f"{reference}-{pk}.pdf")


def _issued(request, reference: str) -> Application:
    application = access_application(request.user, reference)
    if application.contract is None:
        raise Http404(reference)
    return application


@login_required
def policy_pdf(request, reference: str):
    application = _issued(request, reference)
    language = _language(request)
    record_view(request, verb="policy_downloaded", obj=application.contract, language=language)
    return _pdf(documents.policy_pdf(application, language), f"{application.contract.number}.pdf")


def _card(request, pk: int):
    person = access_applicant(request.user, pk)
    if person.application.contract is None or not person.card_number:
        raise Http404(pk)
    url = request.build_absolute_uri(reverse("sales:card_check", args=[person.card_number]))
    return person, url


@login_required
def card_pdf(request, pk: int):
    person, url = _card(request, pk)
    return _pdf(documents.card_pdf(person, url, _language(request)), f"{person.card_number}.pdf")


@login_required
def card_png(request, pk: int):
    person, url = _card(request, pk)
    response = HttpResponse(
        documents.card_png(person, url, _language(request)), content_type="image/png"
    )
    response["Content-Disposition"] = content_disposition_header(False, f"{person.card_number}.png")
    return _private(response)


@access_required(can_check_card_eligibility)
def card_check(request, card: str):
    """What a provider sees when scanning a card: whether the person is covered today (004 Чл.24
    т.3: in force from 00:00 of the start, once the first premium is paid) and by what."""
    person = applicant_by_card(card)
    if person is None or person.member is None:
        raise Http404(card)
    contract = person.application.contract
    today = timezone.localdate()
    first = contract.instalments.order_by("due").first()
    begins = tariffs.cover_begins(contract.start, first.paid_on if first else None)
    covered = contract.in_force_on(today) and begins is not None and begins <= today
    record(actor=request.user, verb="card_checked", obj=person, card=person.card_number)
    return _private(
        render(
            request,
            "sales/card_check.html",
            {
                "person": person,
                "contract": contract,
                "covered": covered,
                "begins": begins,
                "today": today,
                "covers": documents.cover_lines(person.application, person),
            },
        )
    )


# ---- the underwriter -------------------------------------------------------------------------


@access_required(can_underwrite_applications)
def queue(request):
    return render(
        request,
        "sales/queue.html",
        {"persons": list(underwriting_queue()), "others": other_queue_rows()},
    )


@access_required(can_underwrite_applications)
def review(request, pk: int):
    person = Applicant.objects.select_related("application").filter(pk=pk).first()
    if person is None or person.application.status == ApplicationStatus.DRAFT:
        raise Http404(pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and submitted(
        request,
        form,
        lambda _data: actions.decide_person(person, actor=request.user, **form.action_data()),
    ):
        messages.success(request, _("The decision is recorded; the letter is ready."))
        return redirect("sales:queue")
    record_view(
        request, verb="declaration_viewed", obj=person, application=person.application.reference
    )
    declaration = getattr(person, "declaration", None)
    questions = actions.questions_of(person.application)
    language = get_language() or "bg"
    answers = [
        (q.title.get(language), declaration.answers.get(q.key) if declaration else None)
        for q in questions
    ]
    return _private(
        render(
            request,
            "sales/review.html",
            {
                "person": person,
                "application": person.application,
                "form": form,
                "answers": answers,
                "declaration": declaration,
                "covers": documents.cover_lines(person.application, person),
                "pending": person.decision == Decision.PENDING,
                "reasons": documents.reason_texts(person),
                "premium": format_eur(person.yearly_premium) if person.yearly_premium else "",
            },
        )
    )

"""The member's order in four steps (000 а) стъпки 12–15) and the payment step (стъпка 16).
Each step saves what it got, so the member can go back and come back later; the case page's
green button opens the first step not yet saved."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zdrave.base.ui.forms import submitted
from zdrave.member_services.second_opinion import actions, allowance, fetch, terms_of_use
from zdrave.member_services.second_opinion import opinion_fee as payment
from zdrave.member_services.second_opinion.forms import (
    ImagesForm,
    QuestionForm,
    ReviewForm,
    TermsForm,
    UploadForm,
)
from zdrave.member_services.second_opinion.models import CaseStatus, OpinionCase
from zdrave.member_services.second_opinion.views.cases import error_messages

STEPS = (
    (1, "order-specialist-and-question"),
    (2, "order-upload"),
    (3, "order-review-and-language"),
    (4, "order-terms"),
)


def _member_case(request, pk: int) -> OpinionCase:
    case = fetch.access_case(request.user, pk)
    if case.member_id != request.user.pk:
        raise Http404(pk)
    return case


@login_required
@require_http_methods(["GET", "POST"])
def order(request, pk: int, step: int):
    case = _member_case(request, pk)
    if case.status != CaseStatus.OPEN:
        return redirect("second_opinion:case", pk=case.pk)
    if step not in (1, 2, 3, 4) or step > case.order_step + 1:
        return redirect("second_opinion:order", pk=case.pk, step=min(case.order_step + 1, 4))
    handler = {1: _question, 2: _uploads, 3: _review, 4: _terms}[step]
    outcome = handler(request, case)
    if not isinstance(outcome, dict):
        return outcome
    svc = fetch.service_of(case)
    context = {
        "case": case,
        "step": step,
        "steps": step_titles(svc),
        "svc": svc,
        **outcome,
    }
    return render(request, f"second_opinion/order_{step}.html", context)


def step_titles(svc) -> list[tuple[int, str]]:
    language = get_language() or "bg"
    return [(n, svc.terms.step(code).title.get(language)) for n, code in STEPS]


def _next(case: OpinionCase, step: int):
    if step == actions.LAST_ORDER_STEP:
        return redirect("second_opinion:payment", pk=case.pk)
    return redirect("second_opinion:order", pk=case.pk, step=step + 1)


def _question(request, case: OpinionCase):
    """000 а) стъпка 12."""
    languages = actions.question_languages(case)
    initial = {
        "sex": case.sex,
        "age": case.age,
        "question": case.question,
        "question_language": case.question_language or languages[0],
    }
    form = QuestionForm(request.POST or None, initial=initial, languages=languages)
    if submitted(
        request, form, lambda data: actions.save_question(case, actor=request.user, **data)
    ):
        return _next(case, 1)
    same = case.specialist_id == case.requested_specialist_id
    return {"form": form, "same_specialist": same}


def _uploads(request, case: OpinionCase):
    """000 а) стъпка 13: uploads go to ``upload``; this form saves how the images arrive."""
    initial = {"images_delivery": case.images_delivery, "images_link": case.images_link}
    form = ImagesForm(request.POST or None, initial=initial)
    if submitted(
        request,
        form,
        lambda data: actions.save_images_delivery(
            case,
            actor=request.user,
            delivery=data["images_delivery"],
            link=data["images_link"] or "",
        ),
    ):
        return _next(case, 2)
    return {"form": form, "upload_form": UploadForm(), "files": case.documents()}


def _review(request, case: OpinionCase):
    """000 а) стъпка 14."""
    svc = fetch.service_of(case)
    files = list(case.documents())
    chosen = [str(f.pk) for f in files if f.send_to_specialist]
    initial = {"send": chosen, "report_language": case.report_language or request.user.language}
    form = ReviewForm(
        request.POST or None,
        initial=initial,
        files=files,
        report_languages=svc.terms.report_languages,
    )
    if submitted(
        request,
        form,
        lambda data: actions.save_review(
            case,
            actor=request.user,
            send_ids=form.send_ids(),
            report_language=data["report_language"],
        ),
    ):
        return _next(case, 3)
    return {
        "form": form,
        "files": files,
        "all_files": allowance.check(files, svc.terms.translation),
        "chosen": allowance.check(
            [f for f in files if f.send_to_specialist], svc.terms.translation
        ),
    }


def _terms(request, case: OpinionCase):
    """000 а) стъпка 15."""
    form = TermsForm(request.POST or None, initial={"version": terms_of_use.CURRENT_VERSION})
    if submitted(
        request,
        form,
        lambda data: actions.accept_terms(
            case, actor=request.user, accepted=data["accept"], version=data["version"]
        ),
    ):
        return _next(case, 4)
    return {
        "form": form,
        "terms_text": render_to_string(terms_of_use.TEMPLATE, {"case": case}),
        "terms_version": terms_of_use.CURRENT_VERSION,
        "sent_files": fetch.files_for_specialist(case),
    }


@login_required
@require_POST
def upload(request, pk: int):
    """000 а) стъпка 13: one file, by the member while ordering or by the team on their behalf."""
    case = fetch.access_case(request.user, pk)
    is_team = fetch.is_team_of(request.user, case)
    if case.member_id != request.user.pk and not is_team:
        raise Http404(pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            case_file = actions.add_case_file(
                case, form.cleaned_data["file"], actor=request.user, kind=form.cleaned_data["kind"]
            )
        except ValidationError as error:
            messages.error(request, _("File: %(reason)s") % {"reason": " ".join(error.messages)})
        else:
            messages.success(
                request, _("“%(name)s” was uploaded.") % {"name": case_file.file.original_name}
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    if is_team:
        return redirect("second_opinion:case", pk=case.pk)
    return redirect("second_opinion:order", pk=case.pk, step=2)


@login_required
@require_http_methods(["GET", "POST"])
def pay(request, pk: int):
    """000 а) стъпка 16: "тъй като клиентите … не заплащат за нищо": confirm and send."""
    case = _member_case(request, pk)
    if case.status != CaseStatus.OPEN:
        return redirect("second_opinion:case", pk=case.pk)
    if case.order_step < actions.LAST_ORDER_STEP:
        return redirect("second_opinion:order", pk=case.pk, step=case.order_step + 1)
    method = payment.method_for(fetch.service_of(case).terms)
    if request.method == "POST":
        try:
            actions.submit_order(case, actor=request.user)
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(
                request,
                _(
                    "Your case is sent to the %(partner)s team. We will e-mail you when the report is ready."
                )
                % {"partner": fetch.service_of(case).partner_name},
            )
            return redirect("second_opinion:case", pk=case.pk)
    return render(
        request,
        "second_opinion/payment.html",
        {
            "case": case,
            "method": method,
            "svc": fetch.service_of(case),
            "steps": step_titles(fetch.service_of(case)),
            "step": 5,
        },
    )

"""Renewal's pages: the holder's offers and proposals (members and employers acting for a
holder, ``can_answer_contract_offers``; only their own contracts), and the renewal desk
(``can_see_renewals``; the underwriter decides after a refusal, ``can_decide_repricing``).
Every form posts one action, then redirects; answering twice answers once."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zdrave.base.identity.permissions import (
    access_required,
    can_answer_contract_offers,
    can_decide_repricing,
    can_see_renewals,
)
from zdrave.base.ui.forms import submitted
from zdrave.contracts.models import TerminationReason
from zdrave.policy_admin.billing.fetch import termination_preview
from zdrave.policy_admin.renewal import actions, emails, fetch, forms
from zdrave.policy_admin.renewal.models import AnswerKind, AnswerOutcome, OfferStatus

holder_only = access_required(can_answer_contract_offers)
desk_only = access_required(can_see_renewals)
offer_readers = access_required(lambda u: can_answer_contract_offers(u) or can_see_renewals(u))


@holder_only
@require_GET
def mine(request):
    proposals = [(t, fetch.answer_of(t)) for t in fetch.holder_proposals(request.user)]
    return render(
        request,
        "renewal/mine.html",
        {"offers": fetch.holder_offers(request.user), "proposals": proposals},
    )


@offer_readers
@require_http_methods(["GET", "POST"])
def offer(request, pk: int):
    found = fetch.access_offer(request.user, pk)
    holder = fetch.holder_offers(request.user).filter(pk=found.pk).exists()
    if request.method == "POST":
        if not holder:
            raise Http404
        answer = request.POST.get("answer", "")
        try:
            if answer == "accept":
                done = actions.accept_offer(found, actor=request.user)
                messages.success(
                    request,
                    _("Renewed: your new contract is %(n)s.") % {"n": done.new_contract.number},
                )
            elif answer == "decline":
                actions.decline_offer(found, actor=request.user)
                messages.success(request, _("You declined the renewal offer."))
            else:
                messages.error(request, _("Answer: accept or decline the offer."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("renewal:offer", pk=found.pk)
    return render(
        request,
        "renewal/offer.html",
        {
            "offer": found,
            "persons": fetch.offered_persons(found),
            "holder": holder,
            "open": found.status == OfferStatus.OFFERED,
        },
    )


@offer_readers
@require_GET
def offer_letter(request, pk: int):
    found = fetch.access_offer(request.user, pk)
    return _pdf(emails.pdf("offer", found, found.contract), f"{found.contract.number}-offer")


@holder_only
@require_http_methods(["GET", "POST"])
def proposal(request, pk: int):
    task = fetch.access_proposal(request.user, pk)
    if request.method == "POST":
        try:
            answer = {"accept": AnswerKind.ACCEPTED, "refuse": AnswerKind.REFUSED}.get(
                request.POST.get("answer", ""), ""
            )
            row = actions.answer_repricing(task, actor=request.user, answer=answer)
            if row.answer == AnswerKind.ACCEPTED:
                messages.success(request, _("Accepted: annex %(n)s.") % {"n": row.number})
            else:
                messages.success(request, _("You refused the higher premium."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("renewal:proposal", pk=task.pk)
    return render(
        request,
        "renewal/proposal.html",
        {"task": task, "answer": fetch.answer_of(task), "open": fetch.open_proposal(task)},
    )


@holder_only
@require_GET
def annex_letter(request, pk: int):
    task = fetch.access_proposal(request.user, pk)
    answer = fetch.answer_of(task)
    if answer is None or answer.answer != AnswerKind.ACCEPTED:
        raise Http404
    return _pdf(emails.pdf("annex", answer, task.contract), answer.number)


@desk_only
@require_GET
def desk(request):
    return render(
        request,
        "renewal/desk.html",
        {"offers": fetch.desk_offers(), "answers": fetch.waiting_answers()},
    )


@desk_only
@require_http_methods(["GET", "POST"])
def answer(request, pk: int):
    found = fetch.access_answer(pk)
    may_decide = can_decide_repricing(request.user) and found.outcome == AnswerOutcome.WAITING
    action = request.POST.get("action", "")
    keep = forms.KeepForm(request.POST if action == "keep" else None)
    end = forms.TerminateForm(request.POST if action == "terminate" else None)
    if request.method == "POST":
        if not may_decide:
            raise Http404
        done = None
        if action == "keep":
            done = submitted(
                request, keep, lambda d: actions.keep_contract(found, actor=request.user, **d)
            )
        elif action == "terminate":
            done = submitted(
                request,
                end,
                lambda d: actions.terminate_after_refusal(found, actor=request.user, **d),
            )
        if done is not None:
            messages.success(request, _("Decision recorded."))
            return redirect("renewal:answer", pk=found.pk)
    contract = found.task.contract
    money = None
    if may_decide:
        money = termination_preview(
            contract, TerminationReason.REPRICING_REFUSED, timezone.localdate()
        )
    return render(
        request,
        "renewal/answer.html",
        {"answer": found, "contract": contract, "may_decide": may_decide, "keep": keep,
         "end": end, "money": money},
    )  # fmt: skip


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{name}.pdf")
    return response

"""Pages of the group sale: the employer's public quote with its census and the application;
the declaration link an employee opens; the staff list and the page where an underwriter issues
the contract. Thin: a form, one action, a redirect."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zdrave.base.identity.permissions import (
    access_required,
    can_issue_group_contracts,
    can_open_sales_application,
    can_resend_declaration_links,
    can_see_sales_applications,
    is_signed_in,
)
from zdrave.base.ui.forms import add_action_errors, submitted
from zdrave.engine.money import format_eur
from zdrave.policy_admin.groups.census import CensusFileError, header_label
from zdrave.policy_admin.groupsales import actions, headcount, reminders
from zdrave.policy_admin.groupsales.forms import EmployerForm, GroupQuoteForm, HeadcountForm
from zdrave.policy_admin.groupsales.models import DeclarationLink, GroupSale
from zdrave.policy_admin.sales import tariff as tariffs
from zdrave.policy_admin.sales.actions import questions_of
from zdrave.policy_admin.sales.fetch import is_minor
from zdrave.policy_admin.sales.forms import DeclarationForm, new_form_key
from zdrave.policy_admin.sales.models import Applicant, ApplicationStatus, Decision

SESSION_QUOTE = "groupsales.quote"
SESSION_APPLIED = "groupsales.applied"
# The head-count estimate (no person data), shown on the census page until a census replaces it.
SESSION_ESTIMATE = "groupsales.estimate"


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


def _tariff(start: dt.date | None = None):
    start = start or timezone.localdate()
    version = tariffs.product_for(start)
    return tariffs.tariff_for(version.product, version.effective_from, start)


def _result(rows, price):
    return {
        "count": len(rows),
        "discount": price.group_discount_percent,
        "per_person": format_eur(price.yearly / len(rows)) if rows else "",
        "yearly": format_eur(price.yearly),
        "payable": format_eur(price.payable),
        "instalments": price.instalment_count,
        "instalment": format_eur(price.instalments[-1]),
        "first": format_eur(price.instalments[0]),
        "persons": [
            {
                "name": f"{r['first_name']} {r['last_name']}",
                "role": r["role"],
                "yearly": format_eur(p.yearly),
            }
            for r, p in zip(rows, price.persons, strict=True)
        ],
    }


def quote(request):
    """The employer's quote (public): the census file priced by the tariff's group band."""
    tariff = _tariff()
    today = timezone.localdate()
    first_of_next_month = dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    estimate = request.session.get(SESSION_ESTIMATE)
    form = GroupQuoteForm(
        request.POST or None,
        request.FILES or None,
        tariff=tariff,
        initial={
            "start": estimate["start"] if estimate else first_of_next_month,
            "instalments": estimate["instalments"] if estimate else 1,
        },
    )
    found = result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["census"]
        start = form.cleaned_data["start"]
        try:
            found = actions.read_group_census(upload.name, upload.read(), start=start)
            if found.rows:
                price = actions.price_group(
                    found.rows, start=start, instalments=form.cleaned_data["instalments"]
                )
                result = _result(found.rows, price)
        except CensusFileError as exc:
            form.add_error("census", exc.messages)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        if found is not None and result is not None and not found.errors:
            if len(found.rows) < found.minimum:
                form.add_error(
                    "census",
                    _(
                        "Census: a group contract insures %(minimum)s or more people; the file "
                        "has %(count)s (004 Чл.24 т.2)."
                    )
                    % {"minimum": found.minimum, "count": len(found.rows)},
                )
            else:
                # The census replaces the head-count estimate (its price is the one applied for).
                request.session.pop(SESSION_ESTIMATE, None)
                request.session[SESSION_QUOTE] = {
                    "start": start.isoformat(),
                    "instalments": form.cleaned_data["instalments"],
                    "rows": found.rows,
                    "declarations": found.declarations_needed,
                }
    quoted = request.session.get(SESSION_QUOTE) if result and not found.errors else None
    return _private(
        render(
            request,
            "groupsales/quote.html",
            {
                "form": form,
                "found": found,
                "result": result,
                "errors": [
                    {
                        **e,
                        "column_label": header_label(e["column"])
                        if e["column"] in _COLUMNS
                        else e["column"],
                    }
                    for e in (found.errors if found else [])
                ],
                "employer_form": EmployerForm(initial={"form_key": new_form_key()})
                if quoted
                else None,
                "assumption": tariff.assumption.get(request.LANGUAGE_CODE or "bg"),
                "estimate": request.session.get(SESSION_ESTIMATE),
                "replaced": estimate if estimate and quoted else None,
            },
        )
    )


def _first_of_next_month() -> dt.date:
    today = timezone.localdate()
    return dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)


def headcount_quote(request):
    """The quick quote by head-count (public): people per age band and the packages, priced by
    the same tariff as a census (004 Чл.24 т.2 group band, 004 Чл.1 age band); nothing stored."""
    start = _first_of_next_month()
    version = tariffs.product_for(start)
    tariff = _tariff(start)
    form = HeadcountForm(
        request.POST or None,
        tariff=tariff,
        version=version,
        initial={"start": start, "instalments": 1},
    )
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            found = headcount.estimate(
                start=form.cleaned_data["start"],
                instalments=form.cleaned_data["instalments"],
                choices=form.choices(),
                counts=form.counts(),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            result = _estimate_result(found)
            request.session[SESSION_ESTIMATE] = {
                "start": form.cleaned_data["start"].isoformat(),
                "instalments": found.instalment_count,
                "count": found.count,
                "yearly": result["yearly"],
                "payable": result["payable"],
            }
    return _private(
        render(
            request,
            "groupsales/headcount.html",
            {
                "form": form,
                "result": result,
                "minimum": headcount.minimum_size(start),
                "assumption": tariff.assumption.get(request.LANGUAGE_CODE or "bg"),
            },
            status=400 if request.method == "POST" and result is None else 200,
        )
    )


def _estimate_result(found) -> dict:
    return {
        "count": found.count,
        "discount": found.group_discount_percent,
        "per_person": format_eur(found.per_person),
        "yearly": format_eur(found.yearly),
        "payable": format_eur(found.payable),
        "instalments": found.instalment_count,
        "instalment": format_eur(found.instalments[-1]),
        "first": format_eur(found.instalments[0]),
        "declarations_needed": found.declarations_needed,
        "waiver_over": found.waiver_over,
        "lines": [
            {
                "ages": f"{line.band.from_years}–{line.band.to_years}",
                "employees": line.employees,
                "family": line.family,
                "per_person": format_eur(line.per_person),
                "yearly": format_eur(line.yearly),
            }
            for line in found.lines
        ],
    }


_COLUMNS = (
    "egn",
    "first_name",
    "middle_name",
    "last_name",
    "role",
    "packages",
    "option",
    "clause",
    "email",
)


@require_POST
def apply(request):
    quoted = request.session.get(SESSION_QUOTE)
    if not quoted:
        messages.error(request, _("Upload the census and see the premium first."))
        return redirect("groupsales:quote")
    form = EmployerForm(request.POST)
    if application := submitted(
        request,
        form,
        lambda data: actions.apply_for_group(
            actor=request.user,
            start=dt.date.fromisoformat(quoted["start"]),
            instalments=int(quoted["instalments"]),
            rows=quoted["rows"],
            site_url=request.build_absolute_uri("/"),
            **data,
        ),
    ):
        request.session.pop(SESSION_QUOTE, None)
        request.session[SESSION_APPLIED] = application.reference
        return redirect("groupsales:applied")
    return _private(
        render(request, "groupsales/apply_errors.html", {"employer_form": form}, status=400)
    )


def applied(request):
    reference = request.session.get(SESSION_APPLIED)
    sale = GroupSale.objects.filter(application__reference=reference).first() if reference else None
    if sale is None:
        raise Http404
    return _private(
        render(
            request, "groupsales/applied.html", {"sale": sale, **_missing(sale, can_resend=False)}
        )
    )


def _missing(sale, *, can_resend: bool) -> dict:
    return {
        "missing": reminders.missing(sale),
        "can_resend": can_resend,
        "remind_after": reminders.REMIND_AFTER,
        "max_reminders": reminders.MAX_REMINDERS,
    }


def employer_progress(request, reference: str):
    """The employer's own group application: who has not filled in the declaration yet, with
    the reminders sent (names and counts only, never an answer or a decision). Another
    employer's group is not found."""
    if not is_signed_in(request.user):
        return redirect_to_login(request.get_full_path())
    sale = (
        GroupSale.objects.select_related("application")
        .filter(application__reference=reference)
        .first()
    )
    if sale is None or not can_open_sales_application(request.user, sale.application):
        raise Http404(reference)
    return _private(
        render(
            request,
            "groupsales/progress.html",
            {"sale": sale, "application": sale.application, **_missing(sale, can_resend=False)},
        )
    )


# ---- the declaration link --------------------------------------------------------------------


def _link(token: str):
    try:
        return actions.link_for(token)
    except actions.LinkRefused:
        raise Http404 from None


def declare(request, token: str):
    link = _link(token)
    persons = [
        {
            "person": p,
            "declaration": getattr(p, "declaration", None),
            "open": actions.sales.awaits_declaration(p),
        }
        for p in link.persons.select_related("application").order_by("pk")
    ]
    return _private(
        render(
            request, "groupsales/declare.html", {"link": link, "persons": persons, "token": token}
        )
    )


def declare_person(request, token: str, pk: int):
    link = _link(token)
    person = link.persons.select_related("application").filter(pk=pk).first()
    if person is None:
        raise Http404(pk)
    application = person.application
    minor = is_minor(person, application.start)
    existing = getattr(person, "declaration", None)
    initial = {"signed_by": "parent" if minor else "self"}
    if existing is not None:
        initial = {
            "signed_by": existing.signed_by,
            "signer_name": existing.signer_name,
            **{f"q_{k}": "yes" if v else "no" for k, v in existing.answers.items()},
        }
    form = DeclarationForm(
        request.POST or None, questions=questions_of(application), initial=initial
    )
    sign = request.POST.get("action") == "sign"
    if submitted(
        request,
        form,
        lambda data: actions.sign_declaration(
            link,
            person,
            answers=form.answers(),
            signed_by=data["signed_by"],
            signer_name=data["signer_name"],
            sign=sign,
        ),
    ):
        messages.success(
            request,
            _("The declaration is signed.") if sign else _("The declaration is saved as a draft."),
        )
        return redirect("groupsales:declare", token)
    return _private(
        render(
            request,
            "groupsales/declaration.html",
            {
                "person": person,
                "form": form,
                "minor": minor,
                "editable": actions.sales.awaits_declaration(person),
                "token": token,
            },
        )
    )


# ---- staff -----------------------------------------------------------------------------------


@access_required(can_see_sales_applications)
def staff_list(request):
    sales = GroupSale.objects.select_related("application__contract").order_by("-created_at")[:200]
    return render(request, "groupsales/staff_list.html", {"sales": sales})


@access_required(can_see_sales_applications)
def staff_detail(request, reference: str):
    sale = (
        GroupSale.objects.select_related("application__contract")
        .filter(application__reference=reference)
        .first()
    )
    if sale is None:
        raise Http404(reference)
    application = sale.application
    persons = list(application.persons.order_by("pk"))
    counts = {d: sum(1 for p in persons if p.decision == d) for d in Decision.values}
    waiting = sum(1 for p in persons if actions.sales.awaits_declaration(p))
    return _private(
        render(
            request,
            "groupsales/staff_detail.html",
            {
                "sale": sale,
                "application": application,
                "persons": persons,
                "counts": counts,
                "waiting": waiting,
                "links": sale.links.count(),
                **_missing(sale, can_resend=can_resend_declaration_links(request.user)),
                "can_issue": can_issue_group_contracts(request.user)
                and application.status == ApplicationStatus.ACCEPTED,
                "payable": format_eur(application.payable_premium)
                if application.payable_premium
                else "",
            },
        )
    )


@access_required(can_issue_group_contracts)
@require_POST
def issue(request, reference: str):
    sale = GroupSale.objects.filter(application__reference=reference).first()
    if sale is None:
        raise Http404(reference)
    try:
        actions.issue_group_contract(sale.application, actor=request.user)
        messages.success(
            request,
            _(
                "The group contract is issued; the employer is e-mailed its sign-in link and the policy."
            ),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("groupsales:staff_detail", reference)


@access_required(can_resend_declaration_links)
@require_POST
def resend(request, reference: str, pk: int):
    """Sales staff re-send one declaration link by hand: a new link, by e-mail only."""
    link = (
        DeclarationLink.objects.select_related("group_sale__application")
        .filter(pk=pk, group_sale__application__reference=reference)
        .first()
    )
    if link is None:
        raise Http404(pk)
    try:
        seen = int(request.POST.get("seen", ""))
    except ValueError:
        messages.error(request, _("The page was out of date: nothing was sent. Try again."))
        return redirect("groupsales:staff_detail", reference)
    try:
        reminders.resend_link(link, actor=request.user, seen_reminders=seen)
        messages.success(
            request,
            _("A new link is e-mailed to %(email)s; the one sent before no longer works.")
            % {"email": link.email},
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("groupsales:staff_detail", reference)


def person_label(person: Applicant) -> str:
    return person.full_name

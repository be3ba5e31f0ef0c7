"""The group pages (issue 11): the group's census with its annexes, the census upload with its
preview and apply, one person added or removed by annex, the annex document, preventive
examinations (004 Чл.30 т.3). Employers see only their own group (``fetch.access_group``, 404
for any other); underwriters and administrators every group. Views parse, call one action and
render."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zdrave.base.audit.models import record_view
from zdrave.base.identity.permissions import (
    can_change_group,
    can_request_examinations,
    can_schedule_examinations,
    can_underwrite_applications,
)
from zdrave.base.letters.kit import html_page, pdf_download, private
from zdrave.base.ui.forms import add_action_errors, submitted
from zdrave.contracts.models import IdKind, MemberRole, Option
from zdrave.engine.calendar import add_months
from zdrave.engine.contract_changes import FAMILY_JOIN_MONTHS
from zdrave.policy_admin.groups import actions, fetch
from zdrave.policy_admin.groups.census import COLUMNS, header_label, members_in_force
from zdrave.policy_admin.groups.forms import (
    AddPersonForm,
    CensusUploadForm,
    ExaminationRequestForm,
    FamilyMemberForm,
    FamilyRemoveForm,
    RemovePersonForm,
    ScheduleForm,
)
from zdrave.policy_admin.groups.letters import (
    annex_pdf,
    family_decision_html,
    family_decision_pdf,
    referred_questions,
)
from zdrave.policy_admin.groups.models import Annex, ChangeKind, FamilyRequest
from zdrave.policy_admin.sales.forms import DecisionForm
from zdrave.policy_admin.sales.models import Decision

PREVIEW_ROWS = 200


def _changer(request, number: str):
    contract = fetch.access_group(request.user, number)
    if not can_change_group(request.user):
        raise PermissionDenied
    return contract


@login_required
@require_GET
def home(request):
    contracts = list(fetch.group_contracts(request.user))
    if not contracts and not (
        can_change_group(request.user) or can_schedule_examinations(request.user)
    ):
        raise PermissionDenied
    if len(contracts) == 1 and can_request_examinations(request.user):
        # The employer's "My group" is its one group's page itself.
        return group(request, contracts[0].number)
    return render(request, "groups/home.html", {"contracts": contracts})


def _display(row: dict) -> dict:
    return {
        **row,
        "name": " ".join(p for p in (row["first_name"], row["middle_name"], row["last_name"]) if p),
        "role_label": MemberRole(row["role"]).label
        if row["role"] in MemberRole.values
        else row["role"],
        "option_label": Option(row["option"]).label if row["option"] in Option.values else "",
        "package_text": ", ".join(sorted(row["packages"], key=int)),
    }


@login_required
@require_GET
def group(request, number: str):
    contract = fetch.access_group(request.user, number)
    rows = fetch.census_rows(contract)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "groups/group.html",
        {
            "contract": contract,
            "page": page,
            "rows": [_display(r) for r in page.object_list],
            "count": len(rows),
            "annexes": contract.annexes.all()[:20],
            "requests": contract.examination_requests.all()[:10],
            "may_change": can_change_group(request.user),
            "may_request": can_request_examinations(request.user),
        },
    )


def _clauses(packages: dict[str, str]) -> str:
    """One clause when every package has it, else one per package in the packages' order (as
    ``census.check_rows`` reads it back)."""
    clauses = [packages[p] for p in sorted(packages, key=int)]
    return clauses[0] if len(set(clauses)) == 1 else ", ".join(clauses)


def _census_table(contract) -> tuple[list[str], list[list[str]]]:
    header = [header_label(c) for c in COLUMNS]
    body = [
        [
            row["egn"],
            row["first_name"],
            row["middle_name"],
            row["last_name"],
            str(MemberRole(row["role"]).label),
            ", ".join(sorted(row["packages"], key=int)),
            str(Option(row["option"]).label) if row["option"] else "",
            _clauses(row["packages"]),
        ]
        for row in fetch.census_rows(contract)
    ]
    return header, body


@login_required
@require_GET
def census_csv(request, number: str):
    contract = fetch.access_group(request.user, number)
    header, body = _census_table(contract)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    writer.writerows(body)
    response = HttpResponse(
        ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"census-{contract.number}.csv"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def census_xlsx(request, number: str):
    from openpyxl import Workbook  # noqa: PLC0415 - heavy, and only for this download

    contract = fetch.access_group(request.user, number)
    header, body = _census_table(contract)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(contract.number)
    sheet.append(header)
    for row in body:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"census-{contract.number}.xlsx"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def upload(request, number: str):
    contract = _changer(request, number)
    form = CensusUploadForm(request.POST or None, request.FILES or None)
    found = submitted(
        request,
        form,
        lambda data: actions.preview_census(
            contract,
            actor=request.user,
            file_name=data["file"].name,
            data=data["file"].read(),
            effective=data["effective"],
        ),
        field="file",
    )
    if found:
        return redirect("groups:preview", contract.number, found.pk)
    return render(request, "groups/upload.html", {"contract": contract, "form": form})


@login_required
def preview(request, number: str, pk: int):
    contract = _changer(request, number)
    found = fetch.access_upload(request.user, contract, pk)
    diff = found.diff
    return render(
        request,
        "groups/preview.html",
        {
            "contract": contract,
            "upload": found,
            "added": [_display(r) for r in diff["added"][:PREVIEW_ROWS]],
            "removed": [
                _display(
                    {
                        **r,
                        "role": r.get("role", ""),
                        "packages": r.get("packages", {}),
                        "option": r.get("option", ""),
                    }
                )
                for r in diff["removed"][:PREVIEW_ROWS]
            ],
            "changed": [_display(r) for r in diff["changed"][:PREVIEW_ROWS]],
            "counts": {k: len(diff[k]) for k in ("added", "removed", "changed")},
            "errors": found.errors[:PREVIEW_ROWS],
            "error_rows": len({e["row"] for e in found.errors}),
            "more": PREVIEW_ROWS,
        },
    )


@login_required
@require_POST
def apply(request, number: str, pk: int):
    contract = _changer(request, number)
    found = fetch.access_upload(request.user, contract, pk)
    try:
        annex = actions.apply_census(found, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("groups:preview", contract.number, found.pk)
    messages.success(
        request, _("Annex %(number)s is made; the group is changed.") % {"number": annex.number}
    )
    return redirect("groups:annex", annex.number)


def _row(data: dict) -> dict:
    return {k: data.get(k, "") for k in COLUMNS}


@login_required
def add_person(request, number: str):
    contract = _changer(request, number)
    form = AddPersonForm(request.POST or None)
    annex = submitted(
        request,
        form,
        lambda data: actions.add_person(
            contract,
            _row(data),
            actor=request.user,
            effective=data["effective"],
            key=data["form_key"],
        ),
    )
    if annex:
        messages.success(request, _("Annex %(number)s is made.") % {"number": annex.number})
        return redirect("groups:annex", annex.number)
    return render(request, "groups/add_person.html", {"contract": contract, "form": form})


@login_required
def remove_person(request, number: str):
    contract = _changer(request, number)
    form = RemovePersonForm(request.POST or None)
    annex = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = (
            members_in_force(contract, data["effective"])
            .filter(person__id_kind=IdKind.EGN, person__id_number=data["egn"].strip())
            .select_related("person", "contract")
            .first()
        )
        if member is None:
            form.add_error("egn", _("ЕГН: nobody with this ЕГН is in the group."))
        else:
            try:
                annex = actions.remove_person(
                    member, actor=request.user, effective=data["effective"], key=data["form_key"]
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
    if annex:
        messages.success(request, _("Annex %(number)s is made.") % {"number": annex.number})
        return redirect("groups:annex", annex.number)
    return render(request, "groups/remove_person.html", {"contract": contract, "form": form})


# -- a family contract's holder (004 Чл.27 т.2) ---------------------------------------------------


@login_required
@require_GET
def family_home(request):
    contract = fetch.family_contracts(request.user).first()
    if contract is None:
        raise Http404
    return redirect("groups:family", contract.number)


@login_required
@require_GET
def family(request, number: str):
    contract = fetch.access_family(request.user, number)
    members = contract.members.select_related("person", "special_conditions").order_by("id")
    return render(
        request,
        "groups/family.html",
        {
            "contract": contract,
            "members": list(members),
            "annexes": list(contract.annexes.order_by("-id")),
            "requests": list(contract.family_requests.select_related("annex").order_by("-id")),
            "last_day_to_add": add_months(contract.start, FAMILY_JOIN_MONTHS),
        },
    )


@login_required
def family_add(request, number: str):
    contract = fetch.access_family(request.user, number)
    form = FamilyMemberForm(
        request.POST or None,
        questions=actions.declaration_questions(contract),
        language=(get_language() or "bg")[:2],
        initial={"signer_name": contract.holder.name},
    )
    annex = submitted(
        request,
        form,
        lambda data: actions.add_family_member(
            contract,
            {k: data[k] for k in ("egn", "first_name", "middle_name", "last_name", "role")},
            answers=form.answers(),
            signer_name=data["signer_name"],
            actor=request.user,
            effective=data["effective"],
            key=data["form_key"],
        ),
    )
    if isinstance(annex, FamilyRequest):
        messages.success(
            request,
            _(
                "The health declaration goes to an underwriter (004 Чл.9–10); you will get an "
                "e-mail with the decision. The request is listed on this page."
            ),
        )
        return redirect("groups:family", contract.number)
    if isinstance(annex, Annex):
        messages.success(request, _("Annex %(number)s is made.") % {"number": annex.number})
        return redirect("groups:annex", annex.number)
    questions = [form[f"q_{key}"] for key in form.question_keys]
    person = [f for f in form.visible_fields() if not f.name.startswith("q_")]
    return render(
        request,
        "groups/family_add.html",
        {"contract": contract, "form": form, "person_fields": person, "questions": questions},
    )


@login_required
def family_remove(request, number: str, member: int):
    contract = fetch.access_family(request.user, number)
    found = contract.members.select_related("person", "contract").filter(pk=member).first()
    if found is None:
        raise Http404(member)
    form = FamilyRemoveForm(request.POST or None)
    annex = submitted(
        request,
        form,
        lambda data: actions.remove_family_member(
            found, actor=request.user, effective=data["effective"], key=data["form_key"]
        ),
    )
    if annex:
        messages.success(request, _("Annex %(number)s is made.") % {"number": annex.number})
        return redirect("groups:annex", annex.number)
    return render(
        request, "groups/family_remove.html", {"contract": contract, "member": found, "form": form}
    )


def _annex_language(request) -> str:
    asked = request.GET.get("lang", "")
    return asked if asked in ("bg", "en") else (get_language() or "bg")[:2]


@login_required
@require_GET
def annex(request, number: str):
    found = fetch.access_annex(request.user, number)
    lines = found.lines.order_by("change", "id")
    page = Paginator(lines, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "groups/annex.html",
        {
            "annex": found,
            "contract": found.contract,
            "page": page,
            "counts": {c.label: found.lines.filter(change=c.value).count() for c in ChangeKind},
        },
    )


@login_required
@require_GET
def annex_document(request, number: str):
    found = fetch.access_annex(request.user, number)
    language = _annex_language(request)
    pdf = annex_pdf(found, language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{found.number}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def request_examinations(request, number: str):
    contract = fetch.access_group(request.user, number)
    if not can_request_examinations(request.user):
        raise PermissionDenied
    form = ExaminationRequestForm(request.POST or None)
    found = submitted(
        request,
        form,
        lambda data: actions.request_examinations(
            contract,
            actor=request.user,
            period_from=data["period_from"],
            period_to=data["period_to"],
            places=data["places"],
            key=data["form_key"],
        ),
    )
    if found:
        messages.success(request, _("Your request is sent; the insurer will schedule the dates."))
        return redirect("groups:examinations", contract.number, found.pk)
    return render(request, "groups/request_examinations.html", {"contract": contract, "form": form})


@login_required
def examinations(request, number: str, pk: int):
    contract = fetch.access_group(request.user, number)
    found = fetch.access_request(request.user, contract, pk)
    may_schedule = can_schedule_examinations(request.user)
    form = ScheduleForm(request.POST or None) if may_schedule else None
    if request.method == "POST":
        if not may_schedule:
            raise PermissionDenied
        done = submitted(
            request,
            form,
            lambda data: actions.schedule_examinations(
                found,
                actor=request.user,
                provider=data["provider"],
                days=form.days(),
                reserve=data["reserve"],
            ),
        )
        if done:
            messages.success(request, _("The dates are scheduled."))
            return redirect("groups:examinations", contract.number, found.pk)
    slots = found.slots.select_related("member__person").order_by("day", "reserve", "id")
    page = Paginator(slots, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "groups/examinations.html",
        {"contract": contract, "request_row": found, "form": form, "page": page},
    )


@login_required
@require_GET
def my_slots(request):
    slots = fetch.member_slots(request.user)
    return render(request, "groups/my_slots.html", {"slots": slots})


# -- a family member referred to the underwriter (004 Чл.9–10, Чл.27 т.2) ------------------------


@login_required
def family_request(request, pk: int):
    """The underwriter decides here, with the sales decision form; the holder follows it."""
    found = fetch.access_family_request(request.user, pk)
    deciding = can_underwrite_applications(request.user)
    form = DecisionForm(request.POST or None) if deciding else None
    if request.method == "POST":
        if not deciding:
            raise PermissionDenied
        done = submitted(
            request,
            form,
            lambda _data: actions.decide_family_request(
                found, actor=request.user, **form.action_data()
            ),
        )
        if done:
            messages.success(request, _("The decision is recorded; the letter is sent."))
            return redirect("sales:queue")
    record_view(request, verb="declaration_viewed", obj=found, contract=found.contract.number)
    language = (get_language() or "bg")[:2]
    answers = [
        (q.title.get(language), found.answers.get(q.key))
        for q in actions.declaration_questions(found.contract)
    ]
    return private(
        render(
            request,
            "groups/family_request.html",
            {
                "request_row": found,
                "contract": found.contract,
                "form": form,
                "deciding": deciding,
                "pending": found.decision == Decision.PENDING,
                "answers": answers,
                "questions": referred_questions(found, language),
            },
        )
    )


def _decided_request(request, pk: int) -> FamilyRequest:
    found = fetch.access_family_request(request.user, pk)
    if found.decision == Decision.PENDING:
        raise Http404(pk)
    return found


@login_required
@require_GET
def family_request_letter(request, pk: int):
    found = _decided_request(request, pk)
    language = _annex_language(request)
    record_view(request, verb="family_decision_letter_viewed", obj=found, language=language)
    links = {
        "back": reverse("groups:family_request", args=[pk]),
        "pdf": reverse("groups:family_request_pdf", args=[pk]) + f"?lang={language}",
    }
    return html_page(family_decision_html(found, language, links))


@login_required
@require_GET
def family_request_pdf(request, pk: int):
    found = _decided_request(request, pk)
    language = _annex_language(request)
    record_view(request, verb="family_decision_letter_downloaded", obj=found, language=language)
    return pdf_download(
        family_decision_pdf(found, language), f"{found.contract.number}-request-{pk}.pdf"
    )

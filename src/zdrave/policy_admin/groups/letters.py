"""The annex as a document (004 Чл.27 т.1–2: a change "отразено в анекс"): HTML and PDF through
``zdrave.base.letters``, in the holder's language chosen by the reader."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import override

from zdrave.base.letters.render import render_html, render_pdf
from zdrave.contracts.models import Option
from zdrave.policy_admin.groups.models import Annex, ChangeKind, FamilyRequest
from zdrave.policy_admin.sales.models import Decision
from zdrave.products import terms

TEMPLATE = "groups/letters/annex.html"


def annex_context(annex: Annex, language: str) -> dict:
    with override(language):
        contract = annex.contract
        lines = [
            {
                "change": str(ChangeKind(line.change).label),
                "name": line.name,
                "cover": _cover_text(line),
                "premium": line.premium,
            }
            for line in annex.lines.order_by("change", "id")
        ]
        return {
            "reference": annex.number,
            "date": annex.created_at.date(),
            "subject": _("Annex %(number)s to contract %(contract)s")
            % {"number": annex.number, "contract": contract.number},
            "recipient": [contract.holder.name],
            "annex_row": annex,
            "contract": contract,
            "lines": lines,
            "paragraphs": [
                _(
                    "By this annex the insured people of contract %(contract)s change as listed "
                    "below from 00:00 on %(date)s (004 Чл.27 т.2). A person removed is covered "
                    "until the day before."
                )
                % {"contract": contract.number, "date": annex.effective.strftime("%d.%m.%Y")},
                _("Notified on %(date)s (004 Чл.24 т.4).")
                % {"date": annex.notified_on.strftime("%d.%m.%Y")},
            ],
            "signature": _("The insurer"),
        }


def _cover_text(line) -> str:
    if not line.packages:
        return ""
    parts = [_("Packages %(numbers)s") % {"numbers": ", ".join(map(str, line.packages))}]
    if line.option:
        parts.append(_("option %(option)s") % {"option": Option(line.option).label})
    if line.clause:
        parts.append(line.clause)
    return " · ".join(parts)


def annex_pdf(annex: Annex, language: str) -> bytes:
    return render_pdf(TEMPLATE, annex_context(annex, language), language=language)


# -- the underwriter's decision on a referred family member (004 Чл.10) -------------------------

FAMILY_DECISION = "groups/letters/family_request.html"


def referred_questions(request: FamilyRequest, language: str) -> list[str]:
    """The questions answered "yes" that sent the person to the underwriter, with the clause."""
    titles = {q.key: q for q in _questions(request.contract)}
    return [
        f"{titles[r['key']].title.get(language) if r['key'] in titles else r['key']} "
        f"({r['clause']})"
        for r in request.referred
    ]


def _questions(contract):
    version = terms.terms(contract.product_code, contract.product_version)
    return list(version.underwriting.declaration.questions) if version.underwriting else []


def family_decision_context(request: FamilyRequest, language: str) -> dict:
    with override(language):
        contract = request.contract
        return {
            "reference": f"{contract.number}-R{request.pk:03d}",
            "date": request.decided_on,
            "subject": _("Adding %(name)s to family contract %(contract)s")
            % {"name": request.full_name, "contract": contract.number},
            "recipient": [contract.holder.name],
            "request": request,
            "contract": contract,
            "declined": request.decision == Decision.DECLINED,
            "special": request.decision == Decision.SPECIAL,
            "questions": referred_questions(request, language),
            "signature": _("The insurer"),
        }


def family_decision_html(request: FamilyRequest, language: str, links: dict) -> str:
    return render_html(
        FAMILY_DECISION,
        {**family_decision_context(request, language), "links": links},
        language=language,
    )


def family_decision_pdf(request: FamilyRequest, language: str) -> bytes:
    return render_pdf(
        FAMILY_DECISION, family_decision_context(request, language), language=language
    )

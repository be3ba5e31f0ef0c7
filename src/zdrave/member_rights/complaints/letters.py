"""The written answer to a complaint (001 т.79 / 003 т.77), in Bulgarian or English, as HTML for
the browser and as a PDF (``zdrave.base.letters``): what was received and when, the outcome and
its reasons (001 т.80 / 003 т.78), the claim reopened where the complaint was upheld, whether
the answer kept its deadline, and the complainant's further options — the Financial
Supervision Commission and the court, from the product's own clauses (004 Чл.31 т.2; 001 т.80,
т.82; 003 т.78, т.81) and the prescription of rights (004 Чл.31 т.1; 001 т.83; 003 т.82)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zdrave.base.letters.kit import SUPERVISOR_SITE, insurer_letterhead
from zdrave.base.letters.render import Letterhead, default_letterhead, render_html, render_pdf
from zdrave.member_rights.complaints.models import Complaint, Outcome
from zdrave.products.terms import terms

TEMPLATE = "complaints/letters/answer.html"
# Best Doctors: the clause naming the supervisor and the clause naming the court, by seed.
ABROAD_ROUTES = {"001": ("001 т.80", "001 т.82"), "003": ("003 т.78", "003 т.81")}


@dataclass(frozen=True)
class AnswerLetter:
    complaint: Complaint
    language: str
    subject: str
    paragraphs: list[str]
    reasons: list[str]
    options: list[str]
    signature: str
    letterhead: Letterhead

    @property
    def date(self) -> dt.date:
        return self.complaint.answered_on


def answer_letter(complaint: Complaint, language: str | None = None) -> AnswerLetter:
    """The letter of an answered complaint in ``language`` (default: the complaint's)."""
    language = language or complaint.language
    product = _product(complaint)
    with translation.override(language):
        return AnswerLetter(
            complaint=complaint,
            language=language,
            subject=_("Answer to your complaint %(number)s") % {"number": complaint.number},
            paragraphs=_paragraphs(complaint),
            reasons=[p.strip() for p in complaint.reasons.split("\n\n") if p.strip()],
            options=further_options(product, language),
            signature=_signature(complaint),
            letterhead=_letterhead(product, language),
        )


def _product(complaint: Complaint):
    contract = complaint.contract
    return None if contract is None else terms(contract.product_code, contract.product_version)


def _paragraphs(complaint: Complaint) -> list[str]:
    about = complaint.get_category_display()
    if complaint.claim is not None:
        about = _("%(category)s, claim %(claim)s") % {
            "category": about,
            "claim": complaint.claim.number,
        }
    elif complaint.case is not None:
        about = _("%(category)s, treatment-abroad case %(case)s") % {
            "category": about,
            "case": complaint.case.number,
        }
    elif complaint.contract is not None:
        about = _("%(category)s, contract %(contract)s") % {
            "category": about,
            "contract": complaint.contract.number,
        }
    found = [
        _("Dear %(name)s,") % {"name": complaint.complainant_name},
        _(
            "We received your complaint on %(date)s (%(channel)s) and registered it under the "
            "incoming number %(number)s. It concerns: %(about)s."
        )
        % {
            "date": f"{complaint.received_on:%d.%m.%Y}",
            "channel": complaint.get_channel_display().lower(),
            "number": complaint.number,
            "about": about,
        },
        {
            Outcome.UPHELD: _("We have looked into your complaint and we uphold it."),
            Outcome.PARTLY_UPHELD: _("We have looked into your complaint and uphold it in part."),
            Outcome.NOT_UPHELD: _(
                "We have looked into your complaint and we cannot uphold it, for the reasons below."
            ),
        }[Outcome(complaint.outcome)],
    ]
    if complaint.claim_reopened:
        found.append(
            _(
                "We have reopened claim %(number)s: it will be decided again, and you will "
                "receive a new decision letter."
            )
            % {"number": complaint.claim.number}
        )
    if complaint.case_reassessed:
        found.append(
            _(
                "We have asked for a new assessment of case %(number)s (001 т.74): the medical "
                "experts look at it again, and the case manager writes to you about each step."
            )
            % {"number": complaint.case.number}
        )
    found.append(_deadline_sentence(complaint))
    return found


def _deadline_sentence(complaint: Complaint) -> str:
    due = f"{complaint.due_on:%d.%m.%Y}"
    if complaint.deadline_from_terms:
        basis = complaint.deadline_clause
    else:
        basis = _("one month of filing; your contract's terms set no deadline for complaints")
    if complaint.answered_on and complaint.answered_on > complaint.due_on:
        return _(
            "We apologise that this answer comes after %(due)s, the day it was due (%(basis)s)."
        ) % {
            "due": due,
            "basis": basis,
        }
    return _("This answer keeps the deadline for it, %(due)s (%(basis)s).") % {
        "due": due,
        "basis": basis,
    }


def further_options(product, language: str) -> list[str]:
    """Where the complainant may turn next, from the product's own clauses."""
    with translation.override(language):
        if product is not None and product.abroad is not None:
            return _abroad_options(product)
        return _health_options(product)


def _health_options(product) -> list[str]:
    found = [
        _(
            "If you do not agree with this answer, you may complain to the Financial Supervision "
            "Commission (Комисия за финансов надзор, %(site)s), which supervises insurers."
        )
        % {"site": SUPERVISOR_SITE},
        _(
            "Disputes about the contract are settled by negotiation and, failing agreement, under "
            "Bulgarian law (004 Чл.31 т.2): you may bring the matter before the competent "
            "Bulgarian court."
        ),
    ]
    handling = product.rules.claim_handling if product is not None else None
    if handling is not None:
        found.append(_prescription(handling.prescription_years, handling.prescription_clause))
    return found


def _abroad_options(product) -> list[str]:
    abroad = product.abroad
    seed = abroad.complaints.clause.split(" ", 1)[0]
    supervisor, court = ABROAD_ROUTES.get(seed, ABROAD_ROUTES["001"])
    return [
        _(
            "If you do not agree with this answer, you may seek protection of your rights before "
            "the Financial Supervision Commission (Комисия за финансов надзор, %(site)s) and "
            "other competent bodies (%(clause)s)."
        )
        % {"site": SUPERVISOR_SITE, "clause": supervisor},
        _(
            "Disputes are settled by agreement and, failing that, by the competent Bulgarian "
            "court (%(clause)s). A dispute about insurance services may also go out of court, to "
            "the sectoral conciliation commission of the Consumer Protection Commission or to "
            "mediation."
        )
        % {"clause": court},
        _prescription(abroad.prescription.years, abroad.prescription.clause),
    ]


def _prescription(years: int, clause: str) -> str:
    return ngettext(
        "Your rights under the contract expire %(years)s year after the insured event "
        "(%(clause)s).",
        "Your rights under the contract expire %(years)s years after the insured event "
        "(%(clause)s).",
        years,
    ) % {"years": years, "clause": clause}


def _signature(complaint: Complaint) -> str:
    user = complaint.answered_by
    name = (user.get_full_name() or user.get_username()) if user is not None else ""
    team = _("Complaints team")
    return f"{name}, {team}" if name else team


def _letterhead(product, language: str) -> Letterhead:
    if product is None:
        return default_letterhead()
    return insurer_letterhead(product.insurer, language)


def _context(letter: AnswerLetter, *, links: dict | None = None) -> dict:
    complaint = letter.complaint
    recipient = [complaint.complainant_name]
    if complaint.postal_address:
        recipient.append(complaint.postal_address)
    with translation.override(letter.language):
        annex = {"title": _("Your further options"), "paragraphs": letter.options}
        reasons_title = _("Our reasons")
    return {
        "letter": letter,
        "reference": complaint.number,
        "date": letter.date,
        "subject": letter.subject,
        "recipient": recipient,
        "letterhead": letter.letterhead,
        "signature": letter.signature,
        "annex": annex,
        "reasons_title": reasons_title,
        "links": links or {},
    }


def letter_html(letter: AnswerLetter, *, links: dict | None = None) -> str:
    return render_html(TEMPLATE, _context(letter, links=links), language=letter.language)


def letter_pdf(letter: AnswerLetter) -> bytes:
    return render_pdf(TEMPLATE, _context(letter), language=letter.language)


def pdf_name(complaint: Complaint) -> str:
    return f"{complaint.number}.pdf"

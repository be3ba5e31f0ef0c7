"""The pre-certificate (Предварителен медицински сертификат, 001 т.72 / 003 т.10.4) as a letter
to the hospital, HTML and PDF through ``zdrave.base.letters``: the patient, the covered
condition, the one hospital it is valid for (001 т.10.4 / 003 т.10.5), the amount guaranteed
(reserved against the limit, 001 т.28 / 003 т.25), and how long it is valid (001 т.72.1: three
months; 003 sets no period). Reads only."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from zdrave.base.letters.render import render_pdf
from zdrave.claims.abroad import abroad_terms
from zdrave.engine.calendar import add_months
from zdrave.engine.money import format_eur
from zdrave.treatment_abroad.models import AbroadCase

TEMPLATE = "letters/base.html"


def precertificate_context(case: AbroadCase) -> dict:
    terms = abroad_terms(case.member.contract)
    rule = terms.precertificate
    person = case.member.person
    paragraphs = [
        _("Patient: %(name)s, born %(born)s, contract %(contract)s.")
        % {
            "name": person.full_name,
            "born": person.birth_date.strftime("%d.%m.%Y"),
            "contract": case.member.contract.number,
        },
        _("Covered condition: %(condition)s (%(diagnosis)s), treating doctor %(doctor)s.")
        % {
            "condition": case.get_condition_display(),
            "diagnosis": case.diagnosis,
            "doctor": case.treating_doctor,
        },
        _("We guarantee the medical costs of the treatment up to %(amount)s (%(clause)s).")
        % {"amount": format_eur(case.reserved), "clause": terms.year_limit.clause},
        _(
            "The pre-certificate is valid for this hospital only (%(clause)s); nothing before its "
            "issue is paid (%(before)s)."
        )
        % {"clause": rule.one_hospital_clause, "before": rule.before_issue_clause},
    ]
    if rule.validity_months and case.precertificate_issued:
        paragraphs.append(
            _("Treatment must begin by %(day)s (%(clause)s).")
            % {
                "day": add_months(case.precertificate_issued, rule.validity_months).strftime(
                    "%d.%m.%Y"
                ),
                "clause": rule.validity_clause,
            }
        )
    return {
        "reference": case.precertificate_number,
        "date": case.precertificate_issued,
        "subject": _("Pre-certificate for treatment abroad"),
        "recipient": [case.hospital],
        "paragraphs": paragraphs,
        "signature": _("Treatment-abroad case manager, case %(number)s") % {"number": case.number},
    }


def precertificate_pdf(case: AbroadCase, language: str) -> bytes:
    with translation.override(language):
        return render_pdf(TEMPLATE, precertificate_context(case), language=language)

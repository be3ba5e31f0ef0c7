"""The documents of a sale, in Bulgarian or English: the decision letter of a person (004
Чл.10), the policy (застрахователна полица, 004 Чл.22 т.2) and the legitimation card of each
insured person (004 Чл.24 т.4: its own number, the three names and identification number, the
validity of the contract and the covers chosen) as a PDF and as a wallet-size PNG with a QR
code that a provider scans to check eligibility."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import segno
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from zdrave.base.letters.render import render_html, render_pdf
from zdrave.contracts.models import Clause, Option
from zdrave.engine.money import format_eur
from zdrave.engine.underwriting.reasons import CODES, DECLARED_PREFIX
from zdrave.policy_admin.sales import tariff as tariffs
from zdrave.policy_admin.sales.models import Applicant, Application, Decision
from zdrave.products import terms

LETTER = "sales/letters/decision.html"
POLICY = "sales/letters/policy.html"
CARD = "sales/letters/card.html"
# ISO/IEC 7810 ID-1 (a bank card) at 300 dpi.
CARD_PX = (1011, 638)
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)


@dataclass(frozen=True)
class CoverLine:
    package: int
    name: str
    option: str
    clause: str
    url: str


def cover_lines(application: Application, person: Applicant) -> list[CoverLine]:
    version = terms.terms(application.product_code, application.product_version)
    language = translation.get_language() or "bg"
    lines = []
    for choice in person.choices:
        package = version.package(int(choice["package"]))
        lines.append(
            CoverLine(
                package=int(choice["package"]),
                name=package.name.get(language) if package else str(choice["package"]),
                option=str(Option(choice["option"]).label),
                clause=str(Clause(choice["clause"]).label),
                url=f"/products/{application.product_code}/"
                f"{application.product_version.isoformat()}/#package-{choice['package']}",
            )
        )
    return lines


def reason_texts(person: Applicant, language: str | None = None) -> list[str]:
    """The engine's reasons for a person in the reader's language, each with its clause."""
    language = language or translation.get_language() or "bg"
    by_code = {c.code: c for c in CODES}
    version = terms.terms(person.application.product_code, person.application.product_version)
    questions = (
        {q.key.replace("_", "-"): q for q in version.underwriting.declaration.questions}
        if version.underwriting
        else {}
    )
    texts = []
    for reason in person.reasons:
        code = reason.get("code", "")
        if code in by_code:
            text = by_code[code].bg if language == "bg" else reason.get("message", "")
        elif code.startswith(DECLARED_PREFIX) and code[len(DECLARED_PREFIX) :] in questions:
            title = questions[code[len(DECLARED_PREFIX) :]].title.get(language)
            text = f"{'Декларирано' if language == 'bg' else 'Declared'}: {title}."
        else:
            text = reason.get("message", "")
        texts.append(f"{text} ({reason.get('clause', '')})")
    return texts


def assumption(application: Application) -> str:
    tariff = tariffs.tariff_for(
        application.product_code, application.product_version, application.start
    )
    return tariff.assumption.get(translation.get_language() or "bg")


# ---- the decision letter ---------------------------------------------------------------------


def _decision_context(person: Applicant, language: str) -> dict:
    application = person.application
    with translation.override(language):
        if person.decision == Decision.DECLINED:
            subject = _("We cannot insure %(name)s") % {"name": person.full_name}
        elif person.decision == Decision.SPECIAL:
            subject = _("%(name)s is accepted on special conditions") % {"name": person.full_name}
        else:
            subject = _("%(name)s is accepted") % {"name": person.full_name}
        return {
            "reference": f"{application.reference}/{person.pk}",
            "date": person.decided_on,
            "subject": subject,
            "recipient": [
                application.owner.get_full_name() or application.owner.username,
                application.email,
            ],
            "person": person,
            "application": application,
            "covers": cover_lines(application, person),
            "premium": format_eur(person.yearly_premium) if person.yearly_premium else "",
            "special": person.decision == Decision.SPECIAL,
            "declined": person.decision == Decision.DECLINED,
            "reasons": reason_texts(person, language),
        }


def decision_html(person: Applicant, language: str, links: dict) -> str:
    return render_html(
        LETTER, {**_decision_context(person, language), "links": links}, language=language
    )


def decision_pdf(person: Applicant, language: str) -> bytes:
    return render_pdf(LETTER, _decision_context(person, language), language=language)


# ---- the policy ------------------------------------------------------------------------------


def policy_pdf(application: Application, language: str) -> bytes:
    contract = application.contract
    with translation.override(language):
        persons = [
            {
                "person": p,
                "covers": cover_lines(application, p),
                "premium": format_eur(p.yearly_premium or 0),
            }
            for p in application.persons.order_by("pk")
            if p.decision in (Decision.ACCEPTED, Decision.SPECIAL)
        ]
        context = {
            "reference": contract.number,
            "date": application.issued_on,
            "subject": _("Health insurance policy %(number)s") % {"number": contract.number},
            "recipient": [contract.holder.name, application.email],
            "application": application,
            "contract": contract,
            "persons": persons,
            "instalments": [
                {"due": i.due, "amount": format_eur(i.amount), "paid_on": i.paid_on}
                for i in contract.instalments.order_by("due")
            ],
            "yearly": format_eur(application.yearly_premium or 0),
            "payable": format_eur(application.payable_premium or 0),
            "assumption": assumption(application),
            "product": terms.terms(contract.product_code, contract.product_version).name.get(
                language
            ),
        }
    return render_pdf(POLICY, context, language=language)


# ---- the legitimation card -------------------------------------------------------------------


def _qr(url: str):
    return segno.make(url, error="m")


def card_pdf(person: Applicant, url: str, language: str) -> bytes:
    application = person.application
    contract = application.contract
    with translation.override(language):
        context = {
            "reference": person.card_number,
            "date": application.issued_on,
            "subject": _("Legitimation card %(number)s") % {"number": person.card_number},
            "recipient": [person.full_name],
            "person": person,
            "contract": contract,
            "covers": cover_lines(application, person),
            "qr_svg": _qr(url).svg_inline(scale=3, dark="#000", omitsize=False),
            "url": url,
        }
    return render_pdf(CARD, context, language=language)


def _font(size: int, bold: bool = False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size=size)


def card_png(person: Applicant, url: str, language: str) -> bytes:
    """The card as a wallet-size picture (85.6 × 54 mm at 300 dpi) for a phone's wallet."""
    application = person.application
    contract = application.contract
    image = Image.new("RGB", CARD_PX, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, CARD_PX[0], 110], fill="#0b5d5b")
    with translation.override(language):
        product = terms.terms(contract.product_code, contract.product_version)
        draw.text(
            (40, 30), product.insurer.name.get(language)[:42], font=_font(30, True), fill="white"
        )
        draw.text((40, 130), _("Legitimation card"), font=_font(28), fill="#333")
        draw.text((40, 175), person.full_name, font=_font(40, True), fill="black")
        draw.text((40, 235), f"{_('ЕГН')}: {person.egn}", font=_font(28), fill="black")
        draw.text((40, 280), f"{_('Card')}: {person.card_number}", font=_font(28), fill="black")
        draw.text((40, 325), f"{_('Contract')}: {contract.number}", font=_font(28), fill="black")
        valid = f"{contract.start:%d.%m.%Y} – {contract.end:%d.%m.%Y}"
        draw.text((40, 370), f"{_('Valid')}: {valid}", font=_font(28), fill="black")
        packages = ", ".join(str(c["package"]) for c in person.choices)
        draw.text((40, 415), f"{_('Packages')}: {packages}", font=_font(28), fill="black")
        draw.text((40, 560), _("Show with your identity card"), font=_font(22), fill="#555")
    qr_buffer = io.BytesIO()
    _qr(url).save(qr_buffer, kind="png", scale=7, border=2)
    qr = Image.open(io.BytesIO(qr_buffer.getvalue())).convert("RGB")
    image.paste(qr, (CARD_PX[0] - qr.width - 30, CARD_PX[1] - qr.height - 30))
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(300, 300))
    return out.getvalue()

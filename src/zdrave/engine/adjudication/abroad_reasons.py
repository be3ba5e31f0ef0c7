"""Every reason code the best-doctors adjudication emits, with a plain explanation in Bulgarian
and English (collected into docs/reason-codes.md). The clause comes from the product version's
data, so the same code cites 001 or 003 depending on the terms of the contract.

Exclusions add one code each: ``excluded-<exclusion code>`` (see ``EXCLUSION_PREFIX``); their
explanation is the exclusion's own title in the product data.
"""

from __future__ import annotations

from zdrave.engine.decisions import Reason

EXCLUSION_PREFIX = "excluded-"

REASONS: dict[str, tuple[str, str]] = {
    "condition-not-covered": (
        "Диагнозата не е покрито заболяване по застраховката.",
        "The diagnosis is not one of the covered conditions.",
    ),
    "pre-existing-condition": (
        "Заболяването е проявило симптоми в 10-те години преди началото на застраховката.",
        "The condition showed documented symptoms in the 10 years before the cover started.",
    ),
    "symptoms-in-waiting-period": (
        "Първите симптоми са в периода на изключване – заболяването не се покрива.",
        "The first symptoms fall in the exclusion (waiting) period, so the condition is never covered.",
    ),
    "before-cover-start": (
        "Услугата е преди началото на застраховката.",
        "The service is before the insurance started.",
    ),
    "after-cover-end": (
        "Услугата е след края на застраховката.",
        "The service is after the insurance ended.",
    ),
    "contract-terminated": (
        "Договорът е прекратен преди датата на услугата.",
        "The contract was terminated before the date of the service.",
    ),
    "over-maximum-age": (
        "Застрахованият е навършил 85 години – застраховката е прекратена.",
        "The insured has turned 85, when the insurance ends.",
    ),
    "premium-unpaid": (
        "Покритието е спряно: вноската не е платена до 30 дни след падежа.",
        "Cover is suspended: the instalment was not paid within 30 days of its due date.",
    ),
    "contract-lapsed": (
        "Договорът е прекратен окончателно: не е възстановен до 2 месеца от датата, до която е платен.",
        "The contract ended for good: it was not reinstated within 2 months of the date premiums were paid to.",
    ),
    "before-reinstatement": (
        "Покритието беше спряно заради неплатени вноски и е възстановено от деня след плащането им"
        " – услугата е преди това.",
        "Cover was suspended for unpaid premiums and came back only from the day after they were"
        " all paid; the service is before that.",
    ),
    "waiting-period": (
        "Услугата е в периода на изключване (отлагателния период) след началото на застраховката.",
        "The service falls in the exclusion (waiting) period after the cover started.",
    ),
    "benefit-not-covered": (
        "Тези условия не покриват този вид разход.",
        "These terms do not cover this kind of cost.",
    ),
    "no-precertificate": (
        "Няма издаден предварителен медицински сертификат.",
        "No preliminary medical certificate was issued.",
    ),
    "before-precertificate": (
        "Разходът е преди издаването на предварителния медицински сертификат.",
        "The cost was incurred before the preliminary medical certificate was issued.",
    ),
    "other-hospital": (
        "Лечението е в болница, различна от посочената в предварителния медицински сертификат.",
        "The treatment is in a hospital other than the one named in the preliminary medical certificate.",
    ),
    "precertificate-expired": (
        "Лечението не е започнало в тримесечния срок на предварителния медицински сертификат.",
        "The treatment did not begin within the three months the preliminary medical certificate is valid.",
    ),
    "usa-not-covered": (
        "Покритието е за всички страни без САЩ.",
        "The cover is for all countries except the USA.",
    ),
    "second-opinion-already-given": (
        "Второ лекарско мнение се дава само веднъж за претенция (ново – само ако партньорът го"
        " изиска при повторна оценка).",
        "A second medical opinion is given once per claim (another one only when the partner"
        " requires it in a reassessment).",
    ),
    "not-returned-home": (
        "Няма завръщане в България след лечението в чужбина преди датата на разхода.",
        "The insured had not returned to Bulgaria from the treatment abroad before this cost.",
    ),
    "follow-up-after-window": (
        "Последващата грижа е след 180-те дни от завръщането.",
        "The follow-up care is after the 180 days from the return home.",
    ),
    "stay-too-short": (
        "Лекарствата след завръщане се покриват само след престой в болница над 3 нощувки.",
        "Medicines after return are covered only after more than 3 nights in hospital abroad.",
    ),
    "invoice-submitted-late": (
        "Фактурата е представена повече от 180 дни след покупката.",
        "The invoice was submitted more than 180 days after the purchase.",
    ),
    "medicine-bought-abroad": (
        "Лекарството е купено извън България.",
        "The medicine was bought outside Bulgaria.",
    ),
    "paid-by-other-payer": (
        "Лекарството е платено изцяло от НЗОК или друга застраховка.",
        "The medicine was paid in full by the NHIF or another insurance.",
    ),
    "other-payer-share": (
        "Частта, платена от НЗОК или друга застраховка, не се възстановява.",
        "The share paid by the NHIF or another insurance is not reimbursed.",
    ),
    "dose-over-two-months": (
        "Предписаната доза е за повече от 2 месеца прием, затова покупката не се възстановява.",
        "The prescribed dose is for more than two months of intake, so the purchase is not"
        " reimbursed.",
    ),
    "post-operative-medicine-after-return": (
        "Лекарствата за следоперативно лечение се покриват само ако са купени преди завръщането"
        " в България.",
        "Medicines for the post-operative treatment are covered only when bought before the"
        " return to Bulgaria.",
    ),
    "post-operative-medicine-30-days": (
        "Лекарствата за следоперативно лечение се покриват за 30 дни от края на лечението в"
        " чужбина.",
        "Medicines for the post-operative treatment are covered for 30 days from the end of the"
        " treatment abroad.",
    ),
    "daily-cash-full-days": (
        "Обезщетението се плаща за пълни 24-часови периоди в болницата – не повече от нощувките.",
        "The cash is paid for full 24-hour periods in hospital – no more than the nights there.",
    ),
    "daily-cash-max-days": (
        "Дневното обезщетение се плаща за най-много 60 дни за претенция.",
        "Daily hospital cash is paid for at most 60 days per claim.",
    ),
    "medicines-lifetime-limit": (
        "Изчерпан е лимитът от 50 000 евро за лекарства за целия срок.",
        "The EUR 50 000 limit for medicines over the whole term is used up.",
    ),
    "year-limit": (
        "Изчерпан е лимитът от 1 000 000 евро за застрахователната година.",
        "The EUR 1 000 000 limit for the insurance year is used up.",
    ),
    "lifetime-limit": (
        "Изчерпан е лимитът от 2 000 000 евро за целия срок на застраховката.",
        "The EUR 2 000 000 limit for the whole term is used up.",
    ),
    "time-barred": (
        "Правата по претенцията са погасени по давност.",
        "The rights under the claim are time-barred.",
    ),
    "bgn-after-euro": (
        "Фактурата е в лева, но е издадена след 01.01.2026 г., когато документите се издават в"
        " евро. Претенцията не е отказана: изпратете коректна фактура в евро и ще я разгледаме.",
        "The invoice is in leva (BGN) but dated after 1 January 2026, when documents are issued"
        " in euro. The claim is not refused: send a correct invoice in euro and we will decide it.",
    ),
    "documents-missing": (
        "Липсват документи, необходими за изплащането.",
        "Documents needed for payment are missing.",
    ),
}


def reason(code: str, clause: str, detail: str = "") -> Reason:
    """A reason with the registry's English explanation and the case's specifics."""
    _bg, en = REASONS[code]
    return Reason(code=code, clause=clause, message=f"{en} {detail}".strip())


def exclusion_reason(code: str, clause: str, title_en: str) -> Reason:
    return Reason(code=EXCLUSION_PREFIX + code, clause=clause, message=f"Excluded: {title_en}.")

"""Every reason code the health adjudication can emit, with its default clause and a plain
explanation in Bulgarian and English (``docs/reason-codes.md`` lists the same codes; a test keeps
the two in step).

A few reasons take their clause from the product data instead of the default here (an exclusion
cites its own item of 004 Чл.21, a limit the row of 002 that sets it); exclusions are emitted as
``excluded-<exclusion code>`` with the exclusion's clause and title.
"""

from __future__ import annotations

from dataclasses import dataclass

from zdrave.engine.decisions import Reason


@dataclass(frozen=True, slots=True)
class ReasonCode:
    code: str
    clause: str
    bg: str
    en: str

    def reason(self, clause: str | None = None, detail: str = "") -> Reason:
        message = f"{self.en} {detail}".strip() if detail else self.en
        return Reason(self.code, clause or self.clause, message)


EXCLUDED_PREFIX = "excluded-"

_CODES = (
    ReasonCode(
        "bgn-after-euro",
        "004 Чл.29 т.2",
        "Сума в лева се приема само по документ с дата преди 01.01.2026 г.",
        "A leva (BGN) amount is accepted only on an invoice dated before 2026-01-01.",
    ),
    ReasonCode(
        "before-contract-start",
        "004 Чл.24 т.3",
        "Услугата е ползвана преди началото на договора (договорът влиза в сила от 00:00 ч. на началната дата).",
        "The service was used before the contract started (it comes into force at 00:00 on the start date).",
    ),
    ReasonCode(
        "after-contract-end",
        "004 Чл.29 т.5",
        "Услугата е ползвана след края на срока на договора.",
        "The service was used after the contract's term ended.",
    ),
    ReasonCode(
        "before-cover-start",
        "004 Чл.24 т.3",
        "Услугата е ползвана преди началото на покритието на застрахования.",
        "The service was used before the insured person's cover began.",
    ),
    ReasonCode(
        "after-termination",
        "004 Чл.29 т.9",
        "Събитието е настъпило след прекратяване на договора или заличаване на лицето.",
        "The event happened after the contract was terminated or the person was removed from it.",
    ),
    ReasonCode(
        "premium-unpaid",
        "004 Чл.25 т.3",
        "Премията (или първата вноска) не е платена: договорът не е влязъл в сила.",
        "The premium (or its first instalment) is unpaid: the contract never came into force.",
    ),
    ReasonCode(
        "premium-overdue",
        "004 Чл.25 т.5",
        "Вноската от премията е просрочена с повече от 15 дни: покритието е спряно за услуги след този срок.",
        "A premium instalment is more than 15 days overdue: services after that are not covered.",
    ),
    ReasonCode(
        "time-barred",
        "004 Чл.31",
        "Претенцията е предявена след изтичане на давностния срок.",
        "The claim was made after the limitation period had run out.",
    ),
    ReasonCode(
        "package-not-in-contract",
        "004 Чл.21(1) т.33",
        "Пакетът, към който принадлежи услугата, не е договорен за застрахования.",
        "The package this service belongs to is not part of the insured person's cover.",
    ),
    ReasonCode(
        "service-not-in-option",
        "002 II.A",
        "Услугата не е включена в избраната опция на пакета.",
        "The service is not included in the person's option of the package.",
    ),
    ReasonCode(
        "form-not-in-clause",
        "002 VII т.1",
        "Клауза „А“ няма форма „Възстановяване на разходи“: само абонаментно обслужване.",
        "Clause A has no reimbursement form: in-network (subscription) service only.",
    ),
    ReasonCode(
        "form-not-in-option",
        "002 II.Б",
        "Избраната опция няма лимит за форма „Възстановяване на разходи“.",
        "The person's option has no reimbursement form (no reimbursement limit is printed for it).",
    ),
    ReasonCode(
        "limited-service-reimbursement-only",
        "002 II бел.*",
        "Услуга с финансов или честотен лимит се ползва само под форма „Възстановяване на разходи“.",
        "A service with a money or count limit is used only in the reimbursement form.",
    ),
    ReasonCode(
        "dental-single-form",
        "002 VI бел.*",
        "Пакет „Дентална помощ“ се ползва само в една форма; по договора вече е ползвана другата.",
        "The dental package is used in one form only; the other form has already been used under this contract.",
    ),
    ReasonCode(
        "no-nhif-rights",
        "002 III бел.*",
        "Болнична помощ се ползва само от лица с непрекъснати здравноосигурителни права.",
        "Hospital care is covered only for people with uninterrupted НЗОК (NHIF) rights.",
    ),
    ReasonCode(
        "pregnancy-needs-item-12",
        "002 II бел.**",
        "Прегледи и изследвания, свързани с бременност, се покриват само с опция, която съдържа т.12.",
        "Pregnancy-related exams and tests are covered only with an option that includes item 12.",
    ),
    ReasonCode(
        "waiting-period",
        "004 Чл.19",
        "Услугата е ползвана в отлагателния период от началото на покритието.",
        "The service was used within the waiting period after the cover began.",
    ),
    ReasonCode(
        "purchase-deadline",
        "004 Чл.21(1) т.28",
        "Покупката или изследването е след срока от датата на предписването/назначаването.",
        "Bought or done after the deadline counted from the prescription or referral.",
    ),
    ReasonCode(
        "invoice-before-prescription",
        "004 Чл.29 т.2",
        "Датата на фактурата предхожда датата на прегледа или издаването на рецептата.",
        "The invoice is dated before the examination or the prescription.",
    ),
    ReasonCode(
        "medicine-quantity-pro-rata",
        "004 Чл.21(1) т.35",
        "Лекарства за повече от 30 дни (хронично) / 10 дни (остро) лечение се плащат пропорционално.",
        "Medicines bought for more than 30 days (chronic) / 10 days (acute) are paid pro rata.",
    ),
    ReasonCode(
        "nhif-share",
        "004 Чл.11",
        "Сумата, платена от НЗОК или държавна/общинска програма, не се възстановява.",
        "What НЗОК (NHIF) or a state or municipal programme paid is not reimbursed.",
    ),
    ReasonCode(
        "other-insurer-share",
        "004 Чл.29 т.12",
        "Застраховател по по-ранен договор плаща пръв; покриваме само надхвърлящата сума.",
        "An insurer under an earlier contract pays first; only the amount above its share is covered.",
    ),
    ReasonCode(
        "reasonable-cost-cap",
        "004 Чл.29 т.11",
        "Разходът надвишава разумния и обичаен разход за услугата; плаща се до него.",
        "The cost exceeds the reasonable and customary cost of the service; paid up to it.",
    ),
    ReasonCode(
        "count-limit",
        "002 II.A",
        "Изчерпан е броят услуги за застрахователната година.",
        "The number of these services allowed in the insurance year is used up.",
    ),
    ReasonCode(
        "service-money-limit",
        "002 II.A",
        "Изчерпан е паричният лимит на услугата.",
        "The service's money limit is used up.",
    ),
    ReasonCode(
        "yearly-limit",
        "002 II.Б",
        "Изчерпан е годишният лимит на пакета за тази форма.",
        "The package's yearly limit for this form is used up.",
    ),
    ReasonCode(
        "aggregate-limit",
        "004 Чл.26 т.1",
        "Изчерпан е агрегатният лимит на лицето за срока на договора.",
        "The person's aggregate limit for the contract term is used up.",
    ),
    ReasonCode(
        "primary-exam-per-disease",
        "004 Чл.13",
        "Един първичен преглед за дадено заболяване в рамките на 30 дни.",
        "One primary examination per disease within 30 days.",
    ),
    ReasonCode(
        "secondary-exams-per-disease",
        "004 Чл.13",
        "До два вторични прегледа за дадено заболяване в рамките на 30 дни.",
        "Up to two follow-up examinations per disease within 30 days.",
    ),
    ReasonCode(
        "copayment",
        "002 VII т.2",
        "Самоучастие по клауза „Б1“ във форма „Възстановяване на разходи“.",
        "Co-payment of clause Б1 in the reimbursement form.",
    ),
    ReasonCode(
        "missing-documents",
        "004 Чл.29 т.2",
        "Липсват документи по Приложение №1: претенцията чака тяхното представяне.",
        "Documents of Annex 1 are missing: the claim waits for them.",
    ),
)

REASON_CODES: dict[str, ReasonCode] = {c.code: c for c in _CODES}


def code(name: str) -> ReasonCode:
    return REASON_CODES[name]

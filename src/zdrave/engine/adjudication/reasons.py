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
        "Фактурата е в лева, но е издадена след 01.01.2026 г., когато документите се издават в евро. "
        "Претенцията не е отказана: изпратете коректна фактура в евро и ще я разгледаме.",
        "The invoice is in leva (BGN) but dated after 1 January 2026, when documents are issued in "
        "euro. The claim is not refused: send a correct invoice in euro and we will decide it.",
    ),
    ReasonCode(
        "before-contract-start",
        "004 Чл.24 т.3",
        "Услугата е ползвана преди началото на договора (договорът влиза в сила от 00:00 ч. на началната дата).",
        "The service was used before the contract started (it comes into force at 00:00 on the start date).",
    ),
    ReasonCode(
        "after-contract-end",
        "004 Чл.24 т.3; Чл.29 т.5",
        "Услугата е ползвана след края на договора. Застраховката изтича в 00:00 ч. на крайната "
        "дата, затова и самата крайна дата не е покрита.",
        "The service was used after the contract ended. The insurance ends at 00:00 on the end "
        "date, so the end date itself is not covered.",
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
        "Събитието е настъпило след прекратяване на договора или заличаване на лицето "
        "(прекратяването важи от 00:00 ч. на датата си).",
        "The event happened after the contract was terminated or the person was removed from it "
        "(a termination takes effect at 00:00 on its date).",
    ),
    ReasonCode(
        "premium-unpaid",
        "004 Чл.25 т.3",
        "Премията (или първата вноска) не е била платена към датата на услугата: покритието "
        "започва след плащането ѝ.",
        "The premium (or its first instalment) had not been paid by the date of the service: "
        "cover starts only after it is paid.",
    ),
    ReasonCode(
        "premium-overdue",
        "004 Чл.25 т.5",
        "Вноска от премията е просрочена с повече от 15 дни. Покритието продължава, но "
        "застрахователят има право да прекрати договора; платете вноската, за да го избегнете.",
        "A premium instalment is more than 15 days overdue. Cover continues, but the insurer has "
        "the right to terminate the contract; pay the instalment to avoid that.",
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
        "package-not-in-force-on-day",
        "004 Чл.24 т.3; Чл.27 т.2",
        "На датата на услугата пакетът, към който тя принадлежи, не е бил в покритието Ви: анекс "
        "го е добавил по-късно или го е прекратил по-рано (анексът важи от 00:00 ч. на датата си).",
        "On the day of the service the package it belongs to was not in your cover: an annex "
        "added it later or ended it earlier (an annex takes effect at 00:00 on its date).",
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
        "clause-a-no-limited-services",
        "002 II бел.*; 002 VII т.1",
        "Услугите с брой или парична граница се ползват само чрез възстановяване на разходи, а "
        "клауза „А“ няма тази форма: с клауза „А“ тези услуги не се покриват изобщо.",
        "Services with a count or money limit are used only by reimbursement, and clause A has no "
        "reimbursement form: with clause A these services are not covered at all.",
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
        "Услугата е ползвана в отлагателния период. Срокът в месеци изтича в съответния ден "
        "на последния месец; покритието започва от следващия ден.",
        "The service was used within the waiting period. A period in months ends on the "
        "corresponding day of its last month; cover starts the day after.",
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
        "004 Чл.29 т.13",
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
        "instalments-due",
        "004 Чл.25 т.6",
        "При застрахователно събитие неплатените вноски от премията стават изискуеми. "
        "Претенцията се изплаща, след като застраховащият ги плати изцяло.",
        "On an insured event the unpaid premium instalments fall due. The claim is paid once "
        "the policyholder has paid them in full.",
    ),
    ReasonCode(
        "pregnancy-established-outside-cover",
        "004 Чл.34 (Проследяване на бременност)",
        "Проследяване на бременност се покрива само за бременност, установена по време на "
        "договора и след отлагателния период (освен при продължение на предходен договор).",
        "Pregnancy care is covered only for a pregnancy established during the contract and "
        "after the waiting period (unless the contract continues an earlier one).",
    ),
    ReasonCode(
        "special-condition-excluded",
        "004 Чл.10; Чл.21(2)",
        "По специалните условия, уговорени писмено за Вас, това състояние или услуга не се "
        "покрива.",
        "Under the special conditions agreed in writing for you, this condition or service is "
        "not covered.",
    ),
    ReasonCode(
        "special-condition-waiting",
        "004 Чл.20",
        "По специалните условия, уговорени писмено за Вас, за тази услуга важи отлагателен период.",
        "Under the special conditions agreed in writing for you, a waiting period applies to "
        "this service.",
    ),
    ReasonCode(
        "special-condition-limit",
        "004 Чл.26 т.1; Чл.10",
        "Изчерпан е по-ниският лимит, уговорен за Вас при специални условия.",
        "The lower limit agreed for you on special conditions is used up.",
    ),
    ReasonCode(
        "missing-documents",
        "004 Чл.29 т.2",
        "Липсват документи по Приложение №1: претенцията чака тяхното представяне.",
        "Documents of Annex 1 are missing: the claim waits for them.",
    ),
    # ---- the claims procedure and the contract (health_claims, health_contract) --------------
    ReasonCode(
        "recovery-card-not-returned",
        "004 Чл.29 т.10.1",
        "Здравната карта не е върната при края на покритието и след това е ползвана: платеното "
        "на лечебното заведение след тази дата се възстановява на застрахователя.",
        "The health card was not returned when the cover ended and was used afterwards: what "
        "the insurer paid the provider after that date must be repaid.",
    ),
    ReasonCode(
        "recovery-over-limit",
        "004 Чл.29 т.10.2; Чл.26 т.2",
        "При абонаментно обслужване е надвишен лимитът: надвишението се възстановява на "
        "застрахователя, който може да го удържи от следваща претенция за възстановяване.",
        "The limit was exceeded in the subscription form: the excess must be repaid, and the "
        "insurer may withhold it from a later reimbursement claim.",
    ),
    ReasonCode(
        "recovery-excluded-risk",
        "004 Чл.29 т.10.3",
        "При абонаментно обслужване е получено лечение за изключен риск: платеното се "
        "възстановява на застрахователя.",
        "Treatment for an excluded risk was received in the subscription form: what the "
        "insurer paid must be repaid.",
    ),
    ReasonCode(
        "recovery-not-owed",
        "004 Чл.29 т.10.4",
        "Платено е извън дължимото и извън договорените покрития: сумата се възстановява на "
        "застрахователя.",
        "A payment was made outside what is owed and outside the agreed covers: it must be "
        "repaid to the insurer.",
    ),
    ReasonCode(
        "payee-account-not-own",
        "004 Чл.29 т.7",
        "Плащаме само по лична банкова сметка на получателя, посочена в уведомлението-претенция.",
        "We pay only into the payee's own bank account named in the claim form.",
    ),
    ReasonCode(
        "payee-needs-notarised-power",
        "004 Чл.29 т.7",
        "Плащане към посредник или друго лице е възможно само с нотариално заверено пълномощно "
        "за тази претенция или плащане.",
        "Payment to an intermediary or another person needs a notarised power of attorney for "
        "this claim or payment.",
    ),
    ReasonCode(
        "heirs-need-documents",
        "004 Чл.29 т.8",
        "На наследниците плащаме след смъртта на застрахования, срещу документи за "
        "наследството и разходооправдателните документи.",
        "Heirs are paid after the insured person's death, on proof of heirship and the cost "
        "documents.",
    ),
    ReasonCode(
        "insured-died-pay-heirs",
        "004 Чл.29 т.8",
        "Застрахованият е починал: разходите се възстановяват на законните наследници.",
        "The insured person has died: the costs are reimbursed to the legal heirs.",
    ),
    ReasonCode(
        "bank-fee-small-payment",
        "004 Чл.29 т.7",
        "При възстановяване до 20,00 лв. (10,23 EUR) банковата такса е за сметка на застрахования.",
        "For a reimbursement of up to 20.00 leva (10.23 EUR) the bank fee is the insured person's.",
    ),
    ReasonCode(
        "prescription-not-on-examination-day",
        "004 Чл.29 т.2",
        "Рецептата трябва да е издадена в деня на прегледа: изпратете рецепта от датата на "
        "прегледа.",
        "The prescription must be issued on the day of the examination: send one dated on the "
        "examination day.",
    ),
    ReasonCode(
        "prescription-not-by-examining-doctor",
        "004 Чл.29 т.2",
        "Рецептата трябва да е издадена от лекаря, който е извършил прегледа.",
        "The prescription must be issued by the doctor who did the examination.",
    ),
    ReasonCode(
        "aid-wear-period",
        "004 Чл.29 т.2",
        "Същото помощно средство вече е възстановено; ново се покрива след обичайния срок на "
        "износване, освен ако се налага по медицински причини.",
        "The same kind of aid was already reimbursed; a new one is covered after its usual "
        "wear period, unless it is medically needed earlier.",
    ),
    ReasonCode(
        "insurer-may-terminate",
        "004 Чл.25 т.5",
        "Застрахователят има право да прекрати договора: решение взема служител, договорът не "
        "се прекратява автоматично.",
        "The insurer has the right to terminate the contract: a person decides; the contract "
        "does not end by itself.",
    ),
    ReasonCode(
        "insurer-may-propose-repricing",
        "004 Чл.25 т.8",
        "Брутната квота на щетимост е достигнала 100 %: застрахователят има право да предложи "
        "по-висока премия.",
        "The gross loss ratio has reached 100 %: the insurer has the right to propose a higher "
        "premium.",
    ),
    ReasonCode(
        "family-join-too-late",
        "004 Чл.27 т.2",
        "Член на семейството може да се присъедини не по-късно от 1 месец след сключване на "
        "договора.",
        "A family member may join no later than 1 month after the contract was made.",
    ),
    ReasonCode(
        "group-change-not-notified",
        "004 Чл.24 т.4",
        "За промяна в групата застрахователят не е уведомен в 7-дневния срок: лицето не е "
        "покрито, докато не бъде уведомен.",
        "The insurer was not told of the change in the group within 7 days: the person is not "
        "covered until it is.",
    ),
    ReasonCode(
        "preventive-request-late",
        "004 Чл.30 т.3",
        "Заявката за профилактични прегледи се подава не по-късно от 6 месеца преди края на "
        "покритието.",
        "The request for preventive examinations must be made at least 6 months before the "
        "cover ends.",
    ),
    ReasonCode(
        "preventive-list-late",
        "004 Чл.30 т.3",
        "Поименният списък за профилактичните прегледи се изпраща не по-късно от 7 дни преди "
        "началото им.",
        "The list of names for the preventive examinations must be sent at least 7 days before "
        "they start.",
    ),
    ReasonCode(
        "preventive-not-on-list",
        "002 I бел.*",
        "Профилактичните прегледи се провеждат само за лицата от списъка на застрахованите към "
        "деня на началото на профилактиката.",
        "Preventive examinations are held only for the people on the list of insured persons "
        "on the day the programme starts.",
    ),
    ReasonCode(
        "preventive-missed",
        "004 Чл.30 т.3",
        "Лицето не се е явило на основната и на резервната дата: задължението на "
        "застрахователя за профилактичните прегледи е изпълнено.",
        "The person did not come on the main or the reserve date: the insurer's duty for the "
        "preventive examinations is fulfilled.",
    ),
)

REASON_CODES: dict[str, ReasonCode] = {c.code: c for c in _CODES}


def code(name: str) -> ReasonCode:
    return REASON_CODES[name]

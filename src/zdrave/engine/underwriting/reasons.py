"""Every reason code underwriting can emit, with a plain explanation in Bulgarian and English.

The clause comes from the product's underwriting terms (it differs between 004, 001 and 003);
a "yes" in the health declaration is emitted as ``declared-<question key with dashes>`` with
the question's own clause and title.
"""

from __future__ import annotations

from dataclasses import dataclass

from zdrave.engine.decisions import Reason


@dataclass(frozen=True, slots=True)
class ReasonCode:
    code: str
    bg: str
    en: str

    def reason(self, clause: str, detail: str = "") -> Reason:
        return Reason(self.code, clause, f"{self.en} {detail}".strip() if detail else self.en)


DECLARED_PREFIX = "declared-"

PACKAGES_NOT_SOLD_ALONE = ReasonCode(
    "packages-not-sold-alone",
    "Пакетите „Медицински стоки“ (възстановяване на разходи) и „Дентална помощ“ не се предлагат "
    "самостоятелно: изберете и друг пакет.",
    "The medical goods (reimbursement) and dental packages are not sold on their own: choose "
    "another package with them.",
)
AGE_UNDER_MINIMUM = ReasonCode(
    "age-under-minimum",
    "Лицето е по-младо от най-ниската възраст за застраховане към началото на договора.",
    "The person is younger than the minimum age at the contract start.",
)
AGE_OVER_MAXIMUM = ReasonCode(
    "age-over-maximum",
    "Лицето е по-възрастно от най-високата възраст за застраховане към началото на договора.",
    "The person is older than the maximum age at the contract start.",
)
AGE_SPECIAL_CONDITIONS = ReasonCode(
    "age-special-conditions",
    "Лица на тази възраст се застраховат само при специални условия: решава застраховател.",
    "People of this age are insured only on special conditions: an underwriter decides.",
)
AGE_AT_END_OVER_MAXIMUM = ReasonCode(
    "age-at-end-over-maximum",
    "При изтичане на договора лицето ще е по-възрастно от допустимото.",
    "The person would be older than allowed when the contract ends.",
)
AGE_AT_END_SPECIAL_CONDITIONS = ReasonCode(
    "age-at-end-special-conditions",
    "При изтичане на договора лицето ще е над 65 години: възможно само по изрична уговорка.",
    "The person would be over the age limit when the contract ends: possible only by special agreement.",
)
ROLE_NOT_ALLOWED = ReasonCode(
    "role-not-allowed",
    "Лице с тази роля не се застрахова по този вид договор.",
    "A person in this role cannot be insured by this type of contract.",
)
CHILD_NOT_STUDENT = ReasonCode(
    "child-not-student",
    "Пълнолетно дете се застрахова по семеен договор само ако продължава обучението си.",
    "An adult child is covered by a family contract only while in education.",
)
CHILD_MARRIED = ReasonCode(
    "child-married",
    "Дете, сключило граждански брак, не се застрахова по семейния договор.",
    "A married child is not covered by the family contract.",
)
NOT_RESIDENT = ReasonCode(
    "not-resident",
    "Застраховат се само лица, които живеят постоянно или продължително в България.",
    "Only people who live in Bulgaria permanently or long-term are insured.",
)
NO_NHIF_RIGHTS = ReasonCode(
    "no-nhif-rights",
    "Лицето няма непрекъснати здравноосигурителни права: решава застраховател.",
    "The person has no uninterrupted НЗОК rights: an underwriter decides.",
)
DECLARATION_MISSING = ReasonCode(
    "declaration-missing",
    "Липсва здравна декларация: договорът се сключва въз основа на нея.",
    "The health declaration is missing: the contract is made on the basis of it.",
)
DECLARATION_OUTDATED = ReasonCode(
    "declaration-outdated",
    "Здравната декларация е подписана повече от три месеца преди началото: нужна е нова или потвърждение.",
    "The health declaration was signed more than three months before the start: a new one or a confirmation is needed.",
)
DECLARATION_NOT_BY_PARENT = ReasonCode(
    "declaration-not-by-parent",
    "За лице под 18 години декларацията се попълва от родител, настойник или попечител.",
    "For a person under 18 the declaration is filled in by a parent or guardian.",
)
TOO_MANY_PERSONS = ReasonCode(
    "too-many-persons",
    "Индивидуалният договор застрахова едно лице.",
    "An individual contract insures one person.",
)
GROUP_TOO_SMALL = ReasonCode(
    "group-too-small",
    "Групата е по-малка от най-малкия размер за групов договор.",
    "The group is smaller than the minimum size of a group contract.",
)
GROUP_NOT_EMPLOYER_PAID = ReasonCode(
    "group-not-employer-paid",
    "Груповата застраховка се сключва за сметка на работодателя, не на доброволен принцип.",
    "A group contract is paid by the employer; it cannot be formed on a voluntary basis.",
)
FAMILY_TOO_MANY_PARTNERS = ReasonCode(
    "family-too-many-partners",
    "Семейният договор покрива една двойка: съпрузи или съжителстващи партньори.",
    "A family contract covers one couple: spouses or cohabiting partners.",
)
FAMILY_CHILDREN_WITHOUT_PARENT = ReasonCode(
    "family-children-without-parent",
    "Деца се застраховат заедно с родителите си или по групов договор.",
    "Children are insured together with their parents or by a group contract.",
)
TERM_TOO_SHORT = ReasonCode(
    "term-too-short",
    "Срокът на договора е по-кратък от най-краткия допустим за този вид договор.",
    "The contract term is shorter than the minimum for this type of contract.",
)
TERM_TOO_LONG = ReasonCode(
    "term-too-long",
    "Срокът на договора е по-дълъг от най-дългия допустим за този вид договор.",
    "The contract term is longer than the maximum for this type of contract.",
)
CONTRACT_TYPE_NOT_OFFERED = ReasonCode(
    "contract-type-not-offered",
    "Този вид договор не се предлага по тези условия.",
    "This type of contract is not offered under these terms.",
)

CODES: tuple[ReasonCode, ...] = (
    PACKAGES_NOT_SOLD_ALONE,
    AGE_UNDER_MINIMUM,
    AGE_OVER_MAXIMUM,
    AGE_SPECIAL_CONDITIONS,
    AGE_AT_END_OVER_MAXIMUM,
    AGE_AT_END_SPECIAL_CONDITIONS,
    ROLE_NOT_ALLOWED,
    CHILD_NOT_STUDENT,
    CHILD_MARRIED,
    NOT_RESIDENT,
    NO_NHIF_RIGHTS,
    DECLARATION_MISSING,
    DECLARATION_OUTDATED,
    DECLARATION_NOT_BY_PARENT,
    TOO_MANY_PERSONS,
    GROUP_TOO_SMALL,
    GROUP_NOT_EMPLOYER_PAID,
    FAMILY_TOO_MANY_PARTNERS,
    FAMILY_CHILDREN_WITHOUT_PARENT,
    TERM_TOO_SHORT,
    TERM_TOO_LONG,
    CONTRACT_TYPE_NOT_OFFERED,
)


def declared_code(key: str) -> str:
    return DECLARED_PREFIX + key.replace("_", "-")

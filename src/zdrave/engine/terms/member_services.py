"""Member services run with a partner team (Extra Care, seed 000).

Two services: (а) a second medical opinion in 17 steps and (б) a psychologist consultation in 7
steps. The seed numbers each list from 1, so a step is cited with its list: ``000 а) стъпка 7``
(second opinion) and ``000 б) стъпка 5`` (psychologist). The partner (Diagnose.me in the seed) is
a ``partners`` entry of the product; texts that name it use the ``{partner}`` placeholder.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Protocol, TypeVar

from pydantic import Field, model_validator

from zdrave.engine.terms.common import Citation, Strict, Text

PARTNER_PLACEHOLDER = "{partner}"


class _HasCode(Protocol):
    @property
    def code(self) -> str: ...


_Coded = TypeVar("_Coded", bound=_HasCode)


class MemberServiceCode(StrEnum):
    SECOND_OPINION = "second-opinion"  # второ медицинско мнение
    PSYCHOLOGIST = "psychologist-consultation"  # консултация с психолог


class Actor(StrEnum):
    """Who acts in a step: the member, the partner team, or the platform on its own."""

    MEMBER = "member"
    PARTNER = "partner"
    SYSTEM = "system"


def with_partner(text: str, partner_name: str) -> str:
    """Fill the ``{partner}`` placeholder of a step or e-mail text."""
    return text.replace(PARTNER_PLACEHOLDER, partner_name)


class Step(Strict):
    number: int = Field(ge=1)
    code: str  # stable key for the journey's code: "request-form", "report-ready", …
    clause: Citation
    actor: Actor
    title: Text
    text: Text


class Eligibility(Strict):
    """Only people whose contract includes one of ``requires_cover`` (product codes) may use the
    service."""

    requires_cover: list[str]
    clause: Citation

    def allows(self, covers: set[str] | frozenset[str] | list[str]) -> bool:
        """Whether a person whose contract includes ``covers`` (product codes) may use it."""
        return any(code in covers for code in self.requires_cover)


class EmailTemplate(Strict):
    """An e-mail the partner team sends; ``subject`` may contain ``{partner}``.

    ``clause`` is the step that sends the e-mail. ``subject_clause`` cites the step only where
    seed 000 quotes the subject itself (а) стъпка 7, б) стъпка 5); every other subject is the
    project's own wording and says so in ``subject_note``."""

    code: str
    clause: Citation
    subject: Text
    subject_clause: Citation | None = None
    subject_note: Text | None = None
    sender_domain_from_partner: bool = True  # sent from the partner's own domain

    @model_validator(mode="after")
    def _subject_source(self) -> EmailTemplate:
        if (self.subject_clause is None) == (self.subject_note is None):
            raise ValueError(
                f"e-mail {self.code!r}: give subject_clause (the seed quotes the subject) or "
                "subject_note (the project's own wording), not both"
            )
        return self

    def render_subject(self, partner_name: str, language: str) -> str:
        return with_partner(self.subject.get(language), partner_name)


class TranslationAllowance(Strict):
    """How much the partner translates free of charge (000 а) стъпка 14)."""

    images: int = Field(ge=0)
    pages: int = Field(ge=0)
    extra_by_exception_min: int = Field(ge=0)
    extra_by_exception_max: int = Field(ge=0)
    clause: Citation
    over_allowance: Text  # what happens beyond it

    @model_validator(mode="after")
    def _range(self) -> TranslationAllowance:
        if self.extra_by_exception_min > self.extra_by_exception_max:
            raise ValueError("extra_by_exception_min is above extra_by_exception_max")
        return self

    def translated_free(self, images: int, pages: int) -> bool:
        """Within the allowance (the 1–2 extra items by exception are the partner's call)."""
        return images <= self.images and pages <= self.pages

    def member_must_choose(self, images: int, pages: int) -> bool:
        """Beyond even the exception the member chooses what is sent to the specialist."""
        extra = max(0, images - self.images) + max(0, pages - self.pages)
        return extra > self.extra_by_exception_max


class Cost(Strict):
    free_for_clients: bool
    clause: Citation


class Reminder(Strict):
    minutes_before: int = Field(ge=1)
    clause: Citation


class MemberService(Strict):
    code: MemberServiceCode
    clause: Citation
    title: Text
    description: Text
    partner: str  # code of a ``partners`` entry
    eligibility: Eligibility
    steps: list[Step]
    emails: list[EmailTemplate] = Field(default_factory=list)
    question_languages: list[str] = Field(default_factory=list)
    question_languages_clause: Citation | None = None
    report_languages: list[str] = Field(default_factory=list)
    report_languages_clause: Citation | None = None
    chat_languages: list[str] = Field(default_factory=list)
    chat_languages_clause: Citation | None = None
    translation: TranslationAllowance | None = None
    cost: Cost
    reminder: Reminder | None = None
    channels: list[str] = Field(default_factory=list)  # video link, phone
    channels_clause: Citation | None = None
    interpretation: str | None = None

    @model_validator(mode="after")
    def _steps_in_order(self) -> MemberService:
        numbers = [s.number for s in self.steps]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"steps must be numbered 1, 2, 3 … in order; got {numbers}")
        codes = [s.code for s in self.steps]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"duplicate step code(s) {dupes}")
        return self

    def step(self, code: str) -> Step:
        return _by_code(self.steps, code, f"service {self.code.value!r} has no step {code!r}")

    def email(self, code: str) -> EmailTemplate:
        return _by_code(self.emails, code, f"service {self.code.value!r} has no e-mail {code!r}")


class MemberServicesTerms(Strict):
    services: list[MemberService]

    @model_validator(mode="after")
    def _unique(self) -> MemberServicesTerms:
        codes = [s.code for s in self.services]
        if len(codes) != len(set(codes)):
            raise ValueError("each member service may appear once")
        return self

    def service(self, code: str) -> MemberService:
        return _by_code(self.services, code, f"no member service {code!r}")


def _by_code(items: Iterable[_Coded], code: str, missing: str) -> _Coded:
    """The item of ``items`` whose ``code`` is ``code``; ``KeyError(missing)`` when none is."""
    found = next((item for item in items if item.code == code), None)
    if found is None:
        raise KeyError(missing)
    return found

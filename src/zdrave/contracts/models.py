"""Contracts and the people they insure.

Terms (Bulgarian → model): застраховащ = ``PolicyHolder``, застрахователен договор =
``Contract``, застраховано лице = ``InsuredPerson``, покритие = ``Cover``, разсрочена вноска =
``PremiumInstalment``, специални условия = ``SpecialConditions``. Contract types follow
004 Чл.12 and Чл.24 т.2 (individual, family, group). Writes go through
``zdrave.contracts.actions``; these models only hold the data and its invariants.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HolderKind(models.TextChoices):
    PERSON = "person", _("Person")
    COMPANY = "company", _("Company")


class ContractType(models.TextChoices):
    """004 Чл.12, Чл.24 т.2."""

    INDIVIDUAL = "individual", _("Individual")
    FAMILY = "family", _("Family")
    GROUP = "group", _("Group")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")
    LAPSED = "lapsed", _("Lapsed")
    TERMINATED = "terminated", _("Terminated")
    EXPIRED = "expired", _("Expired")


class TerminationReason(models.TextChoices):
    """Why a contract ended before its term (004 Чл.25, Чл.28); the values are the engine's
    ``health_contract.Termination``."""

    MUTUAL = "mutual", _("By mutual agreement (004 Чл.28 т.1)")
    REPRICING_REFUSED = "repricing-refused", _("Higher premium refused (004 Чл.25 т.8)")
    DEATH = "death", _("Death of the insured (004 Чл.28 т.2)")
    MISREPRESENTATION = "misrepresentation", _("Misrepresentation (004 Чл.28 т.3)")
    HIGHER_RISK = "higher-risk", _("Higher risk not accepted (004 Чл.28 т.4)")
    NOTICE = "notice", _("By notice (004 Чл.28 т.5)")
    PREMIUM_OVERDUE = "premium-overdue", _("Premium overdue (004 Чл.25 т.5)")


class IdKind(models.TextChoices):
    EGN = "egn", _("ЕГН")
    LNCH = "lnch", _("ЛНЧ")
    PASSPORT = "passport", _("Passport")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class MemberRole(models.TextChoices):
    """A person's place on a contract (004 Чл.24 т.2)."""

    HOLDER = "holder", _("Policyholder")
    SPOUSE = "spouse", _("Spouse")
    COHABITANT = "cohabitant", _("Cohabiting partner")
    CHILD = "child", _("Child")
    EMPLOYEE = "employee", _("Employee")


class Option(models.TextChoices):
    """002's four options; values are the product files' option codes."""

    MINIMAL = "minimal", _("Minimal")
    BASIC = "basic", _("Basic")
    FULL = "full", _("Full")
    LUXURY = "luxury", _("Luxury")


class Clause(models.TextChoices):
    """002 VII legend."""

    A = "A", _("Clause A (subscription only)")
    B1 = "Б1", _("Clause Б1 (with co-payment on reimbursement)")
    B2 = "Б2", _("Clause Б2 (no co-payment)")


class PolicyHolder(models.Model):
    """Застраховащ: who concludes the contract and pays the premium — a person (ЕГН) or a
    company (ЕИК). ``users`` are the accounts that act for it (the person, an employer's HR)."""

    kind = models.CharField(_("kind"), max_length=16, choices=HolderKind.choices)
    name = models.CharField(_("name"), max_length=200)
    identifier = models.CharField(_("ЕИК / ЕГН"), max_length=13)
    person = models.ForeignKey(
        "contracts.InsuredPerson",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="holder_records",
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("accounts"), blank=True, related_name="holders"
    )

    class Meta:
        verbose_name = _("policyholder")
        verbose_name_plural = _("policyholders")
        constraints = [
            models.UniqueConstraint(fields=["kind", "identifier"], name="holder_unique_identifier")
        ]

    def __str__(self) -> str:
        return self.name


class InsuredPerson(models.Model):
    """Застраховано лице. Bulgarians are identified by ЕГН (birth date and sex come from it);
    foreigners by ЛНЧ or passport, with birth date and sex entered."""

    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("middle name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    id_kind = models.CharField(_("identity document"), max_length=16, choices=IdKind.choices)
    id_number = models.CharField(_("identity number"), max_length=32)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    # Непрекъснати здравноосигурителни права: hospital care needs them (002 III бел.*, 004
    # Чл.21(1) т.3) and so does being insured at all (004 Чл.6). The flag is the status last
    # confirmed (``nhif_checked_on``); a claim is decided on the flag as it stands then.
    nhif_rights = models.BooleanField(_("НЗОК rights"), default=True)
    nhif_checked_on = models.DateField(_("НЗОК rights confirmed on"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="insured_person",
    )

    class Meta:
        verbose_name = _("insured person")
        verbose_name_plural = _("insured persons")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["id_kind", "id_number"], name="person_unique_id")
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)


class Contract(models.Model):
    number = models.CharField(_("contract number"), max_length=32, unique=True)
    type = models.CharField(_("contract type"), max_length=16, choices=ContractType.choices)
    holder = models.ForeignKey(
        PolicyHolder,
        verbose_name=_("policyholder"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    product_code = models.CharField(_("product"), max_length=32)
    # The version's effective_from: the contract keeps the terms it was sold under.
    product_version = models.DateField(_("product version"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))  # inclusive: the last day of cover
    status = models.CharField(
        _("status"), max_length=16, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    # 004 Чл.26 т.1: the contract sets an aggregate limit per person for its whole term.
    aggregate_limit = models.DecimalField(
        _("aggregate limit per person (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    # The day a termination takes effect: cover ends at 00:00 of it (004 Чл.27 т.2), so the last
    # covered day is the day before; nothing is paid for events from it on (004 Чл.29 т.9).
    terminated_on = models.DateField(_("terminated as of"), null=True, blank=True)
    termination_reason = models.CharField(
        _("termination reason"), max_length=24, choices=TerminationReason.choices, blank=True
    )
    # The contract this one renews (issue 11): a person on both, renewed without a break, waits
    # no new waiting period (001 т.25, 003 т.23; 004 Чл.19 counts from the cover's start).
    previous = models.OneToOneField(
        "self",
        verbose_name=_("renews contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewed_by",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="contract_end_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(terminated_on__isnull=True)
                | models.Q(terminated_on__gte=models.F("start")),
                name="contract_terminated_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def in_force_on(self, day: dt.date) -> bool:
        if self.terminated_on is not None and day >= self.terminated_on:
            return False
        return (
            self.status in (ContractStatus.IN_FORCE, ContractStatus.TERMINATED)
            and self.start <= day <= self.end
        )


class ContractMember(models.Model):
    """A person on a contract, in a role, covered from a date (a group contract's newcomers
    join mid-term, so cover can start after the contract does)."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        InsuredPerson,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role on the contract"), max_length=16, choices=MemberRole.choices)
    # 004 Чл.24 т.2: an adult child stays on a family contract while a student, up to 26.
    student = models.BooleanField(_("student"), default=False)
    covered_from = models.DateField(_("covered from"))
    # The last covered day of a person removed by annex (cover ends at 00:00 of the next day,
    # 004 Чл.27 т.2); None while they stay until the contract ends.
    covered_until = models.DateField(_("covered until"), null=True, blank=True)

    class Meta:
        verbose_name = _("contract member")
        verbose_name_plural = _("contract members")
        ordering = ["contract", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "person"], name="member_once_per_contract")
        ]

    def __str__(self) -> str:
        return f"{self.contract.number}: {self.person}"


class CoverQuerySet(models.QuerySet):
    def on(self, day: dt.date) -> CoverQuerySet:
        """The covers in force on ``day`` (an annex that changes a package or option closes the
        old cover the day before the change and opens a new one from it, 004 Чл.27 т.2)."""
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day),
        )

    def current(self) -> CoverQuerySet:
        """The covers as the contract now reads, including a change that starts later."""
        return self.filter(valid_until__isnull=True)


class Cover(models.Model):
    """Покритие: a product (for ``health``: a package with option and clause) on one member or,
    with ``member`` empty, on everyone on the contract, from ``valid_from`` to ``valid_until``
    (both inclusive; empty: from the start / to the end of the contract)."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="covers"
    )
    member = models.ForeignKey(
        ContractMember,
        verbose_name=_("insured person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="covers",
    )
    product_code = models.CharField(_("product"), max_length=32)
    product_version = models.DateField(_("product version"))
    package = models.PositiveSmallIntegerField(_("package"), null=True, blank=True)
    option = models.CharField(_("option"), max_length=16, choices=Option.choices, blank=True)
    clause = models.CharField(_("clause"), max_length=4, choices=Clause.choices, blank=True)
    # A change of package or option by annex applies from 00:00 of its effective day
    # (004 Чл.27 т.2): the old cover ends the day before and the new one starts on it, so a
    # claim is decided on the cover in force on the day of the service.
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = CoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("cover")
        verbose_name_plural = _("covers")
        ordering = ["contract", "product_code", "package", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="cover_valid_until_after_from",
            )
        ]

    def __str__(self) -> str:
        if self.package:
            return f"{self.product_code} {self.package} {self.option} {self.clause}".strip()
        return self.product_code


class PremiumInstalment(models.Model):
    """Разсрочена вноска: one instalment of a contract's premium schedule (004 Чл.25 т.4: the
    contract states the number, amount and due date of each). A single payment is a schedule of
    one. ``paid_on`` is the day the instalment was paid in full (None while any of it is owed);
    ``paid_amount`` is what has come in so far. Billing builds on these rows."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="instalments"
    )
    due = models.DateField(_("due date"))
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    paid_amount = models.DecimalField(
        _("paid (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    paid_on = models.DateField(_("paid in full on"), null=True, blank=True)

    class Meta:
        verbose_name = _("premium instalment")
        verbose_name_plural = _("premium instalments")
        ordering = ["contract", "due"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "due"], name="instalment_once_per_due"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="instalment_amount"),
            models.CheckConstraint(
                condition=models.Q(paid_amount__gte=0, paid_amount__lte=models.F("amount")),
                name="instalment_paid_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.due.isoformat()} {self.amount} EUR"

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid_amount


class SpecialConditions(models.Model):
    """Специални условия: what the insurer agreed in writing for one person on a contract (004
    Чл.10) — diagnoses (ICD-10 codes or ranges such as ``L60-L75``) and services (codes, or
    ``2.8*`` for a whole group) excluded for them (Чл.21(2)), extra waiting periods (Чл.20),
    a lower aggregate limit (Чл.26 т.1) and a premium loading (for the premium only; claims
    ignore it). ``waiting`` is a list of ``{"months", "icd10", "services"}``. Written by
    ``contracts.actions.set_special_conditions``, which checks every code."""

    member = models.OneToOneField(
        ContractMember,
        verbose_name=_("insured person"),
        on_delete=models.CASCADE,
        related_name="special_conditions",
    )
    agreed_on = models.DateField(_("agreed on"))
    excluded_icd10 = models.JSONField(_("excluded diagnoses (ICD-10)"), default=list, blank=True)
    excluded_services = models.JSONField(_("excluded services"), default=list, blank=True)
    waiting = models.JSONField(_("extra waiting periods"), default=list, blank=True)
    limit = models.DecimalField(
        _("lower aggregate limit (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    loading_percent = models.DecimalField(
        _("premium loading (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("special conditions")
        verbose_name_plural = _("special conditions")

    def __str__(self) -> str:
        return f"{self.member}"

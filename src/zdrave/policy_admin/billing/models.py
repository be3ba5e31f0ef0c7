"""Billing: the money side of a contract's life.

Terms (Bulgarian → model): плащане на премия = ``PremiumPayment`` (money received, spread over
the contract's ``contracts.PremiumInstalment`` rows), банково извлечение = ``BankStatement`` with
its ``StatementLine``s, задача = ``BillingTask`` (a decision a person owes: arrears under 004
Чл.25 т.5, repricing under Чл.25 т.8), прекратяване = ``Termination`` (the decision, its money
and its letter; the contract's ``terminated_on`` is set by ``contracts.actions``).

Writes go through ``zdrave.policy_admin.billing.actions``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zdrave.contracts.models import TerminationReason

ZERO = Decimal("0.00")


class PaymentSource(models.TextChoices):
    STAFF = "staff", _("Entered by staff")
    STATEMENT = "statement", _("Bank statement")


class PremiumPayment(models.Model):
    """Money received for a contract's premium, spread over its unpaid instalments oldest first
    (``allocations``: ``[{"instalment", "due", "amount"}]``)."""

    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="premium_payments",
    )
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    received_on = models.DateField(_("received on"))
    payer = models.CharField(_("payer"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=PaymentSource.choices)
    statement_line = models.OneToOneField(
        "billing.StatementLine",
        verbose_name=_("statement line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment",
    )
    allocations = models.JSONField(_("instalments paid"), default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # A form's one-time key: the same key twice is the same payment (double click, reload).
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("premium payment")
        verbose_name_plural = _("premium payments")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.received_on} {self.amount} EUR"


class StatementFormat(models.TextChoices):
    CSV = "csv", _("CSV (bank export)")
    CAMT053 = "camt053", _("camt.053 (ISO 20022)")


class BankStatement(models.Model):
    """One imported file. The same file (by its SHA-256) is stored once."""

    format = models.CharField(_("format"), max_length=8, choices=StatementFormat.choices)
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class LineStatus(models.TextChoices):
    BOOKED = "booked", _("Booked to a contract")
    UNMATCHED = "unmatched", _("No contract found")
    AMBIGUOUS = "ambiguous", _("Matches more than one contract")
    SURPLUS = "surplus", _("More than the contract owes")
    DUPLICATE = "duplicate", _("Already imported")
    NOT_OURS = "not_ours", _("Not a premium (debit or other currency)")
    SET_ASIDE = "set_aside", _("Set aside by a person")


# A person still owes these lines a decision.
TO_MATCH = (LineStatus.UNMATCHED, LineStatus.AMBIGUOUS, LineStatus.SURPLUS)


class StatementLine(models.Model):
    """One credit of a statement. ``bank_key`` (the bank's reference, with the date and amount)
    is unique across statements, so an overlapping file books nothing twice: its repeated lines
    are stored as ``duplicate`` pointing at nothing."""

    statement = models.ForeignKey(
        BankStatement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="lines"
    )
    index = models.PositiveIntegerField(_("line"))
    bank_key = models.CharField(_("bank reference"), max_length=200, null=True, blank=True)
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    booked_on = models.DateField(_("booked on"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    credit = models.BooleanField(_("credit"), default=True)
    payer = models.CharField(_("payer"), max_length=200, blank=True)
    payer_iban = models.CharField(_("payer's IBAN"), max_length=34, blank=True)
    remittance = models.CharField(_("payment details"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=LineStatus.choices)
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    candidates = models.JSONField(_("possible contracts"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "index"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "index"], name="statement_line_once"),
            models.UniqueConstraint(fields=["bank_key"], name="statement_line_bank_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.statement} #{self.index}"


class TaskKind(models.TextChoices):
    ARREARS = "arrears", _("Instalment more than 15 days overdue (004 Чл.25 т.5)")
    REPRICING = "repricing", _("Loss ratio reached 100 % (004 Чл.25 т.8)")
    # Best Doctors: cover stopped by itself 30 days after the due date; the task is for the
    # follow-up (a call), the letter went out with it (001 т.27.4, т.40–41; 003 т.24 в), т.36–37).
    LAPSE = "lapse", _("Best Doctors premium unpaid: cover stopped (001 т.27.4 / 003 т.24 в))")
    # Best Doctors grounds the daily check sees (``actions.grounds``): a person decides on the
    # contract's termination page whether the insurer uses its right, or records why not.
    BD_UNPAID = "bd-unpaid", _("Best Doctors premium past its due date (001 т.27.4 / 003 т.24 в))")
    BD_MISREPRESENTATION = (
        "bd-misrep",
        _("Best Doctors: undeclared condition found (001 т.27.3 / 003 т.24 б))"),
    )


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    NOTICE_SENT = "notice_sent", _("Notice sent")
    WAITING = "waiting", _("Decided: wait")
    PROPOSED = "proposed", _("Higher premium proposed")
    CLOSED = "closed", _("Closed")
    TERMINATED = "terminated", _("Contract terminated")


OPEN_TASKS = (TaskStatus.OPEN, TaskStatus.NOTICE_SENT, TaskStatus.WAITING, TaskStatus.PROPOSED)


class BillingTask(models.Model):
    """A decision the insurer's staff owe where 004 gives the insurer a right: arrears (Чл.25
    т.5: notify, then wait or terminate) for billing; repricing (Чл.25 т.8: propose a higher
    premium, terminate if refused) for underwriters. Nothing happens to the contract without a
    person's decision."""

    kind = models.CharField(_("kind"), max_length=16, choices=TaskKind.choices)
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="billing_tasks",
    )
    instalment = models.ForeignKey(
        "contracts.PremiumInstalment",
        verbose_name=_("instalment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    opened_on = models.DateField(_("opened on"))
    notice_sent_on = models.DateField(_("notice sent on"), null=True, blank=True)
    loss_ratio = models.DecimalField(
        _("loss ratio (%)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    proposed_premium = models.DecimalField(
        _("proposed yearly premium (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Best Doctors grounds: the claim whose medical opinion found the undeclared condition, the
    # day the insurer learned of it, the clause and the last day it gives (none for 003 т.24 б)).
    claim = models.ForeignKey(
        "claims.Claim",
        verbose_name=_("claim"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    learned_on = models.DateField(_("learned on"), null=True, blank=True)
    clause = models.CharField(_("clause"), max_length=40, blank=True)
    deadline = models.DateField(_("decide by"), null=True, blank=True)

    class Meta:
        verbose_name = _("billing task")
        verbose_name_plural = _("billing tasks")
        ordering = ["status", "opened_on", "id"]
        constraints = [
            # One arrears task per instalment, ever; one repricing task open per contract.
            models.UniqueConstraint(
                fields=["instalment"],
                condition=models.Q(kind="arrears"),
                name="billing_task_arrears_once",
            ),
            models.UniqueConstraint(
                fields=["instalment"],
                condition=models.Q(kind="lapse"),
                name="billing_task_lapse_once",
            ),
            # Best Doctors grounds: one task per unpaid instalment, one per claim's finding.
            models.UniqueConstraint(
                fields=["instalment"],
                condition=models.Q(kind="bd-unpaid"),
                name="billing_task_bd_unpaid_once",
            ),
            models.UniqueConstraint(
                fields=["claim"],
                condition=models.Q(kind="bd-misrep"),
                name="billing_task_bd_misrep_once",
            ),
            models.UniqueConstraint(
                fields=["contract"],
                condition=models.Q(
                    kind="repricing", status__in=["open", "notice_sent", "waiting", "proposed"]
                ),
                name="billing_task_repricing_open_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.contract_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASKS


class BestDoctorsTermination(models.TextChoices):
    """How a Best Doctors contract ends early other than the automatic lapse (001 т.27.1–27.3,
    003 т.24 а)–б)); ``best_doctors`` offers each for the contract's general conditions."""

    MUTUAL = "bd-mutual", _("By mutual agreement in writing (001 т.27.1 / 003 т.24 а))")
    INTEREST_LOST = (
        "bd-interest-lost",
        _("Insurable interest fell away: the policyholder's application (001 т.27.2)"),
    )
    MISREPRESENTATION = (
        "bd-misrepresentation",
        _("Misrepresentation: the insurer's decision (001 т.27.3)"),
    )
    HOLDER_NOTICE = "bd-holder-notice", _("Three months' notice by the policyholder (003 т.24 б))")
    INSURER_NOTICE = "bd-insurer-notice", _("Three months' notice by the insurer (003 т.24 б))")


class Termination(models.Model):
    """A person's decision to end a contract early, with the money the clause settles and the
    letter that says so (``letters.termination_letter``)."""

    contract = models.OneToOneField(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="termination",
    )
    kind = models.CharField(
        _("kind"),
        max_length=24,
        choices=TerminationReason.choices + BestDoctorsTermination.choices,
    )
    decided_on = models.DateField(_("decided on"))
    requested_on = models.DateField(
        _("the policyholder's written request received on"), null=True, blank=True
    )
    effective_on = models.DateField(_("cover ends at 00:00 of"))
    refund = models.DecimalField(_("refund (EUR)"), max_digits=12, decimal_places=2)
    premium_to_claim = models.DecimalField(
        _("premium still due (EUR)"), max_digits=12, decimal_places=2
    )
    costs_kept = models.DecimalField(_("costs kept (EUR)"), max_digits=12, decimal_places=2)
    costs_percent = models.DecimalField(_("costs share (%)"), max_digits=5, decimal_places=2)
    clause = models.CharField(_("clause"), max_length=40)
    task = models.ForeignKey(
        BillingTask,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("termination")
        verbose_name_plural = _("terminations")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.kind} {self.effective_on}"

"""A group contract applied for online by an employer (Групов застрахователен договор, 004
Чл.24 т.2): the employer (застраховащ, a legal entity with its ЕИК) and the census of the
application (поименен списък, Чл.23 т.3), kept on a ``sales.Application`` of type ``group``
whose persons, declarations and decisions are the sales app's. ``DeclarationLink`` is the
e-mailed link with which an employee fills in their own declaration and their children's (Чл.23
т.1). Writes go through ``zdrave.policy_admin.groupsales.actions``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class GroupSale(models.Model):
    application = models.OneToOneField(
        "sales.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="group_sale",
    )
    employer_name = models.CharField(_("employer"), max_length=200)
    eik = models.CharField(_("ЕИК"), max_length=13)
    contact_name = models.CharField(_("contact person"), max_length=200)
    size = models.PositiveIntegerField(_("people in the group"))
    # 004 Чл.23 т.3 as the product reads it (underwriting.yaml declaration_waiver): a group over
    # 20 with a legal-entity holder is insured without declarations.
    declarations_needed = models.BooleanField(_("health declarations needed"))
    # The site the employer applied on: the e-mailed links point there.
    site_url = models.URLField(_("site"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set when the employer's account was sent its sign-in link (at issuance).
    link_sent_at = models.DateTimeField(_("sign-in link sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("group application")
        verbose_name_plural = _("group applications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.employer_name} ({self.application.reference})"


class DeclarationLink(models.Model):
    """The declaration link of one employee (or an adult family member with an address): the
    persons it opens are that person and the children who follow them in the census. Only a
    SHA-256 of the secret is kept; the e-mailed token is signed and carries this row's id."""

    group_sale = models.ForeignKey(
        GroupSale,
        verbose_name=_("group application"),
        on_delete=models.CASCADE,
        related_name="links",
    )
    email = models.EmailField(_("e-mail"))
    persons = models.ManyToManyField(
        "sales.Applicant", verbose_name=_("persons"), related_name="declaration_links"
    )
    secret_hash = models.CharField(max_length=64)
    # When the current link was e-mailed: first, or by the last reminder (which issues a new
    # secret, so the older link stops working; docs/decisions.md).
    sent_at = models.DateTimeField(_("sent"))
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)

    class Meta:
        verbose_name = _("declaration link")
        verbose_name_plural = _("declaration links")
        ordering = ["group_sale", "id"]

    def __str__(self) -> str:
        return self.email

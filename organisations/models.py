"""Community groups, the people in them, and invitations to join."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from encrypted_fields.fields import EncryptedCharField

from fund.models import Place
from kit.invitations import Expires
from organisations.bank import masked_account_number, masked_sort_code

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def for_member(self, user: User | AnonymousUser) -> OrganisationQuerySet:
        """The groups ``user`` belongs to. Nobody else's group exists for them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


class Organisation(models.Model):
    """A community group, charity or social enterprise that applies for investment."""

    class LegalForm(models.TextChoices):
        UNINCORPORATED = "unincorporated", "Unincorporated community group"
        CHARITY = "charity", "Registered charity"
        CIO = "cio", "Charitable incorporated organisation (CIO)"
        CIC = "cic", "Community interest company (CIC)"
        CLG = "clg", "Company limited by guarantee"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    legal_form = models.CharField(max_length=20, choices=LegalForm)
    legal_form_other = models.CharField("other legal form", max_length=200, blank=True)
    charity_number = models.CharField(max_length=8, blank=True)
    company_number = models.CharField(max_length=8, blank=True)
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField("town or city", max_length=100)
    postcode = models.CharField(max_length=8)
    places = models.ManyToManyField(Place, blank=True, related_name="organisations")
    contact_name = models.CharField(max_length=200)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_constituted(self) -> bool:
        return self.legal_form != self.LegalForm.UNINCORPORATED


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner: can change the group's details and invite people"
        MEMBER = "member", "Member: can work on applications"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(Expires, models.Model):
    """An emailed invitation to join a group; accepted by signing in with that address.

    It can be used once, within ``VALID_DAYS`` of being sent: a link lying in an old mailbox
    should not let someone into the group years later."""

    VALID_DAYS = 30

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Membership.Role, default=Membership.Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} to {self.organisation}"


class BankDetailsQuerySet(models.QuerySet["BankDetails"]):
    def newest_first(self) -> BankDetailsQuerySet:
        """The newest a group gave first: the first is the one it is paid into."""
        return self.order_by(*BankDetails.NEWEST_FIRST)


class BankDetails(models.Model):
    """The account a group is paid into, encrypted at rest. Each change is a row of its own, and the
    latest is the one paid; finance checks it by a second channel (a phone call to a number it
    already holds, a bank letter) before any payment goes to it. Never in the audit trail, an
    export or a log in clear: pages show it masked (``organisations.bank``), but for finance's check."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="bank_details")
    account_name = EncryptedCharField("name on the account", max_length=200)
    sort_code = EncryptedCharField(max_length=6)
    account_number = EncryptedCharField(max_length=8)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    given_at = models.DateTimeField(default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_how = models.TextField("how they were checked", blank=True)

    NEWEST_FIRST = ("-given_at", "-pk")

    objects = BankDetailsQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "-given_at", "-pk"]
        verbose_name_plural = "bank details"

    def __str__(self) -> str:
        return f"{self.organisation}: {self.masked}"

    @property
    def masked(self) -> str:
        sort_code, account = masked_sort_code(self.sort_code), masked_account_number(self.account_number)
        return f"sort code {sort_code}, account {account}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

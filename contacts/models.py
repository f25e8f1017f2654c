"""The §18 directory: units and contacts in other government departments and bodies, kept by the Modern Slavery
Unit and the Home Office Sponsorship Unit, each entry with who last checked it and when (ADR 24)."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q

USER = settings.AUTH_USER_MODEL
# An entry not checked for this long is shown as due a check.
CHECK_INTERVAL = relativedelta(months=6)
NAME_MAX, ROLE_MAX, EMAIL_MAX, PHONE_MAX = 200, 200, 254, 40


def _checked_paired(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(last_checked_at__isnull=True, last_checked_by__isnull=True)
                                  | Q(last_checked_at__isnull=False, last_checked_by__isnull=False), name=name)


class Checked(models.Model):
    """What every entry carries: a version (a stale page is a 409) and who last checked it, when."""

    version = models.PositiveIntegerField(default=1)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_checked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    def check_due(self, now) -> bool:
        """§18: contacts go stale; one not checked for six months is due a check."""
        return self.last_checked_at is None or self.last_checked_at <= now - CHECK_INTERVAL


class Unit(Checked):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="directory_units")
    name = models.CharField(max_length=NAME_MAX)

    class Meta:
        ordering = ["organisation__name", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="directory_unit_name_unique"),
            _checked_paired("directory_unit_checked_paired"),
            models.CheckConstraint(condition=Q(version__gte=1), name="directory_unit_version_positive"),
        ]

    def __str__(self):
        return self.name


class Contact(Checked):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="directory_contacts")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts",
                             help_text="The unit of the organisation the contact works in, if known.")
    name = models.CharField(max_length=NAME_MAX)
    role_title = models.CharField(max_length=ROLE_MAX, help_text="Their role or job title.")
    email = models.EmailField(max_length=EMAIL_MAX, blank=True)
    phone = models.CharField(max_length=PHONE_MAX, blank=True)

    class Meta:
        ordering = ["organisation__name", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(email="") | ~Q(phone=""), name="directory_contact_reachable"),
            _checked_paired("directory_contact_checked_paired"),
            models.CheckConstraint(condition=Q(version__gte=1), name="directory_contact_version_positive"),
        ]

    def __str__(self):
        return f"{self.name}, {self.role_title}"

"""Who the Commissioner names to decide on her behalf (§14), and when; changed only through accounts.delegation."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

REASON_MAX_LENGTH = 500


class Delegation(models.Model):
    office = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations")
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    named_at = models.DateTimeField()
    reason = models.CharField(max_length=REASON_MAX_LENGTH,
                              help_text="Why, and for how long: e.g. while the Commissioner is on leave.")
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-named_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "delegate"], condition=Q(revoked_at__isnull=True),
                                    name="one_live_delegation_per_person"),
            models.CheckConstraint(condition=~Q(delegate=F("named_by")), name="delegation_not_to_oneself"),
            models.CheckConstraint(condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                                   | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                                   name="delegation_revoked_paired"),
        ]

    def __str__(self):
        return f"{self.delegate} for the Commissioner of {self.office}"

    @property
    def live(self) -> bool:
        return self.revoked_at is None

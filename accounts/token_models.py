"""API tokens for systems (ADR 16): knox's hashed, expiring token with a name, a scope and where it was last used.

knox's own columns keep only a digest of the secret and, for lookup, its first characters (the "concordat_" prefix
and five more); the secret itself is shown once, when it is made, and never stored. Changes go through
accounts.tokens, never straight to these models.
"""

from django.db import models
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS

NAME_MAX_LENGTH = 100


class Scope(models.TextChoices):
    READ = "read", "Read only"
    ACT = "act", "Act"


class ApiToken(AbstractAuthToken):
    # An id of its own, for URLs and the audit log: knox makes the digest the primary key, and neither may show it.
    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    scope = models.CharField(max_length=10, choices=Scope.choices)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_from = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.get_scope_display()}) of {self.user}"


class ApiTokenAddress(models.Model):
    """An address a token has been used from: a use from one not listed is audited (accounts.tokens.record_use)."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="addresses")
    address = models.GenericIPAddressField()
    first_used_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "address"], name="one_row_per_token_address")]

    def __str__(self):
        return f"{self.address} for token {self.token_id}"


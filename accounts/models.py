from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property

from accounts.roles import OrganisationKind, Role


class Organisation(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=40, choices=OrganisationKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="units",
                               help_text="The department a unit belongs to.")
    contact_email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name

    @property
    def department(self) -> "Organisation":
        """The body that answers for this organisation: a unit's parent, otherwise itself."""
        return self.parent if self.parent_id else self

    def is_part_of(self, other: "Organisation") -> bool:
        return self.pk == other.pk or self.parent_id == other.pk


class User(AbstractUser):
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="people")
    full_name = models.CharField(max_length=200, blank=True)
    job_title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.pk or not self.is_active:
            return frozenset()
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)


class RoleGrant(models.Model):
    """A role a person holds in their organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=40, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role")]

    def __str__(self):
        return f"{self.user} as {self.get_role_display()}"


from accounts.delegation_models import Delegation  # noqa: E402,F401  (the Commissioner's delegates, §14)
from accounts.token_models import ApiToken, ApiTokenAddress  # noqa: E402,F401  (API tokens: ADR 16)

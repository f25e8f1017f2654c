"""A disabled account's API tokens are revoked (ADR 16), however it was disabled (admin, shell, a service), so that
enabling it again does not bring them back. They are refused from the moment it is disabled in any case."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts import tokens


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def revoke_tokens_of_disabled_account(sender, instance, **kwargs):
    if not instance.is_active and instance.auth_token_set.exists():
        tokens.revoke_all(instance, reason="account disabled")

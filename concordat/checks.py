from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def production_secrets(app_configs, **kwargs):
    """Production must not run on the demo key or in demo mode (no default accounts, ASVS 6.2)."""
    errors = []
    if settings.PRODUCTION and settings.SECRET_KEY == settings.DEMO_SECRET_KEY:
        errors.append(Error("SECRET_KEY is the demo key; set SECRET_KEY in the environment.", id="concordat.E001"))
    if settings.PRODUCTION and settings.DEMO_MODE:
        errors.append(Error("CONCORDAT_DEMO must be off in production.", id="concordat.E002"))
    return errors

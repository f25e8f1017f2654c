from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register(deploy=True)
def production_secrets(app_configs, **kwargs):
    """Production must not run on the demo key or in demo mode (no default accounts, ASVS 6.2)."""
    errors = []
    if settings.PRODUCTION and settings.SECRET_KEY == settings.DEMO_SECRET_KEY:
        errors.append(Error("SECRET_KEY is the demo key; set SECRET_KEY in the environment.", id="concordat.E001"))
    if settings.PRODUCTION and settings.DEMO_MODE:
        errors.append(Error("CONCORDAT_DEMO must be off in production.", id="concordat.E002"))
    return errors


@register()
def secret_key_set(app_configs, **kwargs):
    """Outside the demo nothing falls back to a known key: SECRET_KEY must come from the environment."""
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        key = ""
    if not key:
        return [Error("SECRET_KEY is not set; set it in the environment (the demo key is used only by `make run`).",
                      id="concordat.E003")]
    return []


@register()
def audit_mac_key(app_configs, **kwargs):
    """Fail closed (ADR 17): production never runs without the key that authenticates the audit chain."""
    from audit.keys import mac_key_problem

    problem = mac_key_problem() if settings.PRODUCTION else ""
    if problem:
        return [Error(problem, hint="Provision the key outside the database (a file readable by the service only,"
                                    " or a KMS) and set AUDIT_MAC_KEY_FILE.", id="concordat.E004")]
    return []

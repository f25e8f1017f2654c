from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Error, register


class VaultConfig(AppConfig):
    name = "vault"
    verbose_name = "Vault: files encrypted at rest (ADR 27)"

    def ready(self):
        register(vault_key_check)


def vault_key_check(app_configs=None, **kwargs):
    """In production, `manage.py check` fails without a usable key-encryption key (no file can be stored or read)."""
    from vault.datakeys import store_problem
    from vault.keys import kek_problem

    problem = (kek_problem() or store_problem()) if settings.PRODUCTION else ""
    if problem:
        return [Error(problem, hint="Provision the key outside the database (a file readable by the service only, "
                                    "or a KMS) and set VAULT_KEK_FILE; the data keys' directory (VAULT_DATA_KEY_DIR, ADR 32) likewise.", id="vault.E001")]
    return []

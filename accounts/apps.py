from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Organisations and people"

    def ready(self):
        # Audit events for sign-in; the API's schemes; a disabled account's tokens revoked.
        from accounts import api_auth, signals, token_auth, token_signals  # noqa: F401

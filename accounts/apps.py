from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Organisations and people"

    def ready(self):
        from accounts import api_auth, signals  # noqa: F401  (audit events for sign-in; the API scheme)

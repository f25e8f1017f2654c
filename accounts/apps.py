from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Organisations and people"

    def ready(self):
        from accounts import signals  # noqa: F401  (log-in, log-out and failed log-in audit events)

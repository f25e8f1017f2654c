from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = "Requests and deliveries"

    def ready(self):
        from sharing import signals  # noqa: F401  (connects the calendar_changed receiver)
        from sharing.cases import REQUESTS
        from workflow.registry import register

        register(REQUESTS)
        from sharing import hold_scope

        hold_scope.register()  # requests are work a processing hold can block (holds.coverage)

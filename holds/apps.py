from django.apps import AppConfig


class HoldsConfig(AppConfig):
    name = "holds"
    verbose_name = "Processing holds (issue 11)"

    def ready(self):
        from holds.cases import HOLDS
        from workflow.registry import register

        register(HOLDS)

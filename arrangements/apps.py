from django.apps import AppConfig


class ArrangementsConfig(AppConfig):
    name = "arrangements"
    verbose_name = "Data sharing arrangements (§16)"

    def ready(self):
        from arrangements.cases import ARRANGEMENTS
        from workflow.registry import register

        register(ARRANGEMENTS)

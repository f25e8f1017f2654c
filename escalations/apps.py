from django.apps import AppConfig


class EscalationsConfig(AppConfig):
    name = "escalations"
    verbose_name = "Escalations (§13–14)"

    def ready(self):
        from escalations.cases import ESCALATIONS
        from workflow.registry import register

        register(ESCALATIONS)

from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "Approvals (§10, §17)"

    def ready(self):
        from approvals.cases import APPROVALS
        from workflow.registry import register

        register(APPROVALS)

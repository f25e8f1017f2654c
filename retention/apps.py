from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = "Retention and disposal of what was provided (§6(f)–(g), §8(f)–(g))"

    def ready(self):
        from retention.cases import RETENTION
        from workflow.registry import register

        register(RETENTION)

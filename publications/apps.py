from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = "Publication agreement (§7(b), §9(b))"

    def ready(self):
        from publications.cases import PUBLICATIONS
        from workflow.registry import register

        register(PUBLICATIONS)

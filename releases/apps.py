from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = "Safe outputs: datasets and releases checked by two output checkers (§15)"

    def ready(self):
        from releases.cases import RELEASES
        from workflow.registry import register

        register(RELEASES)

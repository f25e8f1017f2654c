from django.apps import AppConfig


class ConcordatConfig(AppConfig):
    name = "concordat"

    def ready(self):
        from concordat import checks  # noqa: F401

from django.apps import AppConfig


class ToyConfig(AppConfig):
    """A case type declared only by the tests, to show what the workflow core gives a new one for free."""

    name = "tests.toy"
    label = "toy"

    def ready(self):
        from tests.toy.cases import TOYS
        from workflow.registry import register

        register(TOYS)

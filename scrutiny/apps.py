from django.apps import AppConfig


class ScrutinyConfig(AppConfig):
    name = "scrutiny"
    verbose_name = "Scrutiny: statistics, dashboards, exports"

    def ready(self):
        from scrutiny.dashboard import register_casework_panels, register_main_panels
        from scrutiny.providers import register_casework_providers, register_main_providers

        register_main_providers()
        register_casework_providers()
        register_main_panels()
        register_casework_panels()

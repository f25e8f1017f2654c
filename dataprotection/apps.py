from django.apps import AppConfig


class DataProtectionConfig(AppConfig):
    name = "dataprotection"
    verbose_name = "Personal data (§15–17, ICO data sharing code Annex B)"

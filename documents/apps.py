from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Generated documents, marked on every page (§7(e), §10)"

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Social value and reporting"

    def ready(self) -> None:
        from reporting import cache

        cache.connect()
